"""A new panel member: accepts the invitation, answers, changes an answer, reads the results."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from panels.models import PanelInvitation, Response
from tests.conftest import PASSWORD
from tests.panels.conftest import admins_panel, make_round, questions
from tests.support import app_code_for_key
from wabp.models import OutboundEmail, User

pytestmark = pytest.mark.browser


def likert(page, value: str):
    return page.locator("fieldset", has_text="Hoe tevreden bent u?").get_by_label(value, exact=True)


def test_new_member_accepts_answers_changes_and_reads_results(
    page, live_server, transactional_db, settings, axe
):
    settings.SITE_URL = live_server.url
    panel = admins_panel()
    round = make_round(panel)
    invitation = PanelInvitation.objects.create(panel=panel, email="nieuw.lid@example.test")
    invitation.send()
    body = OutboundEmail.objects.get(kind="panels_invitation").body
    link = re.search(r"http\S+/panels/uitnodiging/\S+/", body).group(0)

    # Accept the invitation: a new account with first name and password.
    page.goto(link)
    page.get_by_label("Voornaam").fill("Nina")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_label("Ik heb de privacyverklaring gelezen").check()
    page.get_by_role("button", name="Account aanmaken en accepteren").click()
    page.wait_for_url("**/panels/")
    assert page.get_by_text("Welkom in het Beheerderspanel").is_visible()
    assert axe(page) == []

    # Answer the open round.
    page.get_by_role("link", name=round.title).click()
    page.wait_for_url(f"**/panels/ronde/{round.slug}/")
    assert axe(page) == []
    likert(page, "2").check()
    page.get_by_label("Wekelijks").check()
    page.get_by_label("E-learning").check()
    page.get_by_label("Wat kan beter?").fill("Meer uitleg over de app")
    page.get_by_role("button", name="Antwoorden versturen").click()
    assert page.get_by_text("Uw antwoorden zijn opgeslagen").is_visible()

    # Change an answer before the close: the form shows the earlier answers.
    assert likert(page, "2").is_checked()
    likert(page, "4").check()
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    assert page.get_by_text("Uw antwoorden zijn opgeslagen").is_visible()
    user = User.objects.get(email="nieuw.lid@example.test")
    stored = Response.objects.get(round=round, user=user)
    assert stored.answers[questions(round)["likert"].field_name] == 4

    # Later: the round has closed and the board publishes its response.
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.opens_at = timezone.now() - timedelta(days=7)
    round.board_response = "We maken **een korte uitleg** over de app."
    round.save()
    round.publish_results()

    page.reload()
    assert page.get_by_role("heading", name="Wat het bestuur met uw inbreng doet").is_visible()
    assert page.get_by_text("een korte uitleg").is_visible()
    assert page.get_by_role("img", name=re.compile("Hoe tevreden bent u")).count() == 1
    assert axe(page) == []

    # The board's results page.
    board = User.objects.create_superuser(
        email="bestuur@wabp.test", password=PASSWORD, first_name="Bea"
    )
    page.context.clear_cookies()
    page.goto(f"/account/inloggen/?next=/panels/resultaten/{round.slug}/")
    page.get_by_label("E-mailadres").fill(board.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # A new board member sets up two-factor login first, then goes on to the results.
    page.wait_for_url("**/account/tweestapsverificatie/instellen/**")
    assert axe(page) == []
    secret = page.locator(".secret code").inner_text()
    page.get_by_label("Code uit de app").fill(app_code_for_key(secret))
    page.get_by_role("button", name="Bevestigen").click()
    assert page.get_by_role("heading", name="Tweestapsverificatie staat aan").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert axe(page) == []
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(f"**/panels/resultaten/{round.slug}/")
    assert page.get_by_role("heading", name=f"Resultaten: {round.title}").is_visible()
    assert page.get_by_text("Meer uitleg over de app").is_visible()
    assert axe(page) == []

"""Browser journey: an admin declines a request (the page asks first), undoes it, removes
postcodes and marks the group inactive -- each after a confirmation page, without
JavaScript -- and the board reads what happened in the admin's audit trail."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import Broadcast, GroupStatus, JoinRequestStatus
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import add_coverage, load_areas, make_group, make_join_request
from tests.support import app_code
from wabp.models import User

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    areas = load_areas(["1011"])
    admin = make_user("anna@example.test", first_name="Anna")
    group = make_group("Buurtpreventie Nieuwmarkt", areas["1011"], admins=[admin])
    add_coverage(group, ["1011AB", "1011AC", "1011AD"])
    join_request = make_join_request(group, name="Rita Bewoner", email="rita@example.test")
    return {"admin": admin, "group": group, "join_request": join_request}


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/account/inloggen/")


def log_in_board(page) -> User:
    board = User.objects.create_superuser(
        email="bestuur@wabp.test", password=PASSWORD, first_name="Bea"
    )
    device = TOTPDevice.objects.create(user=board, name="Authenticator-app")
    log_in(page, board.email)
    page.get_by_label("Code uit de app").fill(app_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    return board


def test_a_broadcast_asks_first_with_the_number_of_recipients(page, world, axe, shots):
    board = log_in_board(page)
    broadcast = Broadcast.objects.create(
        subject="Nieuwe huisregels", body="Lees de **nieuwe** regels.", created_by=board
    )

    page.goto(f"/admin/groups/broadcast/{broadcast.pk}/voorbeeld/")
    page.get_by_role("button", name="Versturen…").click()
    page.get_by_role("button", name="Ja, verstuur naar 1 beheerder").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "confirm-broadcast.png", full_page=True)
    page.get_by_role("link", name="Nee, terug").click()
    page.get_by_role("heading", name="Zo ziet het bericht eruit").wait_for()
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None

    page.get_by_role("button", name="Versturen…").click()
    page.get_by_role("button", name="Ja, verstuur naar 1 beheerder").click()
    page.get_by_role("heading", name="Afgeleverd").wait_for()
    broadcast.refresh_from_db()
    assert broadcast.sent_at is not None


def test_actions_ask_first_without_javascript_and_the_board_sees_the_trail(
    browser, live_server, world, axe, shots
):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    group, join_request = world["group"], world["join_request"]
    log_in(page, world["admin"].email)

    page.goto(f"/beheer/groep/{group.slug}/aanmeldingen/")
    page.get_by_role("button", name="Afwijzen", exact=True).click()
    page.get_by_role("heading", name="Aanmelding van Rita Bewoner afwijzen").wait_for()
    page.screenshot(path=shots / "confirm-decline.png", full_page=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING
    page.get_by_role("button", name="Ja, afwijzen").click()
    page.get_by_role("button", name="Afwijzen ongedaan maken").wait_for()
    page.screenshot(path=shots / "declined-undo.png", full_page=True)
    page.get_by_role("button", name="Afwijzen ongedaan maken").click()
    page.get_by_text("wacht weer op een besluit").wait_for()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING

    page.goto(f"/beheer/groep/{group.slug}/postcodes/")
    page.get_by_label("1011AB–1011AD").check()
    page.get_by_role("button", name="Verwijderen").click()
    page.get_by_role("button", name="Ja, verwijderen").wait_for()
    page.screenshot(path=shots / "confirm-coverage.png", full_page=True)
    assert group.coverage.count() == 3
    page.get_by_role("button", name="Ja, verwijderen").click()
    page.get_by_text("3 postcodes verwijderd").wait_for()

    page.goto(f"/beheer/groep/{group.slug}/")
    page.get_by_role("button", name="Zet de groep op niet actief").click()
    page.get_by_role("button", name="Ja, zet de groep op niet actief").wait_for()
    page.screenshot(path=shots / "confirm-deactivate.png", full_page=True)
    page.get_by_role("button", name="Ja, zet de groep op niet actief").click()
    page.get_by_text("staat nu op niet actief").wait_for()
    group.refresh_from_db()
    assert group.status == GroupStatus.INACTIVE
    context.close()

    # The pages pass axe (with JavaScript on, as axe needs it).
    checked = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = checked.new_page()
    log_in(page, world["admin"].email)
    page.goto(f"/beheer/groep/{group.slug}/")
    page.get_by_role("button", name="Maak de groep weer actief").click()
    page.goto(f"/beheer/groep/{group.slug}/")
    page.get_by_role("button", name="Zet de groep op niet actief").click()
    page.get_by_role("button", name="Ja, zet de groep op niet actief").wait_for()
    assert axe(page) == []
    page.goto(f"/beheer/groep/{group.slug}/aanmeldingen/")
    page.get_by_role("button", name="Afwijzen", exact=True).click()
    page.get_by_role("button", name="Ja, afwijzen").wait_for()
    assert axe(page) == []
    checked.close()

    # The board reads the trail in the admin.
    board_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = board_context.new_page()
    log_in_board(page)
    page.goto(f"/admin/groups/group/{group.pk}/change/")
    page.get_by_text("Postcodes verwijderd").first.wait_for()
    page.screenshot(path=shots / "admin-group-trail.png", full_page=True)
    page.goto(f"/admin/auditlog/logentry/?group={group.pk}&actor={world['admin'].pk}")
    page.get_by_text("Postcodes verwijderd").first.wait_for()
    page.screenshot(path=shots / "admin-audit-list.png", full_page=True)
    assert "Rita" not in page.content()
    board_context.close()

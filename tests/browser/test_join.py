"""A resident's join journey and the admin's accept, in Chromium; axe on every page."""

import re

import pytest

from groups.models import JoinRequest, JoinRequestStatus
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import CANARY, load_areas, make_group, make_join_request
from wabp.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def path_of_link(body: str, ending: str = "") -> str:
    for path in re.findall(r"https?://[^/\s]+(/\S*)", body):
        if path.endswith(ending):
            return path
    raise AssertionError(f"no link ending in {ending!r} in {body}")


@pytest.fixture
def group(live_server):
    load_areas(["1011", "1012"])
    admin = make_user(CANARY["email"], first_name="Anna", last_name=CANARY["last_name"])
    return make_group(
        "Buurtpreventie Nieuwmarkt", "1011", postcodes=["1011AB", "1011AC"], admins=[admin]
    )


def log_in(page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()


def test_resident_joins_confirms_and_sees_the_admin_accept(page, axe, group):
    page.goto(group.get_absolute_url())
    page.get_by_role("link", name="Vraag om lid te worden van deze groep").click()
    assert axe(page) == []

    page.get_by_label("Uw naam").fill("Rita Bewoner")
    page.get_by_label("Uw e-mailadres").fill("rita@example.test")
    page.get_by_label("Mobiel nummer").fill("06 12345678")
    page.get_by_label("Straat en huisnummer").fill("Nieuwmarkt 4")
    page.get_by_label("Postcode").fill("1011 AB")
    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert axe(page) == []

    mail = OutboundEmail.objects.get(kind="join_confirm")
    page.goto(path_of_link(mail.body, "/bevestigen/"))
    assert axe(page) == []
    page.get_by_role("button", name="Ja, ik wil me aanmelden").click()
    page.get_by_text("wacht op de beheerder").first.wait_for()
    status_url = page.url
    assert axe(page) == []
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequestStatus.PENDING

    # The admin logs in (same browser, so the network guard stays on) and accepts.
    log_in(page, CANARY["email"])
    page.wait_for_url("**/beheer/")
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("aanmelding wacht op u")).click()
    assert axe(page) == []
    page.get_by_role("button", name="Accepteren").click()
    page.get_by_text("Aanmelding van Rita Bewoner geaccepteerd").wait_for()
    assert JoinRequest.objects.get().status == JoinRequestStatus.ACCEPTED

    page.goto(status_url)
    page.get_by_text("De beheerder voegt u toe aan de chat").wait_for()
    assert axe(page) == []


def test_beheer_pages_have_no_accessibility_violations(page, axe, group):
    make_join_request(group, outside_area=True)
    make_join_request(group, status="accepted")
    make_group("Buurtwacht Dam", "1012", admins=[make_user("bert@example.test", first_name="Bert")])
    log_in(page, CANARY["email"])
    page.wait_for_url("**/beheer/")
    for path in ["", "aanmeldingen/", "gegevens/", "postcodes/", "beheerders/", "buren/"]:
        page.goto(f"/beheer/groep/{group.slug}/{path}")
        assert axe(page) == [], path

    page.goto(f"/beheer/groep/{group.slug}/postcodes/")
    page.get_by_label("Postcodes toevoegen").fill("1011AD-1011AF, 9999ZZ")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_role("heading", name="Resultaat").wait_for()
    assert axe(page) == []


def test_outside_area_warning_is_accessible(page, axe, group):
    page.goto(f"/groepen/{group.slug}/aanmelden/")
    page.get_by_label("Uw naam").fill("Rita Bewoner")
    page.get_by_label("Uw e-mailadres").fill("rita@example.test")
    page.get_by_label("Mobiel nummer").fill("0612345678")
    page.get_by_label("Straat en huisnummer").fill("Damstraat 1")
    page.get_by_label("Postcode").fill("1012 AB")
    page.get_by_label("Ik ga akkoord").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("buiten het gebied van deze groep").wait_for()
    assert axe(page) == []
    page.get_by_role("button", name="Toch aanmelden").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert JoinRequest.objects.get().outside_area is True

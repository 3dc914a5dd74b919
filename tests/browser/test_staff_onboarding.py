"""Browser journey: a municipality employee asks for access, verifies the address from the
mail, the board approves in the admin, and the employee chooses a password, sets up the
authenticator app and downloads the municipality's CSV."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import MunicipalityMailDomain, StaffRequest, StaffRequestStatus
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import load_areas, make_group
from tests.support import app_code, app_code_for_key
from wabp.models import OutboundEmail, User

pytestmark = pytest.mark.browser

EMAIL = "m.dewijk@amsterdam.nl"
NEW_PASSWORD = "Wijk-coordinator-2026!"


@pytest.fixture
def amsterdam(transactional_db):
    areas = load_areas(["1011", "1012"])
    municipality = areas["1011"].municipality
    MunicipalityMailDomain.objects.create(municipality=municipality, domain="amsterdam.nl")
    make_group("Buurtpreventie Nieuwmarkt", areas["1011"], municipality=municipality)
    return municipality


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deliver_mail() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def link_in(kind: str, pattern: str) -> str:
    mail = OutboundEmail.objects.get(kind=kind, to=EMAIL)
    assert mail.sent_at is not None
    return urlsplit(re.search(pattern, mail.body)[0]).path


def log_in(page, email: str, password: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/account/inloggen/")


def test_request_verify_approve_set_up_and_export(page, axe, amsterdam, shots):
    # The employee asks for access.
    page.goto(f"/gemeente-medewerkers/aanvragen/?gemeente={amsterdam.slug}")
    assert axe(page) == []
    page.screenshot(path=shots / "staff-request-form.png", full_page=True)
    assert page.get_by_label("Ik werk bij de gemeente").input_value() == amsterdam.slug
    page.get_by_label("Uw voornaam").fill("Mila")
    page.get_by_label("Uw achternaam").fill("de Wijk")
    page.get_by_label("Uw e-mailadres op het werk").fill("mila@gmail.com")
    page.get_by_label("Uw functie of afdeling").fill("Wijkcoördinator Centrum")
    page.get_by_role("button", name="Toegang aanvragen").click()
    page.get_by_text("Dit is geen e-mailadres van de gemeente Amsterdam").first.wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "staff-request-form-error.png", full_page=True)
    page.get_by_label("Uw e-mailadres op het werk").fill(EMAIL)
    page.get_by_role("button", name="Toegang aanvragen").click()
    page.get_by_role("heading", name="Bevestig uw e-mailadres").wait_for()

    # ... verifies the address from the mail ...
    deliver_mail()
    page.goto(link_in("staff_request_verify", r"https?://\S+/gemeente-medewerkers/bevestigen/\S+/"))
    assert axe(page) == []
    page.get_by_role("button", name="Ja, bevestig mijn aanvraag").click()
    page.get_by_role("heading", name="Aanvraag bevestigd").wait_for()
    staff_request = StaffRequest.objects.get(email=EMAIL)
    assert staff_request.status == StaffRequestStatus.PENDING

    # ... the board approves it in the admin, with one click ...
    board = User.objects.create_superuser(
        email="bestuur@wabp.test", password=PASSWORD, first_name="Bea"
    )
    device = TOTPDevice.objects.create(user=board, name="Authenticator-app")
    log_in(page, board.email, PASSWORD)
    page.get_by_label("Code uit de app").fill(app_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    page.goto(f"/admin/groups/staffrequest/{staff_request.pk}/change/")
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("1 aanvraag/aanvragen goedgekeurd.").wait_for()
    page.context.clear_cookies()  # the board member is done
    employee = User.objects.get(email=EMAIL)
    assert employee.municipality == amsterdam

    # ... the employee chooses a password from the approval mail ...
    deliver_mail()
    page.goto(link_in("staff_request_approved", r"https?://\S+/account/wachtwoord-herstellen/\S+/"))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/wachtwoord-herstellen/klaar/")

    # ... logs in, and must set up the authenticator app first ...
    log_in(page, EMAIL, NEW_PASSWORD)
    assert urlsplit(page.url).path == "/account/tweestapsverificatie/instellen/"
    secret = page.locator(".secret code").inner_text()
    page.locator("input[name=otp_token]").fill(app_code_for_key(secret))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Tweestapsverificatie staat aan").wait_for()
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(lambda url: "/tweestapsverificatie/" not in url)

    # ... and downloads the municipality's CSV from the workspace.
    page.goto(f"/gemeenten/{amsterdam.slug}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de groepen als CSV-bestand").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Buurtpreventie Nieuwmarkt" in content
    assert download.value.suggested_filename == f"wabp-groepen-{amsterdam.slug}.csv"


def test_a_non_staff_user_on_a_staff_page_is_told_how_to_ask(page, axe, amsterdam, shots):
    make_user("bewoner@example.test")
    log_in(page, "bewoner@example.test", PASSWORD)

    response = page.goto(f"/gemeenten/{amsterdam.slug}/borden/")

    assert response.status == 403
    page.get_by_role("heading", name="Geen toegang").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "staff-only-403.png", full_page=True)
    page.get_by_role("link", name="Toegang aanvragen").click()
    page.get_by_role("heading", name="Toegang voor medewerkers van een gemeente").wait_for()
    assert page.get_by_label("Ik werk bij de gemeente").input_value() == amsterdam.slug

"""Browser journey: a police officer asks for access for an area, verifies the address from
the mail, the board approves in the admin (changing the area first), and the officer chooses
a password, sets up the authenticator app and is logged in.

Each step is a function of its own, so a journey can go on from where another stops (into
the police workspace, the area messages): `officer_with_access(page, shots)` runs them all
and returns the officer's logged-in page state.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import PoliceRequest, StaffRequestStatus, police_area
from tests.conftest import PASSWORD
from tests.groups.conftest import load_areas, make_group
from tests.support import app_code, app_code_for_key
from wabp.models import User

pytestmark = pytest.mark.browser

EMAIL = "p.agent@politie.nl"
NEW_PASSWORD = "Wijkagent-Centrum-2026!"


@pytest.fixture
def municipalities(transactional_db):
    """Amsterdam and Utrecht, with a group in Amsterdam."""
    areas = load_areas(["1011", "1012", "3511"])
    amsterdam, utrecht = areas["1011"].municipality, areas["3511"].municipality
    make_group("Buurtpreventie Nieuwmarkt", areas["1011"], municipality=amsterdam)
    return {"amsterdam": amsterdam, "utrecht": utrecht}


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The steps ---------------------------------------------------------------------------------


def deliver_mail() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def link_in(kind: str, pattern: str, to: str = EMAIL) -> str:
    """The path of the link matching `pattern` in the last mail of `kind` sent to `to`."""
    from wabp.models import OutboundEmail

    deliver_mail()
    mail = OutboundEmail.objects.filter(kind=kind, to=to).latest("pk")
    assert mail.sent_at is not None
    return urlsplit(re.search(pattern, mail.body)[0]).path


def log_in(page, email: str, password: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/account/inloggen/")


def request_access(page, axe, shots, *, provinces_and_municipalities, email=EMAIL) -> None:
    """The officer fills in the form (first with a look-alike address, which is refused)."""
    page.goto("/account/inloggen/")
    page.get_by_role("link", name="Bij de politie? Vraag toegang aan.").click()
    page.get_by_role("heading", name="Toegang voor de politie").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "police-request-form.png", full_page=True)
    page.get_by_label("Uw voornaam").fill("Pieter")
    page.get_by_label("Uw achternaam").fill("Agent")
    page.get_by_label("Uw e-mailadres op het werk").fill("pieter@politie.nl.evil.com")
    page.get_by_label("Uw basisteam of eenheid").fill("Basisteam Amsterdam-Centrum")
    page.get_by_label("Uw functie").fill("Wijkagent")
    for province, municipality in provinces_and_municipalities:
        details = page.locator("details", has=page.locator("summary", has_text=province))
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        page.get_by_label(municipality, exact=True).check()
    page.get_by_role("button", name="Toegang aanvragen").click()
    page.get_by_text("Dit is geen e-mailadres van de politie").first.wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "police-request-form-error.png", full_page=True)
    # The area chosen is still ticked, in an open province.
    for _province, municipality in provinces_and_municipalities:
        assert page.get_by_label(municipality, exact=True).is_checked()
    page.get_by_label("Uw e-mailadres op het werk").fill(email)
    page.get_by_role("button", name="Toegang aanvragen").click()
    page.get_by_role("heading", name="Bevestig uw e-mailadres").wait_for()
    page.screenshot(path=shots / "police-request-sent.png", full_page=True)


def verify_from_mail(page, axe, shots, email=EMAIL) -> PoliceRequest:
    """The officer follows the mailed link and presses its button."""
    page.goto(
        link_in("police_request_verify", r"https?://\S+/politie/toegang-bevestigen/\S+/", email)
    )
    assert axe(page) == []
    page.screenshot(path=shots / "police-request-verify.png", full_page=True)
    page.get_by_role("button", name="Ja, bevestig mijn aanvraag").click()
    page.get_by_role("heading", name="Aanvraag bevestigd").wait_for()
    police_request = PoliceRequest.objects.get(email=email)
    assert police_request.status == StaffRequestStatus.PENDING
    return police_request


def board_logs_in(page) -> User:
    """A board member logs in with password and code."""
    board = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bestuur@wabp.test", password=PASSWORD, first_name="Bea"
    )
    device = TOTPDevice.objects.get_or_create(user=board, name="Authenticator-app")[0]
    log_in(page, board.email, PASSWORD)
    page.get_by_label("Code uit de app").fill(app_code(device))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    return board


def board_approves(page, shots, police_request: PoliceRequest, *, drop: str = "") -> None:
    """The board opens the request, takes `drop` out of its area if given, and approves."""
    board_logs_in(page)
    page.goto("/admin/groups/policerequest/?status__exact=pending")
    page.get_by_role("link", name=str(police_request)).click()
    page.get_by_role("button", name="Goedkeuren").wait_for()
    page.screenshot(path=shots / "police-request-admin.png", full_page=True)
    if drop:
        # The area field without JavaScript widgets: the select itself.
        select = page.locator("select#id_municipalities")
        keep = [
            option.get_attribute("value")
            for option in select.locator("option").all()
            if option.inner_text().strip() != drop and option.get_attribute("value")
        ]
        select.select_option(keep, force=True)
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("1 aanvraag/aanvragen goedgekeurd.").wait_for()
    page.screenshot(path=shots / "police-request-approved.png", full_page=True)
    page.context.clear_cookies()  # the board member is done


def choose_password_from_mail(page, email=EMAIL, password=NEW_PASSWORD) -> None:
    page.goto(
        link_in(
            "police_request_approved", r"https?://\S+/account/wachtwoord-herstellen/\S+/", email
        )
    )
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/wachtwoord-herstellen/klaar/")


def log_in_setting_up_the_app(page, shots, email=EMAIL, password=NEW_PASSWORD) -> str:
    """The first login: the officer must set up the authenticator app; returns its key."""
    log_in(page, email, password)
    assert urlsplit(page.url).path == "/account/tweestapsverificatie/instellen/"
    page.screenshot(path=shots / "police-two-factor-setup.png", full_page=True)
    secret = page.locator(".secret code").inner_text()
    page.locator("input[name=otp_token]").fill(app_code_for_key(secret))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Tweestapsverificatie staat aan").wait_for()
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(lambda url: "/tweestapsverificatie/" not in url)
    return secret


def log_in_with_code(page, secret: str, email=EMAIL, password=NEW_PASSWORD) -> None:
    """A later login: password, then a code from the app."""
    log_in(page, email, password)
    page.get_by_label("Code uit de app").fill(app_code_for_key(secret))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def officer_with_access(page, axe, shots, municipalities) -> User:
    """The whole way in: request for Amsterdam and Utrecht, the board keeps only Amsterdam,
    the officer sets a password and the app and is logged in (with a verified session)."""
    request_access(
        page,
        axe,
        shots,
        provinces_and_municipalities=[
            (municipalities["amsterdam"].province, "Amsterdam"),
            (municipalities["utrecht"].province, "Utrecht"),
        ],
    )
    police_request = verify_from_mail(page, axe, shots)
    assert set(police_request.municipalities.all()) == set(municipalities.values())
    board_approves(page, shots, police_request, drop="Utrecht")
    choose_password_from_mail(page)
    log_in_setting_up_the_app(page, shots)
    return User.objects.get(email=EMAIL)


# The journeys ----------------------------------------------------------------------------------


def test_an_officer_requests_access_is_approved_and_logs_in_with_two_factors(
    page, axe, municipalities, shots
):
    officer = officer_with_access(page, axe, shots, municipalities)

    assert officer.is_police_officer
    assert list(police_area(officer)) == [municipalities["amsterdam"]]
    # Logged in, with the second factor: the account page opens without another step.
    page.goto("/account/")
    assert urlsplit(page.url).path == "/account/"
    page.get_by_role("button", name="Uitloggen").first.wait_for()
    page.screenshot(path=shots / "police-logged-in.png", full_page=True)


PROVINCES = [
    "Drenthe",
    "Flevoland",
    "Friesland",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
]


def test_the_area_list_of_342_municipalities_is_usable_without_javascript(
    browser, live_server, axe, transactional_db, shots
):
    from postcodes.models import Municipality

    Municipality.objects.bulk_create(
        Municipality(name=f"Gemeente {n:03}", slug=f"gemeente-{n:03}", province=PROVINCES[n % 12])
        for n in range(342)
    )
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/politie/toegang-aanvragen/")
        assert page.locator("input[type=checkbox][name=municipalities]").count() == 342
        assert page.locator("details[open]").count() == 0  # closed: a list of 12 provinces
        page.screenshot(path=shots / "police-request-form-342.png", full_page=True)
        page.locator("summary", has_text="Gelderland").click()
        page.get_by_label("Gemeente 003", exact=True).check()
        page.get_by_role("button", name="Toegang aanvragen").click()
        # The form comes back with its errors, the chosen municipality ticked in an open list.
        assert page.get_by_label("Gemeente 003", exact=True).is_checked()
        assert page.locator("details[open]").count() == 1
        page.screenshot(path=shots / "police-request-form-342-error.png", full_page=True)
    finally:
        context.close()
    page = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    page.goto("/politie/toegang-aanvragen/")
    assert axe(page) == []
    page.context.close()

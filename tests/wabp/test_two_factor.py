"""Two-factor login: required for the board and municipality staff, optional for others.

After the password such a user reaches nothing but the code step (or, without an app, the
set-up step); a code from the app or a recovery code completes the login. Wrong codes are
refused, held back by django-otp, counted per account and address, and count as failed
logins for django-axes.
"""

import base64
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from postcodes.models import Municipality
from tests.conftest import PASSWORD, make_user
from tests.support import app_code, app_code_for_key, log_in
from wabp.two_factor import views
from wabp.two_factor.devices import new_recovery_codes, remove_second_factor
from wabp.two_factor.site import PortalAdminSite

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
CODE = "/account/inloggen/code/"
RECOVERY = "/account/inloggen/herstelcode/"
SETUP = "/account/tweestapsverificatie/instellen/"
OVERVIEW = "/account/tweestapsverificatie/"
NEW_CODES = "/account/tweestapsverificatie/nieuwe-herstelcodes/"
DISABLE = "/account/tweestapsverificatie/uitzetten/"
SIGNS = "/gemeenten/amsterdam/borden/"
EXPORT = "/gemeenten/amsterdam/export.csv"
ADMIN = "/admin/"


@pytest.fixture
def amsterdam() -> Municipality:
    return Municipality.objects.create(name="Amsterdam", slug="amsterdam", province="Noord-Holland")


@pytest.fixture
def staff(amsterdam):
    """A municipality employee who set up the authenticator app."""
    user = make_user("ambtenaar@amsterdam.test", first_name="Mila", municipality=amsterdam)
    TOTPDevice.objects.create(user=user, name="Authenticator-app")
    return user


@pytest.fixture
def app(staff) -> TOTPDevice:
    return TOTPDevice.objects.get(user=staff)


@pytest.fixture
def no_back_off(settings):
    """Without django-otp's growing wait after each wrong code, to count many wrong codes."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def log_in_with_password(client, user, **extra):
    return client.post(LOGIN, {"username": user.email, "password": PASSWORD}, **extra)


def first_code(setup_page) -> str:
    """The code an app shows after being given the key on the set-up page."""
    return app_code_for_key(setup_page.context["secret"])


def redirect_path(response) -> str:
    assert response.status_code == 302, response.status_code
    return urlsplit(response["Location"]).path


def next_of(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


# The code step --------------------------------------------------------------------------


def test_staff_with_password_only_gets_no_staff_page(client, staff):
    log_in_with_password(client, staff)

    for url in (SIGNS, EXPORT, "/account/", "/"):
        response = client.get(url)
        assert redirect_path(response) == CODE, url
        assert next_of(response) == url


def test_board_with_password_only_gets_no_admin_page(client, board):
    TOTPDevice.objects.create(user=board, name="Authenticator-app")
    log_in_with_password(client, board)

    for url in (ADMIN, "/admin/wabp/user/", SIGNS):
        assert redirect_path(client.get(url)) == CODE, url


def test_a_police_officer_without_an_app_is_sent_to_set_one_up(client):
    officer = make_user("agent@politie.nl", first_name="Pim", is_police=True)
    log_in_with_password(client, officer)

    response = client.get("/account/")
    assert redirect_path(response) == SETUP
    assert next_of(response) == "/account/"


def test_the_admin_login_is_the_password_step_too(client, board):
    TOTPDevice.objects.create(user=board, name="Authenticator-app")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": board.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert redirect_path(response) == ADMIN

    response = client.get(ADMIN)
    assert redirect_path(response) == CODE
    assert next_of(response) == ADMIN


def test_a_code_from_the_app_opens_the_staff_pages(client, staff, app):
    log_in_with_password(client, staff)

    response = client.post(CODE, {"otp_token": app_code(app), "next": SIGNS})

    assert redirect_path(response) == SIGNS
    assert client.get(SIGNS).status_code == 200
    assert client.get(EXPORT).status_code == 200


def test_a_code_opens_the_admin_for_the_board(client, board):
    device = TOTPDevice.objects.create(user=board, name="Authenticator-app")
    log_in_with_password(client, board)

    client.post(CODE, {"otp_token": app_code(device), "next": ADMIN})

    assert client.get(ADMIN).status_code == 200
    assert client.get("/admin/wabp/user/").status_code == 200


def test_the_verified_session_gets_a_new_key(client, staff, app, settings):
    log_in_with_password(client, staff)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(CODE, {"otp_token": app_code(app)})

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_a_wrong_code_is_refused(client, staff, app):
    log_in_with_password(client, staff)
    right = app_code(app)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(CODE, {"otp_token": wrong, "next": SIGNS})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.text
    assert redirect_path(client.get(SIGNS)) == CODE


def test_a_code_is_six_digits(client, staff, app):
    log_in_with_password(client, staff)

    response = client.post(CODE, {"otp_token": "12a456"})

    assert "Een code bestaat uit zes cijfers" in response.text
    app.refresh_from_db()
    assert app.throttling_failure_count == 0  # not a guess at the code


def test_a_code_cannot_be_used_twice(client, staff, app):
    code = app_code(app)
    log_in_with_password(client, staff)
    client.post(CODE, {"otp_token": code})
    client.post("/account/uitloggen/")

    log_in_with_password(client, staff)
    response = client.post(CODE, {"otp_token": code})

    assert response.status_code == 200
    assert redirect_path(client.get(SIGNS)) == CODE


def test_after_a_wrong_code_the_app_waits_before_the_next_try(client, staff, app):
    log_in_with_password(client, staff)
    wrong = f"{(int(app_code(app)) + 1) % 1_000_000:06d}"
    client.post(CODE, {"otp_token": wrong})

    response = client.post(CODE, {"otp_token": app_code(app)})
    assert "Probeer het over 1 seconde opnieuw" in response.text

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        response = client.post(CODE, {"otp_token": app_code(app), "next": SIGNS})
        assert redirect_path(response) == SIGNS


def test_wrong_codes_lock_the_login_out_like_wrong_passwords(
    client, staff, app, settings, no_back_off
):
    log_in_with_password(client, staff)
    wrong = f"{(int(app_code(app)) + 1) % 1_000_000:06d}"

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(CODE, {"otp_token": wrong}).status_code == 200
    response = client.post(CODE, {"otp_token": wrong})

    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.text
    # The half-finished login has ended, and the password step is locked as well.
    assert redirect_path(client.get(CODE)) == LOGIN
    assert log_in_with_password(client, staff).status_code == 429


def test_axes_does_not_record_the_codes(client, staff, app, no_back_off):
    log_in_with_password(client, staff)

    client.post(CODE, {"otp_token": "000000"})
    client.post(CODE, {"otp_token": "999999"})

    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 2
    assert "000000" not in attempt.post_data and "999999" not in attempt.post_data


def test_code_tries_are_limited_per_account_even_when_the_password_is_entered_again(
    client, staff, app, settings, no_back_off
):
    wrong = f"{(int(app_code(app)) + 1) % 1_000_000:06d}"
    tries = 0
    while tries < views.CODE_TRIES_PER_USER:
        # A correct password resets django-axes' count; the portal's own limit stays.
        client.post("/account/uitloggen/")
        log_in_with_password(client, staff)
        for _ in range(min(settings.AXES_FAILURE_LIMIT - 1, views.CODE_TRIES_PER_USER - tries)):
            assert client.post(CODE, {"otp_token": wrong}).status_code == 200
            tries += 1

    response = client.post(CODE, {"otp_token": app_code(app)})

    assert response.status_code == 429
    assert redirect_path(client.get(SIGNS)) == CODE


def test_code_tries_are_limited_per_address(client, staff, app, monkeypatch, no_back_off):
    monkeypatch.setattr(views, "CODE_TRIES_PER_IP", 2)
    other = make_user("collega@amsterdam.test", municipality=staff.municipality)
    TOTPDevice.objects.create(user=other, name="Authenticator-app")
    log_in_with_password(client, staff)
    client.post(CODE, {"otp_token": "000000"})
    client.post(CODE, {"otp_token": "000001"})
    client.post("/account/uitloggen/")

    log_in_with_password(client, other)
    response = client.post(CODE, {"otp_token": "000002"})

    assert response.status_code == 429


def test_next_must_stay_on_the_site(client, staff, app):
    log_in_with_password(client, staff)

    response = client.post(CODE, {"otp_token": app_code(app), "next": "https://elders.example/"})

    assert redirect_path(response) == "/beheer/"


def test_a_verified_session_skips_the_code_step(client, staff):
    log_in(client, staff)

    assert redirect_path(client.get(f"{CODE}?next={SIGNS}")) == SIGNS


def test_the_code_step_may_be_left_by_logging_out(client, staff):
    log_in_with_password(client, staff)

    response = client.post("/account/uitloggen/")

    assert redirect_path(response) == "/"
    assert redirect_path(client.get(SIGNS)) == LOGIN


def test_the_code_field_is_a_one_time_code_field(client, staff):
    log_in_with_password(client, staff)

    html = client.get(CODE).text

    field = re.search(r"<input[^>]*name=\"otp_token\"[^>]*>", html).group(0)
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert '<label for="id_otp_token">' in html
    assert f'href="{RECOVERY}?next=' in html


# Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, staff, app):
    code = new_recovery_codes(staff)[0]
    log_in_with_password(client, staff)

    response = client.post(RECOVERY, {"otp_token": code.upper(), "next": SIGNS})

    assert redirect_path(response) == SIGNS
    assert client.get(SIGNS).status_code == 200
    client.post("/account/uitloggen/")

    log_in_with_password(client, staff)
    response = client.post(RECOVERY, {"otp_token": code, "next": SIGNS})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.text
    assert redirect_path(client.get(SIGNS)) == CODE


def test_logging_in_with_a_recovery_code_says_how_many_are_left(client, staff, app):
    code = new_recovery_codes(staff)[0]
    log_in_with_password(client, staff)

    response = client.post(RECOVERY, {"otp_token": code, "next": OVERVIEW}, follow=True)

    assert "U heeft nog 9 herstelcodes over" in response.text
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, staff):
    old = new_recovery_codes(staff)
    log_in(client, staff)

    response = client.post(NEW_CODES)

    assert response.status_code == 200
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(new) == 10
    assert set(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    ) == set(new)
    assert not set(old) & set(new)


# Set-up -----------------------------------------------------------------------------------


def test_board_without_an_app_is_sent_to_set_up(client, board):
    log_in_with_password(client, board)

    response = client.get(ADMIN)

    assert redirect_path(response) == SETUP
    assert next_of(response) == ADMIN
    assert redirect_path(client.get(CODE)) == SETUP


def test_set_up_shows_a_qr_code_and_the_key_as_text(client, board):
    log_in_with_password(client, board)

    response = client.get(SETUP)

    assert response.status_code == 200
    assert re.search(
        r'<img class="qr-code" src="data:image/svg\+xml;[^"]+" alt="[^"]+">', response.text
    )
    assert response.context["secret"] in response.text
    assert len(base64.b32decode(response.context["secret"].replace(" ", ""))) == 20
    # Nothing is saved before the first code.
    assert not TOTPDevice.objects.filter(user=board).exists()
    assert "<script" not in response.text.split("<main")[1]
    # Reloading the page keeps the key the app may already have scanned.
    assert client.get(SETUP).context["secret"] == response.context["secret"]


def test_set_up_with_a_first_code_shows_ten_recovery_codes_and_opens_the_admin(client, board):
    log_in_with_password(client, board)
    code = first_code(client.get(f"{SETUP}?next={ADMIN}"))

    response = client.post(SETUP, {"otp_token": code, "next": ADMIN})

    assert response.status_code == 200
    assert "U ziet deze codes nu voor het laatst" in response.text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=board).values_list("token", flat=True)
    )
    assert f'href="{ADMIN}"' in response.text
    assert TOTPDevice.objects.get(user=board).confirmed
    assert client.get(ADMIN).status_code == 200


def test_set_up_refuses_a_wrong_first_code(client, board):
    log_in_with_password(client, board)
    client.get(SETUP)

    response = client.post(SETUP, {"otp_token": "000000"})

    assert "Deze code klopt niet" in response.text
    assert not TOTPDevice.objects.filter(user=board, confirmed=True).exists()
    assert redirect_path(client.get(ADMIN)) == SETUP


def test_a_password_alone_cannot_replace_the_app(client, staff, app):
    log_in_with_password(client, staff)

    response = client.get(SETUP)

    assert redirect_path(response) == CODE
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_verified_user_can_move_the_app_to_a_new_phone(client, staff, app):
    log_in(client, staff)
    response = client.get(SETUP)
    assert "U stelt een nieuwe app in" in response.text
    assert client.get(SIGNS).status_code == 200  # the old app still counts

    client.post(SETUP, {"otp_token": first_code(response)})

    new = TOTPDevice.objects.get(user=staff)
    assert new.pk != app.pk
    assert new.key == base64.b32decode(response.context["secret"].replace(" ", "")).hex()
    assert client.get(SIGNS).status_code == 200


# Optional for everyone else -----------------------------------------------------------------


def test_others_are_not_asked_for_a_code(client, learner):
    log_in_with_password(client, learner)

    assert client.get("/account/").status_code == 200


def test_my_account_links_to_two_factor_login(client, learner):
    client.force_login(learner)

    assert f'href="{OVERVIEW}"' in client.get("/account/").text
    assert "Tweestapsverificatie staat uit" in client.get(OVERVIEW).text


def test_others_who_switch_it_on_are_asked_for_a_code_next_time(client, learner):
    client.force_login(learner)
    client.post(SETUP, {"otp_token": first_code(client.get(SETUP))})
    device = TOTPDevice.objects.get(user=learner)
    assert client.get("/account/").status_code == 200
    client.post("/account/uitloggen/")

    log_in_with_password(client, learner)

    assert redirect_path(client.get("/account/")) == CODE
    client.post(CODE, {"otp_token": app_code(device)})
    assert client.get("/account/").status_code == 200


def test_others_can_switch_it_off_again(client, learner):
    log_in(client, learner)  # no app: an ordinary login
    client.post(SETUP, {"otp_token": first_code(client.get(SETUP))})
    assert TOTPDevice.objects.filter(user=learner).exists()

    response = client.post(DISABLE)

    assert redirect_path(response) == OVERVIEW
    assert not TOTPDevice.objects.filter(user=learner).exists()
    assert not StaticToken.objects.filter(device__user=learner).exists()
    assert client.get("/account/").status_code == 200
    client.post("/account/uitloggen/")
    log_in_with_password(client, learner)
    assert client.get("/account/").status_code == 200


def test_staff_cannot_switch_it_off(client, staff):
    log_in(client, staff)

    assert client.post(DISABLE).status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


# The board's reset and the admin ------------------------------------------------------------


def test_the_board_resets_a_users_second_factor_in_the_admin(client, board, staff):
    new_recovery_codes(staff)
    log_in(client, board)

    response = client.post(
        "/admin/wabp/user/",
        {"action": "reset_two_factor", "_selected_action": [staff.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Tweestapsverificatie van 1 gebruiker gereset" in response.text
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.filter(device__user=staff).exists()
    entry = LogEntry.objects.get(object_id=str(staff.pk))
    assert entry.user == board
    assert entry.get_change_message() == "Tweestapsverificatie gereset."
    # The user sets it up again at the next login.
    staff_client = Client()
    log_in_with_password(staff_client, staff)
    assert redirect_path(staff_client.get(SIGNS)) == SETUP


def test_a_reset_ends_the_users_verified_sessions(client, staff):
    log_in(client, staff)
    assert client.get(SIGNS).status_code == 200

    remove_second_factor(staff)

    assert redirect_path(client.get(SIGNS)) == SETUP


def test_the_admin_site_itself_wants_a_verified_session(board):
    request = RequestFactory().get(ADMIN)
    request.user = board
    board.is_verified = lambda: False
    assert not PortalAdminSite().has_permission(request)

    board.is_verified = lambda: True
    assert PortalAdminSite().has_permission(request)


def test_the_admin_lists_no_devices(client, board):
    log_in(client, board)

    html = client.get(ADMIN).text

    assert "otp_totp" not in html and "otp_static" not in html

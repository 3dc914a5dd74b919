"""Accounts: login by e-mail, lockout, password reset, sign-up with activation, my account.

Login, password reset and sign-up answer the same for known and unknown
addresses; their mail goes through the outbox and the task worker.
"""

import re

import pytest
from django.contrib.auth import SESSION_KEY

from tests.conftest import make_user
from wabp.models import Consent, OutboundEmail, User

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
RESET = "/account/wachtwoord-vergeten/"
SIGNUP = "/account/aanmaken/"


@pytest.fixture(autouse=True)
def _login_lands_on_account(settings):
    # The groups app's dashboard is the real landing page; these tests are about login itself.
    settings.LOGIN_REDIRECT_URL = "/account/"


def link_in(message) -> str:
    """The portal path of the one link in a mail (SITE_URL stripped)."""
    from django.conf import settings

    urls = re.findall(re.escape(settings.SITE_URL) + r"(/\S+)", message.body)
    assert len(urls) == 1, message.body
    return urls[0]


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne@example.test",
        "password1": "Zonnebloem-aan-de-gracht-7",
        "password2": "Zonnebloem-aan-de-gracht-7",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


# Login ----------------------------------------------------------------------------------


def test_login_page_asks_for_an_email_address_in_dutch(client):
    html = client.get(LOGIN).text

    assert '<label for="id_username">E-mailadres:</label>' in html or "E-mailadres" in html
    assert 'type="email"' in html
    assert 'href="/account/wachtwoord-vergeten/"' in html
    assert 'href="/account/aanmaken/"' in html


def test_login_with_email_is_case_insensitive(client, learner, password):
    response = client.post(LOGIN, {"username": "  LEERLING@Example.TEST ", "password": password})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(learner.pk)


def test_login_with_a_wrong_password_says_so_without_naming_the_cause(client, learner):
    wrong_password = client.post(LOGIN, {"username": learner.email, "password": "fout"})
    unknown_user = client.post(LOGIN, {"username": "niemand@example.test", "password": "fout"})

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert SESSION_KEY not in client.session
    assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in wrong_password.text
    errors = [re.sub(r'value="[^"]*"', "", r.text) for r in (wrong_password, unknown_user)]
    assert errors[0] == errors[1].replace("niemand@example.test", learner.email)


def test_login_is_locked_after_five_failures_for_that_user_and_ip(client, learner, password):
    for _ in range(5):
        client.post(LOGIN, {"username": learner.email, "password": "fout"}, REMOTE_ADDR="10.0.0.1")

    locked = client.post(
        LOGIN, {"username": learner.email, "password": password}, REMOTE_ADDR="10.0.0.1"
    )

    assert locked.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in locked.text
    assert "een uur" in locked.text
    assert 'href="/account/wachtwoord-vergeten/"' in locked.text
    assert SESSION_KEY not in client.session


def test_lockout_counts_the_address_in_any_letter_case(client, learner, password):
    for variant in [
        "Leerling@example.test",
        "LEERLING@EXAMPLE.TEST",
        *["leerling@example.test"] * 3,
    ]:
        client.post(LOGIN, {"username": variant, "password": "fout"}, REMOTE_ADDR="10.0.0.2")

    locked = client.post(
        LOGIN, {"username": learner.email, "password": password}, REMOTE_ADDR="10.0.0.2"
    )

    assert locked.status_code == 429


def test_lockout_is_for_that_user_and_ip_only(client, learner, password):
    make_user("ander@example.test")
    for _ in range(5):
        client.post(LOGIN, {"username": learner.email, "password": "fout"}, REMOTE_ADDR="10.0.0.3")

    other_ip = client.post(
        LOGIN, {"username": learner.email, "password": password}, REMOTE_ADDR="10.0.0.4"
    )
    assert other_ip.status_code == 302
    client.logout()
    other_user = client.post(
        LOGIN, {"username": "ander@example.test", "password": password}, REMOTE_ADDR="10.0.0.3"
    )
    assert other_user.status_code == 302


def test_resetting_the_password_lifts_the_lockout(client, learner, run_tasks, mailoutbox):
    for _ in range(5):
        client.post(LOGIN, {"username": learner.email, "password": "fout"})
    client.post(RESET, {"email": learner.email})
    run_tasks()
    confirm = client.get(link_in(mailoutbox[0]), follow=True)
    new_password = "Een-heel-nieuw-wachtwoord-42"

    client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    response = client.post(LOGIN, {"username": learner.email, "password": new_password})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(learner.pk)


def test_inactive_account_cannot_log_in(client, password):
    make_user("slaper@example.test", is_active=False)

    response = client.post(LOGIN, {"username": "slaper@example.test", "password": password})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_needs_a_post_and_ends_the_session(client, learner):
    client.force_login(learner)

    assert client.get("/account/uitloggen/").status_code == 405
    response = client.post("/account/uitloggen/")

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


# Password reset -------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, learner):
    known = client.post(RESET, {"email": learner.email})
    unknown = client.post(RESET, {"email": "onbekend@example.test"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/wachtwoord-vergeten/verzonden/"


def test_password_reset_queues_one_mail_for_a_known_address_and_none_otherwise(
    client, learner, run_tasks, mailoutbox
):
    with pytest.MonkeyPatch.context() as patch:
        sent_directly = []
        patch.setattr("django.core.mail.EmailMessage.send", lambda *a, **k: sent_directly.append(a))
        client.post(RESET, {"email": "onbekend@example.test"})
        client.post(RESET, {"email": learner.email.upper()})
        assert sent_directly == [], "the request itself never talks to the mail server"

    assert list(OutboundEmail.objects.values_list("to", "kind")) == [
        (learner.email, "password_reset")
    ]
    run_tasks()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [learner.email]
    assert "Nieuw wachtwoord" in mailoutbox[0].subject
    assert link_in(mailoutbox[0]).startswith("/account/wachtwoord-herstellen/")


def test_password_reset_link_sets_a_new_password(client, learner, run_tasks, mailoutbox):
    client.post(RESET, {"email": learner.email})
    run_tasks()

    form = client.get(link_in(mailoutbox[0]), follow=True)
    assert "Nieuw wachtwoord kiezen" in form.text
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Fietsbel-op-de-dijk-9", "new_password2": "Fietsbel-op-de-dijk-9"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/wachtwoord-herstellen/klaar/"
    learner.refresh_from_db()
    assert learner.check_password("Fietsbel-op-de-dijk-9")
    # One use only.
    assert "Deze link werkt niet meer" in client.get(link_in(mailoutbox[0]), follow=True).text


def test_password_reset_mails_one_address_at_most_three_times_an_hour(
    client, learner, run_tasks, mailoutbox
):
    for _ in range(5):
        client.post(RESET, {"email": learner.email})
    run_tasks()

    assert len(mailoutbox) == 3


def test_password_reset_posts_are_rate_limited_per_ip(client):
    answers = [client.post(RESET, {"email": f"x{i}@example.test"}).status_code for i in range(11)]

    assert answers == [302] * 10 + [429]


# Sign-up --------------------------------------------------------------------------------


def test_signup_creates_an_inactive_account_with_consent_and_mails_an_activation_link(
    client, run_tasks, mailoutbox
):
    response = client.post(SIGNUP, signup_data(email="Sanne@Example.test"))

    assert response.status_code == 302
    assert response["Location"] == "/account/aanmaken/verzonden/"
    user = User.objects.get(email="sanne@example.test")
    assert not user.is_active
    assert user.first_name == "Sanne" and user.last_name == "de Vries"
    assert user.check_password("Zonnebloem-aan-de-gracht-7")
    consent = Consent.objects.get(user=user)
    assert (consent.document, consent.version) == ("privacy", "2026-1")
    run_tasks()
    assert [m.to for m in mailoutbox] == [["sanne@example.test"]]
    assert link_in(mailoutbox[0]).startswith("/account/activeren/")


def test_activation_link_activates_and_logs_in_after_one_click(client, run_tasks, mailoutbox):
    client.post(SIGNUP, signup_data())
    run_tasks()
    link = link_in(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Activeer mijn account" in page.text
    assert not User.objects.get(email="sanne@example.test").is_active, "opening is not enough"
    # The password chosen at sign-up goes with the click (test_account_takeover.py).
    response = client.post(link, {"password": signup_data()["password1"]})

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user = User.objects.get(email="sanne@example.test")
    assert user.is_active
    assert client.session[SESSION_KEY] == str(user.pk)
    # The link works once.
    client.logout()
    assert "Deze link werkt niet meer" in client.get(link).text


def test_activation_link_with_a_wrong_token_does_nothing(client):
    user = make_user("wacht@example.test", is_active=False)
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(str(user.pk).encode())
    response = client.post(f"/account/activeren/{uid}/abc-123/")

    assert "Deze link werkt niet meer" in response.text
    user.refresh_from_db()
    assert not user.is_active


def test_password_reset_token_is_not_an_activation_token(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_encode

    user = make_user("wacht@example.test", is_active=False)
    uid = urlsafe_base64_encode(str(user.pk).encode())

    client.post(f"/account/activeren/{uid}/{default_token_generator.make_token(user)}/")

    user.refresh_from_db()
    assert not user.is_active


def test_signup_with_a_known_address_shows_the_same_page_and_mails_the_owner(
    client, learner, run_tasks, mailoutbox
):
    new = client.post(SIGNUP, signup_data(email="nieuw@example.test"))
    known = client.post(SIGNUP, signup_data(email=learner.email.upper(), first_name="Indringer"))

    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    learner.refresh_from_db()
    assert learner.first_name == "Lotte"
    assert not learner.check_password("Zonnebloem-aan-de-gracht-7")
    assert not Consent.objects.filter(user=learner).exists()
    run_tasks()
    to_learner = [m for m in mailoutbox if m.to == [learner.email]]
    assert len(to_learner) == 1
    assert "al een account" in to_learner[0].subject
    assert "/account/wachtwoord-vergeten/" in to_learner[0].body


def test_signing_up_again_before_activating_resends_the_activation_link(
    client, run_tasks, mailoutbox
):
    client.post(SIGNUP, signup_data())
    client.post(SIGNUP, signup_data())
    run_tasks()

    assert User.objects.filter(email="sanne@example.test").count() == 1
    assert len(mailoutbox) == 2
    assert all("/account/activeren/" in m.body for m in mailoutbox)


def test_signup_requires_consent_and_matching_passwords(client):
    response = client.post(
        SIGNUP, signup_data(accept_privacy="", password2="Iets-anders-helemaal-8")
    )

    assert response.status_code == 200
    assert "Zonder uw akkoord kunnen we geen account aanmaken." in response.text
    assert "De twee wachtwoorden zijn niet gelijk." in response.text
    assert not User.objects.exists()


def test_signup_rejects_a_weak_password(client):
    response = client.post(SIGNUP, signup_data(password1="12345678", password2="12345678"))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_posts_are_rate_limited_per_ip(client):
    answers = [
        client.post(SIGNUP, signup_data(email=f"buur{i}@example.test")).status_code
        for i in range(11)
    ]

    assert answers == [302] * 10 + [429]
    assert User.objects.count() == 10


def test_signup_page_links_to_the_privacy_statement(client):
    html = client.get(SIGNUP).text

    assert 'href="/privacy/"' in html
    assert 'name="accept_privacy"' in html


# My account -----------------------------------------------------------------------------


def test_account_page_needs_login(client):
    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/?next=/account/")


def test_account_page_is_never_cached_and_links_to_password_change(client, learner):
    client.force_login(learner)

    response = client.get("/account/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'href="/account/wachtwoord-wijzigen/"' in response.text
    assert 'value="leerling@example.test"' in response.text


def test_account_page_saves_name_and_phone(client, learner):
    client.force_login(learner)

    response = client.post(
        "/account/",
        {"first_name": "Lotte", "last_name": "", "email": learner.email, "phone": "06 1234 5678"},
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.last_name, learner.phone) == ("", "06 1234 5678")


def test_account_page_rejects_a_phone_number_with_letters(client, learner):
    client.force_login(learner)

    response = client.post(
        "/account/",
        {"first_name": "Lotte", "last_name": "", "email": learner.email, "phone": "bel me"},
    )

    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.phone == ""


def test_changing_the_email_needs_the_password_and_tells_the_old_address(
    client, learner, password, run_tasks, mailoutbox
):
    client.force_login(learner)
    data = {"first_name": "Lotte", "last_name": "Leerling", "email": "Nieuw@Example.test"}

    refused = client.post("/account/", {**data, "current_password": "fout"})
    learner.refresh_from_db()
    assert refused.status_code == 200
    assert learner.email == "leerling@example.test"

    accepted = client.post("/account/", {**data, "current_password": password})
    learner.refresh_from_db()
    assert accepted.status_code == 302
    # The new address counts once the link mailed to it is followed (test_email_change.py).
    assert learner.email == "leerling@example.test"
    assert learner.pending_email == "nieuw@example.test"
    run_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == ["leerling@example.test", "nieuw@example.test"]


def test_changing_the_email_to_a_taken_address_is_refused(client, learner, password):
    make_user("bezet@example.test")
    client.force_login(learner)

    client.post(
        "/account/",
        {
            "first_name": "Lotte",
            "email": "BEZET@example.test",
            "current_password": password,
        },
    )

    learner.refresh_from_db()
    assert learner.email == "leerling@example.test"


def test_password_change_works_from_the_account_page(client, learner, password):
    client.force_login(learner)

    response = client.post(
        "/account/wachtwoord-wijzigen/",
        {
            "old_password": password,
            "new_password1": "Molen-in-de-polder-33",
            "new_password2": "Molen-in-de-polder-33",
        },
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("Molen-in-de-polder-33")


def test_account_sections_from_other_apps_are_shown(client, learner, monkeypatch):
    from wabp import registry

    monkeypatch.setattr(registry, "ACCOUNT_SECTIONS", [])
    registry.register_account_section("wabp/page.html", lambda request: None)
    client.force_login(learner)

    assert client.get("/account/").status_code == 200
    assert len(registry.ACCOUNT_SECTIONS) == 1


@pytest.mark.skipif(
    __import__("django.conf").conf.settings.AXES_USERNAME_FORM_FIELD != "username",
    reason="needs AXES_USERNAME_FORM_FIELD = 'username' in wabp/settings.py",
)
def test_admin_login_is_locked_per_user_and_ip_too(client, board, password):
    for _ in range(5):
        client.post("/admin/login/", {"username": board.email, "password": "fout"})

    locked = client.post("/admin/login/", {"username": board.email, "password": password})

    assert locked.status_code == 429


def test_signing_up_again_does_not_reactivate_an_account_the_board_deactivated(
    client, run_tasks, mailoutbox
):
    # Activated (e.g. by confirming a group registration) but never logged in; then the board
    # deactivates the account.
    user = make_user("gestopt@example.test")
    user.is_active = False
    user.save()

    client.post(SIGNUP, signup_data(email="gestopt@example.test"))
    run_tasks()
    from django.utils.http import urlsafe_base64_encode

    from wabp.views import activation_token

    uid = urlsafe_base64_encode(str(user.pk).encode())
    response = client.post(f"/account/activeren/{uid}/{activation_token.make_token(user)}/")

    assert all("/account/activeren/" not in m.body for m in mailoutbox)
    assert "Deze link werkt niet meer" in response.text
    user.refresh_from_db()
    assert not user.is_active

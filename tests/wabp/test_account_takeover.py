"""No account pre-hijacking: whoever reads the mailbox ends up with the only working password.

Anyone can sign up (or register a group) with somebody else's address. Until the account is
activated, a later sign-up replaces the password and names, older links stop working,
activating needs the password chosen at sign-up, and "wachtwoord vergeten" works for such
an account too (and activates it). An account the board deactivated stays deactivated.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.conftest import make_user
from tests.groups.conftest import load_areas
from wabp.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/account/aanmaken/"
RESET = "/account/wachtwoord-vergeten/"
LOGIN = "/account/inloggen/"
VICTIM = "sanne@example.test"
ATTACKERS_PASSWORD = "Indringer-wachtwoord-42"
VICTIMS_PASSWORD = "Zonnebloem-aan-de-gracht-7"
AREAS = ["1011", "1012", "1013"]


def sign_up(client: Client, password: str, first_name: str):
    return client.post(
        SIGNUP,
        {
            "first_name": first_name,
            "last_name": "",
            "email": VICTIM,
            "password1": password,
            "password2": password,
            "accept_privacy": "on",
        },
    )


def links(mailoutbox) -> list[str]:
    return [
        re.findall(re.escape(settings.SITE_URL) + r"(/\S+)", m.body)[0]
        for m in mailoutbox
        if m.to == [VICTIM]
    ]


def can_log_in(password: str) -> bool:
    client = Client()
    client.post(LOGIN, {"username": VICTIM, "password": password})
    return SESSION_KEY in client.session


def test_a_later_sign_up_replaces_the_password_of_a_never_activated_account(run_tasks, mailoutbox):
    sign_up(Client(), ATTACKERS_PASSWORD, "Indringer")
    sign_up(Client(), VICTIMS_PASSWORD, "Sanne")
    run_tasks()
    attackers_link, victims_link = links(mailoutbox)

    assert "Deze link werkt niet meer" in Client().get(attackers_link).text
    victim = Client()
    response = victim.post(victims_link, {"password": VICTIMS_PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(email=VICTIM)
    assert user.first_name == "Sanne"
    assert can_log_in(VICTIMS_PASSWORD)
    assert not can_log_in(ATTACKERS_PASSWORD)


def test_clicking_a_link_one_did_not_ask_for_does_not_activate_someone_elses_password(
    run_tasks, mailoutbox
):
    sign_up(Client(), ATTACKERS_PASSWORD, "Indringer")
    run_tasks()
    (link,) = links(mailoutbox)

    curious = Client().post(link, {"password": VICTIMS_PASSWORD})
    blank = Client().post(link)

    assert curious.status_code == blank.status_code == 200
    assert "Wachtwoord vergeten" in curious.text
    assert not User.objects.get(email=VICTIM).is_active
    assert not can_log_in(ATTACKERS_PASSWORD)


def test_password_reset_works_for_a_never_activated_account_and_activates_it(run_tasks, mailoutbox):
    sign_up(Client(), ATTACKERS_PASSWORD, "Indringer")
    victim = Client()
    victim.post(RESET, {"email": VICTIM})
    run_tasks()
    reset_link = next(link for link in links(mailoutbox) if "wachtwoord-herstellen" in link)

    form = victim.get(reset_link, follow=True)
    victim.post(
        form.redirect_chain[-1][0],
        {"new_password1": VICTIMS_PASSWORD, "new_password2": VICTIMS_PASSWORD},
    )

    user = User.objects.get(email=VICTIM)
    assert user.is_active and user.activated_at is not None
    assert can_log_in(VICTIMS_PASSWORD)
    assert not can_log_in(ATTACKERS_PASSWORD)


def test_password_reset_works_for_an_account_without_a_usable_password(run_tasks, mailoutbox):
    seeded = make_user(VICTIM)
    seeded.set_unusable_password()
    seeded.save()

    Client().post(RESET, {"email": VICTIM})
    run_tasks()

    assert [link for link in links(mailoutbox) if "wachtwoord-herstellen" in link]


def test_password_reset_sends_nothing_for_an_account_the_board_deactivated(run_tasks, mailoutbox):
    user = make_user(VICTIM)
    user.is_active = False
    user.save()

    response = Client().post(RESET, {"email": VICTIM})
    run_tasks()

    assert response["Location"] == "/account/wachtwoord-vergeten/verzonden/"
    assert mailoutbox == []


def test_signing_up_for_an_account_the_board_deactivated_changes_nothing(run_tasks, mailoutbox):
    user = make_user(VICTIM)
    user.is_active = False
    user.save()

    response = sign_up(Client(), ATTACKERS_PASSWORD, "Indringer")
    run_tasks()

    assert response["Location"] == "/account/aanmaken/verzonden/"
    user.refresh_from_db()
    assert not user.is_active and user.first_name != "Indringer"
    assert not user.check_password(ATTACKERS_PASSWORD)
    assert all("/account/activeren/" not in m.body for m in mailoutbox)


def test_sign_up_answers_the_same_for_new_never_activated_and_active_addresses():
    new = sign_up(Client(), VICTIMS_PASSWORD, "Sanne")
    again = sign_up(Client(), VICTIMS_PASSWORD, "Sanne")
    make_user("actief@example.test")
    active = Client().post(
        SIGNUP,
        {
            "first_name": "Sanne",
            "email": "actief@example.test",
            "password1": VICTIMS_PASSWORD,
            "password2": VICTIMS_PASSWORD,
            "accept_privacy": "on",
        },
    )

    assert new.status_code == again.status_code == active.status_code == 302
    assert new["Location"] == again["Location"] == active["Location"]


def test_a_group_registration_for_a_never_activated_account_takes_it_over(run_tasks, mailoutbox):
    from tests.groups.test_registration import URL, form_data

    load_areas(AREAS)

    sign_up(Client(), ATTACKERS_PASSWORD, "Indringer")
    response = Client().post(
        URL, form_data(email=VICTIM, password1=VICTIMS_PASSWORD, password2=VICTIMS_PASSWORD)
    )

    assert response.status_code == 302
    user = User.objects.get(email=VICTIM)
    assert user.check_password(VICTIMS_PASSWORD)
    assert not user.check_password(ATTACKERS_PASSWORD)

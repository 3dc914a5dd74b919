"""Changing the e-mail address: the new address counts only once the link mailed to it is
followed, by the account it was asked for, within 24 hours, once.

Until then the account keeps its address, and with it only the data tied to that address:
an account that asks for a resident's address gets none of the resident's data.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from groups.models import JoinRequest
from tests.conftest import make_user
from tests.groups.conftest import load_areas, make_group, make_join_request
from wabp.models import User
from wabp.privacy import delete_account, personal_data

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"
RESIDENT = "rita@example.test"


def ask_for(client: Client, user: User, email: str, password: str):
    return client.post(
        ACCOUNT,
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": email,
            "current_password": password,
        },
    )


def confirmation_link(mailoutbox, to: str) -> str:
    (mail,) = [m for m in mailoutbox if m.to == [to]]
    return re.findall(re.escape(settings.SITE_URL) + r"(/\S+)", mail.body)[0]


@pytest.fixture
def learner_client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


def test_an_account_asking_for_a_residents_address_gets_and_erases_none_of_their_data(
    password, run_tasks, mailoutbox
):
    group = make_group("Buurtwacht Lastage", load_areas(["1011"])["1011"])
    join_request = make_join_request(group, name="Rita Bewoner", email=RESIDENT)
    attacker = make_user("indringer@example.test")
    client = Client()
    client.force_login(attacker)

    ask_for(client, attacker, RESIDENT, password)
    attacker.refresh_from_db()
    download = client.get("/account/mijn-gegevens/")

    assert attacker.email == "indringer@example.test"
    assert "Rita Bewoner" not in download.text
    assert personal_data(attacker)["join_requests_made"] == []
    delete_account(attacker)
    assert JoinRequest.objects.filter(pk=join_request.pk).exists()
    run_tasks()
    assert "/account/e-mailadres-bevestigen/" in confirmation_link(mailoutbox, RESIDENT)


def test_following_the_link_applies_the_change_and_the_old_address_was_told(
    learner, learner_client, password, run_tasks, mailoutbox
):
    ask_for(learner_client, learner, "Nieuw@Example.test", password)
    run_tasks()
    link = confirmation_link(mailoutbox, "nieuw@example.test")

    (told,) = [m for m in mailoutbox if m.to == ["leerling@example.test"]]
    assert "gewijzigd" in told.subject
    asked = learner_client.get(link)
    assert "Bevestig mijn nieuwe e-mailadres" in asked.text
    learner.refresh_from_db()
    assert learner.email == "leerling@example.test", "opening the link is not enough"

    response = learner_client.post(link)

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "nieuw@example.test"
    assert learner.pending_email == ""
    assert "Deze link werkt niet meer" in learner_client.post(link).text, "once only"


def test_the_link_works_only_for_the_account_that_asked(
    learner, learner_client, password, run_tasks, mailoutbox
):
    ask_for(learner_client, learner, "nieuw@example.test", password)
    run_tasks()
    link = confirmation_link(mailoutbox, "nieuw@example.test")
    someone_else = Client()
    someone_else.force_login(make_user("ander@example.test"))

    anonymous = Client().get(link)
    response = someone_else.post(link)

    assert anonymous.status_code == 302 and "/account/inloggen/" in anonymous["Location"]
    assert "Deze link werkt niet meer" in response.text
    learner.refresh_from_db()
    assert learner.email == "leerling@example.test"


def test_the_link_expires_after_24_hours(learner, learner_client, password, run_tasks, mailoutbox):
    ask_for(learner_client, learner, "nieuw@example.test", password)
    run_tasks()
    link = confirmation_link(mailoutbox, "nieuw@example.test")
    User.objects.filter(pk=learner.pk).update(
        pending_email_requested_at=timezone.now() - timedelta(hours=25)
    )

    response = learner_client.post(link)

    assert "Deze link werkt niet meer" in response.text
    learner.refresh_from_db()
    assert learner.email == "leerling@example.test"


def test_a_newer_request_replaces_the_older_link(
    learner, learner_client, password, run_tasks, mailoutbox, monkeypatch
):
    monkeypatch.setattr("wabp.views.EMAIL_CHANGES_PER_USER", 5)
    ask_for(learner_client, learner, "eerste@example.test", password)
    ask_for(learner_client, learner, "tweede@example.test", password)
    run_tasks()

    learner_client.post(confirmation_link(mailoutbox, "eerste@example.test"))

    learner.refresh_from_db()
    assert learner.email == "leerling@example.test"
    assert learner.pending_email == "tweede@example.test"


def test_an_address_taken_meanwhile_gives_a_clear_answer(
    learner, learner_client, password, run_tasks, mailoutbox
):
    ask_for(learner_client, learner, "nieuw@example.test", password)
    run_tasks()
    make_user("nieuw@example.test")

    response = learner_client.post(confirmation_link(mailoutbox, "nieuw@example.test"))

    assert response.status_code == 200
    assert "Dit e-mailadres is al in gebruik" in response.text
    learner.refresh_from_db()
    assert learner.email == "leerling@example.test"


def test_a_second_request_within_ten_minutes_is_limited(
    learner, learner_client, password, run_tasks, mailoutbox
):
    ask_for(learner_client, learner, "eerste@example.test", password)
    second = ask_for(learner_client, learner, "tweede@example.test", password)

    assert second.status_code == 200
    assert "Probeer het over tien minuten opnieuw" in second.text
    learner.refresh_from_db()
    assert learner.pending_email == "eerste@example.test"
    run_tasks()
    assert not [m for m in mailoutbox if m.to == ["tweede@example.test"]]


def test_requests_for_one_new_address_are_limited_across_accounts(password, run_tasks, mailoutbox):
    for n in range(5):
        user = make_user(f"account{n}@example.test")
        client = Client()
        client.force_login(user)
        ask_for(client, user, RESIDENT, password)
    run_tasks()

    assert len([m for m in mailoutbox if m.to == [RESIDENT]]) == 3

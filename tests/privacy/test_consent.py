"""Consent records: registering a group, signing up and asking to join a group each store
what was agreed to, when, and which version of the statement."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groups.models import JoinRequest
from tests.conftest import PASSWORD
from tests.groups.conftest import make_group
from wabp.models import CONSENT_VERSION, Consent, User

NOW = timezone.datetime(2026, 3, 2, 9, 30, tzinfo=timezone.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def consents_of(email: str) -> set[tuple]:
    user = User.objects.get(email=email)
    return set(Consent.objects.filter(user=user).values_list("document", "version", "given_at"))


def test_registering_a_group_records_privacy_and_house_rules_consent(frozen, client, areas):
    response = client.post(
        reverse("groups:register"),
        {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "email": "sanne@example.test",
            "phone": "06 12345678",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": "Buurtpreventie Lastage",
            "platform": "whatsapp",
            "postcode": "1011AB",
            "coverage": "1011AB",
            "consent_privacy": "on",
            "consent_house_rules": "on",
        },
    )

    assert response.status_code == 302
    assert consents_of("sanne@example.test") == {
        ("privacy", CONSENT_VERSION, NOW),
        ("house_rules", CONSENT_VERSION, NOW),
    }


def test_signing_up_records_privacy_consent(frozen, client, db):
    response = client.post(
        reverse("signup"),
        {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "email": "sanne@example.test",
            "password1": "Zonnebloem-aan-de-gracht-7",
            "password2": "Zonnebloem-aan-de-gracht-7",
            "accept_privacy": "on",
        },
    )

    assert response.status_code == 302
    assert consents_of("sanne@example.test") == {("privacy", CONSENT_VERSION, NOW)}


def test_signing_up_without_consent_stores_no_account(client, db):
    data = {
        "first_name": "Sanne",
        "email": "sanne@example.test",
        "password1": "Zonnebloem-aan-de-gracht-7",
        "password2": "Zonnebloem-aan-de-gracht-7",
    }
    response = client.post(reverse("signup"), data)

    assert response.status_code == 200
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_a_join_request_records_the_statement_version_and_when(frozen, client, areas, co_admin):
    group = make_group("Buurtwacht Dam", "1012", admins=[co_admin])

    response = client.post(
        reverse("groups:join", args=[group.slug]),
        {
            "name": "Rita Bewoner",
            "email": "rita@example.test",
            "phone": "06 12345678",
            "street": "Damstraat 4",
            "postcode": "1012JS",
            "consent": "on",
            "outside_ok": "1",
        },
    )

    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.consent_version == CONSENT_VERSION
    assert join_request.created_at == NOW


def test_a_join_request_without_consent_is_not_stored(client, areas, co_admin):
    group = make_group("Buurtwacht Dam", "1012", admins=[co_admin])
    client.post(
        reverse("groups:join", args=[group.slug]),
        {
            "name": "Rita Bewoner",
            "email": "rita@example.test",
            "phone": "06 12345678",
            "street": "Damstraat 4",
            "postcode": "1012JS",
        },
    )
    assert not JoinRequest.objects.exists()

"""WABP street signs: an admin requests one, the municipality decides, the admin hears."""

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import SignRequest, SignRequestStatus
from tests.conftest import make_user
from tests.groups.conftest import CANARY
from tests.support import log_in


def client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def amsterdam_staff(group_a):
    return make_user(
        "ambtenaar@amsterdam.test", first_name="Mila", municipality=group_a.municipality
    )


@pytest.fixture
def utrecht_staff(areas):
    return make_user(
        "ambtenaar@utrecht.test", first_name="Umut", municipality=areas["3511"].municipality
    )


@pytest.fixture
def sign_request(group_a, group_admin):
    return SignRequest.objects.create(
        group=group_a,
        requested_by=group_admin,
        municipality=group_a.municipality,
        street="Nieuwmarkt, bij de Waag",
        reason="Hier komen de meeste mensen langs.",
    )


def test_admin_requests_a_sign_and_staff_are_told(
    group_admin_client, group_a, amsterdam_staff, run_tasks, mailoutbox
):
    url = reverse("groups:sign_request", args=[group_a.slug])
    assert group_admin_client.get(url).status_code == 200
    response = group_admin_client.post(url, {"street": "Dorpsstraat 1", "reason": "Veel inbraken."})
    assert response.status_code == 302
    request = SignRequest.objects.get()
    assert request.municipality == group_a.municipality
    assert request.status == SignRequestStatus.REQUESTED
    run_tasks()
    assert [m.to for m in mailoutbox] == [["ambtenaar@amsterdam.test"]]


def test_only_the_groups_admin_may_request(other_admin_client, group_a, anonymous):
    url = reverse("groups:sign_request", args=[group_a.slug])
    assert other_admin_client.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert not SignRequest.objects.exists()


def test_staff_decide_and_the_admin_is_mailed(amsterdam_staff, sign_request, run_tasks, mailoutbox):
    client = client_for(amsterdam_staff)
    municipality = sign_request.municipality
    html = client.get(
        reverse("groups:municipality_signs", args=[municipality.slug])
    ).content.decode()
    assert "Nieuwmarkt, bij de Waag" in html
    assert CANARY["email"] not in html and CANARY["last_name"] not in html
    prefix = f"sign-{sign_request.pk}"
    response = client.post(
        reverse("groups:municipality_sign_decide", args=[municipality.slug, sign_request.pk]),
        {f"{prefix}-status": "approved", f"{prefix}-note": "Wordt in mei geplaatst."},
    )
    assert response.status_code == 302
    sign_request.refresh_from_db()
    assert sign_request.status == SignRequestStatus.APPROVED
    assert sign_request.note == "Wordt in mei geplaatst."
    run_tasks()
    assert [m.to for m in mailoutbox] == [[CANARY["email"]]]
    assert "Wordt in mei geplaatst." in mailoutbox[0].body


def test_staff_of_another_municipality_cannot_see_or_decide(utrecht_staff, sign_request):
    client = client_for(utrecht_staff)
    slug = sign_request.municipality.slug
    assert client.get(reverse("groups:municipality_signs", args=[slug])).status_code == 403
    prefix = f"sign-{sign_request.pk}"
    response = client.post(
        reverse("groups:municipality_sign_decide", args=[slug, sign_request.pk]),
        {f"{prefix}-status": "declined"},
    )
    assert response.status_code == 403
    # Through their own municipality's URL the request does not exist.
    own = reverse(
        "groups:municipality_sign_decide", args=[utrecht_staff.municipality.slug, sign_request.pk]
    )
    assert client.post(own, {f"{prefix}-status": "declined"}).status_code == 404
    sign_request.refresh_from_db()
    assert sign_request.status == SignRequestStatus.REQUESTED


def test_board_sees_every_municipalitys_requests(board_client, sign_request):
    url = reverse("groups:municipality_signs", args=[sign_request.municipality.slug])
    assert board_client.get(url).status_code == 200


def test_requested_is_not_a_decision(sign_request):
    with pytest.raises(ValueError):
        sign_request.decide("requested")

"""The board's Django admin for groups and unanswered join requests."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, GroupStatus, JoinRequest, JoinRequestStatus
from tests.groups.conftest import CANARY, make_group

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:groups_group_changelist")


def act(client, action: str, *groups):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [g.pk for g in groups]},
        follow=True,
    )


def test_board_suspends_and_lifts_suspension_with_history(board_client, group_a, group_b):
    act(board_client, "suspend", group_a)

    group_a.refresh_from_db()
    group_b.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED
    assert group_b.status == GroupStatus.ACTIVE
    assert LogEntry.objects.filter(object_id=str(group_a.pk)).count() == 1

    act(board_client, "lift_suspension", group_a, group_b)

    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE
    assert LogEntry.objects.filter(object_id=str(group_a.pk)).count() == 2


def test_board_marks_groups_verified(board_client, group_a):
    act(board_client, "mark_verified", group_a)

    group_a.refresh_from_db()
    assert group_a.is_verified


def test_group_admin_is_not_allowed_in_the_board_admin(group_admin_client, group_a):
    response = act(group_admin_client, "suspend", group_a)

    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))


def test_csv_export_holds_public_fields_only(board_client, group_a, group_b):
    response = board_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [group_a.pk, group_b.pk]}
    )

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "naam"
    assert [row[0] for row in rows[1:]] == ["Buurtpreventie Nieuwmarkt", "Buurtwacht Dam"]
    for value in CANARY.values():
        assert value not in text
    assert "Anna" not in text


@pytest.mark.parametrize(("choice", "expected"), [("postcodes", ["A"]), ("locatie", ["B"])])
def test_filter_on_coverage_or_location_only(board_client, areas, choice, expected):
    make_group("A", "1011", postcodes=["1011AB"])
    make_group("B", "1012")

    response = board_client.get(CHANGELIST, {"dekking": choice})

    assert [g.name for g in response.context["cl"].result_list] == expected


def test_changelist_filters_by_province_and_platform(board_client, areas):
    make_group("Assen Noord", "9401", platform="telegram")
    make_group("Utrecht Centrum", "3511")

    response = board_client.get(
        CHANGELIST, {"municipality__province": "Drenthe", "platform": "telegram"}
    )

    assert [g.name for g in response.context["cl"].result_list] == ["Assen Noord"]


def test_change_form_summarises_coverage_in_ranges(board_client, group_a):
    response = board_client.get(reverse("admin:groups_group_change", args=[group_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1011AB–1011AD" in html
    assert "3 postcodes" in html


def test_unanswered_filter_lists_requests_waiting_over_ten_days(board_client, group_a):
    now = timezone.now()
    old = JoinRequest.objects.create(
        group=group_a,
        name="Oud",
        email="oud@example.test",
        phone="0611111111",
        street="Straat 1",
        postcode="1011AB",
        consent_version="2026-1",
        status=JoinRequestStatus.PENDING,
        confirmed_at=now - timedelta(days=11),
    )
    JoinRequest.objects.create(
        group=group_a,
        name="Nieuw",
        email="nieuw@example.test",
        phone="0622222222",
        street="Straat 2",
        postcode="1011AB",
        consent_version="2026-1",
        status=JoinRequestStatus.PENDING,
        confirmed_at=now - timedelta(days=2),
    )

    response = board_client.get(
        reverse("admin:groups_joinrequest_changelist"), {"onbeantwoord": "10"}
    )

    assert list(response.context["cl"].result_list) == [old]
    assert "oud@example.test" not in response.content.decode()


def test_join_requests_are_read_only_for_the_board(board_client, group_a):
    request = JoinRequest.objects.create(
        group=group_a,
        name="Res",
        email="res@example.test",
        phone="0611111111",
        street="Straat 1",
        postcode="1011AB",
        consent_version="2026-1",
    )

    response = board_client.get(reverse("admin:groups_joinrequest_change", args=[request.pk]))

    assert response.status_code == 200
    assert "res@example.test" not in response.content.decode()
    board_client.post(
        reverse("admin:groups_joinrequest_delete", args=[request.pk]), {"post": "yes"}
    )
    assert JoinRequest.objects.filter(pk=request.pk).exists()
    assert Group.objects.filter(pk=group_a.pk).exists()

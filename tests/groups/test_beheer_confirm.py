"""Irreversible actions in /beheer/ ask first (without JavaScript), and a decline can be
undone for a day -- the resident's mail about it waits until then."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import DECLINE_UNDO_WINDOW, GroupStatus, JoinRequestStatus
from tests.groups.conftest import make_join_request
from tests.support import log_in
from wabp.models import OutboundEmail

pytestmark = pytest.mark.django_db


def decline(client, join_request, **data):
    return client.post(reverse("groups:request_decline", args=[join_request.pk]), data)


def undo(client, join_request):
    return client.post(reverse("groups:request_undo_decline", args=[join_request.pk]))


def status_of(join_request) -> str:
    join_request.refresh_from_db()
    return join_request.status


# Declining asks first --------------------------------------------------------------------


def test_decline_first_shows_who_and_what_happens_and_changes_nothing(
    group_admin_client, group_a, pending_request, run_tasks
):
    response = decline(group_admin_client, pending_request)

    assert response.status_code == 200
    assert "Aanmelding van Rita Bewoner afwijzen" in response.text
    assert group_a.name in response.text
    assert 'name="confirmed" value="yes"' in response.text
    assert reverse("groups:requests", args=[group_a.slug]) in response.text  # "Nee, terug"
    assert status_of(pending_request) == JoinRequestStatus.PENDING
    run_tasks()
    assert mail.outbox == []


def test_confirmed_decline_mails_the_resident_only_after_the_undo_window(
    group_admin_client, pending_request, run_tasks
):
    decline(group_admin_client, pending_request, confirmed="yes")
    assert status_of(pending_request) == JoinRequestStatus.DECLINED

    queued = OutboundEmail.objects.get(kind="join_decision")
    assert queued.next_attempt_at == pending_request.handled_at + DECLINE_UNDO_WINDOW
    run_tasks()
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + DECLINE_UNDO_WINDOW + timedelta(minutes=1)):
        run_tasks()
    assert [m.to for m in mail.outbox] == [["rita@example.test"]]


def test_the_requests_page_offers_undo_for_a_fresh_decline(
    group_admin_client, group_a, pending_request
):
    decline(group_admin_client, pending_request, confirmed="yes")
    page = group_admin_client.get(reverse("groups:requests", args=[group_a.slug])).text
    assert reverse("groups:request_undo_decline", args=[pending_request.pk]) in page


# Undo --------------------------------------------------------------------------------------


def test_undo_within_a_day_restores_the_request_and_withdraws_the_mail(
    group_admin_client, pending_request, run_tasks
):
    decline(group_admin_client, pending_request, confirmed="yes")
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        response = undo(group_admin_client, pending_request)
    assert response.status_code == 302

    pending_request.refresh_from_db()
    assert pending_request.status == JoinRequestStatus.PENDING
    assert pending_request.handled_at is None and pending_request.handled_by is None
    assert not OutboundEmail.objects.filter(kind="join_decision").exists()

    group_admin_client.post(reverse("groups:request_accept", args=[pending_request.pk]))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        run_tasks()
    assert len(mail.outbox) == 1  # the acceptance, never the withdrawn decline
    assert "geaccepteerd" in mail.outbox[0].subject


def test_undo_withdraws_the_decline_mail_of_a_resident_who_asked_in_english(
    group_admin_client, pending_request
):
    # The mail's status link is under /en/ (the resident's language), the admin's page is Dutch.
    pending_request.language = "en"
    pending_request.save(update_fields=["language"])
    decline(group_admin_client, pending_request, confirmed="yes")
    assert "/en/" in OutboundEmail.objects.get(kind="join_decision").body

    undo(group_admin_client, pending_request)

    assert not OutboundEmail.objects.filter(kind="join_decision").exists()


def test_undo_after_a_day_is_refused_and_leaves_the_undo_list(
    group_admin_client, group_a, pending_request
):
    decline(group_admin_client, pending_request, confirmed="yes")
    later = timezone.now() + DECLINE_UNDO_WINDOW + timedelta(minutes=1)
    with time_machine.travel(later):
        undo(group_admin_client, pending_request)
        page = group_admin_client.get(reverse("groups:requests", args=[group_a.slug])).text
    assert status_of(pending_request) == JoinRequestStatus.DECLINED
    assert reverse("groups:request_undo_decline", args=[pending_request.pk]) not in page
    assert OutboundEmail.objects.filter(kind="join_decision").count() == 1


def test_undo_is_refused_once_the_resident_asked_again(
    group_admin_client, group_a, pending_request
):
    decline(group_admin_client, pending_request, confirmed="yes")
    make_join_request(group_a, email="Rita@example.test")

    undo(group_admin_client, pending_request)

    assert status_of(pending_request) == JoinRequestStatus.DECLINED


def test_undo_leaves_an_accepted_request_alone(group_admin_client, pending_request):
    group_admin_client.post(reverse("groups:request_accept", args=[pending_request.pk]))
    undo(group_admin_client, pending_request)
    assert status_of(pending_request) == JoinRequestStatus.ACCEPTED


def test_another_groups_admin_and_the_board_cannot_undo(
    other_admin_client, board_client, group_admin_client, pending_request
):
    decline(group_admin_client, pending_request, confirmed="yes")
    for client in (other_admin_client, board_client):
        assert undo(client, pending_request).status_code == 404
    assert status_of(pending_request) == JoinRequestStatus.DECLINED


def test_a_co_admin_can_undo_the_decline(group_admin_client, group_a, pending_request):
    from tests.groups.conftest import _client_for, make_user

    co_admin = make_user("co@example.test")
    group_a.memberships.create(user=co_admin)
    decline(group_admin_client, pending_request, confirmed="yes")

    undo(_client_for(co_admin), pending_request)

    assert status_of(pending_request) == JoinRequestStatus.PENDING


# Marking a group inactive and removing coverage ask first ----------------------------------


def test_deactivate_first_shows_what_happens_and_changes_nothing(group_admin_client, group_a):
    make_join_request(group_a)
    response = group_admin_client.post(
        reverse("groups:status", args=[group_a.slug]), {"action": "deactivate"}
    )
    assert response.status_code == 200
    assert "Ja, zet de groep op niet actief" in response.text
    assert "Er wacht nog 1 aanmelding op u" in response.text
    assert reverse("groups:manage", args=[group_a.slug]) in response.text
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE


def test_confirmed_deactivate_takes_the_group_off_the_map(group_admin_client, group_a):
    group_admin_client.post(
        reverse("groups:status", args=[group_a.slug]), {"action": "deactivate", "confirmed": "yes"}
    )
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.INACTIVE


def test_removing_coverage_first_lists_the_postcodes_and_removes_nothing(
    group_admin_client, group_a
):
    response = group_admin_client.post(
        reverse("groups:coverage_remove", args=[group_a.slug]), {"postcodes": "1011AB, 1011AC"}
    )
    assert response.status_code == 200
    assert "dekt dan 2 postcodes niet meer" in response.text
    assert "1011AB–1011AC" in response.text
    assert "Daarna dekt de groep nog 1 postcode" in response.text
    assert 'name="postcodes" value="1011AB, 1011AC"' in response.text
    assert group_a.coverage.count() == 3


# CSRF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["decline", "undo", "deactivate", "coverage"])
def test_confirmed_actions_need_the_csrf_token(action, group_admin, group_a, pending_request):
    if action == "undo":
        pending_request.decline(by=group_admin)
    client = Client(enforce_csrf_checks=True)
    log_in(client, group_admin)
    url, data = {
        "decline": (reverse("groups:request_decline", args=[pending_request.pk]), {}),
        "undo": (reverse("groups:request_undo_decline", args=[pending_request.pk]), {}),
        "deactivate": (reverse("groups:status", args=[group_a.slug]), {"action": "deactivate"}),
        "coverage": (reverse("groups:coverage_remove", args=[group_a.slug]), {"postcodes": "1011"}),
    }[action]

    assert client.post(url, {**data, "confirmed": "yes"}).status_code == 403

    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE
    assert group_a.coverage.count() == 3
    expected = JoinRequestStatus.DECLINED if action == "undo" else JoinRequestStatus.PENDING
    assert status_of(pending_request) == expected


def test_the_confirmation_speaks_english_under_en(group_admin_client, pending_request):
    url = reverse("groups:request_decline", args=[pending_request.pk])
    assert url.startswith("/beheer/")
    response = group_admin_client.post("/en" + url)
    assert "Decline Rita Bewoner's request" in response.text
    assert "Yes, decline" in response.text
    assert status_of(pending_request) == JoinRequestStatus.PENDING

"""A group changes state only from the right state (see the diagram in Group's state changes)."""

import pytest
from django.urls import reverse

from groups.models import DeactivationReason, Group, GroupStatus
from tests.groups.conftest import make_group


@pytest.fixture
def pending_group(areas, group_admin) -> Group:
    """Registered by an admin who already had an account (so is logged in), not yet confirmed."""
    return make_group(
        "Nog Niet Bevestigd", "1013", admins=[group_admin], status=GroupStatus.PENDING
    )


def test_a_pending_group_cannot_be_made_active_through_the_status_action(
    group_admin_client, pending_group
):
    url = reverse("groups:status", args=[pending_group.slug])

    group_admin_client.post(url, {"action": "deactivate", "confirmed": "yes"})
    group_admin_client.post(url, {"action": "reactivate"})
    group_admin_client.post(url, {"action": "reconfirm"})

    pending_group.refresh_from_db()
    assert pending_group.status != GroupStatus.ACTIVE
    assert pending_group.confirmed_at is None
    assert not Group.objects.active().filter(pk=pending_group.pk).exists()


def test_a_pending_group_that_was_stopped_offers_no_reactivate_button(
    group_admin_client, pending_group
):
    pending_group.deactivate()

    page = group_admin_client.get(reverse("groups:manage", args=[pending_group.slug])).text

    assert 'value="reactivate"' not in page
    assert "nooit per e-mail bevestigd" in page


def test_reactivate_and_reconfirm_refuse_a_group_that_was_never_confirmed(pending_group):
    assert not pending_group.reconfirm()
    pending_group.deactivate(reason=DeactivationReason.UNANSWERED)

    assert not pending_group.reactivate()
    assert not pending_group.reconfirm()
    pending_group.refresh_from_db()
    assert pending_group.status == GroupStatus.INACTIVE


def test_reconfirm_does_not_undo_what_an_admin_did_on_purpose(group_a):
    group_a.deactivate()

    assert not group_a.reconfirm()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.INACTIVE
    assert group_a.deactivation_reason == DeactivationReason.ADMIN


def test_reconfirm_makes_a_lapsed_group_active_again(group_a):
    group_a.deactivate(reason=DeactivationReason.UNANSWERED)

    assert group_a.reconfirm()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE
    assert group_a.deactivated_at is None
    assert group_a.deactivation_reason == ""


def test_reconfirm_refuses_a_suspended_group(group_a):
    group_a.suspend()

    assert not group_a.reconfirm()
    assert not group_a.reactivate()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED


def test_the_admin_reactivates_a_group_they_stopped(group_a):
    group_a.deactivate()

    assert group_a.reactivate()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("pending", GroupStatus.PENDING),
        ("stopped", GroupStatus.INACTIVE),
        ("active", GroupStatus.ACTIVE),
    ],
)
def test_lifting_a_suspension_returns_the_group_to_its_state(
    areas, group_admin, pending_group, group_a, before, after
):
    group = {"pending": pending_group, "stopped": group_a, "active": group_a}[before]
    if before == "stopped":
        group.deactivate()
    group.suspend()

    assert group.lift_suspension()
    group.refresh_from_db()
    assert group.status == after


def test_a_group_the_board_makes_active_counts_as_confirmed(pending_group):
    pending_group.status = GroupStatus.ACTIVE
    pending_group.save()

    pending_group.refresh_from_db()
    assert pending_group.has_been_confirmed
    pending_group.deactivate()
    assert pending_group.reactivate()

"""Splitting a group that grew too big: one workflow over two groups, their coverage, join
requests, admins and an invitation (issue 17).

    new_group = split_group(group, name="Buurtpreventie Oost", platform="whatsapp",
                            postcodes=["1012AB", ...], admins=[anna], leaving=[],
                            invite_email="", by=anna)

All or nothing, in one transaction: the new, active group gets the chosen postcodes (moved,
not copied) and the open join requests from those postcodes; accepted and declined requests,
the audit trail, the recruitment tallies and pending coverage claims stay with the old group,
which keeps its history. Residents are not mailed: their status page shows the new group's
name. The map's data version changes through the database triggers (migration 0005).
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from groups import audit
from groups.audit import user_ref
from groups.coverage import ranges_of
from groups.mail import send_group_split, send_invitation
from groups.models import Group, GroupAdmin, GroupStatus, Invitation, JoinRequest
from wabp.models import User


class SplitRefused(Exception):
    """The split cannot go ahead as asked (the group changed since the form was filled in)."""


def main_area(postcodes) -> str:
    """The PC4 area holding most of these PC6 postcodes (the lowest code on a tie)."""
    counts = Counter(code[:4] for code in postcodes)
    return min(counts, key=lambda area: (-counts[area], area))


@transaction.atomic
def split_group(
    group: Group,
    *,
    name: str,
    platform: str,
    postcodes,
    admins,
    leaving=(),
    invite_email: str = "",
    by: User,
) -> Group:
    """Split `group`: a new group named `name` takes `postcodes` and their open requests.

    `admins` (current admins of `group`) run the new group; those in `leaving` stop running
    the old one. `invite_email`, if given, is invited to co-administer the new group, by
    `by` if `by` runs it, else by the first of `admins`. Raises SplitRefused, changing
    nothing, when the postcodes or admins no longer fit (another admin changed them).
    """
    # One change to the group's coverage and admins at a time (as claim_coverage, remove_admin).
    Group.objects.select_for_update().filter(pk=group.pk).first()
    covered = set(group.coverage.values_list("postcode_id", flat=True))
    moving = sorted(set(postcodes))
    if not moving or not set(moving) <= covered or len(moving) == len(covered):
        raise SplitRefused("the postcodes to move must be some, not all, of the covered ones")
    current = set(group.memberships.values_list("user_id", flat=True))
    new_admins = [user for user in admins if user.pk in current]
    staying = current - {user.pk for user in leaving}
    only_leaving = {user.pk for user in leaving} - {user.pk for user in new_admins}
    if not new_admins or len(new_admins) != len(admins) or not staying or only_leaving:
        raise SplitRefused("both groups need one of the current admins")

    now = timezone.now()
    new_group = Group.objects.create(
        name=name,
        platform=platform,
        area_id=main_area(moving),
        description=group.description,
        status=GroupStatus.ACTIVE,
        confirmed_at=now,
        last_confirmed_at=now,
        registered_with_municipality=group.registered_with_municipality,
        # What the admin declared for the whole neighbourhood holds for both parts. The
        # police's confirmation does not travel: the officer confirmed one chat group, and
        # the new one is another chat (possibly in another officer's area); they confirm it
        # with one click in their workspace (groups.police).
        registered_with_police=group.registered_with_police,
        # Left empty: only the admin knows how many members moved to the new chat.
        member_count=None,
        split_from=group,
    )
    # Moved, not copied: a postcode is covered by one of the two groups.
    group.coverage.filter(postcode_id__in=moving).update(group=new_group, added_at=now)
    moved_requests = JoinRequest.objects.open().filter(group=group, postcode__in=moving)
    request_count = moved_requests.update(group=new_group)

    GroupAdmin.objects.bulk_create([GroupAdmin(group=new_group, user=user) for user in new_admins])
    if leaving:
        group.memberships.filter(user__in=leaving).delete()

    postcode_change = audit.coverage_change(moving, False)
    audit.record(
        group,
        "split_off",
        actor=by,
        changes={
            **postcode_change,
            "to_group": [None, new_group.pk],
            "join_requests": [request_count, None],
            "admins_left": [sorted(user_ref(u) for u in leaving) or None, None],
        },
    )
    audit.record(
        new_group,
        "split_from",
        actor=by,
        changes={
            **audit.coverage_change(moving, True),
            "from_group": [None, group.pk],
            "join_requests": [None, request_count],
            "admins": [None, sorted(user_ref(u) for u in new_admins)],
        },
    )

    invitation = None
    if invite_email:
        inviter = by if any(user.pk == by.pk for user in new_admins) else new_admins[0]
        invitation = Invitation.objects.create(
            group=new_group, email=invite_email, invited_by=inviter
        )
        send_invitation(invitation)
    send_group_split(
        group,
        new_group,
        ranges=ranges_of(moving),
        postcode_count=len(moving),
        request_count=request_count,
        by=by,
        invited=invitation.email if invitation else "",
    )
    return new_group

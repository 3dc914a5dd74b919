"""The board's broadcast to group admins: who gets it and sending it.

The board writes a Broadcast in the admin (groups.broadcasts.admin), previews it with the
number of recipients, test-sends it to themselves and sends it. Sending marks the broadcast
once (`Broadcast.claim_for_sending`) and enqueues `send_broadcast`, which in one transaction
creates one BroadcastDelivery and one outbox mail per recipient; wabp.tasks.deliver_email then
delivers each mail once, retrying with backoff while the mail server is away.

Non-essential messages carry a signed unsubscribe link (no login) and skip users who used it.
The mail itself is groups.mail.send_broadcast_mail.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.tasks import task
from django.utils.translation import gettext as _

from groups.mail import send_broadcast_mail
from groups.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastOptOut,
    GroupAdmin,
    GroupStatus,
)
from wabp.models import OutboundEmail, User
from wabp.text import render_markdown

# Audience -------------------------------------------------------------------------------------


def audience(broadcast: Broadcast, *, include_opted_out: bool = False) -> QuerySet[User]:
    """Active users who administer at least one active group matching the broadcast's
    province / municipality / platform (each user once); for a non-essential message,
    without those who unsubscribed."""
    links = GroupAdmin.objects.filter(user=OuterRef("pk"), group__status=GroupStatus.ACTIVE)
    if broadcast.province:
        # A group without a municipality still has an area, which knows its province.
        links = links.filter(
            Q(group__municipality__province=broadcast.province)
            | Q(group__municipality__isnull=True, group__area__province=broadcast.province)
        )
    if broadcast.municipality_id:
        links = links.filter(group__municipality_id=broadcast.municipality_id)
    if broadcast.platform:
        links = links.filter(group__platform=broadcast.platform)
    users = User.objects.filter(Exists(links), is_active=True)
    if not broadcast.essential and not include_opted_out:
        users = users.exclude(Exists(BroadcastOptOut.objects.filter(user=OuterRef("pk"))))
    return users.order_by("pk")


def opted_out_count(broadcast: Broadcast) -> int:
    """How many admins in the audience unsubscribed (they miss a non-essential message)."""
    if broadcast.essential:
        return 0
    return (
        audience(broadcast, include_opted_out=True)
        .filter(Exists(BroadcastOptOut.objects.filter(user=OuterRef("pk"))))
        .count()
    )


def describe_audience(broadcast: Broadcast) -> str:
    """`Beheerders van actieve groepen in provincie Utrecht, op Signal` for the board."""
    parts = []
    if broadcast.province:
        parts.append(_("in provincie %(province)s") % {"province": broadcast.province})
    if broadcast.municipality_id:
        parts.append(_("in gemeente %(name)s") % {"name": broadcast.municipality.name})
    if broadcast.platform:
        parts.append(_("op %(platform)s") % {"platform": broadcast.get_platform_display()})
    if not parts:
        return _("Alle beheerders van actieve groepen")
    return _("Beheerders van actieve groepen %(filters)s") % {"filters": ", ".join(parts)}


# Sending --------------------------------------------------------------------------------------


def send_test(broadcast: Broadcast, board_member: User) -> OutboundEmail:
    """One mail to the board member only, exactly as a recipient gets it (marked as a test)."""
    with transaction.atomic():
        return send_broadcast_mail(
            broadcast, board_member, render_markdown(broadcast.body), test=True
        )


def deliver_broadcast(broadcast_id: int) -> int:
    """Create the deliveries and outbox mails of a claimed broadcast; returns how many.

    One transaction with the broadcast row locked: a second run (a retry, a double press)
    waits for the first and then finds every recipient already has their delivery, so
    nobody is mailed twice. Admins who joined since an earlier run are added.
    """
    with transaction.atomic():
        broadcast = (
            Broadcast.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .filter(pk=broadcast_id, sent_at__isnull=False)
            .first()
        )
        if broadcast is None:
            return 0
        done = set(broadcast.deliveries.values_list("user_id", flat=True))
        new_ids = [pk for pk in audience(broadcast).values_list("pk", flat=True) if pk not in done]
        BroadcastDelivery.objects.bulk_create(
            [BroadcastDelivery(broadcast=broadcast, user_id=pk) for pk in new_ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        deliveries = list(
            broadcast.deliveries.filter(user_id__in=new_ids, email__isnull=True).select_related(
                "user"
            )
        )
        body_html = render_markdown(broadcast.body)
        for delivery in deliveries:
            delivery.email = send_broadcast_mail(broadcast, delivery.user, body_html)
        BroadcastDelivery.objects.bulk_update(deliveries, ["email"], batch_size=1000)
        return len(deliveries)


@task
def send_broadcast(broadcast_id: int) -> str:
    """The fan-out of one broadcast, off the web request (thousands of mails)."""
    return f"{deliver_broadcast(broadcast_id)} mails queued"

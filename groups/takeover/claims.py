"""The "claim your group" mails to admins of the old register, and claiming.

    send_claim_mails(limit=500)  -> 500 mails queued, delivered one per CLAIM_MAIL_INTERVAL

Each admin gets one mail for all their imported groups, with a signed link
(groups.tokens.claim_token) to choose a password and confirm the groups' details. The mails
go through the outbox like every other mail, but each is given its own moment
(OutboundEmail.next_attempt_at, and the delivery task's run_after): one every
CLAIM_MAIL_INTERVAL, after the last claim mail already waiting, so a second run continues the
queue instead of sending a burst.

Why that pace: 9,300 mails at once from a domain that never sent that many would land in spam
filters (mail providers throttle and score sudden volume from a sender), every bounce of an
outdated address would arrive at once, and the foundation's volunteers answer the questions
the mail raises. At 600 an hour the whole register goes out in about 16 hours, the support
questions arrive spread over a day or two, and a problem seen in the first replies can be
stopped (`send_claim_mails` queues only --limit mails per run).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from groups.mail import send_claim
from groups.models import Group, GroupStatus, RegisterEntry
from groups.tokens import CLAIM_LINK_MAX_AGE
from wabp.models import Consent, OutboundEmail, User

CLAIM_MAILS_PER_HOUR = 600
CLAIM_MAIL_INTERVAL = timedelta(hours=1) / CLAIM_MAILS_PER_HOUR
CLAIM_MAIL_KIND = "group_claim"
# What an admin agrees to when claiming, as at registration.
AGREED_TO = [Consent.Document.PRIVACY, Consent.Document.HOUSE_RULES]


def _first_free_moment(now: datetime) -> datetime:
    """After the last claim mail still waiting in the outbox, or now."""
    last = (
        OutboundEmail.objects.pending()
        .filter(kind=CLAIM_MAIL_KIND)
        .aggregate(last=Max("next_attempt_at"))["last"]
    )
    return max(now, last + CLAIM_MAIL_INTERVAL) if last else now


def send_claim_mails(*, limit: int, resend: bool = False, dry_run: bool = False) -> int:
    """Queue the claim mail for up to `limit` admins who were not sent one yet (with
    `resend`: also those whose link has expired unused); returns how many mails."""
    now = timezone.now()
    with transaction.atomic():
        # Not to accounts the board deactivated, nor about suspended groups.
        due = Q(claim_mail_sent_at__isnull=True)
        if resend:
            due |= Q(claim_mail_sent_at__lt=now - CLAIM_LINK_MAX_AGE)
        waiting = (
            RegisterEntry.objects.unclaimed()
            .filter(due, admin__isnull=False)
            .filter(Q(admin__is_active=True) | Q(admin__activated_at__isnull=True))
            .exclude(group__status=GroupStatus.SUSPENDED)
        )
        admin_ids = list(
            waiting.order_by("admin_id").values_list("admin_id", flat=True).distinct()[:limit]
        )
        if dry_run:
            return len(admin_ids)
        users = User.objects.select_for_update().filter(pk__in=admin_ids).order_by("pk")
        groups_of: dict[int, list[Group]] = {}
        for entry in (
            RegisterEntry.objects.unclaimed()
            .filter(admin_id__in=admin_ids)
            .exclude(group__status=GroupStatus.SUSPENDED)
            .select_related("group")
            .order_by("group__name")
        ):
            groups_of.setdefault(entry.admin_id, []).append(entry.group)
        moment = _first_free_moment(now)
        count = 0
        for user in users:
            send_claim(user, groups_of[user.pk], send_after=moment)
            moment += CLAIM_MAIL_INTERVAL
            count += 1
        RegisterEntry.objects.unclaimed().filter(admin_id__in=admin_ids).update(
            claim_mail_sent_at=now
        )
    return count


def claimable_entries(user: User):
    """The imported groups this account may claim (suspended groups excepted)."""
    return (
        RegisterEntry.objects.unclaimed()
        .filter(admin=user)
        .exclude(group__status=GroupStatus.SUSPENDED)
        .select_related("group", "group__area")
        .order_by("group__name")
    )


def claim_groups(user: User, *, password: str | None) -> list[Group]:
    """The admin claims their imported groups: with `password` the account gets it (the mailed
    link proved the address, so the account is activated); returns the groups."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if password is not None:
            user.set_password(password)
            user.is_active = True
            user.save()
        Consent.objects.record(user, AGREED_TO)
        entries = list(claimable_entries(user).select_for_update(of=("self",)))
        for entry in entries:
            entry.claim()
    return [entry.group for entry in entries]

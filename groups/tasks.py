"""The groups app's mail and daily work.

Tasks take ids, never personal data; every message goes through wabp.mail.queue_mail
(outbox row + delivery task, retried with backoff). The daily functions are called
by the management commands `send_join_reminders`, `send_reconfirmations` and
`purge_expired` (see their docstrings for the cron lines).
"""

from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from groups.models import (
    RECONFIRM_AFTER,
    RECONFIRM_GRACE,
    CoverageClaim,
    CoverageClaimStatus,
    DeactivationReason,
    Group,
    Invitation,
    JoinRequest,
)
from wabp.mail import queue_mail

RECONFIRM_SALT = "groups.reconfirm"
# The one-click link stays valid through the grace period and a while after it,
# so an admin can still reactivate a group that went inactive.
RECONFIRM_LINK_MAX_AGE = RECONFIRM_AFTER + RECONFIRM_GRACE


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# Join requests ------------------------------------------------------------------


def send_join_confirmation(join_request: JoinRequest) -> None:
    """Ask the resident to confirm their request (double opt-in)."""
    queue_mail(
        to=join_request.email,
        template="groups/mail/join_confirm",
        context={
            "name": join_request.name,
            "group_name": join_request.group.name,
            "confirm_url": absolute(
                reverse("groups:join_confirm", kwargs={"token": join_request.token})
            ),
            "status_url": absolute(join_request.get_status_url()),
        },
        kind="join_confirm",
    )


def send_join_decision(join_request: JoinRequest) -> None:
    """Tell the resident their request was accepted or declined (details on the status page)."""
    queue_mail(
        to=join_request.email,
        template="groups/mail/join_decision",
        context={
            "name": join_request.name,
            "group_name": join_request.group.name,
            "accepted": join_request.status == "accepted",
            "status_url": absolute(join_request.get_status_url()),
        },
        kind="join_decision",
    )


def _mail_admins_about_request(join_request: JoinRequest, template: str) -> int:
    group = join_request.group
    admins = list(group.admins.filter(is_active=True))
    for admin in admins:
        queue_mail(
            to=admin.email,
            template=template,
            context={
                "admin_name": admin.first_name,
                "group_name": group.name,
                "resident_name": join_request.name,
                "requests_url": absolute(reverse("groups:requests", kwargs={"slug": group.slug})),
            },
            kind=template.rsplit("/", 1)[-1],
        )
    return len(admins)


@task
def notify_admins_of_join_request(join_request_id: int) -> str:
    """E-mail each admin of the group that a confirmed request is waiting."""
    join_request = (
        JoinRequest.objects.awaiting_admin()
        .of_manageable_groups()
        .select_related("group")
        .filter(pk=join_request_id)
        .first()
    )
    if join_request is None:
        return "handled or deleted meanwhile"
    return f"{_mail_admins_about_request(join_request, 'groups/mail/join_new')} admins"


def send_join_reminders() -> int:
    """Remind admins, once, of requests waiting more than 5 days. Returns the number of requests."""
    count = 0
    with transaction.atomic():
        due = (
            JoinRequest.objects.due_for_reminder()
            .select_related("group")
            .select_for_update(skip_locked=True, of=("self",))
        )
        for join_request in due:
            _mail_admins_about_request(join_request, "groups/mail/join_reminder")
            join_request.reminded_at = timezone.now()
            join_request.save(update_fields=["reminded_at"])
            count += 1
    return count


# Freshness ------------------------------------------------------------------------


class ReconfirmLink(NamedTuple):
    group: Group
    # Whether the link may still be answered (Group.is_current_reconfirm_round).
    current: bool


def reconfirm_token(group: Group) -> str:
    """The signed "still active?" token for the group's current round. The round is read from
    the database, so a stale instance cannot issue a link for an earlier round."""
    round_ = Group.objects.filter(pk=group.pk).values_list("reconfirm_round", flat=True).get()
    return signing.dumps({"group": group.pk, "round": round_}, salt=RECONFIRM_SALT, compress=True)


def reconfirm_link(token: str) -> ReconfirmLink | None:
    """The group a "still active?" token is for, and whether it is current; None if forged or
    expired. Tokens mailed before rounds were numbered hold just the group's id."""
    try:
        payload = signing.loads(
            token, salt=RECONFIRM_SALT, max_age=RECONFIRM_LINK_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    if isinstance(payload, int):
        pk, round_ = payload, None
    elif isinstance(payload, dict) and isinstance(payload.get("round"), int):
        pk, round_ = payload.get("group"), payload["round"]
    else:
        return None
    group = Group.objects.filter(pk=pk).first()
    if group is None:
        return None
    return ReconfirmLink(group, group.is_current_reconfirm_round(round_))


def _mail_admins_about_freshness(group: Group, template: str) -> None:
    link = absolute(reverse("groups:reconfirm", kwargs={"token": reconfirm_token(group)}))
    for admin in group.admins.filter(is_active=True):
        queue_mail(
            to=admin.email,
            template=template,
            context={"admin_name": admin.first_name, "group_name": group.name, "link": link},
            kind=template.rsplit("/", 1)[-1],
        )


def send_reconfirmations() -> dict[str, int]:
    """The daily freshness round; safe to run more than once a day.

    Asks "still active?" once a year, reminds once after RECONFIRM_REMINDER_AFTER and
    marks groups inactive after RECONFIRM_GRACE without an answer.
    """
    counts = {"asked": 0, "reminded": 0, "deactivated": 0}
    with transaction.atomic():
        for group in Group.objects.past_reconfirm_grace().select_for_update(skip_locked=True):
            group.deactivate(reason=DeactivationReason.UNANSWERED)
            counts["deactivated"] += 1
        for group in Group.objects.due_for_reconfirm_reminder().select_for_update(skip_locked=True):
            _mail_admins_about_freshness(group, "groups/mail/reconfirm_reminder")
            group.reconfirm_reminded_at = timezone.now()
            group.save(update_fields=["reconfirm_reminded_at"])
            counts["reminded"] += 1
        for group in Group.objects.due_for_reconfirmation().select_for_update(skip_locked=True):
            group.ask_reconfirmation()
            _mail_admins_about_freshness(group, "groups/mail/reconfirm_request")
            counts["asked"] += 1
    return counts


# Admins ----------------------------------------------------------------------------


def send_invitation(invitation: Invitation) -> None:
    queue_mail(
        to=invitation.email,
        template="groups/mail/invitation",
        context={
            "inviter_name": invitation.invited_by.first_name if invitation.invited_by else "",
            "group_name": invitation.group.name,
            "handover": invitation.handover,
            "link": absolute(reverse("groups:invitation", kwargs={"token": invitation.token})),
        },
        kind="invitation",
    )


def send_relay_message(*, sender, from_group: Group, to_group: Group, message: str) -> int:
    """Forward a message to a neighbouring group's admins; replies go straight to the sender."""
    admins = list(to_group.admins.filter(is_active=True))
    for admin in admins:
        queue_mail(
            to=admin.email,
            template="groups/mail/relay_message",
            context={
                "admin_name": admin.first_name,
                "sender_name": sender.first_name,
                "from_group": from_group.name,
                "to_group": to_group.name,
                "message": message,
            },
            headers={"Reply-To": sender.email},
            kind="relay_message",
        )
    return len(admins)


# Coverage claims -----------------------------------------------------------------------


def send_coverage_decision(claim: CoverageClaim) -> int:
    """Tell the admin who asked (or, if their account is gone, the group's admins) what the
    board decided about coverage that needed its approval."""
    from groups.coverage import ranges_of

    group = claim.group
    requester = claim.requested_by
    admins = (
        [requester]
        if requester is not None and requester.is_active
        else list(group.admins.filter(is_active=True))
    )
    for admin in admins:
        queue_mail(
            to=admin.email,
            template="groups/mail/coverage_decision",
            context={
                "admin_name": admin.first_name,
                "group_name": group.name,
                "approved": claim.status == CoverageClaimStatus.APPROVED,
                "postcodes": ", ".join(ranges_of(claim.postcodes)),
                "count": len(claim.postcodes),
                "coverage_url": absolute(reverse("groups:coverage", kwargs={"slug": group.slug})),
            },
            kind="coverage_decision",
        )
    return len(admins)

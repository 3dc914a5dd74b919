"""The groups app's background and daily work; the messages themselves are in groups.mail.

Tasks take ids, never personal data. The periodic functions run from the schedule
(wabp.schedule, registered at the end) and from the management commands
`send_join_reminders` and `send_reconfirmations`; retention is in groups/personal_data.py.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from groups.mail import (
    send_join_reminder,
    send_monthly_test_reminder,
    send_new_join_request,
    send_reconfirm_reminder,
    send_reconfirm_request,
)
from groups.models import (
    DeactivationReason,
    Group,
    GroupAdmin,
    GroupStatus,
    JoinRequest,
    first_of_month,
)
from wabp import schedule

# Join requests ------------------------------------------------------------------


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
    return f"{send_new_join_request(join_request)} admins"


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
            send_join_reminder(join_request)
            join_request.reminded_at = timezone.now()
            join_request.save(update_fields=["reminded_at"])
            count += 1
    return count


# Freshness ------------------------------------------------------------------------


def send_reconfirmations(limit: int | None = None) -> dict[str, int]:
    """The freshness round; safe to run as often as you like.

    Asks "still active?" once a year, reminds once after RECONFIRM_REMINDER_AFTER and
    marks groups inactive after RECONFIRM_GRACE without an answer. At most `limit`
    (default: the RECONFIRM_PER_RUN setting) groups are asked per run, longest unconfirmed
    first, so a backlog of thousands goes out over several runs; an asked group is not
    due again, so no group is asked twice. The reminders follow the asks 14 days later,
    as spread out as they were.
    """
    limit = settings.RECONFIRM_PER_RUN if limit is None else limit
    counts = {"asked": 0, "reminded": 0, "deactivated": 0}
    with transaction.atomic():
        for group in Group.objects.past_reconfirm_grace().select_for_update(skip_locked=True):
            group.deactivate(reason=DeactivationReason.UNANSWERED)
            counts["deactivated"] += 1
        for group in Group.objects.due_for_reconfirm_reminder().select_for_update(skip_locked=True):
            send_reconfirm_reminder(group)
            group.reconfirm_reminded_at = timezone.now()
            group.save(update_fields=["reconfirm_reminded_at"])
            counts["reminded"] += 1
        due = Group.objects.due_for_reconfirmation().select_for_update(skip_locked=True)
        for group in due.order_by("last", "pk")[:limit]:
            group.ask_reconfirmation()
            send_reconfirm_request(group)
            counts["asked"] += 1
    return counts


# The monthly test (groups.monthlytest) -------------------------------------------------


def send_monthly_test_reminders() -> int:
    """Mail each active admin who opted in, of each active group, this month's reminder to
    post the test message; safe to run daily: `test_reminded_for` records the month, so no
    admin gets two reminders for one group in a month. A group already tested this month
    (by a co-admin, from the admin page) is skipped. Returns the number of mails."""
    month = first_of_month(timezone.localdate())
    count = 0
    with transaction.atomic():
        due = (
            GroupAdmin.objects.filter(
                monthly_test=True, user__is_active=True, group__status=GroupStatus.ACTIVE
            )
            .filter(Q(test_reminded_for__isnull=True) | Q(test_reminded_for__lt=month))
            .select_related("group", "user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        for membership in due:
            if membership.group.has_tested_in(month):
                continue
            send_monthly_test_reminder(membership, month)
            membership.test_reminded_for = month
            membership.save(update_fields=["test_reminded_for"])
            count += 1
    return count


# The schedule -----------------------------------------------------------------------


@task
def join_reminders() -> str:
    """Periodic: remind admins of join requests waiting more than 5 days."""
    return f"reminded about {send_join_reminders()} join requests"


@task
def reconfirmation_round() -> dict[str, int]:
    """Periodic: the "still active?" round, RECONFIRM_PER_RUN groups at a time."""
    return send_reconfirmations()


@task
def monthly_test_reminders() -> str:
    """Periodic: this month's test-message reminders, for admins who have none yet."""
    return f"reminded {send_monthly_test_reminders()} admins of the monthly test"


schedule.register("join_reminders", join_reminders, minute=15, hours=[7])
# Hourly in the daytime: RECONFIRM_PER_RUN groups an hour, 13 runs a day.
schedule.register("reconfirmations", reconfirmation_round, minute=30, hours=range(8, 21))
# Daily, so a month's reminders go out on its first day, or the day after an admin opts in.
schedule.register("monthly_test_reminders", monthly_test_reminders, minute=0, hours=[10])


# Prevention tips: the monthly tip (groups.tips.delivery) ---------------------------------


@task
def monthly_tips() -> dict[str, int]:
    """Periodic: this month's prevention tip to each subscriber who has had none yet."""
    from groups.tips.delivery import send_monthly_tips

    return send_monthly_tips()


# Every morning: the first of the month sends, later days catch up (see groups.tips.delivery).
schedule.register("monthly_tips", monthly_tips, minute=5, hours=[9])

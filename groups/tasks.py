"""The groups app's background and daily work; the messages themselves are in groups.mail.

Tasks take ids, never personal data. The daily functions are called by the management
commands `send_join_reminders` and `send_reconfirmations` (see their docstrings for the cron
lines); retention is in groups/personal_data.py.
"""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from groups.mail import (
    send_join_reminder,
    send_new_join_request,
    send_reconfirm_reminder,
    send_reconfirm_request,
)
from groups.models import DeactivationReason, Group, JoinRequest

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
            send_reconfirm_reminder(group)
            group.reconfirm_reminded_at = timezone.now()
            group.save(update_fields=["reconfirm_reminded_at"])
            counts["reminded"] += 1
        for group in Group.objects.due_for_reconfirmation().select_for_update(skip_locked=True):
            group.ask_reconfirmation()
            send_reconfirm_request(group)
            counts["asked"] += 1
    return counts

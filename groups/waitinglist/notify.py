"""Telling waiting residents that a group now covers their area.

    notify_waiting_list(["1234", "1235"])

Call it after a group is confirmed or adds coverage. Each confirmed resident on
those areas' lists gets one e-mail, ever: the entry is marked in the same
transaction as the outbox row, so a second call (or a concurrent one) sends nothing.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from groups.mail import send_waitinglist_group_started
from groups.models import WaitingListEntry


def notify_waiting_list(area_codes: Iterable[str]) -> int:
    """Mail every confirmed, not yet notified resident waiting in these PC4 areas; returns how many."""
    codes = sorted({code[:4] for code in area_codes if code})
    if not codes:
        return 0
    sent = 0
    with transaction.atomic():
        entries = (
            WaitingListEntry.objects.waiting(codes)
            .select_related("area")
            .select_for_update(skip_locked=True, of=("self",))
        )
        for entry in entries:
            send_waitinglist_group_started(entry)
            entry.notified_at = timezone.now()
            entry.save(update_fields=["notified_at"])
            sent += 1
    return sent

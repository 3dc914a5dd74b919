"""The monthly prevention tip: each subscriber gets one tip a month, never the same one twice.

`send_monthly_tips()` runs every morning from the schedule (groups.tasks). On the first of
the month it mails every subscriber; on later days it mails only those who have had nothing
this month yet: a day the scheduler was down is caught up, and someone who subscribes
mid-month gets a first tip the next morning. Running it again sends nothing new: a
TipDelivery row per (subscriber, month), unique, is written with the mail.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from groups.mail import send_monthly_tip
from groups.models import Tip, TipDelivery, TipSubscription


def choose_tip(tips: list[Tip], month: int, already_sent: set[int]) -> Tip | None:
    """The tip for this month: unsent, fitting the month, seasonal before all-year, in the
    board's order; else any unsent tip; else none."""
    unsent = [tip for tip in tips if tip.pk not in already_sent]
    seasonal = [tip for tip in unsent if tip.months and month in tip.months]
    all_year = [tip for tip in unsent if not tip.months]
    return next(iter(seasonal + all_year + unsent), None)


def send_monthly_tips(today: date | None = None) -> dict[str, int]:
    """Mail this month's tip to every subscriber who has had none this month."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    tips = list(Tip.objects.published())
    counts = {"sent": 0, "nothing_left": 0}
    with transaction.atomic():
        due = (
            TipSubscription.objects.filter(user__is_active=True)
            .exclude(user__tip_deliveries__month=month)
            .select_related("user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        due = list(due)
        sent: dict[int, set[int]] = {}
        for user_id, tip_id in TipDelivery.objects.filter(
            user__in=[subscription.user_id for subscription in due]
        ).values_list("user_id", "tip_id"):
            sent.setdefault(user_id, set()).add(tip_id)
        for subscription in due:
            tip = choose_tip(tips, month.month, sent.get(subscription.user_id, set()))
            if tip is None:
                counts["nothing_left"] += 1
                continue
            TipDelivery.objects.create(user=subscription.user, tip=tip, month=month)
            send_monthly_tip(tip, subscription.user)
            counts["sent"] += 1
    return counts

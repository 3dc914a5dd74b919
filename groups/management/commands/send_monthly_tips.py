"""Mail this month's prevention tip to each subscriber who has had none this month.

The schedule runs it daily at 09:05 (wabp.schedule); the cron line (README, "Background work
and schedules", has all of them):
    5 9 * * *  cd /app && python manage.py send_monthly_tips
"""

from django.core.management.base import BaseCommand

from groups.tips.delivery import send_monthly_tips


class Command(BaseCommand):
    help = "Mail this month's prevention tip to subscribers who have not had one this month."

    def handle(self, *args, **options) -> None:
        counts = send_monthly_tips()
        self.stdout.write(
            f"sent {counts['sent']} tips; {counts['nothing_left']} subscribers had every tip"
        )

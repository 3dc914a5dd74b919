"""Mail this month's test-message reminder to each admin who opted in and has none yet.

The schedule runs it daily at 10:00 (wabp.schedule); the cron line (README, "Background work and schedules", has all of them):
    0 10 * * *  cd /app && python manage.py send_monthly_test_reminders
"""

from django.core.management.base import BaseCommand

from groups.tasks import send_monthly_test_reminders


class Command(BaseCommand):
    help = "Remind opted-in group admins, once a month, to post the test message in the chat."

    def handle(self, *args, **options) -> None:
        count = send_monthly_test_reminders()
        self.stdout.write(f"reminded {count} admins of the monthly test")

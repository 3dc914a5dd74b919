"""Remind admins, once, of join requests that wait for them for more than 5 days.

The schedule runs it at 07:15 (wabp.schedule); the cron line (README, "Background work and schedules", has all of them):
    15 7 * * *  cd /app && python manage.py send_join_reminders
"""

from django.core.management.base import BaseCommand

from groups.tasks import send_join_reminders


class Command(BaseCommand):
    help = "Remind group admins once about join requests waiting more than 5 days."

    def handle(self, *args, **options) -> None:
        count = send_join_reminders()
        self.stdout.write(f"reminded about {count} join requests")

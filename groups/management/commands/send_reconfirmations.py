"""The yearly "is your group still active?" round; safe to run more than once a day.

Daily cron line (README, "Background work and schedules", has all of them):
    30 7 * * *  cd /app && python manage.py send_reconfirmations
"""

from django.core.management.base import BaseCommand

from groups.tasks import send_reconfirmations


class Command(BaseCommand):
    help = (
        "Ask admins of groups confirmed over a year ago whether the group is still active, "
        "remind them once, and mark groups inactive after the grace period."
    )

    def handle(self, *args, **options) -> None:
        counts = send_reconfirmations()
        self.stdout.write(
            "asked {asked}, reminded {reminded}, marked inactive {deactivated}".format(**counts)
        )

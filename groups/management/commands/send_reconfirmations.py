"""The yearly "is your group still active?" round; safe to run as often as you like.

The schedule runs it hourly, 08:30-20:30 (wabp.schedule); each run asks at most
RECONFIRM_PER_RUN groups. The cron line, should you use cron instead (README, "Background
work and schedules"):
    30 8-20 * * *  cd /app && python manage.py send_reconfirmations
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

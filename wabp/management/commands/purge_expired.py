"""Delete personal data past its retention period: every app's retention rules.

The rules are registered by each app in its `personal_data` module (see wabp.registry);
docs/privacy.md lists them. Then expired sessions (clearsessions), finished task
results older than RETENTION_DAYS["task_results"] (django-tasks-db) and the schedule's
records older than RETENTION_DAYS["scheduled_runs"] (wabp.ScheduledRun) go too.

The schedule runs it at 03:45 (wabp.schedule); the cron line (README, "Background work and schedules", has all of them):

    45 3 * * *  cd /app && python manage.py purge_expired

`--dry-run` prints how many rows each rule would delete, and each rule's period, and
deletes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from wabp.models import ScheduledRun
from wabp.privacy import purge_expired


class Command(BaseCommand):
    help = "Delete personal data past its retention period (every app's rules, sessions, task results)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print how much would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        for rule, rows in purge_expired(dry_run=dry_run):
            if dry_run:
                self.stdout.write(f"{rule.name}: {rows} would be deleted (kept {rule.period})")
            else:
                self.stdout.write(f"{rule.name}: {rows} deleted")
        if not dry_run:
            call_command("clearsessions")
            self.stdout.write("expired sessions: deleted")
            cutoff = timezone.now() - timedelta(days=settings.RETENTION_DAYS["scheduled_runs"])
            runs, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
            self.stdout.write(f"scheduled runs: {runs} deleted")
        call_command(
            "prune_db_task_results",
            min_age_days=settings.RETENTION_DAYS["task_results"],
            dry_run=dry_run,
            stdout=self.stdout,
            stderr=self.stderr,
            verbosity=options.get("verbosity", 1),
        )

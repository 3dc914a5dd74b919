"""Delete personal data past its retention period (settings.RETENTION_DAYS).

- join requests: handled ones 30 days after handling, unconfirmed or unhandled ones after 60 days;
- rate-limit windows older than a day;
- sent outbound e-mails older than RETENTION_DAYS["outbound_email"];
- finished task results older than RETENTION_DAYS["task_results"] (django_tasks_db);
- e-mails that could not be delivered for RETENTION_DAYS["outbound_email"] days (given up);
- login attempts and login records (django-axes) older than RETENTION_DAYS["axes_attempts"];
- waiting-list entries past their period; expired sessions;
- co-admin invitations and registrations never confirmed, after 30 days (with the
  never-activated account that registered them, if it has nothing else).

The groups app's daily jobs, as cron lines (the task worker runs separately):

    15 7 * * *  cd /app && python manage.py send_join_reminders
    30 7 * * *  cd /app && python manage.py send_reconfirmations
    45 3 * * *  cd /app && python manage.py purge_expired

`--dry-run` prints what would be deleted and deletes nothing.
"""

from datetime import timedelta

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from groups.models import Group, GroupStatus, Invitation, JoinRequest, WaitingListEntry
from wabp.models import OutboundEmail, RateLimitWindow, User

# Registrations and invitations nobody confirmed are deleted after this long.
UNCONFIRMED = timedelta(days=30)


class Command(BaseCommand):
    help = "Delete join requests, sent mail, rate-limit windows, task results and login attempts past their retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print how much would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        now = timezone.now()
        days = settings.RETENTION_DAYS
        querysets = {
            "join requests": JoinRequest.objects.expired(),
            "waiting-list entries": WaitingListEntry.objects.expired(),
            "rate-limit windows": RateLimitWindow.objects.filter(
                window_start__lt=now - timedelta(days=1)
            ),
            "sent e-mails": OutboundEmail.objects.filter(
                sent_at__lt=now - timedelta(days=days["outbound_email"])
            ),
            "undeliverable e-mails": OutboundEmail.objects.pending().filter(
                created_at__lt=now - timedelta(days=days["outbound_email"])
            ),
            "login attempts": AccessAttempt.objects.filter(
                attempt_time__lt=now - timedelta(days=days["axes_attempts"])
            ),
            "login records": AccessLog.objects.filter(
                attempt_time__lt=now - timedelta(days=days["axes_attempts"])
            ),
            "invitations": Invitation.objects.filter(created_at__lt=now - UNCONFIRMED),
            "unconfirmed registrations": Group.objects.filter(
                status=GroupStatus.PENDING, created_at__lt=now - UNCONFIRMED
            ),
            "never-activated accounts": User.objects.filter(
                is_active=False,
                last_login__isnull=True,
                date_joined__lt=now - UNCONFIRMED,
                is_staff=False,
                group_memberships__isnull=True,
            ),
        }
        with transaction.atomic():
            for label, queryset in querysets.items():
                if dry_run:
                    self.stdout.write(f"{label}: {queryset.count()} would be deleted")
                else:
                    deleted, _ = queryset.delete()
                    self.stdout.write(f"{label}: {deleted} deleted")
        if not dry_run:
            call_command("clearsessions")
            self.stdout.write("expired sessions: deleted")
        call_command(
            "prune_db_task_results",
            min_age_days=days["task_results"],
            dry_run=dry_run,
            stdout=self.stdout,
            stderr=self.stderr,
            verbosity=options.get("verbosity", 1),
        )

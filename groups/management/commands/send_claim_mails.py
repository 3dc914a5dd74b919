"""Invite the admins of imported groups to claim them: `manage.py send_claim_mails --limit 600`.

Queues at most --limit mails (one per admin, for all their groups) in the outbox, delivered one
every few seconds (groups.takeover.claims: CLAIM_MAILS_PER_HOUR) after any claim mail still
waiting; safe to run again, nobody gets a second mail (except with --resend, once their link
has expired unused).
"""

from django.core.management.base import BaseCommand

from groups.takeover.claims import CLAIM_MAIL_INTERVAL, CLAIM_MAILS_PER_HOUR, send_claim_mails


class Command(BaseCommand):
    help = "Queue paced 'claim your group' mails to admins of groups imported from the register."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=CLAIM_MAILS_PER_HOUR,
            help=f"at most this many mails in this run (default {CLAIM_MAILS_PER_HOUR})",
        )
        parser.add_argument(
            "--resend",
            action="store_true",
            help="also mail admins whose earlier link expired without being used",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, queue nothing")

    def handle(self, *args, **options) -> None:
        count = send_claim_mails(
            limit=options["limit"], resend=options["resend"], dry_run=options["dry_run"]
        )
        if options["dry_run"]:
            self.stdout.write(f"would queue {count} claim mails")
            return
        self.stdout.write(
            f"queued {count} claim mails, one every {CLAIM_MAIL_INTERVAL.total_seconds():g} s"
        )

from django.core.management.base import BaseCommand

from panels.mailing import send_all_round_mail


class Command(BaseCommand):
    help = (
        "Send panel mail that is due: invitations for opened rounds, the reminder three days "
        "before a round closes, results notices. Each mail goes out once; run it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, but send nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        sent = send_all_round_mail(dry_run=dry_run)
        if options["verbosity"]:
            self.stdout.write(("Would send: " if dry_run else "Sent: ") + str(sent))

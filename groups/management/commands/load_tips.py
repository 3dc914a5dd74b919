"""Load the prevention tips (groups/tips/content, Markdown) into the database."""

from django.core.management.base import BaseCommand, CommandError

from groups.models import Tip
from groups.tips.loading import read_tips
from wabp.content import Action, ContentError, summarise


class Command(BaseCommand):
    help = (
        "Create the prevention tips written in groups/tips/content that are not in the "
        "database yet. With --update, also replace tips whose files carry a higher version; "
        "other tips, and the board's edits in the admin, are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also replace existing tips whose files have a higher version.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be done."
        )

    def handle(self, *args, update: bool = False, dry_run: bool = False, **options):
        try:
            specs = read_tips()
        except ContentError as error:
            raise CommandError(str(error)) from error
        results = [
            Tip.objects.load_from_content(spec, update=update, dry_run=dry_run) for spec in specs
        ]
        for result in results:
            if result.action is not Action.UNCHANGED or options["verbosity"] > 1:
                self.stdout.write(result.describe(dry_run))
        self.stdout.write(summarise("Tips", results, dry_run))

"""Load the site's content pages (settings.PAGES_DIR, Markdown) into the database."""

from django.core.management.base import BaseCommand, CommandError

from wabp.content import Action, ContentError, read_pages, summarise
from wabp.models import Page


class Command(BaseCommand):
    help = (
        "Create the content pages written in wabp/content that are not in the database yet. "
        "With --update, also replace pages whose files carry a higher version; other pages, "
        "and the board's edits in the admin, are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also replace existing pages whose files have a higher version.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be done."
        )

    def handle(self, *args, update: bool = False, dry_run: bool = False, **options):
        try:
            specs = read_pages()
        except ContentError as error:
            raise CommandError(str(error)) from error
        results = [
            Page.objects.load_from_content(spec, update=update, dry_run=dry_run) for spec in specs
        ]
        for result in results:
            if result.action is not Action.UNCHANGED or options["verbosity"] > 1:
                self.stdout.write(result.describe(dry_run))
        self.stdout.write(summarise("Pages", results, dry_run))

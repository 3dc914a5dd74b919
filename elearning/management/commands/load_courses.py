"""Load the written courses (settings.COURSES_DIR, elearning/content) into the database."""

from django.core.management.base import BaseCommand, CommandError

from elearning.content import read_courses
from elearning.models import Course
from wabp.content import Action, ContentError, summarise


class Command(BaseCommand):
    help = (
        "Create the courses written in elearning/content that are not in the database yet. "
        "With --update, also replace courses whose course.json has a higher version (attempts "
        "and certificates stay); other courses, and the board's edits, are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any course exists."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also replace existing courses whose files have a higher version.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be done."
        )

    def handle(self, *args, if_empty=False, update=False, dry_run=False, **options):
        if if_empty and Course.objects.exists():
            return
        try:
            specs = read_courses()
        except ContentError as error:
            raise CommandError(str(error)) from error
        results = [
            Course.objects.load_from_content(spec, update=update, dry_run=dry_run) for spec in specs
        ]
        for result in results:
            if result.action is not Action.UNCHANGED or options["verbosity"] > 1:
                self.stdout.write(result.describe(dry_run))
        self.stdout.write(summarise("Courses", results, dry_run))

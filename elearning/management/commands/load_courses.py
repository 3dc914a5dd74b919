"""Load the written courses (elearning/content) into the database."""

from django.core.management.base import BaseCommand

from elearning.content import read_courses
from elearning.models import Course


class Command(BaseCommand):
    help = (
        "Create the courses written in elearning/content that are not in the database yet. "
        "Existing courses are left alone, so the board's edits are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any course exists."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list what would load.")

    def handle(self, *args, if_empty: bool = False, dry_run: bool = False, **options):
        if if_empty and Course.objects.exists():
            return
        existing = set(Course.objects.values_list("slug", flat=True))
        for spec in read_courses():
            if spec["slug"] in existing:
                self.stdout.write(f"Already there: {spec['title']}")
                continue
            if not dry_run:
                Course.objects.create_from_content(spec)
            self.stdout.write(
                f"{'Would load' if dry_run else 'Loaded'}: {spec['title']} "
                f"({len(spec['lessons'])} lessons, {len(spec.get('questions', []))} questions)"
            )

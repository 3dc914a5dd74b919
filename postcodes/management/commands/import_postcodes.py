"""`manage.py import_postcodes FILE [FILE ...]`: load GeoNames postal-code files."""

import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from postcodes.importer import import_files


class Command(BaseCommand):
    help = (
        "Import GeoNames postal-code files (.txt, .txt.gz or .zip): PC4 rows fill the areas, "
        "PC6 rows the postcodes, and both the municipalities. A re-run only updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="NL.txt, NL_full.txt.gz, …")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and count everything, then roll back: nothing is saved.",
        )

    def handle(self, *args, files: list[str], dry_run: bool, **options):
        for name in files:
            if not Path(name).is_file():
                raise CommandError(f"Bestand niet gevonden: {name}")
        try:
            report = import_files(files, dry_run=dry_run)
        except (OSError, ValueError, UnicodeDecodeError, zipfile.BadZipFile) as error:
            raise CommandError(f"Kan de postcodes niet inlezen: {error}") from error
        *body, last = report.lines()
        for line in body:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(last))

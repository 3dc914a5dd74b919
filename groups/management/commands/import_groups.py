"""Take over the foundation's old register: `manage.py import_groups register.csv [--dry-run]`.

The columns are in groups/takeover/README.md (and groups.takeover.register.COLUMNS); a sample
is groups/takeover/sample_register.csv. A re-run of the same file changes nothing. Sends no
mail: `send_claim_mails` invites the admins afterwards, paced.
"""

from django.core.management.base import BaseCommand, CommandError

from groups.takeover.register import REJECTED, RegisterFormatError, import_register


class Command(BaseCommand):
    help = (
        "Import groups from the foundation's register (CSV): create new ones, update changed "
        "unclaimed ones, and report every rejected row with its reason. Sends no mail."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the register as CSV (UTF-8, ',' or ';' separated)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, change nothing"
        )
        parser.add_argument(
            "--verbose-rows",
            action="store_true",
            help="list every row's outcome, not only rejected rows and warnings",
        )

    def handle(self, *args, **options) -> None:
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as file:
                report = import_register(file, dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error}") from error
        except RegisterFormatError as error:
            raise CommandError(f"not a register export: {error}") from error
        for row in report.rows:
            if row.outcome == REJECTED:
                self.stdout.write(
                    f"line {row.line} rejected ({row.name or '-'}): {' '.join(row.reasons)}"
                )
            elif row.warnings or options["verbose_rows"]:
                notes = f": {'; '.join(row.warnings)}" if row.warnings else ""
                self.stdout.write(f"line {row.line} {row.outcome} ({row.name}){notes}")
        counts = report.counts
        prefix = "dry run, nothing saved: would be " if report.dry_run else ""
        self.stdout.write(
            prefix
            + "created {created}, updated {updated}, unchanged {unchanged}, "
            "rejected {rejected}".format(**counts)
        )

"""Add the bigger municipalities' staff mail domains (groups/staffaccess/domains.py)."""

from django.core.management.base import BaseCommand

from groups.models import MunicipalityMailDomain
from groups.staffaccess.domains import MAIL_DOMAINS


class Command(BaseCommand):
    help = (
        "Add the known mail domains of municipalities' own staff, for municipalities that "
        "exist; never changes or removes a domain (the board keeps the list in the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be added.")

    def handle(self, *args, dry_run=False, **options):
        added = MunicipalityMailDomain.objects.load(MAIL_DOMAINS, dry_run=dry_run)
        verb = "Would add" if dry_run else "Added"
        self.stdout.write(f"{verb} {len(added)} mail domain(s): {', '.join(added) or '-'}")

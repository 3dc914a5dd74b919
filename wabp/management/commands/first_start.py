"""Everything `make run` needs on a first start; a no-op for what is already there."""

import secrets

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from wabp.models import User

POSTCODE_FILES = [
    settings.BASE_DIR / "postcodes" / "data" / "NL.txt",
    settings.BASE_DIR / "postcodes" / "data" / "NL_full.txt.gz",
]
BOARD_EMAIL = "bestuur@wabp.local"


class Command(BaseCommand):
    help = "Import postcodes, load content and demo data, and create a board login, if missing."

    def handle(self, *args, **options):
        from postcodes.models import Postcode

        if not Postcode.objects.exists():
            call_command("import_postcodes", *map(str, POSTCODE_FILES))
        # Each later step is idempotent and quick when its data is already there.
        call_command("load_pages")
        if "load_mail_domains" in get_commands():
            call_command("load_mail_domains")
        for command in ["load_courses", "seed_demo"]:
            if command in get_commands():
                call_command(command, "--if-empty")
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                email=BOARD_EMAIL, password=password, first_name="Bestuur"
            )
            login_file = settings.BASE_DIR / "var" / "board-login.txt"
            login_file.parent.mkdir(exist_ok=True)
            login_file.write_text(f"{BOARD_EMAIL}\n{password}\n")
            login_file.chmod(0o600)
            self.stdout.write(
                self.style.SUCCESS(
                    "\nBoard login for /admin/ (also in var/board-login.txt):\n"
                    f"  e-mail:     {BOARD_EMAIL}\n  password:   {password}\n"
                )
            )

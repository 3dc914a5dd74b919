"""Everything `make run` needs on a first start; a no-op for what is already there.

With DEMO_LOGINS (on with DEBUG, as in make's set-up steps) it prints the demo logins on
every start; otherwise, or without demo data, it makes one board login with a random
password (var/board-login.txt) if there is no board member yet.
"""

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
        from postcodes.models import Municipality, Postcode

        # Also when the municipalities are GeoNames' old ones (a database from before the
        # 2025 municipalities): the import gives them their CBS codes and merges the rest.
        if not Postcode.objects.exists() or Municipality.objects.filter(code=None).exists():
            call_command("import_postcodes", *map(str, POSTCODE_FILES))
        # Each later step is idempotent and quick when its data is already there.
        call_command("load_pages")
        if "load_mail_domains" in get_commands():
            call_command("load_mail_domains")
        if "load_tips" in get_commands():
            call_command("load_tips")
        for command in ["load_courses", "seed_demo"]:
            if command in get_commands():
                call_command(command, "--if-empty")
        if settings.DEMO_LOGINS:
            # Development and demo machines only (DEMO_LOGINS is on with DEBUG): a handful
            # of logins with a known password over the demo data, the board among them.
            call_command("demo_logins", stdout=self.stdout)
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

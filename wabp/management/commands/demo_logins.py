"""Create (or reuse) the demo logins over the demo data, print them and write them to a file.

    manage.py demo_logins [--output var/demo-logins.txt]

Only with settings.DEMO_LOGINS (on by default with DEBUG; never set it in production). The
accounts are made by each app's `demo` module (see wabp/demo.py); without demo data
(manage.py seed_demo) there are none. Run it again for the current codes of the accounts
that log in with an authenticator app.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from wabp import demo
from wabp.two_factor.devices import secret_text


class Command(BaseCommand):
    help = (
        "Create or reuse the demo logins (only with DEMO_LOGINS), print them, write them to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / "var" / "demo-logins.txt",
            help="File to write the logins to (default var/demo-logins.txt).",
        )

    def handle(self, *args, output: Path, **options):
        if not settings.DEMO_LOGINS:
            raise CommandError(
                "DEMO_LOGINS is off: demo logins have a known password and are never made "
                "in production. Set DEMO_LOGINS=1 on a development or demo machine."
            )
        autodiscover_modules("demo")
        logins = demo.make_all()
        if not logins:
            self.stdout.write("No demo data (manage.py seed_demo), so no demo logins.")
            return
        text = self.describe(logins, site=settings.SITE_URL)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        output.chmod(0o600)
        codes = [
            f"  {login.user.email}: {demo.current_code(device)}"
            for login in logins
            if (device := login.app_device) is not None
        ]
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (also in {output}):"))
        self.stdout.write(text)
        self.stdout.write(
            "Codes from the authenticator app right now (run `manage.py demo_logins` again "
            "for fresh ones):\n" + "\n".join(codes) + "\n"
        )

    @staticmethod
    def describe(logins: list[demo.DemoLogin], *, site: str) -> str:
        lines = [
            f"DEMO ONLY. Password of every demo login: {demo.PASSWORD}",
            f"Log in at {site}/account/inloggen/",
            "",
        ]
        for login in logins:
            lines += [
                f"{login.role}",
                f"  e-mail:  {login.user.email}",
                f"  open:    {site}{login.start}",
            ]
            if login.note:
                lines.append(f"  ({login.note})")
            if (device := login.app_device) is not None:
                lines += [
                    "  second factor: add this key to an authenticator app",
                    f"    key:  {secret_text(device)}",
                    f"    link: {device.config_url}",
                ]
            lines.append("")
        return "\n".join(lines)

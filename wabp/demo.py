"""Demo logins: a handful of accounts with one known password, to try the portal out.

Only where settings.DEMO_LOGINS is on (by default only with DEBUG, as in the set-up steps of
`make run`; never in production) and only over demo data from `manage.py seed_demo`. Each
app adds its own accounts from its `demo` module, which `manage.py demo_logins` finds with
`autodiscover_modules` (as the admin finds `admin.py`), so `wabp` imports no app:

    # groups/demo.py
    from wabp import demo

    @demo.maker(order=10)
    def group_admins() -> list[demo.DemoLogin]:
        user = demo.demo_user("beheerder", first_name="Bram")
        ...

A maker creates its accounts or reuses them (setting the demo password again) and returns
them; it returns nothing when there is no demo data to attach them to.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wabp.models import User
from wabp.two_factor.devices import APP_DEVICE_NAME, app_device

# Demo accounts only: printed on every `make run` and in var/demo-logins.txt.
PASSWORD = "demo-wabp-2026"
# Every demo account's address is <name>@DOMAIN (a reserved name: no mail leaves the machine).
DOMAIN = "demo.wabp.local"


@dataclass(frozen=True)
class DemoLogin:
    role: str  # who this is, in Dutch: "Beheerder van Buurtwacht Centrum"
    user: User
    start: str  # the page to open after logging in
    note: str = ""

    @property
    def app_device(self) -> TOTPDevice | None:
        """The authenticator app of a login that needs a second factor."""
        return app_device(self.user) if self.user.needs_second_factor else None


@dataclass(frozen=True)
class Maker:
    make: Callable[[], list[DemoLogin]]
    order: int


_makers: list[Maker] = []


def maker(order: int = 100):
    """Register a function that creates (or reuses) demo logins; lower `order` runs first."""

    def register(make: Callable[[], list[DemoLogin]]):
        if not any(m.make.__qualname__ == make.__qualname__ for m in _makers):
            _makers.append(Maker(make, order))
        return make

    return register


def email(name: str) -> str:
    return f"{name}@{DOMAIN}"


def is_demo_account(user: User) -> bool:
    return user.email.endswith("@" + DOMAIN)


def demo_user(name: str, **fields) -> User:
    """The demo account <name>@DOMAIN with the demo password, created or reused (and reset)."""
    if not settings.DEMO_LOGINS:
        raise RuntimeError("Demo logins are switched off (settings.DEMO_LOGINS).")
    user = User.objects.filter(email=email(name)).first() or User(email=email(name))
    for field, value in fields.items():
        setattr(user, field, value)
    user.is_active = True
    user.set_password(PASSWORD)
    user.save()
    return user


def with_app(user: User) -> TOTPDevice:
    """The user's authenticator app, set up now (with a new random key) if they have none.

    The board and municipality staff need a second factor; the key is printed with the
    logins, and `manage.py demo_logins` prints the current code.
    """
    device = app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app with this key shows now (next one if this one is used)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:  # django-otp takes each code once
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def make_all() -> list[DemoLogin]:
    """Every app's demo logins, in order; empty when there is no demo data."""
    if not settings.DEMO_LOGINS:
        raise RuntimeError("Demo logins are switched off (settings.DEMO_LOGINS).")
    logins: list[DemoLogin] = []
    with transaction.atomic():
        for entry in sorted(_makers, key=lambda m: m.order):
            logins += entry.make()
    return logins

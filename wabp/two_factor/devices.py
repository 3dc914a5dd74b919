"""A user's second factor, on django-otp's models: the authenticator app and recovery codes.

device = pending_app_device(user)       # the app being set up (its key stays until confirmed)
confirm_app_device(device, "123456")    # the first code: the app replaces any earlier one
codes = new_recovery_codes(user)        # ten codes, shown to the user once
verify(user, "123456", TOTPDevice)      # the device that accepted the code, or None
"""

from base64 import b32encode
from collections.abc import Iterable
from math import ceil

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


def app_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user) -> bool:
    """Whether the user has set up an authenticator app (recovery codes come with it)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def unsaved_app_device(user, key: str | None = None) -> TOTPDevice:
    """An app to set up, with a new key (or `key`); saved once its first code is right."""
    device = TOTPDevice(user=user, name=APP_DEVICE_NAME)
    if key:
        device.key = key
    return device


def confirm_app_device(device: TOTPDevice, token: str) -> bool:
    """Save the app being set up if `token` is its code; it replaces the user's earlier app."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(token), device.tolerance):
        return False
    # As TOTPDevice.verify_token does: this code (and older ones) cannot be used again.
    device.last_t, device.drift = totp.t(), totp.drift
    device.confirmed = True
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).delete()
        device.save()
    return True


def verify(user, token: str, device_class: type[Device]) -> Device | None:
    """The user's confirmed device of this class that accepts `token`, or None.

    A recovery code is used up; an app code cannot be used twice.
    """
    with transaction.atomic():
        devices = device_class.objects.devices_for_user(user, confirmed=True).select_for_update()
        for device in devices:
            if device.verify_token(token):
                return device
    return None


def wait_seconds(devices: Iterable[Device]) -> int:
    """Seconds until django-otp's back-off after wrong codes lets the user try again (0: now)."""
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and "locked_until" in details:
            return max(1, ceil((details["locked_until"] - timezone.now()).total_seconds()))
    return 0


def new_recovery_codes(user) -> list[str]:
    """Ten fresh recovery codes, replacing the earlier ones; shown to the user once.

    The device stays, so a session verified with an earlier recovery code stays verified.
    """
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_second_factor(user) -> bool:
    """Delete the user's app and recovery codes; True if there were any."""
    removed = 0
    with transaction.atomic():
        for device_class in (TOTPDevice, StaticDevice):
            removed += device_class.objects.filter(user=user).delete()[0]
    return removed > 0


def qr_code(device: TOTPDevice) -> str:
    """The app's otpauth:// link as a QR code: an SVG data: URI, which the CSP's img-src allows."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def secret_text(device: TOTPDevice) -> str:
    """The key as apps ask for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

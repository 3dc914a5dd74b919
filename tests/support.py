"""Test doubles shared by several test modules."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """The locmem backend, except while `FlakyBackend.down` is true: then the server is away."""

    down = False

    def send_messages(self, messages):
        if FlakyBackend.down:
            raise smtplib.SMTPConnectError(421, "mail server unavailable")
        return super().send_messages(messages)


def log_in(client, user) -> None:
    """Log `user` in on `client` as a complete login does, second factor included.

    The board and municipality staff (and whoever switched it on) enter a code after the
    password; here their session is verified with their authenticator app, which is set
    up first if they have none. Everyone else is simply logged in. For a session that
    has only had the password, use `client.force_login(user)`.
    """
    from django.http import HttpRequest
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None and not user.needs_second_factor:
        return
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app")
    request = HttpRequest()
    request.session, request.user = client.session, user
    otp_login(request, device)
    request.session.save()


def app_code(device) -> str:
    """The code `device`'s authenticator app shows now: the next one if this one was used."""
    import time

    from django_otp.oath import TOTP

    if device.pk:
        device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:  # django-otp takes each code once
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def app_code_for_key(secret: str) -> str:
    """The code an app shows after being given `secret`, the key as the set-up page shows it."""
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    return app_code(TOTPDevice(key=b32decode(secret.replace(" ", "")).hex()))

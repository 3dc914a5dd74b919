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

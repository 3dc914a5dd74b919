"""Sending e-mail: every message goes through the outbox and the task worker.

    queue_mail(to=user.email, template="groups/mail/confirm", context={...})

renders `<template>_subject.txt`, `<template>.txt` and, if present,
`<template>.html`, stores an OutboundEmail row and enqueues its delivery in the
same transaction. Templates render in `language`, by default the active one.

A mail is written in the language its recipient chose when they acted (stored as
`language` on the request, account or entry it is about), and its links lead to
pages in that language (/en/... for English). So a mail function builds its
context -- the reverse() of its links -- inside that language, and lets
queue_mail take it from there:

    with translation.override(join_request.language):
        queue_mail(to=join_request.email, template=..., context={"link": absolute_url(...)})

Each app that sends mail has a `mail.py` with one function per message, which
decides the template, the recipients, the context and the language; models,
services and tasks call those functions, views never compose a mail. Below
queue_mail are the account mails.
"""

from datetime import datetime

from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import translation

from wabp.links import absolute_url, site_url
from wabp.models import OutboundEmail, User, current_language
from wabp.signed import email_change_token, user_token


def _one_line(text: str) -> str:
    # Subjects come partly from user input: never let a newline reach a header.
    return " ".join(text.split())[:200]


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    kind: str = "",
    language: str | None = None,
    headers: dict | None = None,
    send_after: datetime | None = None,
) -> OutboundEmail:
    """Store the mail in the outbox and enqueue its delivery; with `send_after`, the worker
    delivers it no earlier than then (for mail sent in bulk at a steady pace)."""
    from wabp.tasks import deliver_email

    context = {"site_url": site_url(), **(context or {})}
    with translation.override(language or current_language()):
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body = render_to_string(f"{template}.txt", context)
        try:
            html_body = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html_body = ""
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject,
        body=body,
        html_body=html_body,
        headers={k: _one_line(v) for k, v in (headers or {}).items()},
        kind=kind or template.rsplit("/", 1)[-1],
        next_attempt_at=send_after,
    )
    if send_after is None:
        deliver_email.enqueue(email.pk)
    else:
        deliver_email.using(run_after=send_after).enqueue(email.pk)
    return email


# Accounts ---------------------------------------------------------------------------------


# Account mails answer something the user just did: in the language of that page (the
# active one), which is also the language the account stores (see wabp.apps).


def send_activation(user: User) -> OutboundEmail:
    """The link that activates a new (inactive) account."""
    return queue_mail(
        to=user.email,
        template="wabp/mail/activate",
        context={
            "first_name": user.first_name,
            "link": absolute_url("activate", **user_token(user)),
        },
        kind="activate",
    )


def send_existing_account(user: User) -> OutboundEmail:
    """Someone signed up with this address, which already has an account: log in or reset."""
    return queue_mail(
        to=user.email,
        template="wabp/mail/existing_account",
        context={
            "first_name": user.first_name,
            "login_link": absolute_url("login"),
            "reset_link": absolute_url("password_reset"),
        },
        kind="existing_account",
    )


def send_email_change_confirmation(user: User) -> OutboundEmail:
    """The link that makes the pending address the account's own, to that new address."""
    return queue_mail(
        to=user.pending_email,
        template="wabp/mail/confirm_email",
        context={
            "first_name": user.first_name,
            "link": absolute_url("confirm_email", **user_token(user, email_change_token)),
        },
        kind="confirm_email",
    )


def send_email_changed(user: User, old_email: str) -> OutboundEmail:
    """Tell the current address that a change was asked for, so a takeover is noticed."""
    return queue_mail(
        to=old_email,
        template="wabp/mail/email_changed",
        context={"first_name": user.first_name},
        kind="email_changed",
    )


def send_password_reset(user: User, *, to: str, uidb64: str, token: str) -> OutboundEmail:
    """The password reset link (uidb64 and token from Django's PasswordResetForm)."""
    return queue_mail(
        to=to,
        template="wabp/mail/password_reset",
        context={
            "first_name": user.first_name,
            "link": absolute_url("password_reset_confirm", uidb64=uidb64, token=token),
        },
        kind="password_reset",
    )

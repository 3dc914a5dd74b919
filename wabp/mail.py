"""Sending e-mail: every message goes through the outbox and the task worker.

    queue_mail(to=user.email, template="groups/mail/confirm", context={...})

renders `<template>_subject.txt`, `<template>.txt` and, if present,
`<template>.html`, stores an OutboundEmail row and enqueues its delivery in the
same transaction. Templates render in the recipient's language (Dutch unless
told otherwise).
"""

from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import translation

from wabp.links import site_url
from wabp.models import OutboundEmail


def _one_line(text: str) -> str:
    # Subjects come partly from user input: never let a newline reach a header.
    return " ".join(text.split())[:200]


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    kind: str = "",
    language: str = "nl",
    headers: dict | None = None,
) -> OutboundEmail:
    from wabp.tasks import deliver_email

    context = {"site_url": site_url(), **(context or {})}
    with translation.override(language):
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
    )
    deliver_email.enqueue(email.pk)
    return email

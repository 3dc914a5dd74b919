"""Background tasks of the portal itself. Tasks take ids, never personal data."""

import io
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from wabp import schedule
from wabp.models import OutboundEmail

logger = logging.getLogger(__name__)

# Retry delays while the mail server is unreachable: 1, 2, 4 … minutes, at most 6 hours.
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 12)), MAX_BACKOFF)


@task
def deliver_email(email_id: int) -> str:
    """Send one outbox row, once; on failure schedule another try with backoff."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return "already sent, deleted or being sent"
        message = EmailMultiAlternatives(
            subject=email.subject, body=email.body, to=[email.to], headers=email.headers
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # any failure of the mail server: try again later
            email.next_attempt_at = timezone.now() + backoff(email.attempts)
            email.last_error = f"{type(error).__name__}: {error}"[:300]
            email.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
            logger.warning("mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
            return "retry scheduled"
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "next_attempt_at", "last_error"])
        return "sent"


@task
def purge_expired() -> list[str]:
    """Periodic: retention (`manage.py purge_expired`): what each rule deleted."""
    output = io.StringIO()
    call_command("purge_expired", stdout=output)
    return output.getvalue().splitlines()


schedule.register("purge_expired", purge_expired, minute=45, hours=[3])

"""Mail goes through the outbox and the task worker: nothing lost, each message once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.support import FlakyBackend
from wabp.mail import queue_mail
from wabp.models import OutboundEmail
from wabp.tasks import backoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.FlakyBackend"}}
    FlakyBackend.down = False
    yield FlakyBackend
    FlakyBackend.down = False


def queue_reset_mail(to="bewoner@example.test"):
    return queue_mail(
        to=to,
        template="wabp/mail/notice",
        context={"subject": "Test", "body": "Hallo"},
        kind="test",
    )


def test_queued_mail_is_sent_once_by_the_worker(run_tasks, mailoutbox):
    email = queue_reset_mail()
    assert mailoutbox == []  # nothing is sent before the worker runs

    run_tasks()
    run_tasks()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["bewoner@example.test"]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1


def test_mail_server_down_then_up_loses_nothing_and_sends_once(flaky_mail, run_tasks):
    flaky_mail.down = True
    emails = [queue_reset_mail(f"bewoner{n}@example.test") for n in range(3)]

    run_tasks()
    assert mail.outbox == []
    assert OutboundEmail.objects.pending().count() == 3
    assert all(e.attempts == 1 for e in OutboundEmail.objects.all())

    # Still down at the first retry: a second attempt, later again.
    with time_machine.travel(timezone.now() + backoff(1) + timedelta(seconds=5)):
        run_tasks()
    assert mail.outbox == []
    assert {e.attempts for e in OutboundEmail.objects.all()} == {2}

    flaky_mail.down = False
    with time_machine.travel(timezone.now() + backoff(1) + backoff(2) + timedelta(seconds=10)):
        run_tasks()
        run_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to for e in emails)
    assert OutboundEmail.objects.pending().count() == 0


def test_retry_waits_for_its_backoff(flaky_mail, run_tasks):
    flaky_mail.down = True
    queue_reset_mail()
    run_tasks()
    flaky_mail.down = False

    run_tasks()  # the retry is not due yet

    assert mail.outbox == []
    assert OutboundEmail.objects.pending().count() == 1


def test_backoff_grows_and_is_capped():
    assert backoff(1) < backoff(2) < backoff(3)
    assert backoff(50) == timedelta(hours=6)


def test_newlines_in_a_subject_cannot_inject_headers():
    email = queue_mail(
        to="a@example.test",
        template="wabp/mail/notice",
        context={"subject": "Hallo\nBcc: evil@example.test", "body": "x"},
        headers={"Reply-To": "buur@example.test\nBcc: evil@example.test"},
    )
    assert "\n" not in email.subject
    assert "\n" not in email.headers["Reply-To"]

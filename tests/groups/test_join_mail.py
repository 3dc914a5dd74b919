"""Join request mail through the task queue: mail server down then up, and reminders."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import JoinRequest
from tests.conftest import make_user
from tests.groups.conftest import make_join_request
from wabp.models import OutboundEmail


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def test_mail_server_down_then_up_loses_nothing_and_sends_each_mail_once(
    client, group_a, group_admin, settings, run_tasks, mailoutbox
):
    co_admin = make_user("co@example.test", first_name="Cor")
    group_a.memberships.create(user=co_admin)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.groups.test_join_mail.FailingBackend"}}

    client.post(
        reverse("groups:join", args=[group_a.slug]),
        {
            "name": "Rita Bewoner",
            "email": "rita@example.test",
            "phone": "0612345678",
            "street": "Nieuwmarkt 4",
            "postcode": "1011AB",
            "consent": "on",
        },
    )
    join_request = JoinRequest.objects.get()
    client.post(reverse("groups:join_confirm", args=[join_request.token]))
    run_tasks()

    assert mailoutbox == []
    pending = OutboundEmail.objects.pending()
    assert pending.count() == 3  # the resident's confirmation, and one per admin
    assert all(email.attempts == 1 and email.last_error for email in pending)

    # Still down a bit later: another attempt each, still nothing lost.
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        run_tasks()
    assert OutboundEmail.objects.pending().count() == 3
    assert mailoutbox == []

    settings.MAILERS = working
    with time_machine.travel(timezone.now() + timedelta(hours=7), tick=False):
        run_tasks()
        run_tasks()

    assert OutboundEmail.objects.pending().count() == 0
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(["rita@example.test", group_admin.email, "co@example.test"])


def test_admins_are_reminded_once_after_five_days(group_a, group_admin, run_tasks, mailoutbox):
    join_request = make_join_request(group_a)
    start = timezone.now()

    with time_machine.travel(start + timedelta(days=4, hours=23), tick=False):
        call_command("send_join_reminders", stdout=StringIO())
    assert not OutboundEmail.objects.filter(kind="join_reminder").exists()

    with time_machine.travel(start + timedelta(days=5, hours=1), tick=False):
        call_command("send_join_reminders", stdout=StringIO())
        call_command("send_join_reminders", stdout=StringIO())
    with time_machine.travel(start + timedelta(days=9), tick=False):
        call_command("send_join_reminders", stdout=StringIO())
        run_tasks()

    reminders = [m for m in mailoutbox if "Herinnering" in m.subject]
    assert [m.to for m in reminders] == [[group_admin.email]]
    join_request.refresh_from_db()
    assert join_request.reminded_at is not None


def test_no_reminder_for_handled_or_unconfirmed_requests(group_a):
    make_join_request(group_a, status="accepted")
    make_join_request(group_a, status="unconfirmed")
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        call_command("send_join_reminders", stdout=StringIO())
    assert not OutboundEmail.objects.filter(kind="join_reminder").exists()


def test_board_sees_requests_unanswered_after_ten_days(group_a):
    join_request = make_join_request(group_a)
    with time_machine.travel(timezone.now() + timedelta(days=9), tick=False):
        assert list(JoinRequest.objects.unanswered()) == []
    with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
        assert list(JoinRequest.objects.unanswered()) == [join_request]

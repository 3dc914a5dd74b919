"""`manage.py purge_expired` on a frozen clock: what goes and what stays."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from groups.models import JoinRequest
from tests.groups.conftest import make_join_request
from wabp.models import OutboundEmail, RateLimitWindow

NOW = timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.UTC)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ago(**kwargs):
    return NOW - timedelta(**kwargs)


def test_handled_requests_go_30_days_after_handling(frozen, group_a):
    old = make_join_request(
        group_a, status="accepted", handled_at=ago(days=31), created_at=ago(days=40)
    )
    recent = make_join_request(
        group_a, status="declined", handled_at=ago(days=29), created_at=ago(days=90)
    )
    purge()
    assert list(JoinRequest.objects.all()) == [recent]
    assert not JoinRequest.objects.filter(pk=old.pk).exists()


def test_open_requests_go_after_60_days(frozen, group_a):
    unconfirmed = make_join_request(group_a, status="unconfirmed", created_at=ago(days=61))
    unhandled = make_join_request(group_a, created_at=ago(days=61))
    young = make_join_request(group_a, created_at=ago(days=59))
    purge()
    assert set(JoinRequest.objects.values_list("pk", flat=True)) == {young.pk}
    assert not JoinRequest.objects.filter(pk__in=[unconfirmed.pk, unhandled.pk]).exists()


def test_requests_expire_as_the_clock_moves_on(group_a):
    with time_machine.travel(NOW, tick=False) as traveller:
        make_join_request(group_a, status="accepted")
        traveller.shift(timedelta(days=29))
        purge()
        assert JoinRequest.objects.count() == 1
        traveller.shift(timedelta(days=2))
        purge()
        assert JoinRequest.objects.count() == 0


def test_old_sent_mail_rate_limit_windows_and_login_attempts_go(frozen, db):
    old_mail = OutboundEmail.objects.create(to="a@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.filter(pk=old_mail.pk).update(sent_at=ago(days=31))
    retrying = OutboundEmail.objects.create(to="b@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.filter(pk=retrying.pk).update(created_at=ago(days=10))
    given_up = OutboundEmail.objects.create(to="d@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.filter(pk=given_up.pk).update(created_at=ago(days=90))
    fresh = OutboundEmail.objects.create(to="c@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.filter(pk=fresh.pk).update(sent_at=ago(days=2))
    RateLimitWindow.objects.create(key="old", window_start=ago(days=2), hits=3)
    RateLimitWindow.objects.create(key="new", window_start=ago(hours=2), hits=3)
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=ago(days=31))
    AccessAttempt.objects.create(username="y", ip_address="192.0.2.2", failures_since_start=1)

    purge()

    # Unsent mail is kept while it is retried, and given up after the retention period.
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {
        "b@example.test",
        "c@example.test",
    }
    assert list(RateLimitWindow.objects.values_list("key", flat=True)) == ["new"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]


def test_dry_run_prints_counts_and_deletes_nothing(frozen, group_a):
    make_join_request(group_a, status="accepted", handled_at=ago(days=31))
    output = purge("--dry-run")
    assert "join requests: 1 would be deleted" in output
    assert JoinRequest.objects.count() == 1


def test_old_task_results_are_pruned(db, run_tasks):
    from django_tasks_db.models import DBTaskResult

    from wabp.tasks import deliver_email

    deliver_email.enqueue(12345)
    run_tasks()
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=13), tick=False):
        purge()
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        purge()
    assert DBTaskResult.objects.count() == 0

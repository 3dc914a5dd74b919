"""The schedule (wabp.schedule): each job's slot is enqueued once, by one of any number of
schedulers, and after downtime a job catches up once."""

import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from wabp import schedule
from wabp.models import ScheduledRun

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECONFIRM_TASK = "groups.tasks.reconfirmation_round"


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=AMSTERDAM)


def runs(job: str) -> list[datetime]:
    return [
        run.slot.astimezone(AMSTERDAM)
        for run in ScheduledRun.objects.filter(job=job).order_by("slot")
    ]


def enqueued(task_path: str) -> int:
    return DBTaskResult.objects.filter(task_path=task_path).count()


def test_every_periodic_job_is_registered():
    jobs = schedule.jobs()

    assert {name: job.when for name, job in jobs.items()} == {
        "purge_expired": "45 3 * * *",
        "join_reminders": "15 7 * * *",
        "reconfirmations": "30 8-20 * * *",
        "panel_mail": "5 * * * *",
        "monthly_test_reminders": "0 10 * * *",
        "monthly_tips": "5 9 * * *",
    }


def test_a_slot_is_the_latest_matching_time_in_local_time():
    job = schedule.jobs()["reconfirmations"]

    assert job.latest_slot(at(1, 8, 30)) == at(1, 8, 30)
    assert job.latest_slot(at(1, 9, 29)) == at(1, 8, 30)
    assert job.latest_slot(at(1, 23, 0)) == at(1, 20, 30)
    assert job.latest_slot(at(2, 7, 0)) == at(1, 20, 30)  # none at night


@pytest.mark.django_db
def test_the_reconfirmation_round_is_enqueued_once_at_its_slot_even_if_checked_twice():
    with time_machine.travel(at(1, 8, 29), tick=False):
        schedule.run_due()
    first_slot = runs("reconfirmations")

    with time_machine.travel(at(1, 8, 31), tick=False):
        assert "reconfirmations" in schedule.run_due()
        assert "reconfirmations" not in schedule.run_due()

    assert runs("reconfirmations") == [*first_slot, at(1, 8, 30)]
    assert enqueued(RECONFIRM_TASK) == 2  # the catch-up at 08:29 (yesterday's 20:30) and 08:30
    run = ScheduledRun.objects.get(job="reconfirmations", slot=at(1, 8, 30))
    assert DBTaskResult.objects.get(id=run.task_result_id).task_path == RECONFIRM_TASK


@pytest.mark.django_db
def test_after_downtime_each_job_catches_up_once_not_once_per_missed_slot():
    with time_machine.travel(at(1, 8, 31), tick=False):
        schedule.run_due()
    # Down from Tuesday 08:31 until Thursday 11:10: 28 reconfirmation slots missed.
    with time_machine.travel(at(3, 11, 10), tick=False):
        schedule.run_due()
        schedule.run_due()

    assert runs("reconfirmations") == [at(1, 8, 30), at(3, 10, 30)]
    assert runs("join_reminders") == [at(1, 7, 15), at(3, 7, 15)]
    assert runs("panel_mail") == [at(1, 8, 5), at(3, 11, 5)]
    assert enqueued(RECONFIRM_TASK) == 2


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_enqueue_a_slot_once():
    """Scheduler A has claimed the slots but not committed; B, checking meanwhile, waits
    for A's commit and then finds them taken."""
    claimed, seen_by_b = threading.Event(), []

    def scheduler_a():
        with time_machine.travel(at(1, 8, 31), tick=False), transaction.atomic():
            schedule.run_due()
            claimed.set()
            threading.Event().wait(0.5)  # B is now blocked on the unique index
        connection.close()

    def scheduler_b():
        claimed.wait(5)
        with time_machine.travel(at(1, 8, 31), tick=False):
            seen_by_b.extend(schedule.run_due())
        connection.close()

    threads = [threading.Thread(target=scheduler_a), threading.Thread(target=scheduler_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert seen_by_b == []
    assert runs("reconfirmations") == [at(1, 8, 30)]
    assert enqueued(RECONFIRM_TASK) == 1


@pytest.mark.django_db
def test_a_rolled_back_enqueue_leaves_the_slot_free():
    with time_machine.travel(at(1, 8, 31), tick=False):
        with pytest.raises(RuntimeError), transaction.atomic():
            schedule.run_due()
            raise RuntimeError("the database went away")
        assert ScheduledRun.objects.count() == 0

        assert "reconfirmations" in schedule.run_due()


@pytest.mark.django_db
def test_run_schedule_once_enqueues_and_reports(run_tasks, monkeypatch):
    from wabp.management.commands import run_schedule

    # Inside the test's transaction the test's own connection must stay open.
    monkeypatch.setattr(run_schedule, "close_old_connections", lambda: None)
    output = StringIO()
    with time_machine.travel(at(1, 8, 31), tick=False):
        call_command("run_schedule", "--once", stdout=output)
        run_tasks()

    assert "enqueued reconfirmations" in output.getvalue()
    run = ScheduledRun.objects.with_outcome().get(job="reconfirmations")
    assert run.task_status == "SUCCESSFUL"
    assert run.task_return_value == {"asked": 0, "reminded": 0, "deactivated": 0}

"""The portal's periodic jobs, run from the task queue on PostgreSQL alone.

Each app registers its jobs in its own `tasks` module (found with `autodiscover_modules`, so
wabp imports no app above it):

    # groups/tasks.py
    schedule.register("reconfirmations", reconfirmation_round, minute=30, hours=range(8, 21))

A job's slots are the whole minutes `minute` past each hour in `hours` (local time,
TIME_ZONE). `run_due()` -- called every half minute by `manage.py run_schedule`, which
`make run` starts next to the worker -- enqueues each job's latest slot that has no
`ScheduledRun` row yet. The row is inserted with INSERT ... ON CONFLICT DO NOTHING on the
unique (job, slot) pair in the same transaction as the task row (django-tasks-db writes
the task to the same database), so each slot is enqueued exactly once, however many
schedulers run, and a rolled-back enqueue leaves no row. Only the latest slot counts: after
downtime a job runs once to catch up, not once per missed slot; the jobs themselves are
idempotent (each mail is recorded on its row before the next run looks).

Why not a library: django-crontask keeps one scheduler through a Redis lock and without
Redis every instance fires; django-tasks-scheduler needs Redis/Valkey; django-periodic-tasks
(PostgreSQL SKIP LOCKED) resets every schedule's next run on each start, so a slot missed
while the scheduler was down never runs. docs/architecture.md has the details.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A task that runs at `minute` past each hour in `hours` (local time)."""

    name: str
    task: Task
    minute: int
    hours: tuple[int, ...]

    def latest_slot(self, now: datetime) -> datetime:
        """The latest slot at or before `now` (in UTC)."""
        # Whole-hour UTC offsets (Europe/Amsterdam): the minute is the same in UTC.
        candidate = now.astimezone(UTC).replace(minute=self.minute, second=0, microsecond=0)
        if candidate > now:
            candidate -= timedelta(hours=1)
        while timezone.localtime(candidate).hour not in self.hours:
            candidate -= timedelta(hours=1)
        return candidate

    @property
    def when(self) -> str:
        """The schedule in cron's words, e.g. `30 8-20 * * *`."""
        hours = self.hours
        if hours == tuple(range(24)):
            hour_field = "*"
        elif len(hours) > 1 and hours == tuple(range(hours[0], hours[-1] + 1)):
            hour_field = f"{hours[0]}-{hours[-1]}"
        else:
            hour_field = ",".join(str(hour) for hour in hours)
        return f"{self.minute} {hour_field} * * *"


_jobs: dict[str, Job] = {}
_discovered = False


def register(name: str, task: Task, *, minute: int, hours: Iterable[int] = range(24)) -> None:
    """Run `task` (without arguments) at `minute` past each hour in `hours`."""
    hours = tuple(sorted(set(hours)))
    if not 0 <= minute < 60 or not hours or not all(0 <= hour < 24 for hour in hours):
        raise ValueError(f"job {name}: minute 0-59 and hours 0-23, not {minute} and {hours}")
    if name in _jobs and _jobs[name].task is not task:
        raise ValueError(f"job {name} is registered twice")
    _jobs[name] = Job(name, task, minute, hours)


def jobs() -> dict[str, Job]:
    """Every registered job by name (each app's `tasks` module is imported once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("tasks")
        _discovered = True
    return dict(_jobs)


_CLAIM_SQL = """
    INSERT INTO {table} (job, slot, enqueued_at) VALUES (%s, %s, %s)
    ON CONFLICT (job, slot) DO NOTHING RETURNING id
"""


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose latest slot has not been enqueued yet; their names."""
    from wabp.models import ScheduledRun

    now = now or timezone.now()
    sql = _CLAIM_SQL.format(table=connection.ops.quote_name(ScheduledRun._meta.db_table))
    enqueued = []
    for job in jobs().values():
        slot = job.latest_slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue  # the usual case; the insert below decides a race
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [job.name, slot, now])
                claimed = cursor.fetchone()
            if claimed is None:  # another scheduler has it, or had it
                continue
            result = job.task.enqueue()
            ScheduledRun.objects.filter(pk=claimed[0]).update(task_result_id=result.id)
        logger.info("scheduled job=%s slot=%s task_id=%s", job.name, slot.isoformat(), result.id)
        enqueued.append(job.name)
    return enqueued

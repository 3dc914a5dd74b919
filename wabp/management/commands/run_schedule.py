"""Enqueue the periodic jobs (wabp.schedule) at their slots, for the task worker to run.

`make run` starts it next to `db_worker`. Run it beside every worker if you like: the
schedulers agree through PostgreSQL, so each slot is enqueued once. `--once` checks once
and exits (e.g. from cron every few minutes instead of the loop). `--list` prints the jobs.
"""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from wabp import schedule


class Command(BaseCommand):
    help = "Enqueue the portal's daily and hourly jobs at their times (see wabp/schedule.py)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument("--list", action="store_true", help="Print the jobs and exit.")
        parser.add_argument(
            "--interval", type=int, default=30, help="Seconds between checks (default 30)."
        )

    def handle(self, *args, once: bool, list: bool, interval: int, **options) -> None:
        if list:
            for job in schedule.jobs().values():
                self.stdout.write(f"{job.when:<16} {job.name:<20} {job.task.module_path}")
            return
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            self.stdout.write(f"Scheduler started: {len(schedule.jobs())} jobs.")
        while True:
            close_old_connections()
            for name in schedule.run_due():
                if once:  # the loop's enqueues are in the log (wabp.schedule)
                    self.stdout.write(f"enqueued {name}")
            if once or stop.wait(interval):
                break

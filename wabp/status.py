"""The board's morning check: /admin/status/ (PortalAdminSite, so behind the second factor).

The base app shows what it knows itself -- the task queue, the outbox and the schedule's
last runs -- and each app adds its own counts from its `status` module (found with
`autodiscover_modules`, so wabp imports no app above it):

    # groups/status.py
    from wabp import status

    status.register(_("Aanmeldingen"), _("Onbeantwoord na 10 dagen"), count_fn,
                    url_name="admin:groups_joinrequest_changelist")
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.tasks import TaskResultStatus
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from wabp import schedule
from wabp.models import OutboundEmail, ScheduledRun
from wabp.personal_data import UNDELIVERABLE


@dataclass(frozen=True)
class Figure:
    section: str
    label: str
    count: Callable[[], int]
    url_name: str | None = None


_figures: list[Figure] = []
_discovered = False


def register(section: str, label: str, count: Callable[[], int], url_name: str | None = None):
    """Show `count()` under `label` in `section` of the status page."""
    _figures.append(Figure(section, label, count, url_name))


def app_figures() -> list[dict]:
    """Every app's registered figure, counted now."""
    global _discovered
    if not _discovered:
        autodiscover_modules("status")
        _discovered = True
    return [
        {
            "section": figure.section,
            "label": figure.label,
            "count": figure.count(),
            "url": reverse(figure.url_name) if figure.url_name else None,
        }
        for figure in _figures
    ]


def task_queue() -> dict[str, int]:
    """Tasks waiting, scheduled for later, running, and failed in the last day and week."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = Q(status=TaskResultStatus.READY)
    # django-tasks-db stores "no run_after" as the largest date.
    due = ready & (Q(run_after__lte=now) | Q(run_after=get_date_max()))
    failed = Q(status=TaskResultStatus.FAILED)
    return DBTaskResult.objects.aggregate(
        due=Count("id", filter=due),
        later=Count("id", filter=ready & ~due),
        running=Count("id", filter=Q(status=TaskResultStatus.RUNNING)),
        failed_day=Count("id", filter=failed & Q(finished_at__gte=now - timedelta(days=1))),
        failed_week=Count("id", filter=failed & Q(finished_at__gte=now - timedelta(days=7))),
    )


def outbox() -> dict:
    """Mail not yet sent: first try still to come, or retrying after a failure; and how
    many undeliverable mails (still unsent after RETENTION_DAYS["outbound_email"]) the
    latest retention run gave up on, as its result reports."""
    figures = OutboundEmail.objects.pending().aggregate(
        queued=Count("id", filter=Q(attempts=0)),
        retrying=Count("id", filter=Q(attempts__gt=0)),
        oldest=Min("created_at"),
    )
    purge = ScheduledRun.objects.filter(job="purge_expired").with_outcome().first()
    lines = purge.task_return_value if purge and isinstance(purge.task_return_value, list) else []
    given_up = [line for line in lines if line.startswith(f"{UNDELIVERABLE}: ")]
    figures["given_up"] = given_up[0].split()[2] if given_up else None
    return figures


def scheduled_jobs() -> list[dict]:
    """Each job with its schedule and its latest run's outcome."""
    latest = {run.job: run for run in ScheduledRun.objects.latest_per_job().with_outcome()}
    return [{"job": job, "last": latest.get(name)} for name, job in sorted(schedule.jobs().items())]


def status_view(request: HttpRequest) -> HttpResponse:
    """The status page; the board only (superusers), like the rest of its admin."""
    from django.contrib import admin

    if not request.user.is_superuser:
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Status van het portaal"),
        "queue": task_queue(),
        "outbox": outbox(),
        "jobs": scheduled_jobs(),
        "figures": app_figures(),
    }
    return TemplateResponse(request, "admin/wabp/status.html", context)

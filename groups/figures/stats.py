"""Public figures about the groups, and the geometry of their server-rendered SVG charts.

    headline_figures()  -> {"active_groups", "estimated_members", "municipalities", ...}
    all_figures()       -> headline plus per province, per municipality and per month

Charts are plain numbers the template turns into <rect>/<polyline> elements; no
chart library and no inline style.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from groups.models import Group

GROWTH_MONTHS = 24


def _share(part: int, whole: int) -> int:
    """Whole percent, 0 when there is nothing to divide."""
    return round(100 * part / whole) if whole else 0


def _members_per_group(given: int, groups_giving: int) -> float:
    """The average size of the groups that give a member count (0 when none does)."""
    return given / groups_giving if groups_giving else 0


def _estimate(given: int, groups: int, groups_giving: int, per_group: float) -> int:
    """What admins give, plus the average size for each group that gives no count."""
    return given + round((groups - groups_giving) * per_group)


def headline_figures() -> dict:
    """The counts the home page and /cijfers/ lead with (one query).

    Not every admin gives a member count: a group without one counts as an average group,
    so the estimate does not shrink when admins leave the field empty.
    """
    totals = Group.objects.active().aggregate(
        active_groups=Count("pk"),
        given_members=Coalesce(Sum("member_count"), 0),
        groups_giving_members=Count("member_count"),
        municipalities=Count("municipality", distinct=True),
        registered_with_municipality=Count("pk", filter=Q(registered_with_municipality=True)),
        registered_with_police=Count("pk", filter=Q(registered_with_police=True)),
    )
    totals["members_per_group"] = _members_per_group(
        totals["given_members"], totals["groups_giving_members"]
    )
    totals["estimated_members"] = _estimate(
        totals["given_members"],
        totals["active_groups"],
        totals["groups_giving_members"],
        totals["members_per_group"],
    )
    totals["share_municipality"] = _share(
        totals["registered_with_municipality"], totals["active_groups"]
    )
    totals["share_police"] = _share(totals["registered_with_police"], totals["active_groups"])
    return totals


@dataclass
class Bar:
    label: str
    value: int
    y: float
    width: float


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(rows: list[tuple[str, int]], *, width: int = 640, label_width: int = 150) -> BarChart:
    """Horizontal bars, one per row, scaled to the largest value."""
    bar_height, gap = 22, 8
    largest = max((value for _label, value in rows), default=0) or 1
    room = width - label_width - 60  # leave space for the value after the bar
    bars = [
        Bar(
            label=label,
            value=value,
            y=i * (bar_height + gap),
            width=round(room * value / largest, 1),
        )
        for i, (label, value) in enumerate(rows)
    ]
    height = max(1, len(rows)) * (bar_height + gap)
    return BarChart(bars, width, height, label_width, bar_height)


@dataclass
class LineChart:
    points: str
    dots: list[dict]
    width: int
    height: int
    top: int
    bottom: int
    left: int
    maximum: int
    ticks: list[dict]


def line_chart(rows: list[tuple[str, int]], *, width: int = 640, height: int = 240) -> LineChart:
    """A line through the values, with a label under every few points."""
    left, right, top, bottom = 50, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max((value for _label, value in rows), default=0) or 1
    step = plot_w / max(1, len(rows) - 1)
    dots = []
    for i, (label, value) in enumerate(rows):
        x = round(left + i * step, 1)
        y = round(top + plot_h - plot_h * value / maximum, 1)
        dots.append({"x": x, "y": y, "label": label, "value": value})
    every = max(1, len(rows) // 6)
    ticks = [dot for i, dot in enumerate(dots) if i % every == 0]
    return LineChart(
        points=" ".join(f"{d['x']},{d['y']}" for d in dots),
        dots=dots,
        width=width,
        height=height,
        top=top,
        bottom=top + plot_h,
        left=left,
        maximum=maximum,
        ticks=ticks,
    )


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def growth_per_month(months: int = GROWTH_MONTHS) -> list[dict]:
    """New groups per month (by confirmation date) and the running total of active groups.

    Two queries: the count before the window and the counts per month inside it.
    """
    starts = _month_starts(timezone.localdate(), months)
    first = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1))
    active = Group.objects.active().filter(confirmed_at__isnull=False)
    before = active.filter(confirmed_at__lt=first).count()
    per_month = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["count"]
        for row in active.filter(confirmed_at__gte=first)
        .annotate(month=TruncMonth("confirmed_at"))
        .values("month")
        .annotate(count=Count("pk"))
    }
    rows, total = [], before
    for start in starts:
        new = per_month.get(start, 0)
        total += new
        rows.append({"month": start, "new": new, "total": total})
    return rows


def all_figures() -> dict:
    """Everything /cijfers/ shows (five queries)."""
    headline = headline_figures()
    provinces = list(
        Group.objects.active()
        .values("municipality__province")
        .annotate(
            count=Count("pk"),
            given_members=Coalesce(Sum("member_count"), 0),
            groups_giving_members=Count("member_count"),
        )
        .order_by("-count", "municipality__province")
    )
    for row in provinces:
        row["province"] = row.pop("municipality__province") or "—"
        row["members"] = _estimate(
            row["given_members"],
            row["count"],
            row["groups_giving_members"],
            headline["members_per_group"],
        )
    municipalities = list(
        Group.objects.active()
        .filter(municipality__isnull=False)
        .values("municipality__name", "municipality__slug", "municipality__province")
        .annotate(
            count=Count("pk"),
            registered_with_municipality=Count("pk", filter=Q(registered_with_municipality=True)),
            registered_with_police=Count("pk", filter=Q(registered_with_police=True)),
        )
        .order_by("-count", "municipality__name")
    )
    growth = growth_per_month()
    return {
        "headline": headline,
        "provinces": provinces,
        "municipalities": municipalities,
        "growth": growth,
        "province_chart": bar_chart([(row["province"], row["count"]) for row in provinces]),
        "growth_chart": line_chart(
            # "dec 2026" in Dutch, "Dec 2026" in English: the page's language.
            [(date_format(row["month"], "M Y"), row["total"]) for row in growth]
        ),
    }

"""Public figures: the numbers match the data, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.figures.stats import bar_chart, growth_per_month, headline_figures, line_chart
from groups.models import GroupStatus
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group


@pytest.fixture
def groups(areas, group_admin, other_admin):
    now = timezone.now()
    make_group(
        "A", areas["1011"], member_count=40, registered_with_police=True, admins=[group_admin]
    )
    make_group(
        "B", areas["1012"], member_count=60, registered_with_municipality=True, admins=[other_admin]
    )
    make_group("C", areas["3511"], member_count=None, confirmed_at=now - timedelta(days=800))
    make_group("D", areas["9401"], member_count=500, status=GroupStatus.INACTIVE)


def test_headline_figures_count_active_groups_only(groups):
    figures = headline_figures()
    assert figures["active_groups"] == 3
    # A and B give 40 and 60; C gives none and counts as an average group (50).
    assert figures["estimated_members"] == 150
    assert figures["municipalities"] == 2
    assert figures["registered_with_police"] == 1
    assert figures["share_police"] == 33
    assert figures["share_municipality"] == 33


def test_provinces_estimate_members_like_the_headline(anonymous, groups):
    response = anonymous.get(reverse("groups:figures"))
    members = {row["province"]: row["members"] for row in response.context["provinces"]}
    assert members == {"Noord-Holland": 100, "Utrecht": 50}
    assert sum(members.values()) == response.context["headline"]["estimated_members"]


def test_headline_figures_on_an_empty_site(db):
    figures = headline_figures()
    assert figures["active_groups"] == 0 and figures["share_police"] == 0


def test_growth_counts_confirmations_per_month_and_running_total(groups):
    rows = growth_per_month(months=24)
    assert len(rows) == 24
    # C was confirmed before the window: it is in the starting total.
    assert rows[0]["total"] >= 1
    assert rows[-1]["total"] == 3
    assert sum(row["new"] for row in rows) == 2


def test_figures_page_shows_tables_and_svg_charts(anonymous, groups, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = anonymous.get(reverse("groups:figures"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 2
    assert 'style="' not in html
    provinces = {row["province"]: row["count"] for row in response.context["provinces"]}
    assert provinces == {"Noord-Holland": 2, "Utrecht": 1}
    municipalities = {
        row["municipality__name"]: row["count"] for row in response.context["municipalities"]
    }
    assert sum(municipalities.values()) == 3
    for canary in (*CANARY.values(), *OTHER_CANARY.values()):
        assert canary not in html


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart([("Utrecht", 10), ("Zeeland", 5)], width=660, label_width=150)
    assert chart.bars[0].width == 450 and chart.bars[1].width == 225
    assert chart.bars[1].y > chart.bars[0].y


def test_line_chart_puts_the_maximum_at_the_top():
    chart = line_chart([("a", 0), ("b", 5), ("c", 10)])
    assert chart.dots[2]["y"] == chart.top
    assert chart.dots[0]["y"] == chart.bottom


def test_headline_include_renders(groups):
    from django.template.loader import render_to_string

    html = render_to_string(
        "groups/figures/_headline_figures.html", {"headline": headline_figures()}
    )
    assert "actieve groepen" in html and ">3<" in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_chart_attributes_carry_plain_numbers_in_every_language(anonymous, groups, prefix):
    """A Dutch decimal comma inside an SVG attribute ("215,0") makes the bar vanish."""
    import re

    response = anonymous.get(prefix + reverse("groups:figures"))
    html = response.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert not re.findall(r'\s[\w-]+="-?\d+,\d+"', svg)
        widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
        assert all(width > 0 for width in widths)


@pytest.mark.parametrize(("prefix", "march"), [("", "Mrt"), ("/en", "Mar")])
def test_growth_chart_names_its_months_in_the_page_language(anonymous, groups, prefix, march):
    response = anonymous.get(prefix + reverse("groups:figures"))
    labels = [dot["label"] for dot in response.context["growth_chart"].dots]
    year = timezone.localdate().year
    assert f"{march} {year - 1}" in labels  # 24 months back always hold last year's March

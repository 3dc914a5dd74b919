"""manage.py seed_demo: demo groups over the real postcodes, deterministic per seed."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from groups.models import Coverage, Group, GroupAdmin, GroupStatus, JoinRequest, JoinRequestStatus
from wabp.models import User

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list:
    return (
        list(
            Group.objects.order_by("slug").values_list(
                "slug", "name", "area_id", "platform", "member_count", "registered_with_police"
            )
        )
        + sorted(Coverage.objects.values_list("group__slug", "postcode_id"))
        + sorted(User.objects.values_list("email", "first_name", "last_name"))
    )


def clear() -> None:
    JoinRequest.objects.all().delete()
    Group.objects.all().delete()
    User.objects.all().delete()


def test_seed_demo_makes_active_groups_with_admins_and_coverage(areas):
    output = seed("--groups", "50", "--seed", "3")

    assert Group.objects.count() == 50
    assert not Group.objects.exclude(status=GroupStatus.ACTIVE).exists()
    assert set(Group.objects.values_list("area__code", flat=True)) <= set(areas)
    assert not Group.objects.filter(municipality__isnull=True).exists()
    covered = Group.objects.filter(coverage__isnull=False).distinct().count()
    assert 15 <= covered <= 45  # about 60%
    # Coverage stays inside the group's own area.
    assert not Coverage.objects.exclude(area=F("group__area")).exists()
    for group in Group.objects.all():
        assert 1 <= GroupAdmin.objects.filter(group=group).count() <= 3
    assert not User.objects.exclude(email__contains="example.org").exists()
    states = set(JoinRequest.objects.values_list("status", flat=True))
    assert states == set(JoinRequestStatus.values)
    assert JoinRequest.objects.unanswered().exists()
    assert "50 groepen" in output
    # The demo groups show up in search.
    assert Group.objects.active().near(52.3710, 4.9042, 10).exists()


def test_seed_demo_is_deterministic_for_a_seed(areas):
    seed("--groups", "50", "--seed", "11")
    first = snapshot()
    clear()

    seed("--groups", "50", "--seed", "11")
    assert snapshot() == first
    clear()

    seed("--groups", "50", "--seed", "12")
    assert snapshot() != first


def test_seed_demo_if_empty_does_nothing_when_groups_exist(group_a):
    output = seed("--groups", "50", "--if-empty")

    assert Group.objects.count() == 1
    assert "doet niets" in output


def test_seed_demo_without_postcodes_says_to_import_them(db):
    with pytest.raises(CommandError, match="import_postcodes"):
        seed("--groups", "5")


def test_demo_participants_add_up_to_what_the_about_page_says(areas):
    """9,300 demo groups make about the 500,000 participants "Over ons" speaks of."""
    from pathlib import Path

    from groups.figures.stats import headline_figures

    about = (Path(__file__).parents[2] / "wabp/content/over-ons.nl.md").read_text()
    assert "500.000 deelnemers" in about
    seed("--groups", "600", "--seed", "5")
    per_group = headline_figures()["estimated_members"] / 600
    assert 450_000 <= per_group * 9300 <= 550_000

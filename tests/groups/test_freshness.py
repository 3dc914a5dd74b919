"""The yearly "still active?" round: mail, reminder, inactive, one-click reactivation."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import RECONFIRM_GRACE, Group, GroupStatus
from groups.tokens import reconfirm_token
from tests.groups.conftest import make_group
from wabp.models import OutboundEmail
from wabp.signed import GROUP_RECONFIRM


def daily() -> None:
    call_command("send_reconfirmations", stdout=StringIO())


def mails(kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=kind))


@pytest.fixture
def stale_group(areas, group_admin) -> Group:
    """Active, last confirmed a year and a day ago."""
    long_ago = timezone.now() - timedelta(days=366)
    return make_group("Oude Buurtgroep", "1013", admins=[group_admin], last_confirmed_at=long_ago)


def test_groups_confirmed_within_a_year_are_not_asked(group_a):
    daily()
    assert mails("reconfirm_request") == []


def test_stale_group_is_asked_once(stale_group, group_admin):
    daily()
    daily()
    asked = mails("reconfirm_request")
    assert [m.to for m in asked] == [group_admin.email]
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is not None
    assert stale_group.status == GroupStatus.ACTIVE


def test_reminder_after_two_weeks_then_inactive_after_the_grace_period(stale_group):
    start = timezone.now()
    daily()
    with time_machine.travel(start + timedelta(days=13), tick=False):
        daily()
    assert mails("reconfirm_reminder") == []
    with time_machine.travel(start + timedelta(days=15), tick=False):
        daily()
        daily()
    assert len(mails("reconfirm_reminder")) == 1
    with time_machine.travel(start + timedelta(days=29), tick=False):
        daily()
    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.ACTIVE
    with time_machine.travel(start + timedelta(days=31), tick=False):
        daily()
    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.INACTIVE
    assert not Group.objects.active().filter(pk=stale_group.pk).exists()


def test_one_click_link_confirms_without_login(client, stale_group):
    daily()
    link = re.search(r"https?://[^/\s]+(/\S+)", mails("reconfirm_request")[0].body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is not None  # GET changes nothing

    client.post(link)
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None
    assert stale_group.last_confirmed_at > timezone.now() - timedelta(minutes=1)


def test_one_click_link_reactivates_an_inactive_group(client, stale_group):
    # Inactive the way the daily round does it: asked, never answered, past the grace period.
    daily()
    link = re.search(r"https?://[^/\s]+(/\S+)", mails("reconfirm_request")[0].body).group(1)
    with time_machine.travel(timezone.now() + RECONFIRM_GRACE + timedelta(days=1), tick=False):
        daily()
    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.INACTIVE

    client.post(link)
    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.ACTIVE


def test_one_click_link_does_not_reactivate_a_group_its_admin_stopped(
    client, group_admin_client, stale_group
):
    daily()
    link = re.search(r"https?://[^/\s]+(/\S+)", mails("reconfirm_request")[0].body).group(1)
    group_admin_client.post(
        reverse("groups:status", args=[stale_group.slug]),
        {"action": "deactivate", "confirmed": "yes"},
    )

    page = client.post(link)

    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.INACTIVE
    assert page.status_code == 200
    assert "Bedankt" not in page.text


def test_one_click_link_does_not_lift_a_suspension(client, stale_group):

    stale_group.suspend()
    client.post(reverse("groups:reconfirm", args=[reconfirm_token(stale_group)]))
    stale_group.refresh_from_db()
    assert stale_group.status == GroupStatus.SUSPENDED


def test_tampered_link_is_404(client, stale_group):

    token = reconfirm_token(stale_group)
    assert client.get(reverse("groups:reconfirm", args=[token + "x"])).status_code == 404


def test_reconfirmed_group_is_asked_again_a_year_later(client, stale_group):

    daily()
    client.post(reverse("groups:reconfirm", args=[reconfirm_token(stale_group)]))
    daily()
    assert len(mails("reconfirm_request")) == 1
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        daily()
    assert len(mails("reconfirm_request")) == 2


def test_logged_in_admin_can_confirm_from_the_admin_area(group_admin_client, stale_group):
    daily()
    page = group_admin_client.get(reverse("groups:manage", args=[stale_group.slug])).text
    assert "Ja, de groep is nog actief" in page
    group_admin_client.post(
        reverse("groups:status", args=[stale_group.slug]), {"action": "reconfirm"}
    )
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None


# A link belongs to its round ------------------------------------------------------------


def mailed_link(kind: str = "reconfirm_request", n: int = -1) -> str:
    body = list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))[n].body
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_a_link_of_an_earlier_round_no_longer_confirms(client, stale_group):
    daily()
    first = mailed_link()
    client.post(mailed_link())  # answered: round 1 is closed
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        daily()
        second = mailed_link()
        assert second != first

        page = client.post(first)
        stale_group.refresh_from_db()
        assert stale_group.reconfirm_sent_at is not None  # round 2 is still unanswered
        assert "Deze link is niet meer nodig" in page.text

        client.post(second)
        stale_group.refresh_from_db()
        assert stale_group.reconfirm_sent_at is None


def test_a_link_stops_working_once_the_group_is_confirmed_another_way(
    client, group_admin_client, stale_group
):
    daily()
    link = mailed_link()
    group_admin_client.post(
        reverse("groups:status", args=[stale_group.slug]), {"action": "reconfirm"}
    )
    stale_group.refresh_from_db()
    confirmed = stale_group.last_confirmed_at

    page = client.post(link)

    stale_group.refresh_from_db()
    assert stale_group.last_confirmed_at == confirmed
    assert page.status_code == 200
    assert "Deze link is niet meer nodig" in page.text


def test_a_link_mailed_before_rounds_were_numbered_answers_the_open_round(client, stale_group):
    legacy = GROUP_RECONFIRM.make(stale_group.pk)  # a link mailed before rounds were numbered
    url = reverse("groups:reconfirm", args=[legacy])
    assert "Deze link is niet meer nodig" in client.post(url).text  # no round open

    daily()
    client.post(url)

    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None
    assert stale_group.last_confirmed_at > timezone.now() - timedelta(minutes=1)


def test_a_stale_instance_cannot_issue_a_link_for_an_earlier_round(client, stale_group):
    daily()  # round 1, via another instance of the group

    client.post(reverse("groups:reconfirm", args=[reconfirm_token(stale_group)]))

    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None


def test_a_backlog_is_asked_a_batch_per_run_longest_unconfirmed_first_and_never_twice(
    settings, areas, group_admin
):
    settings.RECONFIRM_PER_RUN = 2
    now = timezone.now()
    names = ["Tweede Buurtgroep", "Oudste Buurtgroep", "Derde Buurtgroep"]
    for name, days in zip(names, [800, 900, 400], strict=True):
        make_group(name, "1013", admins=[group_admin], last_confirmed_at=now - timedelta(days=days))

    def asked() -> list[str]:
        return sorted(
            Group.objects.filter(reconfirm_sent_at__isnull=False).values_list("name", flat=True)
        )

    daily()
    assert asked() == ["Oudste Buurtgroep", "Tweede Buurtgroep"]
    assert len(mails("reconfirm_request")) == 2
    daily()
    daily()
    assert asked() == sorted(names)
    assert len(mails("reconfirm_request")) == 3


def test_the_scheduler_runs_the_reconfirmation_round_at_its_slot(stale_group, run_tasks):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from wabp import schedule

    slot = datetime(2026, 12, 1, 8, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    stale_group.last_confirmed_at = slot - timedelta(days=366)
    stale_group.save(update_fields=["last_confirmed_at"])
    with time_machine.travel(slot + timedelta(minutes=1), tick=False):
        schedule.run_due()
        schedule.run_due()
        run_tasks()
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at == slot + timedelta(minutes=1)

    with time_machine.travel(slot + timedelta(hours=1, minutes=1), tick=False):
        schedule.run_due()
        run_tasks()
    assert len(mails("reconfirm_request")) == 1

"""The monthly test: opt in per group, a monthly reminder, one-click confirmation from the
mail, "laatst getest" on the group page, and the yearly "still active?" round skipping
groups that test."""

import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import (
    Group,
    GroupAdmin,
    GroupStatus,
    first_of_month,
)
from groups.tasks import send_monthly_test_reminders
from groups.tokens import monthly_test_stop_token, monthly_test_token
from tests.groups.conftest import make_group, make_user
from wabp import status
from wabp.models import OutboundEmail

# Mid-month in Amsterdam, so "this month" is unambiguous in UTC and local time.
DECEMBER = datetime(2026, 12, 10, 10, 0, tzinfo=timezone.get_default_timezone())


def reminders() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind="monthly_test").order_by("pk"))


def link(mail: OutboundEmail, path_part: str) -> str:
    return next(url for url in re.findall(r"https?://[^/\s]+(/\S+)", mail.body) if path_part in url)


def opt_in(group: Group, user, on: bool = True) -> GroupAdmin:
    membership = GroupAdmin.objects.get(group=group, user=user)
    membership.monthly_test = on
    membership.save()
    return membership


@pytest.fixture
def in_december():
    with time_machine.travel(DECEMBER, tick=False):
        yield


# Opting in and out ---------------------------------------------------------------------


def test_admin_opts_in_and_out_per_group(group_admin_client, group_admin, group_a, areas):
    second = make_group("Buurtwacht Lastage", areas["1011"], admins=[group_admin])
    url = reverse("groups:monthly_test", args=[group_a.slug])
    page = group_admin_client.get(url)
    assert "Testbericht van Buurtpreventie Nieuwmarkt" in page.content.decode()

    group_admin_client.post(url, {"action": "on"})
    assert GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test
    assert not GroupAdmin.objects.get(group=second, user=group_admin).monthly_test

    group_admin_client.post(url, {"action": "off"})
    assert not GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test


def test_another_groups_admin_cannot_opt_in_for_a_group(other_admin_client, group_a, group_b):
    url = reverse("groups:monthly_test", args=[group_a.slug])
    assert other_admin_client.post(url, {"action": "on"}).status_code == 404
    assert not GroupAdmin.objects.filter(group=group_a, monthly_test=True).exists()


def test_the_test_message_asks_members_not_to_reply_and_names_112(group_admin_client, group_a):
    page = group_admin_client.get(reverse("groups:monthly_test", args=[group_a.slug]))
    text = page.content.decode()
    assert "Je hoeft niet te reageren" in text
    assert "112" in text
    assert 'data-copy="chat-message"' in text


def test_the_test_message_is_in_english_for_an_english_page(group_admin_client, group_a):
    page = group_admin_client.get("/en" + reverse("groups:monthly_test", args=[group_a.slug]))
    assert "Test message from Buurtpreventie Nieuwmarkt" in page.content.decode()


def test_admin_confirms_from_the_admin_page(group_admin_client, group_a):
    url = reverse("groups:monthly_test", args=[group_a.slug])
    group_admin_client.post(url, {"action": "tested"})
    group_a.refresh_from_db()
    assert group_a.last_tested_at is not None


# The monthly reminder -------------------------------------------------------------------


def test_reminder_goes_once_a_month_to_each_opted_in_admin(in_december, group_a, group_admin):
    opt_in(group_a, group_admin)
    assert send_monthly_test_reminders() == 1
    assert send_monthly_test_reminders() == 0
    with time_machine.travel(DECEMBER + timedelta(days=15), tick=False):  # still December
        assert send_monthly_test_reminders() == 0
    with time_machine.travel(DECEMBER + timedelta(days=25), tick=False):  # January
        assert send_monthly_test_reminders() == 1
    assert [m.to for m in reminders()] == [group_admin.email, group_admin.email]


def test_reminder_only_for_active_groups_and_active_opted_in_admins(
    in_december, group_a, group_admin, group_b, other_admin, areas
):
    quiet = make_user("niet.aangezet@example.test")
    gone = make_user("vertrokken@example.test", is_active=False)
    stopped = make_group("Gestopte groep", areas["1013"], admins=[group_admin])
    for user in (quiet, gone):
        GroupAdmin.objects.create(group=group_a, user=user)
    opt_in(group_a, group_admin)
    opt_in(group_a, gone)
    opt_in(stopped, group_admin)
    stopped.deactivate()
    # group B's admin did not opt in
    assert send_monthly_test_reminders() == 1
    assert [m.to for m in reminders()] == [group_admin.email]
    assert "Buurtpreventie Nieuwmarkt" in reminders()[0].subject


def test_group_already_tested_this_month_gets_no_reminder(in_december, group_a, group_admin):
    opt_in(group_a, group_admin)
    group_a.record_test(by=group_admin)
    assert send_monthly_test_reminders() == 0


def test_reminder_is_in_the_admins_language(in_december, group_a, group_admin):
    group_admin.language = "en"
    group_admin.save()
    opt_in(group_a, group_admin)
    send_monthly_test_reminders()
    mail = reminders()[0]
    assert "test message" in mail.subject
    assert "Test message from Buurtpreventie Nieuwmarkt" in mail.body
    assert "/en/beheer/testbericht/" in mail.body


def test_reminder_has_a_one_click_unsubscribe_header(in_december, group_a, group_admin):
    opt_in(group_a, group_admin)
    send_monthly_test_reminders()
    headers = reminders()[0].headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/beheer/testbericht-stoppen/" in headers["List-Unsubscribe"]


def test_the_job_is_scheduled():
    from wabp.schedule import jobs

    assert "monthly_test_reminders" in jobs()


# Confirming from the mail ------------------------------------------------------------------


def test_one_click_from_the_mail_confirms_without_login(in_december, client, group_a, group_admin):
    opt_in(group_a, group_admin)
    send_monthly_test_reminders()
    url = link(reminders()[0], "/beheer/testbericht/")

    page = client.get(url)  # what a mail scanner does: nothing changes
    assert "Ik heb het testbericht geplaatst" in page.content.decode()
    group_a.refresh_from_db()
    assert group_a.last_tested_at is None

    page = client.post(url)
    assert "Bedankt" in page.content.decode()
    group_a.refresh_from_db()
    assert group_a.last_tested_at == DECEMBER


def test_a_second_confirmation_says_already_confirmed(in_december, client, group_a, group_admin):
    url = reverse(
        "groups:monthly_test_confirm",
        args=[monthly_test_token(opt_in(group_a, group_admin), first_of_month(DECEMBER.date()))],
    )
    client.post(url)
    with time_machine.travel(DECEMBER + timedelta(days=2), tick=False):
        page = client.post(url)
        assert "Al bevestigd" in page.content.decode()
        assert client.get(url).content.decode().count("Al bevestigd") >= 1
    group_a.refresh_from_db()
    assert group_a.last_tested_at == DECEMBER


def test_the_token_names_group_and_month_and_expires(in_december, client, group_a, group_admin):
    membership = opt_in(group_a, group_admin)
    november = DECEMBER.date().replace(month=11, day=1)
    with time_machine.travel(DECEMBER - timedelta(days=30), tick=False):
        token = monthly_test_token(membership, november)
    url = reverse("groups:monthly_test_confirm", args=[token])
    # November's link read in December: it counts for November, so it is recorded now.
    client.post(url)
    group_a.refresh_from_db()
    assert group_a.last_tested_at == DECEMBER
    with time_machine.travel(DECEMBER + timedelta(days=16), tick=False):  # 46 days old
        assert client.get(url).status_code == 404


def test_forged_or_tampered_token_is_404(client, group_a, group_admin):
    token = monthly_test_token(opt_in(group_a, group_admin), first_of_month(timezone.localdate()))
    assert client.get(reverse("groups:monthly_test_confirm", args=["forged"])).status_code == 404
    response = client.post(reverse("groups:monthly_test_confirm", args=[token[:-1] + "x"]))
    assert response.status_code == 404
    group_a.refresh_from_db()
    assert group_a.last_tested_at is None


def test_link_of_an_admin_who_left_the_group_is_404(client, group_a, group_admin):
    membership = opt_in(group_a, group_admin)
    token = monthly_test_token(membership, first_of_month(timezone.localdate()))
    membership.delete()
    assert client.post(reverse("groups:monthly_test_confirm", args=[token])).status_code == 404


def test_an_inactive_group_records_no_test(client, group_a, group_admin):
    token = monthly_test_token(opt_in(group_a, group_admin), first_of_month(timezone.localdate()))
    group_a.deactivate()
    client.post(reverse("groups:monthly_test_confirm", args=[token]))
    group_a.refresh_from_db()
    assert group_a.last_tested_at is None


def test_confirming_is_in_the_audit_log(group_a, group_admin):
    from auditlog.models import LogEntry

    group_a.record_test(by=group_admin)
    entry = LogEntry.objects.get_for_object(group_a).get(
        additional_data__event="monthly_test_confirmed"
    )
    assert entry.actor == group_admin


# Stopping the reminder from the mail -----------------------------------------------------


def test_the_stop_link_switches_the_reminder_off_for_that_group(client, group_a, group_admin):
    url = reverse(
        "groups:monthly_test_stop", args=[monthly_test_stop_token(opt_in(group_a, group_admin))]
    )
    assert "Ja, stop de herinnering" in client.get(url).content.decode()
    assert GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test  # GET: nothing

    client.post(url, {"action": "off"})
    assert not GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test
    client.post(url, {"action": "on"})
    assert GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test


def test_rfc_8058_one_click_stops_the_reminder(client, group_a, group_admin):
    token = monthly_test_stop_token(opt_in(group_a, group_admin))
    url = reverse("groups:monthly_test_stop_one_click", args=[token])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not GroupAdmin.objects.get(group=group_a, user=group_admin).monthly_test
    assert client.post(reverse("groups:monthly_test_stop_one_click", args=["x"])).status_code == 404


# The yearly "still active?" round -----------------------------------------------------------


def reconfirmations() -> None:
    call_command("send_reconfirmations", stdout=StringIO())


@pytest.fixture
def stale_group(areas, group_admin) -> Group:
    """Active, last confirmed a year and a day ago."""
    return make_group(
        "Oude Buurtgroep",
        "1013",
        admins=[group_admin],
        last_confirmed_at=timezone.now() - timedelta(days=366),
    )


def test_a_group_tested_recently_is_not_asked_still_active(stale_group, group_admin):
    stale_group.last_tested_at = timezone.now() - timedelta(days=80)
    stale_group.save()
    reconfirmations()
    assert not OutboundEmail.objects.filter(kind="reconfirm_request").exists()
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None


def test_a_group_tested_long_ago_is_asked_as_before(stale_group, group_admin):
    stale_group.last_tested_at = timezone.now() - timedelta(days=100)
    stale_group.save()
    reconfirmations()
    assert [m.to for m in OutboundEmail.objects.filter(kind="reconfirm_request")] == [
        group_admin.email
    ]


def test_confirming_a_test_ends_the_still_active_round(client, stale_group, group_admin):
    reconfirmations()
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is not None
    token = monthly_test_token(
        opt_in(stale_group, group_admin), first_of_month(timezone.localdate())
    )
    client.post(reverse("groups:monthly_test_confirm", args=[token]))
    stale_group.refresh_from_db()
    assert stale_group.reconfirm_sent_at is None
    assert stale_group.last_confirmed_at > timezone.now() - timedelta(minutes=1)
    assert stale_group.status == GroupStatus.ACTIVE


# Where the test shows ------------------------------------------------------------------------


def test_group_page_shows_laatst_getest_only_once_tested(client, group_a, group_admin):
    url = group_a.get_absolute_url()
    assert "Laatst getest" not in client.get(url).content.decode()
    with time_machine.travel(DECEMBER, tick=False):
        group_a.record_test(by=group_admin)
    text = client.get(url).content.decode()
    assert "Laatst getest" in text
    assert "december 2026" in text


def test_admin_overview_shows_laatst_getest(group_admin_client, group_a, group_admin):
    with time_machine.travel(DECEMBER, tick=False):
        group_a.record_test(by=group_admin)
    assert (
        "Laatst getest: december 2026"
        in group_admin_client.get(reverse("groups:dashboard")).content.decode()
    )
    assert (
        "laatst getest"
        in group_admin_client.get(reverse("groups:manage", args=[group_a.slug])).content.decode()
    )


# The board --------------------------------------------------------------------------------


def test_board_sees_the_share_of_active_groups_that_test(
    group_a, group_admin, group_b, other_admin, areas
):
    make_group("Buurtwacht Lastage", areas["1011"], admins=[other_admin])
    third = make_group("Buurtwacht Oost", areas["1013"], admins=[other_admin])
    opt_in(group_a, group_admin)
    group_a.record_test(by=group_admin)
    third.last_tested_at = timezone.now() - timedelta(days=70)  # longer than 2 months ago
    third.save()
    figures = {
        f["label"]: f["count"] for f in status.app_figures() if f["section"] == "Maandelijkse test"
    }
    assert figures == {
        "% van de actieve groepen met een beheerder die maandelijks test": 25,
        "% van de actieve groepen getest in de afgelopen 2 maanden": 25,
    }


def test_board_filters_groups_that_test_in_the_admin(board_client, group_a, group_admin, group_b):
    opt_in(group_a, group_admin)
    url = reverse("admin:groups_group_changelist")
    text = board_client.get(url, {"test": "aan"}).content.decode()
    assert group_a.name in text
    assert group_b.name not in text
    text = board_client.get(url, {"test": "nee"}).content.decode()
    assert group_b.name in text
    assert group_a.name not in text


def test_the_management_command_sends_the_reminders(group_a, group_admin):
    opt_in(group_a, group_admin)
    out = StringIO()
    call_command("send_monthly_test_reminders", stdout=out)
    assert out.getvalue().strip() == "reminded 1 admins of the monthly test"

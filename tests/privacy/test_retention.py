"""Retention on a frozen clock: `manage.py purge_expired` deletes a row just outside its
period and keeps a row just inside it, for every kind of personal data with a period."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groups.models import (
    Broadcast,
    BroadcastDelivery,
    Group,
    GroupStatus,
    Invitation,
    JoinRequest,
    SignRequest,
    SignRequestStatus,
    WaitingListEntry,
)
from panels.models import PanelInvitation, PanelMail, PanelMailKind, Response
from tests.conftest import make_user
from tests.groups.conftest import make_group, make_join_request
from tests.panels.conftest import add_member, admins_panel, answer_data, make_round
from wabp import registry
from wabp.models import OutboundEmail, RateLimitWindow, User
from wabp.tasks import deliver_email

NOW = timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.UTC)
# How far from the edge "just inside" and "just outside" are.
MARGIN = timedelta(hours=1)
YEAR = timedelta(days=365)
MONTH = timedelta(days=30)


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_expired", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ago(**kwargs):
    return NOW - timedelta(**kwargs)


def inside(period: timedelta):
    return NOW - period + MARGIN


def outside(period: timedelta):
    return NOW - period - MARGIN


@pytest.fixture
def group(areas) -> Group:
    """An active group whose join requests the tests age."""
    admin = make_user("beheerder@example.test")
    return make_group("Buurtpreventie Nieuwmarkt", areas["1011"], admins=[admin])


# Join requests: 30 days after handling, 60 days when never handled -----------------------


def test_handled_requests_go_30_days_after_handling(frozen, group):
    old = make_join_request(
        group, status="accepted", handled_at=ago(days=31), created_at=ago(days=40)
    )
    recent = make_join_request(
        group, status="declined", handled_at=ago(days=29), created_at=ago(days=90)
    )
    purge()
    assert list(JoinRequest.objects.all()) == [recent]
    assert not JoinRequest.objects.filter(pk=old.pk).exists()


def test_open_requests_go_after_60_days(frozen, group):
    unconfirmed = make_join_request(group, status="unconfirmed", created_at=ago(days=61))
    unhandled = make_join_request(group, created_at=ago(days=61))
    young = make_join_request(group, created_at=ago(days=59))
    purge()
    assert set(JoinRequest.objects.values_list("pk", flat=True)) == {young.pk}
    assert not JoinRequest.objects.filter(pk__in=[unconfirmed.pk, unhandled.pk]).exists()


def test_requests_expire_as_the_clock_moves_on(group):
    with time_machine.travel(NOW, tick=False) as traveller:
        make_join_request(group, status="accepted")
        traveller.shift(timedelta(days=29))
        purge()
        assert JoinRequest.objects.count() == 1
        traveller.shift(timedelta(days=2))
        purge()
        assert JoinRequest.objects.count() == 0


def test_dry_run_prints_counts_and_deletes_nothing(frozen, group):
    make_join_request(group, status="accepted", handled_at=ago(days=31))
    output = purge("--dry-run")
    assert "join requests: 1 would be deleted" in output
    assert JoinRequest.objects.count() == 1


def test_dry_run_prints_every_rules_period(frozen, db):
    output = purge("--dry-run")

    assert "(kept 30 days after handling; 60 days when never handled)" in output
    for rule in registry.RETENTION_RULES:
        assert f"{rule.name}: 0 would be deleted (kept {rule.period})" in output


# Waiting list: a year; a month when the address was never confirmed ---------------------


def waiting(email: str, created_at, confirmed: bool) -> WaitingListEntry:
    return WaitingListEntry.objects.create(
        email=email,
        area_id="1011",
        created_at=created_at,
        confirmed_at=created_at + timedelta(minutes=5) if confirmed else None,
    )


def remaining_emails() -> set[str]:
    return set(WaitingListEntry.objects.values_list("email", flat=True))


def test_confirmed_waiting_list_entries_are_kept_a_year(frozen, areas):
    waiting("binnen@example.test", inside(YEAR), confirmed=True)
    waiting("buiten@example.test", outside(YEAR), confirmed=True)

    purge()

    assert remaining_emails() == {"binnen@example.test"}


def test_notified_waiting_list_entries_also_go_after_a_year(frozen, areas):
    kept = waiting("binnen@example.test", inside(YEAR), confirmed=True)
    gone = waiting("buiten@example.test", outside(YEAR), confirmed=True)
    WaitingListEntry.objects.filter(pk__in=[kept.pk, gone.pk]).update(notified_at=NOW)

    purge()

    assert remaining_emails() == {"binnen@example.test"}


def test_unconfirmed_waiting_list_entries_are_kept_a_month(frozen, areas):
    waiting("binnen@example.test", inside(MONTH), confirmed=False)
    waiting("buiten@example.test", outside(MONTH), confirmed=False)
    # Confirmed, the same age: well within its year.
    waiting("bevestigd@example.test", outside(MONTH), confirmed=True)

    purge()

    assert remaining_emails() == {"binnen@example.test", "bevestigd@example.test"}


# Sessions: expired ones are removed (clearsessions) ----------------------------------------


def session(expires_at) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=expires_at)
    return store.session_key


def test_expired_sessions_are_removed_and_live_ones_kept(frozen, db):
    live = session(NOW + timedelta(minutes=1))
    session(NOW - timedelta(minutes=1))

    purge()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_a_login_session_goes_once_its_two_weeks_are_over(frozen, client, learner, settings):
    client.force_login(learner)
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)

    frozen.shift(age - MARGIN)
    purge()
    assert Session.objects.count() == 1

    frozen.shift(2 * MARGIN)
    purge()
    assert Session.objects.count() == 0


# Outgoing mail: 30 days after sending; undeliverable mail is given up after 30 days -------


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


def test_sent_mail_is_kept_30_days_after_sending(frozen, db):
    for to, sent_at in [
        ("binnen@example.test", inside(timedelta(days=30))),
        ("buiten@example.test", outside(timedelta(days=30))),
    ]:
        mail = OutboundEmail.objects.create(to=to, subject="s", body="b", kind="k")
        OutboundEmail.objects.filter(pk=mail.pk).update(sent_at=sent_at, created_at=sent_at)

    purge()

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["binnen@example.test"]


def test_undeliverable_mail_is_given_up_after_30_days(frozen, db):
    old = OutboundEmail.objects.create(to="weg@example.test", subject="s", body="b", kind="t")
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=outside(MONTH))
    recent = OutboundEmail.objects.create(to="blijft@example.test", subject="s", body="b", kind="t")
    OutboundEmail.objects.filter(pk=recent.pk).update(created_at=inside(MONTH))

    purge()

    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {"blijft@example.test"}


# Rate limits: one day ----------------------------------------------------------------------


def test_rate_limit_windows_are_kept_one_day(frozen, db):
    RateLimitWindow.objects.create(key="binnen", window_start=inside(timedelta(days=1)), hits=1)
    RateLimitWindow.objects.create(key="buiten", window_start=outside(timedelta(days=1)), hits=1)

    purge()

    assert list(RateLimitWindow.objects.values_list("key", flat=True)) == ["binnen"]


# Login records (django-axes): 30 days --------------------------------------------------------


def login_record(model, username: str, at, **fields):
    record = model.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/account/inloggen/",
        **fields,
    )
    model.objects.filter(pk=record.pk).update(attempt_time=at)


def test_failed_login_records_are_kept_30_days(frozen, db):
    period = timedelta(days=30)
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
    login_record(AccessAttempt, "binnen@example.test", inside(period), **extra)
    login_record(AccessAttempt, "buiten@example.test", outside(period), **extra)

    purge()

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["binnen@example.test"]


def test_successful_login_records_are_kept_30_days(frozen, db):
    period = timedelta(days=30)
    login_record(AccessLog, "binnen@example.test", inside(period))
    login_record(AccessLog, "buiten@example.test", outside(period))

    purge()

    assert list(AccessLog.objects.values_list("username", flat=True)) == ["binnen@example.test"]


# Task results (django-tasks-db): 14 days after finishing -------------------------------------


def test_old_task_results_are_pruned(db, run_tasks):
    deliver_email.enqueue(12345)
    run_tasks()
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=13), tick=False):
        purge()
    assert DBTaskResult.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        purge()
    assert DBTaskResult.objects.count() == 0


def task_result(finished_at, status="SUCCESSFUL") -> str:
    result = deliver_email.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished_at)
    return str(result.id)


@pytest.mark.parametrize("status", ["SUCCESSFUL", "FAILED"])
def test_finished_task_results_are_kept_14_days(frozen, db, status):
    kept = task_result(inside(timedelta(days=14)), status)
    task_result(outside(timedelta(days=14)), status)

    purge()

    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [kept]


def test_queued_tasks_are_never_pruned_however_old(frozen, db):
    waiting_task = deliver_email.enqueue(1)
    DBTaskResult.objects.filter(pk=waiting_task.id).update(enqueued_at=NOW - timedelta(days=90))

    purge()

    assert DBTaskResult.objects.filter(pk=waiting_task.id).exists()


# Unconfirmed registrations and stale co-admin invitations: 30 days --------------------------


def test_unconfirmed_registrations_and_their_accounts_go_after_30_days(frozen, areas):
    stale = make_user("nooit@example.test", is_active=False, date_joined=outside(MONTH))
    make_group("Nooit bevestigd", areas["1011"], admins=[stale], status=GroupStatus.PENDING)
    Group.objects.filter(name="Nooit bevestigd").update(created_at=outside(MONTH))
    fresh = make_user("net@example.test", is_active=False, date_joined=inside(MONTH))
    make_group("Net geregistreerd", areas["1012"], admins=[fresh], status=GroupStatus.PENDING)
    active = make_group("Actief", areas["1013"], admins=[make_user("actief@example.test")])
    Invitation.objects.create(group=active, email="oud@example.test", created_at=outside(MONTH))
    Invitation.objects.create(group=active, email="nieuw@example.test", created_at=inside(MONTH))

    purge()

    assert set(Group.objects.values_list("name", flat=True)) == {"Net geregistreerd", "Actief"}
    assert not User.objects.filter(email="nooit@example.test").exists()
    assert User.objects.filter(email="net@example.test").exists()
    assert list(Invitation.objects.values_list("email", flat=True)) == ["nieuw@example.test"]


# Never-activated accounts: 30 days after signing up ---------------------------------------


def test_accounts_never_activated_go_30_days_after_signing_up(frozen, db):
    make_user("binnen@example.test", is_active=False, date_joined=inside(MONTH))
    make_user("buiten@example.test", is_active=False, date_joined=outside(MONTH))
    make_user("actief@example.test", date_joined=outside(YEAR))

    purge()

    assert set(User.objects.values_list("email", flat=True)) == {
        "binnen@example.test",
        "actief@example.test",
    }


def test_an_old_unactivated_account_that_just_registered_a_group_stays(frozen, areas):
    # Signed up long ago without activating, then registered a group yesterday (the
    # registration form accepts the account's password): the group's period decides.
    user = make_user("laat@example.test", is_active=False, date_joined=outside(YEAR))
    make_group("Net geregistreerd", areas["1011"], admins=[user], status=GroupStatus.PENDING)

    purge()

    assert User.objects.filter(pk=user.pk).exists()


def test_a_real_run_reports_the_rows_of_the_rule_not_what_cascades(frozen, areas):
    stale = make_user("nooit@example.test", is_active=False, date_joined=outside(MONTH))
    make_group(
        "Nooit bevestigd",
        areas["1011"],
        admins=[stale],
        postcodes=["1011AB", "1011AC"],
        status=GroupStatus.PENDING,
        created_at=outside(MONTH),
    )

    dry = purge("--dry-run")
    real = purge()

    assert "unconfirmed registrations: 1 would be deleted" in dry
    assert "unconfirmed registrations: 1 deleted" in real
    assert "never-activated accounts: 1 deleted" in real


# Failed-login log (django-axes, when switched on) and the board's admin history -----------


def test_the_failed_login_log_is_kept_30_days(frozen, db):
    period = timedelta(days=30)
    login_record(AccessFailureLog, "binnen@example.test", inside(period), locked_out=False)
    login_record(AccessFailureLog, "buiten@example.test", outside(period), locked_out=False)

    purge()

    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "binnen@example.test"
    ]


def test_the_admin_history_is_kept_a_year(frozen, board):
    for name, at in [("binnen", inside(YEAR)), ("buiten", outside(YEAR))]:
        entry = LogEntry.objects.create(
            user=board,
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(board.pk),
            object_repr=f"{name}@example.test",
            action_flag=CHANGE,
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=at)

    purge()

    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["binnen@example.test"]


# Broadcast deliveries: a year; declined sign requests: a year after the decision ----------


def test_broadcast_deliveries_are_kept_a_year(frozen, db):
    broadcast = Broadcast.objects.create(subject="Nieuws", body="Tekst", sent_at=outside(YEAR))
    for email, at in [
        ("binnen@example.test", inside(YEAR)),
        ("buiten@example.test", outside(YEAR)),
    ]:
        BroadcastDelivery.objects.create(broadcast=broadcast, user=make_user(email), created_at=at)

    purge()

    assert list(BroadcastDelivery.objects.values_list("user__email", flat=True)) == [
        "binnen@example.test"
    ]


def sign_request(group: Group, street: str, status: str, decided_at) -> SignRequest:
    sign = SignRequest.objects.create(
        group=group,
        municipality=group.municipality,
        street=street,
        reason="Hier wordt vaak ingebroken.",
        status=status,
    )
    SignRequest.objects.filter(pk=sign.pk).update(updated_at=decided_at, created_at=decided_at)
    return sign


def test_declined_sign_requests_are_kept_a_year_after_the_decision(frozen, group):
    sign_request(group, "binnen", SignRequestStatus.DECLINED, inside(YEAR))
    sign_request(group, "buiten", SignRequestStatus.DECLINED, outside(YEAR))
    # A placed sign is still on the street, an open request is still being handled.
    sign_request(group, "geplaatst", SignRequestStatus.PLACED, outside(YEAR))
    sign_request(group, "open", SignRequestStatus.REQUESTED, outside(YEAR))

    purge()

    assert set(SignRequest.objects.values_list("street", flat=True)) == {
        "binnen",
        "geplaatst",
        "open",
    }


# Panel invitations: 30 days after they were made, or when their link expires if later ------


def panel_invitation(email: str, created_at, **fields) -> PanelInvitation:
    return PanelInvitation.objects.create(
        panel=admins_panel(), email=email, created_at=created_at, **fields
    )


def remaining_invitations() -> set[str]:
    return set(PanelInvitation.objects.values_list("email", flat=True))


def test_panel_invitations_are_kept_30_days(frozen, db):
    for email, made in [
        ("binnen@example.test", inside(MONTH)),
        ("buiten@example.test", outside(MONTH)),
    ]:
        invitation = panel_invitation(email, made)
        with time_machine.travel(made, tick=False):
            invitation.issue_token()

    purge()

    assert remaining_invitations() == {"binnen@example.test"}


def test_accepted_and_never_sent_panel_invitations_also_go_after_30_days(frozen, db):
    panel_invitation("geaccepteerd@example.test", outside(MONTH), accepted_at=outside(MONTH))
    panel_invitation("nooit.verstuurd@example.test", outside(MONTH))
    panel_invitation("net.gemaakt@example.test", inside(MONTH))

    purge()

    assert remaining_invitations() == {"net.gemaakt@example.test"}


def test_a_re_sent_panel_invitation_stays_while_its_link_works(frozen, db):
    invitation = panel_invitation("opnieuw@example.test", outside(MONTH))
    frozen.shift(-timedelta(days=5))
    invitation.issue_token()  # valid for three weeks from five days ago
    frozen.shift(timedelta(days=5))

    purge()
    assert remaining_invitations() == {"opnieuw@example.test"}

    frozen.shift(timedelta(days=16) + MARGIN)
    purge()
    assert remaining_invitations() == set()


# Panel mail records: invitations and reminders 30 days after the round closed --------------


def test_round_mail_records_go_30_days_after_the_round_closed(frozen, db):
    member = make_user("lid@example.test")
    kept_round = make_round(
        slug="binnen", opens_at=inside(YEAR), closes_at=inside(MONTH), title="Binnen"
    )
    gone_round = make_round(
        slug="buiten", opens_at=outside(YEAR), closes_at=outside(MONTH), title="Buiten"
    )
    for round in (kept_round, gone_round):
        for kind in PanelMailKind.values:
            PanelMail.objects.create(round=round, user=member, kind=kind)

    purge()

    # The results notice's record stops a second notice: it stays with the account.
    assert set(PanelMail.objects.values_list("round__slug", "kind")) == {
        ("binnen", "invitation"),
        ("binnen", "reminder"),
        ("binnen", "results"),
        ("buiten", "results"),
    }


# Named panel answers of accounts the board deleted ---------------------------------------


def test_named_answers_of_a_deleted_account_go_and_anonymous_answers_stay(frozen, db):
    panel = admins_panel()
    gone, staying = make_user("weg@example.test"), make_user("blijft@example.test")
    for user in (gone, staying):
        add_member(panel, user)
    named = make_round(panel, slug="op-naam")
    anonymous = make_round(panel, slug="anoniem", anonymous=True)
    for user in (gone, staying):
        named.record_answers(user, answer_data(named, text=f"Van {user.email}"))
        anonymous.record_answers(user, answer_data(anonymous))
    gone.delete()  # e.g. by the board in the admin: the named response keeps its date

    purge()

    assert list(named.responses.values_list("user__email", flat=True)) == ["blijft@example.test"]
    assert anonymous.responses.count() == 2
    assert Response.objects.count() == 3


# Every rule is documented -------------------------------------------------------------------


def test_every_retention_rule_is_in_the_privacy_documentation():
    text = (settings.BASE_DIR / "docs" / "privacy.md").read_text(encoding="utf-8")
    section = text.split("## Retention rules", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"\| `([^`]+)`[^|]*\|\n", section))

    assert {rule.name for rule in registry.RETENTION_RULES} <= documented

"""A small world to throw garbage at, clients for its personas, and a row-write counter."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import PASSWORD, make_user
from tests.support import log_in

# Tables a rejected request may still write to: rate-limit counters, django-axes' login
# failures and the session (a logged-in visitor's session is saved on every request).
BOOKKEEPING_TABLES = (
    "wabp_ratelimitwindow",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "django_session",
)


def rows_written() -> int:
    """Rows inserted, updated or deleted so far in this transaction (the test's), bookkeeping
    tables left out. PostgreSQL counts even rows of a rolled-back savepoint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)
            FROM pg_stat_xact_user_tables WHERE NOT relname = ANY(%s)
            """,
            [list(BOOKKEEPING_TABLES)],
        )
        return int(cursor.fetchone()[0])


def reset_limits() -> None:
    """Forget rate-limit counters and login failures, so every example reaches the form."""
    from axes.models import AccessAttempt

    from wabp.models import RateLimitWindow

    RateLimitWindow.objects.all().delete()
    AccessAttempt.objects.all().delete()


@pytest.fixture
def world(db):
    """Two Amsterdam groups with admins, a join request, a waiting list, a course with a
    certificate, an open named and an open anonymous panel round, a panel invitation,
    municipality staff with a sign request."""

    from groups.models import Invitation, SignRequest, WaitingListEntry
    from panels.models import PanelInvitation
    from postcodes.models import Municipality
    from tests.elearning.conftest import make_course, right_answers
    from tests.groups.conftest import load_areas, make_group, make_join_request
    from tests.panels.conftest import add_member, admins_panel, make_round

    areas = load_areas(["1011", "1012"])
    amsterdam = Municipality.objects.get(slug="amsterdam")
    admin = make_user("anna@example.test", last_name="Beheerder", phone="0612345678")
    other_admin = make_user("bert@example.test")
    learner = make_user("lotte@example.test")
    member = make_user("paula@example.test")
    staff = make_user("sanne@example.test", municipality=amsterdam)
    group = make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC"],
        admins=[admin],
        municipality=amsterdam,
    )
    neighbour = make_group(
        "Buurtwacht Dam", areas["1012"], admins=[other_admin], municipality=amsterdam
    )
    join_request = make_join_request(group, status="unconfirmed")
    waiting = WaitingListEntry.objects.add(area=areas["1012"], email="wacht@example.test")
    invitation = Invitation.objects.create(group=group, email="nieuw@example.test")
    sign_request = SignRequest.objects.create(
        group=group, requested_by=admin, municipality=amsterdam, street="Nieuwmarkt"
    )
    course = make_course()
    certificate_attempt = course.submit_attempt(admin, right_answers(course))
    panel = admins_panel()
    add_member(panel, member)
    named_round = make_round(panel)
    anonymous_round = make_round(panel, anonymous=True, slug="anoniem", title="Anoniem")
    edit_key = anonymous_round.record_answers(member, {})
    panel_token = PanelInvitation(panel=panel, email="nieuw.lid@example.test").issue_token()
    return SimpleNamespace(
        admin=admin,
        learner=learner,
        member=member,
        staff=staff,
        group=group,
        neighbour=neighbour,
        join_request=join_request,
        waiting=waiting,
        invitation=invitation,
        sign_request=sign_request,
        course=course,
        certificate=certificate_attempt.user.certificates.get(course=course),
        named_round=named_round,
        anonymous_round=anonymous_round,
        panel=panel,
        panel_token=panel_token,
        edit_key=edit_key,
        password=PASSWORD,
    )


@pytest.fixture
def clients(world):
    """persona -> a logged-in test client; "anonymous" gets a fresh client every time."""
    logged_in = {}
    for persona in ("admin", "learner", "member", "staff"):
        client = Client()
        log_in(client, getattr(world, persona))
        logged_in[persona] = client

    def client_for(persona: str) -> Client:
        return Client() if persona == "anonymous" else logged_in[persona]

    return client_for

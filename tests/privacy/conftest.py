"""Privacy fixtures: a data subject with a footprint in every app.

Personas:
    subject      -- the person exercising their rights: admin of `sole_group` alone and of
                    `shared_group` with `co_admin`; also a learner, a panel member and, with
                    the same e-mail address, a resident who asked to join `other_group`
    co_admin     -- runs `shared_group` with the subject and `other_group` alone
The subject's e-mail and phone (SUBJECT) are distinctive, so a scan of every table can
prove they are gone.
"""

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from elearning.models import Course
from groups.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastOptOut,
    Group,
    GroupAdmin,
    Invitation,
    JoinRequest,
    SignRequest,
    WaitingListEntry,
)
from panels.models import PanelInvitation, PanelMail, Round
from tests.conftest import make_user
from tests.elearning.conftest import make_course, right_answers
from tests.groups.conftest import load_areas, make_group, make_join_request
from tests.panels.conftest import add_member, admins_panel, make_round, questions
from wabp.mail import queue_mail
from wabp.models import Consent, OutboundEmail, User

SUBJECT = {
    "email": "zoe.wisbaar@example.test",
    "phone": "06 31415926",
    "first_name": "Zoë",
    "last_name": "Wisbaar",
}
# The resident whose join request the subject handled: their data is not the subject's.
RESIDENT = {"name": "Rita Bewoner", "email": "rita@example.test", "phone": "0699988877"}
INVITEE = "nieuwe.beheerder@example.test"
NAMED_ANSWER = "Meer straatverlichting graag"
ANONYMOUS_ANSWER = "Anoniem: vaker samen overleggen"


@pytest.fixture
def areas(db):
    return load_areas(["1011", "1012", "1013"])


@pytest.fixture
def subject(db) -> User:
    return make_user(SUBJECT["email"], **{k: v for k, v in SUBJECT.items() if k != "email"})


@pytest.fixture
def co_admin(db) -> User:
    return make_user("cor.mede@example.test", first_name="Cor", phone="0611100022")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)  # also writes django-axes' login record, as a real login does
    return client


@pytest.fixture
def subject_client(subject) -> Client:
    return logged_in(subject)


@dataclass
class Footprint:
    sole_group: Group
    shared_group: Group
    other_group: Group
    handled_request: JoinRequest
    resident_request: JoinRequest
    course: Course
    named_round: Round
    anonymous_round: Round


def answers(round: Round, text: str) -> dict:
    q = questions(round)
    return {q["likert"].field_name: 4, q["open"].field_name: text}


@pytest.fixture
def footprint(areas, subject, co_admin, board) -> Footprint:
    """The subject's data in every app, as the apps themselves would write it."""
    now = timezone.now()
    sole = make_group("Buurtpreventie Alleen", "1011", admins=[subject])
    shared = make_group("Buurtwacht Samen", "1012", admins=[subject, co_admin])
    other = make_group("Buurtapp Elders", "1013", admins=[co_admin])
    for document in (Consent.Document.PRIVACY, Consent.Document.HOUSE_RULES):
        Consent.objects.create(user=subject, document=document, version="2026-1")

    handled = make_join_request(sole, **RESIDENT)
    handled.accept(by=subject)
    resident = make_join_request(
        other,
        name=f"{SUBJECT['first_name']} {SUBJECT['last_name']}",
        email=SUBJECT["email"].upper(),
        phone=SUBJECT["phone"],
    )
    WaitingListEntry.objects.create(
        email=SUBJECT["email"], area_id="1013", postcode_id="1013AA", confirmed_at=now
    )
    Invitation.objects.create(group=other, email=SUBJECT["email"], invited_by=co_admin)
    Invitation.objects.create(group=shared, email=INVITEE, invited_by=subject)
    SignRequest.objects.create(
        group=sole,
        requested_by=subject,
        municipality=sole.municipality,
        street="Hoek Nieuwmarkt",
        reason="Hier wordt vaak ingebroken.",
    )
    broadcast = Broadcast.objects.create(subject="Nieuws van het bestuur", body="Tekst")
    BroadcastDelivery.objects.create(broadcast=broadcast, user=subject)
    BroadcastOptOut.objects.create(user=subject)

    # Mail to the subject, and mail to an admin that quotes the subject as a resident.
    queue_mail(
        to=subject.email,
        template="wabp/mail/existing_account",
        context={"first_name": subject.first_name, "login_link": "x", "reset_link": "y"},
        kind="existing_account",
    )
    OutboundEmail.objects.create(
        to=co_admin.email,
        subject="Nieuwe aanmelding",
        body=f"{resident.name}, {resident.email}, {resident.phone} wil meedoen.",
        kind="join_request_admin",
    )

    course = make_course()
    course.lessons.first().mark_done(subject)
    course.submit_attempt(subject, right_answers(course))

    panel = admins_panel()
    add_member(panel, subject)
    named = make_round(panel, slug="op-naam", title="Ronde op naam")
    named.record_answers(subject, answers(named, NAMED_ANSWER))
    anonymous = make_round(panel, anonymous=True, slug="anoniem", title="Anonieme ronde")
    anonymous.record_answers(subject, answers(anonymous, ANONYMOUS_ANSWER))
    PanelInvitation.objects.create(panel=panel, email=SUBJECT["email"])
    PanelMail.objects.create(round=named, user=subject, kind="invitation")

    AccessAttempt.objects.create(
        username=SUBJECT["email"],
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/account/inloggen/",
        get_data="",
        post_data=f"username={SUBJECT['email']}",
        failures_since_start=2,
    )
    AccessLog.objects.create(
        username=SUBJECT["email"],
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/account/inloggen/",
    )
    LogEntry.objects.create(
        user=board,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(subject.pk),
        object_repr=subject.email,
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["phone"]}}]',
    )
    LogEntry.objects.create(
        user=board,
        content_type=ContentType.objects.get_for_model(GroupAdmin),
        object_id="1",
        object_repr=f"{subject.get_full_name()} – {shared.name}",
        action_flag=CHANGE,
        change_message="[]",
    )
    return Footprint(sole, shared, other, handled, resident, course, named, anonymous)

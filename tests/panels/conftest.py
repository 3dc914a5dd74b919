"""Panel personas and a round factory."""

from datetime import timedelta

import pytest
from django.utils import timezone

from panels.models import (
    ADMINS_PANEL,
    Membership,
    MembershipStatus,
    Option,
    Panel,
    Question,
    QuestionKind,
    Round,
)
from tests.conftest import make_user


def admins_panel() -> Panel:
    # get_or_create: transactional tests flush the rows the data migration made.
    return Panel.objects.get_or_create(slug=ADMINS_PANEL, defaults={"name": "Beheerderspanel"})[0]


def add_member(panel: Panel, user, status=MembershipStatus.ACTIVE) -> Membership:
    return Membership.objects.create(
        panel=panel, user=user, status=status, joined_at=timezone.now()
    )


def make_round(panel: Panel | None = None, *, anonymous=False, slug="werkwijze", **fields) -> Round:
    """A round open from yesterday to next week, with one question of each kind."""
    now = timezone.now()
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", now + timedelta(days=7))
    round = Round.objects.create(
        title=fields.pop("title", "Onze werkwijze"),
        slug=slug,
        introduction="Het bestuur legt **de nieuwe werkwijze** voor.",
        is_anonymous=anonymous,
        **fields,
    )
    round.panels.add(panel or admins_panel())
    Question.objects.create(
        round=round, order=1, kind=QuestionKind.LIKERT, text="Hoe tevreden bent u?",
        low_label="Zeer ontevreden", high_label="Zeer tevreden",
    )  # fmt: skip
    single = Question.objects.create(
        round=round, order=2, kind=QuestionKind.SINGLE, text="Hoe vaak gebruikt u de app?"
    )
    for i, text in enumerate(["Dagelijks", "Wekelijks", "Zelden"]):
        Option.objects.create(question=single, order=i, text=text)
    multiple = Question.objects.create(
        round=round, order=3, kind=QuestionKind.MULTIPLE, text="Welke trainingen kent u?",
        allow_other=True, required=False,
    )  # fmt: skip
    for i, text in enumerate(["E-learning", "Avond met de wijkagent"]):
        Option.objects.create(question=multiple, order=i, text=text)
    Question.objects.create(
        round=round, order=4, kind=QuestionKind.OPEN, text="Wat kan beter?", required=False
    )
    return round


def questions(round: Round) -> dict[str, Question]:
    return {q.kind: q for q in round.questions.all()}


def option_id(round: Round, text: str) -> int:
    return Option.objects.get(question__round=round, text=text).pk


def answer_data(round: Round, likert=4, single="Wekelijks", multiple=(), other="", text=""):
    """POST data for the round's answer form."""
    q = questions(round)
    data = {
        q["likert"].field_name: str(likert),
        q["single"].field_name: str(option_id(round, single)),
    }
    data[q["multiple"].field_name] = [str(option_id(round, m)) for m in multiple]
    data[q["multiple"].other_field_name] = other
    data[q["open"].field_name] = text
    return data


@pytest.fixture
def panel(db) -> Panel:
    return admins_panel()


@pytest.fixture
def member(panel):
    """A group admin who accepted the invitation to the admins' panel."""
    user = make_user("paula@example.test", first_name="Paula", last_name="Panel")
    add_member(panel, user)
    return user


@pytest.fixture
def other_member(panel):
    user = make_user("otto@example.test", first_name="Otto")
    add_member(panel, user)
    return user


@pytest.fixture
def non_member(db):
    """Logged in, but in no panel."""
    return make_user("niels@example.test", first_name="Niels")


@pytest.fixture
def left_member(panel):
    """Was a member and left the panel."""
    user = make_user("lea@example.test", first_name="Lea")
    membership = add_member(panel, user)
    membership.leave()
    return user


@pytest.fixture
def open_round(panel) -> Round:
    return make_round(panel)


@pytest.fixture
def anonymous_round(panel) -> Round:
    return make_round(panel, anonymous=True, slug="anoniem", title="Anonieme ronde")

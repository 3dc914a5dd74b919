"""An anonymous round's answers cannot be tied to who gave them, also while it is open.

The attacker reads the tables, PostgreSQL's system columns included: `xmin` (the
transaction that wrote the row), `ctid` (its physical place, which follows insert
order) and the keys. These tests run in real transactions (`transactional_db`):
inside a test-wide transaction every row would share one xmin and prove nothing.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from panels.models import Participation, Response
from tests.conftest import make_user
from tests.panels.conftest import add_member, admins_panel, answer_data, make_round, questions

RESPONDENTS = 10  # a random order equals the submission order once in 3.6 million runs


@dataclass(frozen=True)
class Row:
    id: str
    xmin: int
    ctid: tuple[int, int]
    text: str  # Response: the open answer; Participation: the user's id


def rows(model, column: str) -> list[Row]:
    """Every row of the table (one round here) with its system columns, in physical order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id::text, xmin::text, ctid::text, {column}::text "
            f"FROM {model._meta.db_table} ORDER BY ctid"
        )
        return [
            Row(id, int(xmin), tuple(int(n) for n in ctid.strip("()").split(",")), text)
            for id, xmin, ctid, text in cursor.fetchall()
        ]


def responses(round) -> list[Row]:
    column = f"answers->>'{questions(round)['open'].field_name}'"
    return rows(Response, f"({column})")


def participations() -> list[Row]:
    return rows(Participation, "user_id")


@pytest.fixture
def round(transactional_db):
    return make_round(admins_panel(), anonymous=True, slug="anoniem")


@pytest.fixture
def members(round):
    users = [make_user(f"lid{n}@example.test") for n in range(RESPONDENTS)]
    for user in users:
        add_member(admins_panel(), user)
    return users


def answer(round, user, text: str, **extra) -> str | None:
    client = Client()
    client.force_login(user)
    url = reverse("panels:round", kwargs={"slug": round.slug})
    page = client.post(url, {**answer_data(round, text=text), **extra})
    assert page.status_code in (200, 302)
    return page.context["key"] if page.status_code == 200 else None


def assert_every_response_was_rewritten(before: list[Row], after: list[Row]) -> None:
    """One transaction wrote all responses anew: xmin, key and place say nothing of any one."""
    assert len({row.xmin for row in after}) == 1
    assert not {row.id for row in before} & {row.id for row in after}
    assert not {row.ctid for row in before} & {row.ctid for row in after}


def test_no_system_column_ties_a_response_to_its_member_while_the_round_is_open(round, members):
    for n, user in enumerate(members):
        before = responses(round)
        answer(round, user, f"antwoord {n}")
        assert_every_response_was_rewritten(before, responses(round))

    stored = responses(round)
    marks = participations()
    assert len(stored) == len(marks) == RESPONDENTS
    # Who answered when, as anyone with the tables can see: participations by xmin.
    submitted = [row.text for row in sorted(marks, key=lambda row: row.xmin)]
    owner = {row.id: str(members[int(row.text.split()[1])].pk) for row in stored}

    # xmin: a participation shares its transaction with all responses or with none.
    for mark in marks:
        same_transaction = [row for row in stored if row.xmin == mark.xmin]
        assert len(same_transaction) in (0, RESPONDENTS)
    # Physical order and key order do not follow the order of submission.
    assert [owner[row.id] for row in stored] != submitted
    assert [owner[row.id] for row in sorted(stored, key=lambda row: row.id)] != submitted
    # Nor does any participation column point at a response.
    assert not {row.id for row in marks} & {row.id for row in stored}


def test_changing_answers_with_the_edit_key_does_not_single_out_the_response(round, members):
    keys = [answer(round, user, f"antwoord {n}") for n, user in enumerate(members[:3])]
    before = responses(round)

    answer(round, members[1], "gewijzigd", edit_key=keys[1])

    after = responses(round)
    assert sorted(row.text for row in after) == ["antwoord 0", "antwoord 2", "gewijzigd"]
    assert_every_response_was_rewritten(before, after)
    # The edit keys still work after the rewrite.
    answer(round, members[0], "weer gewijzigd", edit_key=keys[0])
    assert sorted(row.text for row in responses(round)) == [
        "antwoord 2",
        "gewijzigd",
        "weer gewijzigd",
    ]

"""Panel personas and a round factory."""

import pytest

from panels.models import Panel, Round
from tests.factories import (
    add_member,
    admins_panel,
    answer_data,
    make_round,
    make_user,
    option_id,
    questions,
)

# Re-exported: other suites import the factories from here.
__all__ = [
    "add_member",
    "admins_panel",
    "answer_data",
    "make_round",
    "make_user",
    "option_id",
    "questions",
]


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

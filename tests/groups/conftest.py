"""Groups fixtures: real postcodes, group factories and personas.

Personas read like sentences in tests:
    group_admin   -- admin of `group_a` (Amsterdam 1011), with distinctive private details
    other_admin   -- admin of `group_b` (Amsterdam 1012), another group's admin
    anonymous     -- a test client that is not logged in
    board         -- from tests/conftest.py
Clients logged in as a persona: `group_admin_client`, `other_admin_client`, `board_client`.
"""

import pytest
from django.test import Client

from groups.models import Group
from postcodes.models import Area
from tests.factories import (
    AMSTERDAM,
    ASSEN,
    DEFAULT_AREAS,
    UTRECHT,
    add_coverage,
    load_areas,
    make_group,
    make_join_request,
    make_user,
)
from tests.support import log_in

# Re-exported: other suites import the factories from here.
__all__ = [
    "AMSTERDAM",
    "ASSEN",
    "DEFAULT_AREAS",
    "UTRECHT",
    "add_coverage",
    "load_areas",
    "make_group",
    "make_join_request",
    "make_user",
]

# Private details of the personas: a privacy canary asserts none appear on public pages.
CANARY = {
    "email": "anna.kanarie@example.test",
    "phone": "0612398745",
    "last_name": "Kanariepietersen",
}
OTHER_CANARY = {
    "email": "bert.geheim@example.test",
    "phone": "0687654123",
    "last_name": "Geheimhouder",
}


@pytest.fixture
def areas(db) -> dict[str, Area]:
    """Real PC4 areas with all their PC6 postcodes: Amsterdam 1011-1018, Utrecht 3511-3515,
    Assen 9401-9407."""
    return load_areas()


@pytest.fixture
def group_admin(db):
    """The admin of group A, with distinctive private details (see CANARY)."""
    return make_user(
        CANARY["email"], first_name="Anna", **{k: CANARY[k] for k in ("phone", "last_name")}
    )


@pytest.fixture
def other_admin(db):
    """The admin of group B: another group's admin."""
    return make_user(
        OTHER_CANARY["email"],
        first_name="Bert",
        **{k: OTHER_CANARY[k] for k in ("phone", "last_name")},
    )


@pytest.fixture
def group_a(areas, group_admin) -> Group:
    """An active group in Amsterdam 1011 covering three of its postcodes."""
    return make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC", "1011AD"],
        admins=[group_admin],
        description="Wij letten samen op rond de Nieuwmarkt.",
    )


@pytest.fixture
def group_b(areas, other_admin) -> Group:
    """An active group in Amsterdam 1012 (location only, no coverage)."""
    return make_group("Buurtwacht Dam", areas["1012"], admins=[other_admin])


@pytest.fixture
def anonymous() -> Client:
    """A visitor who is not logged in."""
    return Client()


def _client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def group_admin_client(group_admin, group_a) -> Client:
    return _client_for(group_admin)


@pytest.fixture
def other_admin_client(other_admin, group_b) -> Client:
    return _client_for(other_admin)


@pytest.fixture
def board_client(board) -> Client:
    return _client_for(board)


# Join requests and the admin area (tests/groups/test_join*.py, test_beheer*.py) -------------


@pytest.fixture
def pending_request(group_a):
    """A confirmed join request for group A, waiting for its admin."""
    return make_join_request(group_a, name="Rita Bewoner", email="rita@example.test")

"""Data found by e-mail address belongs to an account only once it has verified the address.

Join requests, waiting-list entries and invitations are made without logging in; the
download and the erasure find them by address. An account that never proved it reads that
mailbox -- anyone can sign up with any address -- gets none of them, and deletes none.
"""

import pytest

from groups.models import Invitation, JoinRequest, WaitingListEntry
from panels.models import PanelInvitation
from tests.conftest import make_user
from tests.groups.conftest import make_group, make_join_request
from tests.panels.conftest import admins_panel
from wabp.privacy import delete_account, personal_data

pytestmark = pytest.mark.django_db

RESIDENT = "rita@example.test"


@pytest.fixture
def residents_data(areas):
    group = make_group("Buurtwacht Lastage", areas["1011"])
    return {
        "join_request": make_join_request(group, name="Rita Bewoner", email=RESIDENT),
        "waiting": WaitingListEntry.objects.create(email=RESIDENT, area=areas["1012"]),
        "invitation": Invitation.objects.create(group=group, email=RESIDENT),
        "panel_invitation": PanelInvitation.objects.create(panel=admins_panel(), email=RESIDENT),
    }


def test_an_account_that_never_verified_the_address_gets_none_of_its_data(residents_data):
    squatter = make_user(RESIDENT, is_active=False)

    data = personal_data(squatter)

    assert data["join_requests_made"] == []
    assert data["waiting_list"] == []
    assert data["admin_invitations_received"] == []
    assert data["panels"]["invitations"] == []
    assert "Rita Bewoner" not in str(data)


def test_deleting_an_account_that_never_verified_the_address_leaves_its_data(residents_data):
    squatter = make_user(RESIDENT, is_active=False)

    delete_account(squatter)

    assert JoinRequest.objects.filter(pk=residents_data["join_request"].pk).exists()
    assert WaitingListEntry.objects.filter(pk=residents_data["waiting"].pk).exists()
    assert Invitation.objects.filter(pk=residents_data["invitation"].pk).exists()
    assert PanelInvitation.objects.filter(pk=residents_data["panel_invitation"].pk).exists()


def test_the_verified_owner_of_the_address_gets_and_deletes_it(residents_data):
    owner = make_user(RESIDENT)

    assert [r["name"] for r in personal_data(owner)["join_requests_made"]] == ["Rita Bewoner"]
    delete_account(owner)
    assert not JoinRequest.objects.filter(email=RESIDENT).exists()
    assert not WaitingListEntry.objects.filter(email=RESIDENT).exists()

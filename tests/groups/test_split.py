"""Splitting a group that grows too big (issue 17, part 5): an admin moves chosen postcodes,
with their residents' open join requests, to a new group with admins of their choice."""

from unittest import mock

import pytest
from django.urls import reverse

from groups import audit
from groups.models import (
    Coverage,
    Group,
    GroupAdmin,
    GroupStatus,
    Invitation,
    JoinRequest,
    MapVersion,
)
from groups.split.services import SplitRefused, main_area, split_group
from postcodes.models import Postcode
from tests.groups.conftest import add_coverage, make_group, make_join_request, make_user
from tests.support import log_in
from wabp.models import OutboundEmail


def codes(area: str, n: int = 5) -> list[str]:
    return list(
        Postcode.objects.filter(area_id=area).order_by("code").values_list("code", flat=True)[:n]
    )


@pytest.fixture
def big_group(areas, group_admin):
    """A group of ten postcodes in two PC4 areas (1011 and 1012) with requests in both."""
    group = make_group(
        "Buurtpreventie Centrum",
        areas["1011"],
        admins=[group_admin],
        description="Samen letten we op.",
        registered_with_municipality=True,
        member_count=900,
    )
    add_coverage(group, codes("1011") + codes("1012"))
    return group


@pytest.fixture
def co_admin(db, big_group):
    user = make_user("cas@example.test", first_name="Cas", last_name="Mede", language="en")
    GroupAdmin.objects.create(group=big_group, user=user)
    return user


@pytest.fixture
def client_(group_admin, big_group):
    from django.test import Client

    client = Client()
    log_in(client, group_admin)
    return client


def url(group) -> str:
    return reverse("groups:split", kwargs={"slug": group.slug})


def form_data(group_admin, **overrides) -> dict:
    data = {
        "name": "Buurtpreventie Dam",
        "platform": "whatsapp",
        "areas": ["1012"],
        "admins": [str(group_admin.pk)],
    }
    data.update(overrides)
    return data


# The page ----------------------------------------------------------------------------


def test_the_page_lists_the_postcodes_per_area_with_a_whole_area_box(
    client_, big_group, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client_.get(url(big_group))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="areas" value="1011"' in html and 'name="areas" value="1012"' in html
    assert html.count('name="postcodes"') == 10
    assert "<details>" in html


def test_a_group_without_postcodes_says_to_add_them_first(client_, big_group):
    Coverage.objects.filter(group=big_group).delete()
    response = client_.get(url(big_group))
    assert "voeg daarom eerst de postcodes" in response.content.decode()
    assert reverse("groups:coverage", kwargs={"slug": big_group.slug}) in response.content.decode()


def test_another_groups_admin_gets_404_and_nothing_changes(
    other_admin_client, big_group, group_admin
):
    response = other_admin_client.post(
        url(big_group), {**form_data(group_admin), "confirmed": "yes"}
    )
    assert response.status_code == 404
    assert Group.objects.count() == 2


def test_a_suspended_groups_admin_cannot_split(client_, big_group, group_admin):
    big_group.suspend()
    response = client_.post(url(big_group), {**form_data(group_admin), "confirmed": "yes"})
    assert response.status_code == 404
    assert not Group.objects.filter(split_from=big_group).exists()


def test_the_overview_suggests_splitting_a_nearly_full_group(client_, big_group):
    manage = reverse("groups:manage", kwargs={"slug": big_group.slug})
    assert "bijna vol" in client_.get(manage).content.decode()  # 900 of WhatsApp's 1,024
    big_group.member_count = 700
    big_group.save()
    assert "bijna vol" not in client_.get(manage).content.decode()
    big_group.platform = "signal"
    big_group.member_count = 800
    big_group.save()
    assert "bijna vol" in client_.get(manage).content.decode()  # 80 % of Signal's 1,000


# Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"areas": []}, "Kies de postcodes die naar de nieuwe groep gaan."),
        ({"areas": ["1011", "1012"]}, "Minstens één postcode blijft bij de huidige groep."),
        ({"areas": [], "postcodes": ["1013AA"]}, "geen beschikbare keuze"),
        ({"admins": []}, "Kies minstens één beheerder voor de nieuwe groep."),
        ({"name": ""}, "Dit veld is verplicht."),
    ],
)
def test_a_split_that_cannot_be_is_refused_with_the_reason(
    client_, big_group, group_admin, overrides, error
):
    response = client_.post(
        url(big_group), {**form_data(group_admin, **overrides), "confirmed": "yes"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Group.objects.filter(split_from=big_group).exists()
    assert big_group.coverage.count() == 10


def test_the_old_group_keeps_at_least_one_admin(client_, big_group, group_admin):
    data = form_data(group_admin, leaving=[str(group_admin.pk)], confirmed="yes")
    response = client_.post(url(big_group), data)
    assert "De huidige groep houdt minstens één beheerder." in response.content.decode()
    assert not Group.objects.filter(split_from=big_group).exists()


def test_only_an_admin_of_the_new_group_can_leave_the_old(
    client_, big_group, group_admin, co_admin
):
    data = form_data(group_admin, leaving=[str(co_admin.pk)], confirmed="yes")
    response = client_.post(url(big_group), data)
    assert "Alleen wie de nieuwe groep beheert" in response.content.decode()


# The confirmation step ---------------------------------------------------------------


def test_the_first_post_asks_first_with_what_moves(client_, big_group, group_admin):
    make_join_request(big_group, postcode=codes("1012")[0])
    make_join_request(big_group, postcode=codes("1011")[0])
    response = client_.post(url(big_group), form_data(group_admin))
    html = response.content.decode()
    assert "5 postcodes gaan naar de nieuwe groep Buurtpreventie Dam" in html
    assert "1 open aanmelding van bewoners uit die postcodes gaat mee." in html
    assert 'name="confirmed" value="yes"' in html
    assert not Group.objects.filter(split_from=big_group).exists()


def test_back_from_the_confirmation_shows_the_form_as_filled_in(client_, big_group, group_admin):
    response = client_.post(
        url(big_group), {**form_data(group_admin), "back": "yes", "confirmed": "yes"}
    )
    html = response.content.decode()
    assert 'name="areas" value="1012" id="id_area_1012" checked' in html
    assert not Group.objects.filter(split_from=big_group).exists()


# The split -----------------------------------------------------------------------------


def test_the_split_moves_exactly_the_chosen_postcodes_and_open_requests(
    client_, big_group, group_admin
):
    east, west = codes("1012"), codes("1011")
    unconfirmed = make_join_request(big_group, status="unconfirmed", postcode=east[0])
    pending = make_join_request(big_group, postcode=east[1])
    accepted = make_join_request(big_group, status="accepted", postcode=east[2])
    declined = make_join_request(big_group, status="declined", postcode=east[3])
    staying = make_join_request(big_group, postcode=west[0])
    # One postcode of 1011 moves on its own, next to the whole of 1012.
    data = form_data(group_admin, postcodes=[west[4]], confirmed="yes")

    response = client_.post(url(big_group), data)

    new = Group.objects.get(split_from=big_group)
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:manage", kwargs={"slug": new.slug})
    assert sorted(new.coverage.values_list("postcode_id", flat=True)) == sorted([*east, west[4]])
    assert sorted(big_group.coverage.values_list("postcode_id", flat=True)) == west[:4]
    moved = {unconfirmed.pk, pending.pk}
    assert set(new.join_requests.values_list("pk", flat=True)) == moved
    assert set(big_group.join_requests.values_list("pk", flat=True)) == {
        accepted.pk,
        declined.pk,
        staying.pk,
    }
    assert new.status == GroupStatus.ACTIVE and new.area_id == "1012"
    assert new.municipality_id == new.area.municipality_id
    assert new.description == "Samen letten we op."
    assert new.registered_with_municipality and new.member_count is None
    # The resident's status page names the new group.
    status = client_.get(reverse("groups:join_status", kwargs={"token": pending.token}))
    assert "Buurtpreventie Dam" in status.content.decode()


def test_admins_move_or_stay_as_chosen(client_, big_group, group_admin, co_admin):
    data = form_data(group_admin, admins=[str(group_admin.pk), str(co_admin.pk)])
    data.update(leaving=[str(co_admin.pk)], confirmed="yes")
    client_.post(url(big_group), data)
    new = Group.objects.get(split_from=big_group)
    assert set(new.admins.all()) == {group_admin, co_admin}
    assert set(big_group.admins.all()) == {group_admin}


def test_an_invitation_for_the_new_group_is_sent(client_, big_group, group_admin):
    data = form_data(group_admin, invite_email="Nieuw@Example.test", confirmed="yes")
    client_.post(url(big_group), data)
    new = Group.objects.get(split_from=big_group)
    invitation = Invitation.objects.get(group=new)
    assert invitation.email == "nieuw@example.test"
    assert invitation.invited_by == group_admin
    assert invitation.is_open
    assert OutboundEmail.objects.filter(to="nieuw@example.test", kind="invitation").exists()


def test_both_groups_admins_are_mailed_in_their_language_and_residents_not(
    client_, big_group, group_admin, co_admin
):
    make_join_request(big_group, postcode=codes("1012")[0], email="rita@example.test")
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    mails = {m.to: m for m in OutboundEmail.objects.filter(kind="group_split")}
    assert set(mails) == {group_admin.email, co_admin.email}
    assert "is gesplitst" in mails[group_admin.email].subject
    assert "has been split" in mails[co_admin.email].subject
    assert "U beheert beide groepen" not in mails[co_admin.email].body
    assert not OutboundEmail.objects.filter(to="rita@example.test").exists()


def test_both_groups_record_the_split_in_their_audit_trail(client_, big_group, group_admin):
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    new = Group.objects.get(split_from=big_group)
    old_entry = audit.for_group(big_group.pk).get(additional_data__event="split_off")
    new_entry = audit.for_group(new.pk).get(additional_data__event="split_from")
    assert old_entry.actor == group_admin and new_entry.actor == group_admin
    assert old_entry.changes["to_group"] == [None, new.pk]
    assert new_entry.changes["from_group"] == [None, big_group.pk]
    assert group_admin.first_name not in str(old_entry.changes) + str(new_entry.changes)
    assert "Afgesplitst naar" in audit.describe_entry(old_entry)


def test_the_new_groups_overview_says_where_it_came_from(client_, big_group, group_admin):
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    new = Group.objects.get(split_from=big_group)
    html = client_.get(reverse("groups:manage", kwargs={"slug": new.slug})).content.decode()
    assert "Afgesplitst van Buurtpreventie Centrum op" in html
    old = client_.get(reverse("groups:manage", kwargs={"slug": big_group.slug})).content.decode()
    assert "Buurtpreventie Dam is op" in old


def test_the_map_data_version_changes(client_, big_group, group_admin):
    before = MapVersion.current()[0]
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    assert MapVersion.current()[0] > before


def test_a_failure_halfway_changes_nothing(big_group, group_admin):
    pending = make_join_request(big_group, postcode=codes("1012")[0])
    with (
        mock.patch("groups.split.services.send_group_split", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        split_group(
            big_group,
            name="Buurtpreventie Dam",
            platform="whatsapp",
            postcodes=codes("1012"),
            admins=[group_admin],
            by=group_admin,
        )
    assert Group.objects.count() == 1
    assert big_group.coverage.count() == 10
    pending.refresh_from_db()
    assert pending.group_id == big_group.pk
    assert not OutboundEmail.objects.exists()


def test_the_service_refuses_postcodes_the_group_no_longer_covers(big_group, group_admin):
    with pytest.raises(SplitRefused):
        split_group(
            big_group,
            name="X",
            platform="whatsapp",
            postcodes=["1013AA"],
            admins=[group_admin],
            by=group_admin,
        )
    assert Group.objects.count() == 1


def test_a_name_taken_elsewhere_gets_a_free_address(client_, big_group, group_admin, areas):
    make_group("Buurtpreventie Dam", areas["1012"])
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    new = Group.objects.get(split_from=big_group)
    assert new.slug == "buurtpreventie-dam-1012-2"


def test_the_police_confirmation_stays_with_the_old_group(big_group, group_admin):
    police = make_user("agent@politie.nl", is_police=True)
    big_group.confirm_police_registration(by=police)
    new = split_group(
        big_group,
        name="Oost",
        platform="signal",
        postcodes=codes("1012"),
        admins=[group_admin],
        by=group_admin,
    )
    assert new.registered_with_police and new.police_confirmed_at is None
    assert new.platform == "signal"


def test_main_area_is_the_one_holding_most_moved_postcodes():
    assert main_area(["1012AA", "1011AA", "1011AB"]) == "1011"
    assert main_area(["1012AA", "1011AA"]) == "1011"


def test_join_requests_with_moved_postcodes_keep_their_tokens(client_, big_group, group_admin):
    pending = make_join_request(big_group, postcode=codes("1012")[0])
    client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    assert JoinRequest.objects.get(pk=pending.pk).token == pending.token


def test_an_inactive_group_is_told_to_become_active_first(client_, big_group):
    big_group.deactivate()
    response = client_.get(url(big_group))
    assert "Alleen een actieve groep kan worden gesplitst." in response.content.decode()


def test_an_admin_can_hand_the_new_group_to_a_co_admin_alone(
    client_, big_group, group_admin, co_admin
):
    data = form_data(group_admin, admins=[str(co_admin.pk)], leaving=[str(co_admin.pk)])
    data.update(invite_email="nieuw@example.test", confirmed="yes")
    response = client_.post(url(big_group), data)
    new = Group.objects.get(split_from=big_group)
    assert response["Location"] == reverse("groups:manage", kwargs={"slug": big_group.slug})
    assert list(new.admins.all()) == [co_admin]
    assert list(big_group.admins.all()) == [group_admin]
    # The invitation comes from someone who runs the new group, so it can be accepted.
    assert Invitation.objects.get(group=new).invited_by == co_admin
    english = OutboundEmail.objects.get(kind="group_split", to=co_admin.email)
    assert "You now run the new group" in english.body


def test_the_split_takes_the_same_queries_for_many_requests(
    client_, big_group, group_admin, co_admin, django_assert_max_num_queries
):
    for n, code in enumerate(codes("1012") * 4):
        make_join_request(big_group, postcode=code, email=f"bewoner{n}@example.test")
    with django_assert_max_num_queries(40):
        client_.post(url(big_group), form_data(group_admin, confirmed="yes"))
    assert Group.objects.get(split_from=big_group).join_requests.count() == 20

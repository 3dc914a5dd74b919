"""The public group page."""

import pytest

from groups.models import GroupStatus
from postcodes.models import Postcode
from tests.groups.conftest import CANARY, OTHER_CANARY, add_coverage, make_group

pytestmark = pytest.mark.django_db


def test_group_page_shows_the_public_details(anonymous, group_a):
    group_a.registered_with_police = True
    group_a.member_count = 35
    group_a.save()

    response = anonymous.get(group_a.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Buurtpreventie Nieuwmarkt</h1>" in html
    assert "WhatsApp" in html
    assert "Amsterdam" in html
    assert "Wij letten samen op rond de Nieuwmarkt." in html
    assert "1011AB–1011AD" in html
    assert "de politie" in html
    assert "ongeveer 35 leden" in html
    assert group_a.last_confirmed_at.strftime("%Y") in html
    assert f"/groepen/{group_a.slug}/aanmelden/" in html


def test_group_page_summarises_a_whole_area_as_its_code(anonymous, group_a):
    add_coverage(group_a, Postcode.objects.filter(area_id="1012").values_list("code", flat=True))

    html = anonymous.get(group_a.get_absolute_url()).content.decode()

    assert "1011AB–1011AD, 1012" in html


def test_location_only_group_says_it_has_no_postcodes_yet(anonymous, group_b):
    html = anonymous.get(group_b.get_absolute_url()).content.decode()

    assert "nog geen postcodes" in html


def test_group_page_shows_badges(anonymous, group_a, group_admin):
    group_admin.trained_at = group_a.created_at
    group_admin.save()
    group_a.is_verified = True
    group_a.save()

    html = anonymous.get(group_a.get_absolute_url()).content.decode()

    assert "Getrainde beheerder" in html
    assert "Geverifieerd door het bestuur" in html


@pytest.mark.parametrize(
    "status", [GroupStatus.PENDING, GroupStatus.INACTIVE, GroupStatus.SUSPENDED]
)
def test_group_page_of_a_group_that_is_not_active_is_not_found(anonymous, areas, status):
    group = make_group("Verborgen", "1011", status=status)

    assert anonymous.get(group.get_absolute_url()).status_code == 404


def test_group_page_never_shows_admin_contact_details_or_full_name(
    anonymous, group_admin_client, group_a, group_b
):
    for client in (anonymous, group_admin_client):
        for group in (group_a, group_b):
            html = client.get(group.get_absolute_url()).content.decode()
            for canary in (CANARY, OTHER_CANARY):
                for value in canary.values():
                    assert value not in html
            assert "Anna" not in html and "Bert" not in html


@pytest.mark.parametrize("extra", [0, 200])
def test_group_page_uses_a_constant_number_of_queries(
    anonymous, group_a, django_assert_num_queries, extra
):
    add_coverage(
        group_a, Postcode.objects.filter(area_id="1013").values_list("code", flat=True)[:extra]
    )

    # The data version (the page cache's key); the group with its area, municipality and
    # badge; its coverage; the known postcodes.
    with django_assert_num_queries(4):
        response = anonymous.get(group_a.get_absolute_url())
    assert response.status_code == 200
    # From the page cache: the version alone.
    with django_assert_num_queries(1):
        assert anonymous.get(group_a.get_absolute_url()).content == response.content

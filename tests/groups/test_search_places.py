"""Search by place and group name (`?q=`, `?plaats=`), on real Dutch postcodes."""

import pytest
from django.urls import reverse

from groups.search.views import PAGE_SIZE
from tests.factories import DELFT, PLACE_AREAS, load_areas, make_group

URL = reverse("groups:search")


@pytest.fixture
def places(db):
    return load_areas(PLACE_AREAS)


@pytest.fixture
def delft(places):
    """Two more pages' worth of groups in Delft, spread over all its areas."""
    return [make_group(f"Buurtwacht {n:02d}", DELFT[n % len(DELFT)]) for n in range(PAGE_SIZE + 5)]


def names(response) -> list[str]:
    return [result.group.name for result in response.context["results"]]


def place_names(response) -> list[str]:
    return [place.name for place in response.context["places"]]


def test_q_delft_shows_delft_as_a_place_with_its_number_of_groups(anonymous, delft):
    response = anonymous.get(URL, {"q": "Delft"})

    assert place_names(response)[0] == "Delft"
    assert response.context["places"][0].group_count == len(delft)
    html = response.content.decode()
    assert "?plaats=Delft" in html
    assert f"{len(delft)} groepen" in html


def test_a_place_leads_to_all_its_groups_over_its_areas_paged(anonymous, delft, places):
    make_group("Buurtwacht Rosmalen", "5241")  # elsewhere: not in Delft

    first = anonymous.get(URL, {"plaats": "Delft"})
    second = anonymous.get(URL, {"plaats": "Delft", "page": "2"})

    assert len(names(first)) == PAGE_SIZE and len(names(second)) == 5
    assert set(names(first) + names(second)) == {group.name for group in delft}
    assert len({r.group.area_id for r in first.context["results"]}) > 1
    assert f"{len(delft)} groepen in Delft" in first.content.decode()
    assert "plaats=Delft&amp;page=2" in first.content.decode()


def test_q_delft_does_not_say_no_group_with_this_name_when_one_matches(anonymous, places):
    make_group("Buurtpreventie Delft-Noord", "2612")

    response = anonymous.get(URL, {"q": "Delft"})

    assert names(response) == ["Buurtpreventie Delft-Noord"]
    assert "geen groep met deze naam" not in response.content.decode()


def test_q_delft_says_no_group_with_this_name_and_still_shows_the_place(anonymous, delft):
    response = anonymous.get(URL, {"q": "Delft"})  # the groups are called "Buurtwacht …"

    assert names(response) == []
    html = response.content.decode()
    assert "We vonden geen groep met deze naam." in html
    assert "Delft" in place_names(response)
    assert "Start hier een groep" not in html  # the place has groups


@pytest.mark.parametrize("query", ["Den Bosch", "s hertogenbosch", "'s-Hertogenbosch", "DEN BOSCH"])
def test_den_bosch_finds_s_hertogenbosch(anonymous, places, query):
    make_group("Buurtwacht Rosmalen", "5241")

    response = anonymous.get(URL, {"q": query})

    assert place_names(response)[0] == "'s-Hertogenbosch"
    assert response.context["places"][0].group_count == 1  # Rosmalen lies in the municipality


@pytest.mark.parametrize("query", ["Den Haag", "the hague", "s-Gravenhage"])
def test_den_haag_finds_s_gravenhage(anonymous, places, query):
    assert place_names(anonymous.get(URL, {"q": query}))[0] == "'s-Gravenhage"


def test_a_place_link_with_an_alias_shows_the_official_place(anonymous, places):
    make_group("Buurtwacht Centrum", "5211")

    response = anonymous.get(URL, {"plaats": "den bosch"})

    assert response.context["place"] == "'s-Hertogenbosch"
    assert response.context["name_form"]["q"].value() == "'s-Hertogenbosch"  # to search on
    assert names(response) == ["Buurtwacht Centrum"]


def test_an_unknown_place_says_so(anonymous, places):
    response = anonymous.get(URL, {"plaats": "Nergenshuizen"})

    assert response.status_code == 200
    assert response.context["place"] is None
    assert "kennen we niet" in response.content.decode()


def test_q_vogelwijk_finds_the_group_called_vogelwijk(anonymous, places):
    make_group("Buurtpreventie Vogelwijk", "2566")
    make_group("Buurtwacht Centrum", "2511")

    response = anonymous.get(URL, {"q": "vogelwijk"})

    assert names(response) == ["Buurtpreventie Vogelwijk"]
    # GeoNames has no place Vogelwijk: no place of that name is offered.
    assert "Vogelwijk" not in place_names(response)


def test_name_results_are_paged_with_a_count(anonymous, places):
    for n in range(PAGE_SIZE + 3):
        make_group(f"Buurtpreventie Vogelwijk {n:02d}", "2566")

    first = anonymous.get(URL, {"q": "vogelwijk"})
    second = anonymous.get(URL, {"q": "vogelwijk", "page": "2"})

    assert len(names(first)) == PAGE_SIZE and len(names(second)) == 3
    assert first.context["page"].paginator.count == PAGE_SIZE + 3
    assert f"{PAGE_SIZE + 3} groepen hebben een naam" in first.content.decode()
    assert "q=vogelwijk&amp;page=2" in first.content.decode()


def test_a_place_page_is_page_cached(anonymous, delft, django_assert_num_queries):
    anonymous.get(URL, {"plaats": "Delft", "page": "2"})

    with django_assert_num_queries(1):  # the data version only
        response = anonymous.get(URL, {"plaats": "Delft", "page": "2"})
    assert response.status_code == 200


def test_english_place_search(anonymous, delft):
    response = anonymous.get("/en" + URL, {"q": "Delft"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We did not find a group with this name." in html and "?plaats=Delft" in html

    response = anonymous.get("/en" + URL, {"plaats": "Delft"})
    assert f"{len(delft)} groups in Delft" in response.content.decode()


@pytest.mark.parametrize("count", [1, PAGE_SIZE + 2])
def test_place_and_name_search_use_a_constant_number_of_queries(
    anonymous, places, django_assert_num_queries, count
):
    for n in range(count):
        make_group(f"Buurtwacht Delft {n:02d}", DELFT[n % len(DELFT)])

    # Data version (page cache), the place, group count, group page, the municipality.
    with django_assert_num_queries(5):
        anonymous.get(URL, {"plaats": "Delft"})
    # Data version, group count, group page, places, their areas, their group counts.
    with django_assert_num_queries(6):
        response = anonymous.get(URL, {"q": "Delft"})
    assert response.context["page"].paginator.count == count

"""Search by postcode and by name, on real Dutch postcodes."""

import pytest
from django.urls import reverse

from groups.models import GroupStatus
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group

pytestmark = pytest.mark.django_db

URL = reverse("groups:search")


def names(response) -> list[str]:
    return [result.group.name for result in response.context["results"]]


def reasons(response) -> list[str]:
    return [result.reason for result in response.context["results"]]


@pytest.fixture
def ranked(areas):
    """One group for each kind of match around 1011 AB (Amsterdam, Nieuwmarkt)."""
    return {
        "exact": make_group("Nieuwmarkt Noord", "1011", postcodes=["1011AB", "1011AC"]),
        "area": make_group("Zeedijk", "1011", postcodes=["1011BA"]),
        "near": make_group("Grachtengordel", "1016"),  # location only, ~1.5 km
        "far": make_group("Domplein", "3511", postcodes=["3511AB"]),  # Utrecht, ~35 km
    }


def test_search_ranks_exact_postcode_then_area_then_nearest(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1011 ab"})

    assert response.status_code == 200
    assert names(response) == ["Nieuwmarkt Noord", "Zeedijk", "Grachtengordel"]
    assert reasons(response) == ["postcode", "area", "distance"]
    html = response.content.decode()
    assert "Dekt uw postcode" in html
    assert "In uw buurt" in html


def test_search_shows_distance_of_nearby_groups_in_km(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1011AB"})

    nearby = response.context["results"][2]
    assert 1.0 < nearby.distance_km < 2.5
    assert f"{nearby.distance_km:.1f}".replace(".", ",") + " km" in response.content.decode()


def test_search_leaves_out_groups_further_than_10_km(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1011AB"})

    assert "Domplein" not in names(response)


def test_search_finds_a_location_only_group_by_distance(anonymous, areas):
    make_group("Jordaan Samen", "1016")

    response = anonymous.get(URL, {"postcode": "1016AB"})

    assert names(response) == ["Jordaan Samen"]
    assert response.context["results"][0].distance_km == pytest.approx(0, abs=0.01)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_group_located_in_the_searched_area_says_so_instead_of_zero_km(
    anonymous, areas, language
):
    make_group("Jordaan Samen", "1016")  # located in 1016, covering nothing
    make_group("Grachtengordel", "1017")

    prefix = "" if language == "nl" else "/en"
    html = anonymous.get(prefix + URL, {"postcode": "1016AB"}).content.decode()

    here, there = html.index("Jordaan Samen"), html.index("Grachtengordel")
    label = {"nl": "In uw postcodegebied", "en": "In your postcode area"}[language]
    assert label in html[here:there]
    assert "0,0 km" not in html and "0.0 km" not in html
    assert label not in html[there:]  # the group in 1017 shows its distance


def test_search_shows_at_most_seven_groups_and_no_duplicates(anonymous, areas):
    for n in range(5):
        make_group(f"Covering {n}", "1011", postcodes=["1011AB", "1011AC"])
    for n in range(5):
        make_group(f"Nearby {n}", "1012")

    response = anonymous.get(URL, {"postcode": "1011AB"})

    assert len(names(response)) == 7
    assert len(set(names(response))) == 7
    assert reasons(response) == ["postcode"] * 5 + ["distance"] * 2


@pytest.mark.parametrize(
    "status", [GroupStatus.PENDING, GroupStatus.INACTIVE, GroupStatus.SUSPENDED]
)
def test_search_never_shows_groups_that_are_not_active(anonymous, areas, status):
    make_group("Niet Zichtbaar Exact", "1011", postcodes=["1011AB"], status=status)
    make_group("Niet Zichtbaar Dichtbij", "1012", status=status)

    response = anonymous.get(URL, {"postcode": "1011AB"})

    assert names(response) == []
    assert "Niet Zichtbaar" not in response.content.decode()


def test_search_by_bare_area_code_lists_area_and_nearby_groups(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1011"})

    assert names(response) == ["Nieuwmarkt Noord", "Zeedijk", "Grachtengordel"]
    assert reasons(response) == ["area", "area", "distance"]


def test_unknown_postcode_falls_back_to_its_area_with_a_note(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1011ZZ"})  # well-formed, not issued

    assert response.context["notes"]
    assert "1011 ZZ kennen we niet" in response.content.decode()
    assert names(response) == ["Nieuwmarkt Noord", "Zeedijk", "Grachtengordel"]


def test_unknown_area_searches_around_the_nearest_known_area_with_a_note(anonymous, ranked):
    response = anonymous.get(URL, {"postcode": "1014AB"})  # 1014 is not loaded

    assert "Postcodegebied 1014 kennen we niet" in response.content.decode()
    assert "Nieuwmarkt Noord" in names(response)  # around 1013 or 1015, within 10 km


def test_unknown_area_without_known_areas_shows_the_call_to_action(anonymous, db):
    response = anonymous.get(URL, {"postcode": "1011AB"})

    html = response.content.decode()
    assert "Start hier een groep" in html
    assert reverse("groups:register") + "?postcode=1011AB" in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("AB1234", "begint met vier cijfers"),
        ("0123AB", "begint niet met een 0"),
        ("1234SS", "bestaan niet"),
    ],
)
def test_invalid_postcode_re_renders_the_form_with_the_error(anonymous, db, value, message):
    response = anonymous.get(URL, {"postcode": value})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert message in response.content.decode()
    assert not response.context["searched"]


def test_no_group_nearby_shows_the_call_to_action(anonymous, areas):
    make_group("Ver Weg", "9401")  # Assen

    response = anonymous.get(URL, {"postcode": "1011AB"})

    assert names(response) == []
    assert "Start hier een groep" in response.content.decode()


def test_search_by_name_finds_active_groups_by_similar_name(anonymous, ranked):
    make_group("Nieuwmarkt Geschorst", "1011", status=GroupStatus.SUSPENDED)

    response = anonymous.get(URL, {"q": "nieuwmarkt"})

    assert names(response) == ["Nieuwmarkt Noord"]


def test_search_by_name_finds_places(anonymous, areas):
    response = anonymous.get(URL, {"q": "Asen"})  # a typo still finds Assen

    places = response.context["places"]
    assert [p.name for p in places] == ["Assen"]
    assert "?plaats=Assen" in response.content.decode()


def test_search_by_name_without_match_shows_the_call_to_action(anonymous, areas):
    response = anonymous.get(URL, {"q": "Xylofoonstraat"})

    assert names(response) == []
    assert "Start hier een groep" in response.content.decode()


def test_search_results_show_public_details_and_badges(anonymous, areas, group_admin):
    group = make_group(
        "Buurt Oost", "1011", postcodes=["1011AB"], admins=[group_admin], is_verified=True
    )
    group_admin.trained_at = group.created_at
    group_admin.save()

    html = anonymous.get(URL, {"postcode": "1011AB"}).content.decode()

    assert "WhatsApp" in html
    assert "Amsterdam" in html
    assert "Getrainde beheerder" in html
    assert "Geverifieerd door het bestuur" in html
    assert "Laatst bevestigd" in html
    assert group.get_absolute_url() in html


def test_search_pages_never_show_admin_contact_details(anonymous, group_a, group_b):
    for params in ({"postcode": "1011AB"}, {"postcode": "1012"}, {"q": "Nieuwmarkt"}):
        html = anonymous.get(URL, params).content.decode()
        assert group_a.name in html or group_b.name in html
        for canary in (CANARY, OTHER_CANARY):
            for value in canary.values():
                assert value not in html


def _fill_every_kind(count: int) -> None:
    for n in range(count):
        make_group(f"Exact {n}", "1011", postcodes=["1011AB"])
        make_group(f"Gebied {n}", "1011", postcodes=["1011BA"])
        make_group(f"Dichtbij {n}", "1012")


@pytest.mark.parametrize("count", [1, 3])
def test_postcode_search_uses_a_constant_number_of_queries(
    anonymous, areas, django_assert_num_queries, count
):
    _fill_every_kind(count)

    # Data version (the page cache's key, then the results' key), postcode known?, area,
    # covering the postcode, covering the area, nearest ids, nearest.
    with django_assert_num_queries(8):
        response = anonymous.get(URL, {"postcode": "1011AB"})
    assert len(names(response)) == min(7, 3 * count)


def test_a_repeated_search_is_answered_from_the_cache_with_one_query(
    anonymous, areas, django_assert_num_queries
):
    _fill_every_kind(2)
    first = anonymous.get(URL, {"postcode": "1011AB"})
    assert len(names(first)) == 6

    with django_assert_num_queries(1):  # the data version only
        again = anonymous.get(URL, {"postcode": "1011AB"})

    assert again.content == first.content


def test_a_changed_group_shows_in_the_next_search_at_once(anonymous, areas):
    group = make_group("Buurtwacht Oud", "1011", postcodes=["1011AB"])
    assert names(anonymous.get(URL, {"postcode": "1011AB"})) == ["Buurtwacht Oud"]

    group.name = "Buurtwacht Nieuw"
    group.save()

    assert names(anonymous.get(URL, {"postcode": "1011AB"})) == ["Buurtwacht Nieuw"]


@pytest.mark.parametrize("count", [1, 4])
def test_name_search_uses_a_constant_number_of_queries(
    anonymous, areas, django_assert_num_queries, count
):
    _fill_every_kind(count)

    # Data version (page cache), group count, group page, places (none: nothing to count).
    with django_assert_num_queries(4):
        response = anonymous.get(URL, {"q": "Exact"})
    assert len(names(response)) == count


@pytest.mark.parametrize(
    ("prefix", "register", "join"),
    [
        ("", "Groep registreren", "Vraag om lid te worden"),
        ("/en", "Register a group", "Ask to join"),
    ],
)
def test_registering_a_group_and_asking_to_join_one_read_differently(
    anonymous, ranked, prefix, register, join
):
    """The menu's link starts a new group; a result's link asks to join that group."""
    import re

    html = anonymous.get(prefix + URL, {"postcode": "1011 ab"}).content.decode()
    links = dict(re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', html))
    assert links[prefix + reverse("groups:register")] == register
    joins = [text for href, text in links.items() if href.endswith("/aanmelden/")]
    assert joins and set(joins) == {join}
    assert ">Aanmelden<" not in html and ">Join<" not in html

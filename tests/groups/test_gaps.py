"""The gap map's facts per postcode area, on real postcodes: the municipality page's table,
the waiting list for staff only, and the country's data at /kaart/dekking.json.

Amsterdam 1011-1018 (without 1014) as the `areas` fixture loads them: group A is located in
1011 and covers three of its postcodes, group B is located in 1012 and covers none.
"""

import gzip
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupStatus, WaitingListEntry
from groups.municipalities.gaps import (
    ATTRIBUTION,
    COVERED,
    LOCATED,
    NONE,
    country_coverage,
    coverage_areas,
    municipality_area_facts,
    polygon_codes,
    share_of,
    waiting_by_area,
)
from postcodes.models import Area, Municipality, Postcode
from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.support import log_in


@pytest.fixture
def amsterdam(group_a, group_b) -> Municipality:
    return group_a.municipality


@pytest.fixture
def amsterdam_staff(amsterdam):
    return make_user("ambtenaar@amsterdam.test", municipality=amsterdam)


@pytest.fixture
def utrecht_staff(areas):
    return make_user("ambtenaar@utrecht.test", municipality=areas["3511"].municipality)


@pytest.fixture
def waiting(areas):
    """Three residents waiting in 1013 and one in 1015, plus entries that do not count."""
    now = timezone.now()
    for n in range(3):
        WaitingListEntry.objects.create(
            email=f"w{n}@example.test", area=areas["1013"], confirmed_at=now
        )
    WaitingListEntry.objects.create(email="w@example.test", area=areas["1015"], confirmed_at=now)
    WaitingListEntry.objects.create(email="unconfirmed@example.test", area=areas["1013"])
    WaitingListEntry.objects.create(
        email="told@example.test", area=areas["1013"], confirmed_at=now, notified_at=now
    )
    WaitingListEntry.objects.create(
        email="expired@example.test",
        area=areas["1013"],
        created_at=now - timedelta(days=400),
        confirmed_at=now - timedelta(days=399),
    )
    WaitingListEntry.objects.create(
        email="elsewhere@example.test", area=areas["3511"], confirmed_at=now
    )


# Real postcodes of 1013.
CODES_1013 = [
    "1013AA",
    "1013AC",
    "1013AD",
    "1013AE",
    "1013AG",
    "1013AK",
    "1013AL",
    "1013AM",
    "1013AP",
    "1013AR",
    "1013AS",
]


def by_code(facts) -> dict:
    return {f.code: f for f in facts}


def client_for(user):
    from django.test import Client

    client = Client()
    log_in(client, user)
    return client


# The facts ---------------------------------------------------------------------------------


def test_an_area_with_covered_postcodes_is_covered_with_its_share(amsterdam):
    facts = by_code(municipality_area_facts(amsterdam))["1011"]
    total = Postcode.objects.filter(area_id="1011").count()
    assert total > 100  # real data: the share is a real fraction
    assert (facts.status, facts.postcodes, facts.covered) == (COVERED, total, 3)
    assert facts.share == round(300 / total)
    assert facts.has_group


def test_an_area_with_a_group_located_but_no_coverage_is_located(amsterdam):
    facts = by_code(municipality_area_facts(amsterdam))["1012"]
    assert (facts.status, facts.covered, facts.share, facts.has_group) == (LOCATED, 0, 0, True)
    assert facts.postcodes == Postcode.objects.filter(area_id="1012").count()


def test_an_area_without_any_group_is_a_gap(amsterdam):
    facts = by_code(municipality_area_facts(amsterdam))["1013"]
    assert (facts.status, facts.covered, facts.has_group) == (NONE, 0, False)


def test_coverage_counts_for_the_covered_area_wherever_the_group_is_located(amsterdam, areas):
    make_group("Over de grens", areas["1015"], postcodes=["1013AA", "1013AC"])
    facts = by_code(municipality_area_facts(amsterdam))
    assert (facts["1013"].status, facts["1013"].covered) == (COVERED, 2)
    assert facts["1015"].status == LOCATED


def test_inactive_groups_neither_cover_nor_count_as_located(amsterdam, areas):
    make_group("Gestopt", areas["1013"], postcodes=["1013AA"], status=GroupStatus.INACTIVE)
    assert by_code(municipality_area_facts(amsterdam))["1013"].status == NONE


def test_two_groups_covering_one_postcode_count_it_once(amsterdam, areas):
    make_group("Dubbel", areas["1011"], postcodes=["1011AB", "1011AE"])
    assert by_code(municipality_area_facts(amsterdam))["1011"].covered == 4


def test_facts_list_only_the_municipalitys_areas_gaps_first(amsterdam, areas):
    facts = municipality_area_facts(amsterdam)
    codes = [f.code for f in facts]
    assert sorted(codes) == sorted(code for code, a in areas.items() if a.municipality == amsterdam)
    statuses = [f.status for f in facts]
    assert statuses == sorted(statuses, key=[NONE, LOCATED, COVERED].index)
    assert codes[-1] == "1011"


def test_the_share_is_never_rounded_to_all_or_nothing():
    assert share_of(1, 400) == 1
    assert share_of(399, 400) == 99
    assert (share_of(400, 400), share_of(0, 400), share_of(0, 0)) == (100, 0, 0)


def test_facts_take_a_constant_number_of_queries(amsterdam, areas, django_assert_num_queries):
    with django_assert_num_queries(2):
        municipality_area_facts(amsterdam)
    for i in range(10):
        make_group(
            f"Groep {i}",
            areas[["1013", "1015", "1016"][i % 3]],
            postcodes=[["1013AA", "1015AB", "1016AB"][i % 3]],
        )
    with django_assert_num_queries(2):
        facts = by_code(municipality_area_facts(amsterdam))
    assert facts["1016"].status == COVERED
    with django_assert_num_queries(2):
        country_coverage()


def test_coverage_counts_are_a_queryset_read(amsterdam):
    counts = coverage_areas().filter(code__in=["1011", "1012"]).coverage_counts()
    assert set(counts) == {"1011", "1012"}
    assert counts["1011"][1] == 3 and counts["1012"][1] == 0


# The waiting list: staff and the board only --------------------------------------------------


def test_waiting_counts_only_confirmed_unexpired_untold_entries(amsterdam, waiting):
    assert waiting_by_area(amsterdam) == {"1013": 3, "1015": 1}


def waiting_column(html: str) -> dict[str, str]:
    """The table's waiting count per area code, from the rendered rows."""
    table = re.search(r'<table class="gap-table">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row">(\d{4}) .*?</tr>', table, re.S)
    assert rows
    if "Wachtende bewoners" not in table:
        return {}
    cells = re.findall(
        r'<th scope="row">(\d{4}) .*?<td class="number">(\d+)</td>\s*</tr>', table, re.S
    )
    return dict(cells)


def test_staff_of_the_municipality_see_the_waiting_list_per_area(
    amsterdam, amsterdam_staff, waiting
):
    html = client_for(amsterdam_staff).get(amsterdam.get_absolute_url()).content.decode()
    column = waiting_column(html)
    assert (column["1013"], column["1015"], column["1011"]) == ("3", "1", "0")


def test_the_board_sees_the_waiting_list_per_area(amsterdam, board, waiting):
    html = client_for(board).get(amsterdam.get_absolute_url()).content.decode()
    assert waiting_column(html)["1013"] == "3"


@pytest.mark.parametrize("who", ["anonymous", "utrecht_staff", "group_admin"])
def test_others_see_only_the_total_on_the_waiting_list(request, who, amsterdam, waiting):
    if who == "anonymous":
        from django.test import Client

        client = Client()
    else:
        client = client_for(request.getfixturevalue(who))
    response = client.get(amsterdam.get_absolute_url())
    html = response.content.decode()
    assert waiting_column(html) == {}
    assert "4 bewoners wachten op een groep in de buurt." in html


def test_the_cached_figures_never_carry_staff_counts_to_the_public(
    anonymous, amsterdam, amsterdam_staff, waiting, areas
):
    url = amsterdam.get_absolute_url()
    assert waiting_column(client_for(amsterdam_staff).get(url).content.decode())["1013"] == "3"
    assert waiting_column(anonymous.get(url).content.decode()) == {}
    # Waiting counts are read fresh: a new resident shows at once, with no data version change.
    WaitingListEntry.objects.create(
        email="new@example.test", area=areas["1013"], confirmed_at=timezone.now()
    )
    assert waiting_column(client_for(amsterdam_staff).get(url).content.decode())["1013"] == "4"


# The municipality page ----------------------------------------------------------------------


def test_the_page_has_a_plain_table_of_the_areas(anonymous, amsterdam):
    html = anonymous.get(amsterdam.get_absolute_url()).content.decode()
    table = re.search(r'<table class="gap-table">.*?</table>', html, re.S).group(0)
    assert "<caption>" in table and 'scope="col"' in table
    rows = re.findall(
        r'<th scope="row">(\d{4}) Amsterdam</th>\s*<td>.*?</span> ([^<]+?)\s*(?:<|</td>)',
        table,
        re.S,
    )
    statuses = dict(rows)
    assert statuses["1011"] == "Gedekt door een groep"
    assert statuses["1012"] == "Groep aanwezig, geen postcodes gedekt"
    assert statuses["1013"] == "Geen groep"
    assert table.index(">1013 ") < table.index(">1012 ") < table.index(">1011 ")  # gaps first


def gap_config(html: str) -> dict:
    return json.loads(
        re.search(r'<script id="gap-config"[^>]*>(.*?)</script>', html, re.S).group(1)
    )


def test_the_page_gives_gaps_js_the_public_facts_and_the_polygons(anonymous, amsterdam):
    html = anonymous.get(amsterdam.get_absolute_url()).content.decode()
    config = gap_config(html)
    assert config["topology"].startswith("/static/postcodes/boundaries/postcode4_2024")
    assert config["object"] == "postcode4_2024" and config["attribution"] == ATTRIBUTION
    areas = {area["code"]: area for area in config["areas"]}
    assert areas["1011"]["status"] == "covered" and areas["1011"]["covered"] == 3
    assert "lat" not in areas["1011"]  # drawn as its polygon
    assert 'src="/static/js/gaps.js"' in html or "/static/js/gaps." in html
    assert html.index("js/map.") < html.index("js/gaps.")


def test_the_data_for_gaps_js_holds_no_waiting_list_even_for_staff(
    amsterdam, amsterdam_staff, waiting
):
    html = client_for(amsterdam_staff).get(amsterdam.get_absolute_url()).content.decode()
    assert waiting_column(html)["1013"] == "3"  # in the table, for staff
    public = {"code", "place", "status", "postcodes", "covered", "share", "lat", "lon"}
    assert all(set(area) <= public for area in gap_config(html)["areas"])


def test_an_area_without_a_polygon_comes_with_its_centroid(anonymous, some_postcodes):
    # 7940 (Meppel/Nijeveen) is one of the sixteen GeoNames areas the CBS data lacks; it has
    # no PC6 postcodes and so no municipality of its own: give it Meppel's.
    assert "7940" not in polygon_codes() and "7941" in polygon_codes()
    meppel = Area.objects.get(code="7941").municipality
    area = Area.objects.get(code="7940")
    area.municipality = meppel
    area.save()
    facts = by_code(municipality_area_facts(meppel))["7940"]
    assert not facts.has_polygon and facts.status == NONE
    assert facts.as_json()["lat"] == round(area.latitude, 3)
    assert "lat" not in by_code(municipality_area_facts(meppel))["7941"].as_json()
    html = anonymous.get(meppel.get_absolute_url()).content.decode()
    assert re.search(r"7940 Meppel</th>\s*<td>.*?ligging bij benadering", html, re.S)
    _response, data = coverage_json(anonymous)
    assert data["points"]["7940"] == [round(area.latitude, 3), round(area.longitude, 3)]


def test_the_detail_page_takes_a_constant_number_of_queries(
    anonymous, amsterdam, areas, django_assert_max_num_queries
):
    for i in range(10):
        make_group(f"Groep {i}", areas["1013"], postcodes=CODES_1013[i : i + 2])
    # municipality, version, 3 figures + 2 area facts, a page of groups, the waiting list
    with django_assert_max_num_queries(9):
        anonymous.get(amsterdam.get_absolute_url())


# /kaart/dekking.json --------------------------------------------------------------------------


def coverage_json(client, **headers):
    response = client.get(reverse("groups:map_coverage"), **headers)
    assert response.status_code == 200
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, json.loads(body)


def test_the_country_data_gives_every_area_its_status_and_share(anonymous, amsterdam, areas):
    response, data = coverage_json(anonymous)
    assert response["Content-Type"] == "application/json"
    assert data["statuses"] == ["none", "located", "covered"]
    rows = {row[0]: row for row in data["areas"]}
    assert len(rows) == len(areas)
    _code, status, total, covered, share, place, municipality = rows[1011]
    assert (data["statuses"][status], covered, place) == ("covered", 3, "Amsterdam")
    assert share == round(300 / total)
    assert data["statuses"][rows[1012][1]] == "located"
    assert data["statuses"][rows[1013][1]] == "none"
    assert data["municipalities"][municipality][:2] == ["amsterdam", "Amsterdam"]
    assert data["points"] == {}  # every loaded area has a polygon


def test_the_country_data_holds_no_waiting_list(anonymous, amsterdam, waiting, board):
    for client in (anonymous, client_for(board)):
        response, data = coverage_json(client)
        text = response.content.decode()
        assert "example.test" not in text
        assert all(len(row) == 7 for row in data["areas"])
        # The 1013 row is the same for everyone: it says nothing of its three residents.
        assert {row[0]: row for row in data["areas"]}[1013][1:5] == [
            0,
            Postcode.objects.filter(area_id="1013").count(),
            0,
            0,
        ]


def test_the_country_data_is_cacheable_and_revalidated_per_data_version(
    anonymous, amsterdam, areas, django_assert_max_num_queries
):
    first, data = coverage_json(anonymous)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["Vary"] == "Accept-Encoding"
    assert "Set-Cookie" not in first
    etag = first["ETag"]
    # Built once per data version: a repeat costs the version lookup only.
    with django_assert_max_num_queries(1):
        again, _data = coverage_json(anonymous)
    assert again["ETag"] == etag
    not_modified = anonymous.get(reverse("groups:map_coverage"), HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    # A new group is a new version: a new ETag and the new status.
    make_group("Nieuw in 1013", areas["1013"])
    changed, data = coverage_json(anonymous, HTTP_IF_NONE_MATCH=etag)
    assert changed["ETag"] != etag
    assert data["statuses"][{row[0]: row for row in data["areas"]}[1013][1]] == "located"


def test_the_country_data_is_compressed_for_clients_that_accept_it(anonymous, amsterdam):
    plain, data = coverage_json(anonymous)
    packed, same = coverage_json(anonymous, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and same == data
    assert len(packed.content) < len(plain.content) / 2


def test_the_overview_map_offers_the_gap_layer_switched_off(anonymous, db):
    html = anonymous.get(reverse("groups:map")).content.decode()
    config = gap_config(html)
    assert config["toggle"] is True and config["areas"] is None
    assert config["data"] == "/kaart/dekking.json"
    assert config["tableUrl"] == "/gemeenten/__slug__/#dekking-gebieden"
    assert 'id="gap-toggle"' in html and 'id="gap-toggle" checked' not in html

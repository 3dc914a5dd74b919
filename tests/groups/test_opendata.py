"""Open data API v1: public fields only, filters, licence, ETag/304, HEAD, CORS, query counts."""

import csv
import gzip
import io
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupStatus
from groups.opendata.data import ATTRIBUTION, GROUP_FIELDS, MUNICIPALITY_FIELDS
from postcodes.models import Municipality
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group, make_user

GEOJSON = "/api/v1/groepen.geojson"
GROUPS_CSV = "/api/v1/groepen.csv"
MUNICIPALITIES_JSON = "/api/v1/gemeenten.json"
MUNICIPALITIES_CSV = "/api/v1/gemeenten.csv"
ENDPOINTS = [GEOJSON, GROUPS_CSV, MUNICIPALITIES_JSON, MUNICIPALITIES_CSV]
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"


def get_json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def world(areas, group_a, group_b, group_admin):
    """Groups A and B in Amsterdam (A with a trained admin, registered with the police and
    confirmed by it), C in Utrecht, and groups that must never show: pending, inactive."""
    group_admin.trained_at = timezone.now()
    group_admin.save(update_fields=["trained_at"])
    group_a.registered_with_police = True
    group_a.registered_with_municipality = True
    group_a.police_confirmed_at = timezone.now() - timedelta(days=3)
    group_a.member_count = 40
    group_a.street = "Kloveniersburgwal 12"
    group_a.save()
    utrecht = make_group(
        "Waakzaam Wijk C", areas["3511"], postcodes=["3511AA"], admins=[make_user("c@example.test")]
    )
    make_group("Wacht op bevestiging", areas["1013"], status=GroupStatus.PENDING)
    make_group("Gestopt", areas["1015"], status=GroupStatus.INACTIVE)
    return {"a": group_a, "b": group_b, "c": utrecht}


def test_the_urls_are_versioned_and_dutch():
    assert reverse("groups:opendata_groups_geojson") == GEOJSON
    assert reverse("groups:opendata_groups_csv") == GROUPS_CSV
    assert reverse("groups:opendata_municipalities_json") == MUNICIPALITIES_JSON
    assert reverse("groups:opendata_municipalities_csv") == MUNICIPALITIES_CSV
    assert reverse("groups:opendata") == "/open-data/"


def test_geojson_has_every_active_group_at_its_areas_centroid(anonymous, world, areas):
    response = anonymous.get(GEOJSON)
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)

    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == {g.slug for g in world.values()}
    feature = next(f for f in data["features"] if f["id"] == world["a"].slug)
    area = areas["1011"]
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [round(area.longitude, 3), round(area.latitude, 3)],
    }
    props = feature["properties"]
    assert set(props) == set(GROUP_FIELDS) - {"latitude", "longitude"}
    assert props["name"] == "Buurtpreventie Nieuwmarkt"
    assert props["url"].endswith(f"/groepen/{world['a'].slug}/")
    assert props["platform"] == "whatsapp"
    assert (props["postcode_area"], props["place"]) == ("1011", area.place)
    assert props["municipality"] == area.municipality.name
    assert props["municipality_slug"] == area.municipality.slug
    assert props["municipality_code"] == area.municipality.code
    assert props["province"] == area.municipality.province
    assert props["covered_postcodes"] == 3
    assert props["member_count_approx"] == 40
    assert props["registered_with_municipality"] is True
    assert props["registered_with_police"] is True
    assert (
        props["police_confirmed_on"]
        == timezone.localdate(world["a"].police_confirmed_at).isoformat()
    )
    assert props["trained_admin"] is True
    assert props["verified"] is False
    assert re.fullmatch(r"\d{4}-\d{2}", props["last_confirmed"])
    other = next(f for f in data["features"] if f["id"] == world["b"].slug)["properties"]
    assert other["trained_admin"] is False
    assert other["police_confirmed_on"] is None
    assert other["member_count_approx"] is None


def test_no_private_field_or_value_reaches_the_api(anonymous, world):
    for url in ENDPOINTS:
        text = anonymous.get(url).content.decode()
        for canary in (*CANARY.values(), *OTHER_CANARY.values()):
            assert canary not in text, (canary, url)
        # Nor the street (free text an admin may fill with an address) or the description.
        assert "Kloveniersburgwal" not in text
        assert "Wij letten samen op" not in text
        for word in ("email", "phone", "admin", "street", "description", "police_confirmed_by"):
            assert f'"{word}"' not in text and f",{word}," not in text


def test_every_json_answer_states_licence_attribution_and_version(anonymous, world):
    for url in (GEOJSON, MUNICIPALITIES_JSON):
        data = get_json(anonymous, url)
        assert data["api_version"] == "1"
        assert data["licence"] == {"name": "CC BY 4.0", "url": LICENCE_URL}
        assert data["attribution"] == ATTRIBUTION
        assert "© Stichting WABP" in data["attribution"] and "GeoNames" in data["attribution"]
        assert data["documentation"].endswith("/open-data/")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_answer_links_the_licence_and_the_docs(anonymous, world, url):
    response = anonymous.get(url)
    assert f'<{LICENCE_URL}>; rel="license"' in response["Link"]
    assert '/open-data/>; rel="describedby"' in response["Link"]


def test_groups_csv_has_a_header_and_one_row_per_active_group(anonymous, world, areas):
    response = anonymous.get(GROUPS_CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines()[0] == ",".join(GROUP_FIELDS)
    rows = {row["id"]: row for row in csv_rows(response)}
    assert set(rows) == {g.slug for g in world.values()}
    a = rows[world["a"].slug]
    assert a["latitude"] == str(round(areas["1011"].latitude, 3))
    assert (a["trained_admin"], a["registered_with_police"], a["verified"]) == ("1", "1", "0")
    assert rows[world["b"].slug]["police_confirmed_on"] == ""


def test_a_group_name_like_a_formula_stays_text_in_the_csv(anonymous, areas):
    make_group("=HYPERLINK(1)", areas["1011"])
    rows = csv_rows(anonymous.get(GROUPS_CSV))
    assert rows[0]["name"] == "'=HYPERLINK(1)"


def test_municipality_figures_count_groups_coverage_and_marks(anonymous, world, areas):
    data = get_json(anonymous, MUNICIPALITIES_JSON)
    rows = {row["slug"]: row for row in data["municipalities"]}
    assert len(rows) == Municipality.objects.count()
    amsterdam = rows[areas["1011"].municipality.slug]
    assert set(amsterdam) == set(MUNICIPALITY_FIELDS)
    assert amsterdam["active_groups"] == 2
    assert amsterdam["groups_with_trained_admin"] == 1
    assert amsterdam["trained_admin_share"] == 50
    assert amsterdam["registered_with_municipality"] == 1
    assert amsterdam["registered_with_police_share"] == 50
    assert amsterdam["police_confirmed"] == 1
    assert amsterdam["police_confirmed_share"] == 50
    assert amsterdam["covered_postcodes"] == 3
    assert amsterdam["postcodes"] > 3
    assert amsterdam["coverage_share"] == round(100 * 3 / amsterdam["postcodes"])
    assert amsterdam["code"] == areas["1011"].municipality.code
    assert amsterdam["url"].endswith(f"/gemeenten/{amsterdam['slug']}/")
    utrecht = rows[areas["3511"].municipality.slug]
    assert (utrecht["active_groups"], utrecht["covered_postcodes"]) == (1, 1)
    assert utrecht["police_confirmed_share"] == 0


def test_a_municipality_without_groups_has_zeros_not_a_gap(anonymous, world):
    empty = Municipality.objects.create(name="Nergenshuizen", slug="nergenshuizen", province="X")
    rows = get_json(anonymous, MUNICIPALITIES_JSON)["municipalities"]
    row = next(r for r in rows if r["slug"] == empty.slug)
    assert row["active_groups"] == row["postcodes"] == row["coverage_share"] == 0


def test_municipality_figures_csv_matches_the_json(anonymous, world):
    json_rows = get_json(anonymous, MUNICIPALITIES_JSON)["municipalities"]
    response = anonymous.get(MUNICIPALITIES_CSV)
    rows = csv_rows(response)
    assert response.content.decode().splitlines()[0] == ",".join(MUNICIPALITY_FIELDS)
    assert [r["slug"] for r in rows] == [r["slug"] for r in json_rows]
    assert {r["slug"]: int(r["active_groups"]) for r in rows} == {
        r["slug"]: r["active_groups"] for r in json_rows
    }


# Filters ------------------------------------------------------------------------------------


def test_filter_by_municipality_slug_or_cbs_code(anonymous, world, areas):
    amsterdam = areas["1011"].municipality
    for value in (amsterdam.slug, amsterdam.code, amsterdam.code.lower()):
        data = get_json(anonymous, f"{GEOJSON}?gemeente={value}")
        assert {f["id"] for f in data["features"]} == {world["a"].slug, world["b"].slug}
    rows = get_json(anonymous, f"{MUNICIPALITIES_JSON}?gemeente={amsterdam.slug}")
    assert [r["slug"] for r in rows["municipalities"]] == [amsterdam.slug]


def test_filter_by_province_ignores_case(anonymous, world, areas):
    province = areas["3511"].municipality.province
    rows = csv_rows(anonymous.get(f"{GROUPS_CSV}?provincie={province.upper()}"))
    assert [r["id"] for r in rows] == [world["c"].slug]
    figures = get_json(anonymous, f"{MUNICIPALITIES_JSON}?provincie={province}")
    assert {r["province"] for r in figures["municipalities"]} == {province}


def test_both_filters_together_narrow_down(anonymous, world, areas):
    amsterdam = areas["1011"].municipality
    utrecht_province = areas["3511"].municipality.province
    data = get_json(anonymous, f"{GEOJSON}?gemeente={amsterdam.slug}&provincie={utrecht_province}")
    assert data["features"] == []


def test_a_municipality_without_groups_gives_an_empty_list(anonymous, world):
    Municipality.objects.create(name="Leegdorp", slug="leegdorp", province="Utrecht")
    assert get_json(anonymous, f"{GEOJSON}?gemeente=leegdorp")["features"] == []


@pytest.mark.parametrize(
    "query, status",
    [
        ("gemeente=nergenshuizen", 404),
        ("gemeente=GM9999", 404),
        ("provincie=Atlantis", 404),
        ("gemeente=a%20b", 400),
        ("gemeente=%00", 400),
        ("gemeente=amsterdam&gemeente=utrecht", 400),
        ("gemeenten=amsterdam", 400),
        ("provincie=" + "x" * 101, 400),
    ],
)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_bad_or_unknown_filter_is_refused_with_an_explanation(
    anonymous, world, url, query, status
):
    response = anonymous.get(f"{url}?{query}")
    assert response.status_code == status
    message = (
        response.content.decode() if url.endswith(".csv") else json.loads(response.content)["error"]
    )
    assert len(message) > 10
    if status == 400:
        assert "ETag" not in response  # nothing to revalidate


def test_the_error_speaks_english_under_en(anonymous, world):
    response = anonymous.get(f"/en{GEOJSON}?gemeente=nergenshuizen")
    assert response.status_code == 404
    assert "municipality" in json.loads(response.content)["error"].lower()


# Caching --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_matching_etag_gets_304_without_reading_groups(
    anonymous, world, url, django_assert_max_num_queries
):
    first = anonymous.get(url)
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == "public, max-age=300"

    with django_assert_max_num_queries(1):  # the data version, nothing else
        again = anonymous.get(url, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"


def test_the_etag_changes_with_the_data_the_filter_and_the_language(anonymous, world, areas):
    etag = anonymous.get(GEOJSON)["ETag"]
    assert anonymous.get(f"{GEOJSON}?gemeente=utrecht")["ETag"] != etag
    assert anonymous.get(f"/en{GEOJSON}")["ETag"] != etag
    assert anonymous.get(GROUPS_CSV)["ETag"] != etag

    world["b"].registered_with_municipality = True
    world["b"].save()

    fresh = anonymous.get(GEOJSON, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag


def test_police_confirmation_changes_the_etag(anonymous, world):
    etag = anonymous.get(GEOJSON)["ETag"]
    world["b"].police_confirmed_at = timezone.now()
    world["b"].save(update_fields=["police_confirmed_at"])
    assert anonymous.get(GEOJSON, headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
def test_head_answers_200_with_the_headers_and_no_body(anonymous, world, url):
    response = anonymous.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == anonymous.get(url)["ETag"]
    assert 'rel="license"' in response["Link"]


def test_post_is_not_allowed(anonymous, world):
    assert anonymous.post(GEOJSON).status_code == 405


def test_gzip_when_the_client_accepts_it(anonymous, world):
    response = anonymous.get(GEOJSON, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"


# CORS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*ENDPOINTS, f"/en{GEOJSON}"])
def test_any_site_may_read_the_api_from_the_browser(anonymous, world, url):
    response = anonymous.get(url, headers={"Origin": "https://www.gemeente.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_preflight_allows_only_reading(anonymous, world):
    response = anonymous.options(
        GEOJSON,
        headers={
            "Origin": "https://www.gemeente.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("url", ["/", "/open-data/", "/gemeenten/", "/cijfers/", "/account/login/"])
def test_the_rest_of_the_site_sends_no_cors_headers(anonymous, world, url):
    response = anonymous.get(url, headers={"Origin": "https://evil.example"})
    assert not any(h.lower().startswith("access-control-") for h in response.headers)


# Query counts ---------------------------------------------------------------------------------


def test_groups_take_a_bounded_number_of_queries(
    anonymous, world, areas, django_assert_max_num_queries
):
    for n in range(30):
        make_group(f"Extra {n}", areas["3512"], postcodes=[], admins=[make_user(f"x{n}@e.test")])
    slug = areas["1011"].municipality.slug
    for url in (GEOJSON, GROUPS_CSV):
        with django_assert_max_num_queries(2):  # the version, the groups
            anonymous.get(url)
        with django_assert_max_num_queries(3):  # and the municipality of the filter
            anonymous.get(f"{url}?gemeente={slug}")


def test_all_municipalities_take_a_handful_of_queries(
    anonymous, world, django_assert_max_num_queries
):
    for n in range(40):
        Municipality.objects.create(name=f"Gemeente {n}", slug=f"gemeente-{n}", province="Zeeland")
    with django_assert_max_num_queries(5):  # version, municipalities, groups, postcodes, (cache)
        data = get_json(anonymous, MUNICIPALITIES_JSON)
    assert len(data["municipalities"]) >= 40
    with django_assert_max_num_queries(4):  # the postcodes are counted once per data version
        anonymous.get(MUNICIPALITIES_CSV)


# The docs page --------------------------------------------------------------------------------


def test_docs_page_lists_endpoints_licence_and_etag(anonymous, world):
    response = anonymous.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for url in ENDPOINTS:
        assert url in html
    assert ATTRIBUTION in html
    assert "CC BY 4.0" in html and "If-None-Match" in html and "gemeente" in html


def test_docs_page_in_english(anonymous, world):
    response = anonymous.get("/en/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Open data</h1>" in html
    assert "Filtering" in html
    assert "/en/api/v1/groepen.geojson" in html


@pytest.mark.parametrize("docs", ["/open-data/", "/en/open-data/"])
def test_every_example_on_the_docs_page_answers_200(anonymous, world, settings, docs):
    html = anonymous.get(docs).content.decode()
    examples = set(
        re.findall(re.escape(settings.SITE_URL) + r"(/[^\s'\"<]*api/v1/[^\s'\"<]*)", html)
    )
    assert len(examples) >= 7
    for path in examples:
        response = anonymous.get(path.replace("&amp;", "&"))
        assert response.status_code == 200, path


def test_footer_links_the_docs(anonymous, world):
    assert 'href="/open-data/"' in anonymous.get("/").content.decode()

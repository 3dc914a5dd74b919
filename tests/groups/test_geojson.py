"""The map's GeoJSON: structure, privacy, caching, compression and revalidation."""

import gzip
import json
import math
import random

import brotli
import pytest
from django.urls import reverse
from django.utils import timezone

from groups.maps.geojson import clear_cache, map_payload, spread
from groups.maps.views import choose_encoding
from groups.models import Group, GroupStatus
from postcodes.models import Area, Municipality
from tests.groups.conftest import CANARY, OTHER_CANARY, add_coverage, make_group

URL = "/kaart/groepen.geojson"
# The European Netherlands, generously.
NL_LON, NL_LAT = (3.2, 7.3), (50.7, 53.6)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def get_json(client, **headers):
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_url_name_matches_the_path():
    assert reverse("groups:map_geojson") == URL


def test_feature_collection_has_active_groups_as_lon_lat_points(anonymous, group_a, group_b, areas):
    make_group("Wacht op bevestiging", areas["3511"], status=GroupStatus.PENDING)
    make_group("Gestopt", areas["3512"], status=GroupStatus.INACTIVE)
    response, data = get_json(anonymous)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert {f["id"] for f in data["features"]} == {group_a.slug, group_b.slug}
    feature = next(f for f in data["features"] if f["id"] == group_a.slug)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert NL_LON[0] < lon < NL_LON[1] and NL_LAT[0] < lat < NL_LAT[1]
    area = areas["1011"]
    assert (lon, lat) == (round(area.longitude, 3), round(area.latitude, 3))
    assert feature["properties"]["n"] == "Buurtpreventie Nieuwmarkt"
    assert feature["properties"]["pc"] == "1011"
    assert feature["properties"]["c"] == 3
    assert feature["properties"]["m"] == area.municipality.slug


def test_coordinates_have_at_most_three_decimals(anonymous, group_a, areas):
    # The spread-out points of groups sharing an area too, not only a centroid.
    for i in range(12):
        make_group(f"Buurtapp Nieuwmarkt {i}", areas["1011"])
    _response, data = get_json(anonymous)
    assert len(data["features"]) == 13
    for feature in data["features"]:
        for value in feature["geometry"]["coordinates"]:
            assert round(value, 3) == value


def metres_apart(a, b) -> float:
    """The distance of two (lon, lat) points in metres, flat-earth (fine at 1 km)."""
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (a[1] - b[1]) * 111_320)


def test_spread_gives_distinct_points_near_the_centroid_the_first_on_it():
    points = spread(4.3585, 52.0067, 40)
    assert len(points) == len(set(points)) == 40
    assert points[0] == (4.359, 52.007)  # a lone group stays on its (rounded) centroid
    assert all(metres_apart(p, (4.3585, 52.0067)) < 1000 for p in points)
    assert min(metres_apart(p, q) for i, p in enumerate(points) for q in points[:i]) > 90
    assert spread(4.3585, 52.0067, 40) == points
    assert spread(4.3585, 52.0067, 10) == points[:10]  # one more group moves none


def test_groups_sharing_an_area_get_distinct_points_around_its_centroid(anonymous, areas):
    area = areas["1011"]
    groups = [make_group(f"Buurtpreventie {i}", area) for i in range(30)]
    _response, data = get_json(anonymous)
    points = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in data["features"]}
    assert len(set(points.values())) == 30
    centroid = (area.longitude, area.latitude)
    assert all(metres_apart(point, centroid) < 1000 for point in points.values())
    # In the order of the groups' ids, on the spiral: the oldest group on the centroid.
    expected = spread(area.longitude, area.latitude, 30)
    assert [points[group.slug] for group in groups] == expected


def test_the_spread_is_the_same_on_every_build(anonymous, areas):
    for i in range(8):
        make_group(f"Buurtpreventie {i}", areas["3511"])
    _response, first = get_json(anonymous)
    clear_cache()
    Group.objects.filter(slug="buurtpreventie-0").update(name="Buurtpreventie Domplein")
    _response, second = get_json(anonymous)

    def coordinates(data):
        return {f["id"]: f["geometry"]["coordinates"] for f in data["features"]}

    assert coordinates(first) == coordinates(second)


def test_only_public_properties_and_no_private_details(anonymous, group_a, group_b):
    group_a.street = "Kloveniersburgwal"
    group_a.save()
    response, data = get_json(anonymous)
    keys = {key for feature in data["features"] for key in feature["properties"]}
    assert keys == {"n", "p", "pl", "pc", "m", "mn", "pr", "rm", "rp", "t", "v", "lc", "c"}
    text = response.content.decode()
    for canary in (*CANARY.values(), *OTHER_CANARY.values()):
        assert canary not in text
    assert "Kloveniersburgwal" not in text  # street names stay on the group page


def test_gzip_when_accepted_plain_otherwise(anonymous, group_a):
    zipped = anonymous.get(URL, headers={"Accept-Encoding": "gzip, deflate"})
    plain = anonymous.get(URL)
    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["ETag"] == plain["ETag"]


def test_gzip_refused_with_q_zero(anonymous, group_a):
    response = anonymous.get(URL, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response


def test_brotli_gzip_and_plain_are_the_same_json(anonymous, group_a, group_b):
    plain = anonymous.get(URL)
    zipped = anonymous.get(URL, headers={"Accept-Encoding": "gzip"})
    brotlied = anonymous.get(URL, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert brotlied["Content-Encoding"] == "br" and zipped["Content-Encoding"] == "gzip"
    expected = json.loads(plain.content)
    assert {f["id"] for f in expected["features"]} == {group_a.slug, group_b.slug}
    assert json.loads(brotli.decompress(brotlied.content)) == expected
    assert json.loads(gzip.decompress(zipped.content)) == expected
    for response in (plain, zipped, brotlied):
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == plain["ETag"]


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("", "identity"),
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0, gzip;q=0", "identity"),
        ("BR", "br"),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("deflate, identity", "identity"),
        ("gzip;q=nonsense", "identity"),
    ],
)
def test_encoding_follows_accept_encoding_weights(header, encoding):
    assert choose_encoding(header) == encoding


def test_gzip_middleware_does_not_compress_it_again(anonymous, group_a, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    plain = anonymous.get(URL).content
    response = anonymous.get(URL, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


def test_the_data_is_built_once_for_all_workers(anonymous, group_a, django_assert_num_queries):
    anonymous.get(URL)
    clear_cache()  # another worker, or this one after a restart: it remembers nothing
    with django_assert_num_queries(1):  # the version; the groups are not read again
        response = anonymous.get(URL, headers={"Accept-Encoding": "br"})
    assert group_a.slug in brotli.decompress(response.content).decode()


def test_old_versions_files_are_removed(anonymous, group_a):
    folders = set()
    for i in range(5):
        group_a.name = f"Nieuwmarkt {i}"
        group_a.save()
        folders.add(map_payload().files["identity"].parent)
    (folder,) = folders
    assert len(list(folder.glob("*.json"))) <= 3
    assert len(list(folder.glob("*.json.br"))) == len(list(folder.glob("*.json")))


def test_if_none_match_answers_304(anonymous, group_a):
    etag = anonymous.get(URL)["ETag"]
    response = anonymous.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_answers_304(anonymous, group_a):
    last_modified = anonymous.get(URL)["Last-Modified"]
    assert anonymous.get(URL, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_a_group_edit_invalidates_the_cache(anonymous, group_a):
    etag = anonymous.get(URL)["ETag"]
    group_a.name = "Nieuwmarkt Veilig"
    group_a.save()
    response = anonymous.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Nieuwmarkt Veilig" in response.content.decode()
    compressed = anonymous.get(URL, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert "Nieuwmarkt Veilig" in brotli.decompress(compressed.content).decode()


def test_deactivating_a_group_removes_it(anonymous, group_a, group_b):
    get_json(anonymous)
    group_b.deactivate()
    _response, data = get_json(anonymous)
    assert [f["id"] for f in data["features"]] == [group_a.slug]


def test_new_coverage_changes_the_data(anonymous, group_b):
    _r, before = get_json(anonymous)
    add_coverage(group_b, ["1012AB"])
    _r, after = get_json(anonymous)
    assert before["features"][0]["properties"]["c"] == 0
    assert after["features"][0]["properties"]["c"] == 1


def test_a_cached_response_costs_one_query(anonymous, group_a, group_b, django_assert_num_queries):
    anonymous.get(URL)
    with django_assert_num_queries(1):
        anonymous.get(URL)


def test_building_costs_two_queries(anonymous, group_a, group_b, django_assert_num_queries):
    with django_assert_num_queries(2):
        anonymous.get(URL)


def _bulk_groups(n: int) -> None:
    """n active groups spread over ~2,000 synthetic PC4 areas in 340 municipalities."""
    rng = random.Random(4)
    provinces = [
        "Groningen",
        "Fryslân",
        "Drenthe",
        "Overijssel",
        "Gelderland",
        "Utrecht",
        "Noord-Holland",
        "Zuid-Holland",
        "Zeeland",
        "Noord-Brabant",
        "Limburg",
        "Flevoland",
    ]
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(name=f"Gemeente {i}", slug=f"gemeente-{i}", province=provinces[i % 12])
            for i in range(340)
        ]
    )
    areas = Area.objects.bulk_create(
        [
            Area(
                code=str(2000 + i),
                place=f"Plaats{i % 1500}dorp",
                places=[],
                municipality=municipalities[i % 340],
                province=municipalities[i % 340].province,
                latitude=rng.uniform(51.0, 53.4),
                longitude=rng.uniform(3.6, 7.1),
            )
            for i in range(2000)
        ]
    )
    streets = [
        "Dorpsstraat",
        "Kerkstraat",
        "Molenweg",
        "Schoolstraat",
        "Beukenlaan",
        "Eikenlaan",
        "Stationsweg",
        "Julianastraat",
        "Wilhelminastraat",
        "Sportlaan",
        "Parkweg",
        "Heuvel",
    ]
    Group.objects.bulk_create(
        [
            Group(
                name=f"Buurtpreventie {rng.choice(streets)} {i}",
                slug=f"buurtpreventie-{i}",
                area=(area := areas[rng.randrange(2000)]),
                municipality_id=area.municipality_id,
                status=GroupStatus.ACTIVE,
                platform=rng.choice(["whatsapp", "whatsapp", "whatsapp", "signal", "telegram"]),
                registered_with_municipality=rng.random() < 0.4,
                registered_with_police=rng.random() < 0.6,
                is_verified=rng.random() < 0.2,
            )
            for i in range(n)
        ]
    )


def test_9300_groups_stay_under_200_kb_gzipped(anonymous, db):
    _bulk_groups(9300)
    response = anonymous.get(URL, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.content))["features"]) == 9300
    assert len(response.content) <= 200 * 1024, len(response.content)


def test_a_new_certificate_holder_among_the_admins_invalidates_the_cache(anonymous, group_a):
    first = anonymous.get(URL)
    admin = group_a.admins.get()
    admin.trained_at = timezone.now()
    admin.save(update_fields=["trained_at"])

    second = anonymous.get(URL, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 200
    feature = json.loads(second.content)["features"][0]
    assert feature["properties"]["t"] == 1


def test_a_login_does_not_invalidate_the_cache(anonymous, group_a):
    first = anonymous.get(URL)
    admin = group_a.admins.get()
    admin.last_login = timezone.now()
    admin.save(update_fields=["last_login"])

    assert anonymous.get(URL, headers={"If-None-Match": first["ETag"]}).status_code == 304

"""The overview map page, its server-rendered list, the area lookup and the embed."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from groups.models import GroupStatus
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group


@pytest.fixture
def utrecht_group(areas):
    """A trained-admin-free Signal group in Utrecht, registered with the police."""
    return make_group(
        "Signaal Domplein", areas["3511"], platform="signal", registered_with_police=True
    )


def test_map_page_uses_leaflet_with_a_nonce_and_loads_map_assets(anonymous, group_a):
    response = anonymous.get(reverse("groups:map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "vendor/leaflet.markercluster/" in html and "/static/js/map." in html
    nonce = response.context["csp_nonce"]
    assert f'<script nonce="{nonce}">' in html
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert 'style="' not in html


def test_map_assets_do_not_load_on_other_pages(anonymous, db):
    html = anonymous.get(reverse("home")).content.decode()
    assert "leaflet" not in html and "/static/js/map." not in html


def test_map_config_reaches_the_script_as_json(anonymous, db, settings):
    settings.MAP_TILES_URL = ""
    response = anonymous.get(reverse("groups:map"))
    config = response.context["map_config"]
    assert config["geojson"] == reverse("groups:map_geojson")
    assert config["tiles"] is False
    assert '<script id="map-config" type="application/json">' in response.content.decode()


def test_map_config_carries_the_borders_static_urls_and_municipality_codes(anonymous, areas):
    amsterdam, utrecht = areas["1011"].municipality, areas["3511"].municipality
    utrecht.code = None  # not (yet) matched to the CBS borders
    utrecht.save()
    config = anonymous.get(reverse("groups:map")).context["map_config"]
    borders = config["borders"]
    # Hashed names (manifest storage): cached for good, a new file gets a new name.
    assert re.fullmatch(
        r"/static/postcodes/boundaries/gemeente_2025\.[0-9a-f]{12}\.topojson",
        borders["municipalities"],
    )
    assert re.fullmatch(
        r"/static/postcodes/boundaries/provincie_2025\.[0-9a-f]{12}\.topojson", borders["provinces"]
    )
    assert borders["attribution"] == "Grenzen © CBS, Kadaster (PDOK)"
    # Slug to CBS code for the municipality filter; one without a code yet has none.
    assert config["municipalityCodes"] == {amsterdam.slug: "GM0363", "assen": "GM0106"}
    assert utrecht.slug not in config["municipalityCodes"]
    assert config["municipality"] == "" and config["municipalityCode"] == ""


def test_map_config_names_the_marker_images_by_their_hashed_static_addresses(anonymous, db):
    # Leaflet guesses its images' folder from its CSS, whose hashed names it cannot parse:
    # in production every marker image was a 404 (/kaart/marker-icon.png).
    icons = anonymous.get(reverse("groups:map")).context["map_config"]["icons"]

    for key, name in [
        ("iconUrl", "marker-icon"),
        ("iconRetinaUrl", "marker-icon-2x"),
        ("shadowUrl", "marker-shadow"),
    ]:
        assert re.fullmatch(rf"/static/leaflet/images/{name}\.[0-9a-f]{{12}}\.png", icons[key])


def test_the_borders_are_a_long_cached_compressed_static_file(anonymous, db):
    url = anonymous.get(reverse("groups:map")).context["map_config"]["borders"]["municipalities"]
    response = Client().get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= 365 * 24 * 3600
    assert response["Content-Encoding"] in ("br", "gzip")
    assert response["Content-Type"] == "application/json"
    assert int(response["Content-Length"]) < 40_000  # 132 KB uncompressed


def test_with_a_tile_server_the_borders_stay_as_lines(anonymous, db, settings):
    settings.MAP_TILES_URL = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    config = anonymous.get(reverse("groups:map")).context["map_config"]
    assert config["tiles"] is True
    assert config["borders"]["municipalities"].endswith(".topojson")


def test_the_municipality_map_gets_its_cbs_code(anonymous, group_a):
    municipality = group_a.municipality
    municipality.code = "GM0363"
    municipality.save()
    for url in (
        municipality.get_absolute_url(),
        reverse("groups:map_embed") + f"?gemeente={municipality.slug}",
    ):
        config = anonymous.get(url).context["map_config"]
        assert config["municipality"] == municipality.slug
        assert config["municipalityCode"] == "GM0363"
        assert config["borders"]["municipalities"].endswith(".topojson")


def test_no_tile_server_means_no_tile_layer(anonymous, db):
    html = anonymous.get(reverse("groups:map")).content.decode()
    assert '"layers": []' in html
    assert "tile.openstreetmap.org" not in html


def test_plain_list_shows_active_groups_only(anonymous, group_a, group_b, areas):
    make_group("Wacht nog", areas["1013"], status=GroupStatus.PENDING)
    html = anonymous.get(reverse("groups:map")).content.decode()
    assert "Buurtpreventie Nieuwmarkt" in html and "Buurtwacht Dam" in html
    assert "Wacht nog" not in html
    assert "2 groepen gevonden" in html


def test_filters_narrow_the_plain_list(anonymous, group_a, group_b, utrecht_group):
    response = anonymous.get(reverse("groups:map"), {"platform": "signal"})
    names = [g.name for g in response.context["page"].object_list]
    assert names == ["Signaal Domplein"]
    response = anonymous.get(reverse("groups:map"), {"registered_with_police": "on"})
    assert [g.name for g in response.context["page"].object_list] == ["Signaal Domplein"]
    municipality = group_a.municipality.slug
    response = anonymous.get(reverse("groups:map"), {"municipality": municipality})
    assert {g.name for g in response.context["page"].object_list} == {
        "Buurtpreventie Nieuwmarkt",
        "Buurtwacht Dam",
    }


def test_trained_filter_uses_the_admins_certificate(anonymous, group_a, group_b, group_admin):
    from django.utils import timezone

    group_admin.trained_at = timezone.now()
    group_admin.save()
    response = anonymous.get(reverse("groups:map"), {"trained": "on"})
    assert [g.name for g in response.context["page"].object_list] == ["Buurtpreventie Nieuwmarkt"]


def test_postcode_lists_groups_located_or_covering_there(anonymous, group_a, group_b, areas):
    make_group("Over de grens", areas["1012"], postcodes=["1011AE"])
    response = anonymous.get(reverse("groups:map"), {"postcode": "1011 ab"})
    names = {g.name for g in response.context["page"].object_list}
    assert names == {"Buurtpreventie Nieuwmarkt", "Over de grens"}
    assert response.context["map_config"]["focus"]["code"] == "1011"


def test_list_is_paginated_server_side(anonymous, areas):
    for i in range(30):
        make_group(f"Groep {i:02d}", areas["3512"])
    first = anonymous.get(reverse("groups:map"))
    assert len(first.context["page"].object_list) == 25
    second = anonymous.get(reverse("groups:map"), {"page": 2})
    assert [g.name for g in second.context["page"].object_list] == [
        f"Groep {i}" for i in range(25, 30)
    ]


def test_map_page_queries_do_not_grow_with_groups(anonymous, areas, django_assert_max_num_queries):
    for i in range(40):
        make_group(f"Groep {i}", areas["1011"], postcodes=["1011AB"])
    with django_assert_max_num_queries(5):
        anonymous.get(reverse("groups:map"), {"platform": "whatsapp"})


def test_area_lookup_gives_centroid_and_groups(anonymous, group_a, group_b):
    response = anonymous.get(reverse("groups:map_area"), {"postcode": "1011AB"})
    data = json.loads(response.content)
    assert data["code"] == "1011"
    assert data["groups"] == [group_a.slug]
    assert 52 < data["lat"] < 53 and 4 < data["lon"] < 5
    assert data["municipality"] == group_a.municipality.slug


def test_area_lookup_unknown_postcode_is_404(anonymous, db):
    assert anonymous.get(reverse("groups:map_area"), {"postcode": "9999"}).status_code == 404
    assert anonymous.get(reverse("groups:map_area"), {"postcode": "nonsense"}).status_code == 404


def test_no_private_details_on_map_pages(anonymous, group_a, group_b):
    for url in (
        reverse("groups:map"),
        reverse("groups:map") + "?postcode=1011",
        reverse("groups:map_embed") + f"?gemeente={group_a.municipality.slug}",
        reverse("groups:map_area") + "?postcode=1011",
    ):
        text = anonymous.get(url).content.decode()
        for canary in (*CANARY.values(), *OTHER_CANARY.values()):
            assert canary not in text, (url, canary)


# Framing: only the embed may be put in an iframe -----------------------------------------


def test_embed_can_be_framed(anonymous, group_a):
    response = anonymous.get(reverse("groups:map_embed"), {"gemeente": group_a.municipality.slug})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https:" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert response.context["map_config"]["municipality"] == group_a.municipality.slug


def test_embed_of_unknown_municipality_is_404(anonymous, db):
    assert anonymous.get(reverse("groups:map_embed"), {"gemeente": "nergens"}).status_code == 404


@pytest.mark.parametrize("name", ["groups:map", "groups:municipalities", "groups:figures", "home"])
def test_other_pages_cannot_be_framed(anonymous, db, name):
    response = anonymous.get(reverse(name))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_municipality_page_cannot_be_framed(anonymous, group_a):
    response = anonymous.get(group_a.municipality.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_wrong_postcode_is_said_once_next_to_its_field(anonymous, db):
    html = anonymous.get(reverse("groups:map"), {"postcode": "abc"}).content.decode()
    assert html.count("Een postcode begint met vier cijfers") == 1
    assert 'aria-describedby="id_postcode_helptext id_postcode_error"' in html

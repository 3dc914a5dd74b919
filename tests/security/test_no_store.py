"""No response to a logged-in person is stored by a browser or proxy cache.

Every page shows who is logged in, and most hold their data or progress (panel rounds,
course progress, /beheer/, /account/, municipality pages), so the rule holds for every URL of
the permission matrix, whatever the answer. Only a response that is the same for everyone and
says so (`Cache-Control: public`) may be cached.
"""

import pytest

from tests.security.matrix import MATRIX
from tests.security.urls import concrete_url
from tests.security.world import ANONYMOUS, PERSONAS

LOGGED_IN = [persona for persona in PERSONAS if persona not in ANONYMOUS]
# The same for everyone: the open data of the map, the gap layer's coverage per area and the
# open data API, revalidated with their ETags.
PUBLIC_CACHEABLE = {
    "groups:map_geojson",
    "groups:map_coverage",
    "groups:opendata_groups_geojson",
    "groups:opendata_groups_csv",
    "groups:opendata_municipalities_json",
    "groups:opendata_municipalities_csv",
}


@pytest.mark.parametrize("persona", LOGGED_IN)
def test_no_response_to_a_logged_in_persona_may_be_cached(world, persona):
    client = world.client(persona)
    client.raise_request_exception = False  # a 500 must not be cached either
    cached = []
    for name in sorted(set(MATRIX) - PUBLIC_CACHEABLE):
        response = client.get(concrete_url(name, world, persona))
        if "no-store" not in response.get("Cache-Control", ""):
            cached.append(f"{name} ({response.status_code}): {response.get('Cache-Control')!r}")

    assert cached == []


def test_the_map_data_stays_publicly_cacheable_for_a_logged_in_persona(world):
    response = world.client("admin_a").get(concrete_url("groups:map_geojson", world, "admin_a"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"


def test_the_open_data_api_is_the_same_for_a_logged_in_persona(world):
    anonymous = world.client("anonymous").get("/api/v1/groepen.geojson")
    logged_in = world.client("staff_x").get("/api/v1/groepen.geojson")

    assert logged_in.status_code == 200
    assert logged_in["Cache-Control"].startswith("public")
    assert logged_in.content == anonymous.content
    assert logged_in["ETag"] == anonymous["ETag"]

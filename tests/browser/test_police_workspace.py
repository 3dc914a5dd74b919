"""The police workspace's map in headless Chromium: an officer of several municipalities sees
the groups of their whole area, and none outside it."""

import pytest

from groups.maps.geojson import clear_cache
from tests.browser.test_accessibility import log_in
from tests.browser.test_map import open_map
from tests.factories import PASSWORD
from tests.groups.conftest import load_areas, make_group
from tests.groups.test_police_workspace import make_officer

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    clear_cache()
    areas = load_areas(["1011", "1012", "3511", "9401"])
    make_group("Buurtpreventie Nieuwmarkt", areas["1011"])
    make_group("Buurtwacht Dam", areas["1012"])
    make_group("Buurtapp Domplein", areas["3511"])
    make_group("Buurtwacht Assen Centrum", areas["9401"])
    yield make_officer(
        "petra.havik@politie.nl", [areas["1011"].municipality, areas["3511"].municipality]
    )
    clear_cache()


def test_the_map_shows_the_officers_whole_area_and_nothing_else(page, officer):
    log_in(page, officer.email, PASSWORD)
    errors = open_map(page, "/politie/")
    assert page.evaluate("window.wabpMap.visible") == 3
    assert errors == []

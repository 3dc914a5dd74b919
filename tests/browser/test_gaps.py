"""The gap map in headless Chromium: Delft's postcode areas coloured by coverage on its
municipality page, and the country's layer switched on over /kaart/; both pass axe-core."""

from pathlib import Path

import pytest

from groups.maps.geojson import clear_cache
from tests.browser.test_map import open_map, wait_until
from tests.groups.conftest import load_areas, make_group

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
DELFT = [str(n) for n in range(2611, 2630)]


@pytest.fixture
def delft(transactional_db):
    """Delft's 13 real areas: 2611 covered in part, 2612 with a group but no coverage, the
    rest gaps; and Amsterdam, to show the filter keeps the layer to one municipality."""
    clear_cache()
    areas = load_areas([*DELFT, "1011"])
    make_group("Buurtpreventie Binnenstad", areas["2611"], postcodes=["2611AG", "2611AK", "2611AL"])
    make_group("Buurtwacht Noord", areas["2612"])
    make_group("Buurtpreventie Nieuwmarkt", areas["1011"], postcodes=["1011AB"])
    yield areas["2611"].municipality
    clear_cache()


def status_counts(page) -> dict[str, int]:
    return {
        status: page.locator(f"path.gap-area.gap-{status}").count()
        for status in ("covered", "located", "none")
    }


def test_delft_draws_its_gap_layer_with_legend_and_passes_axe(page, delft, axe):
    errors = open_map(page, "/gemeenten/delft/")
    page.wait_for_selector("#map[data-gaps-ready='1']")
    assert status_counts(page) == {"covered": 1, "located": 1, "none": 11}
    # The legend says in words what the colours and patterns mean.
    legend = page.locator("#gap-legend.leaflet-control")
    assert legend.is_visible()
    assert "Geen groep (gearceerd)" in legend.inner_text()
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "Postcodegebieden © CBS, © ESRI Nederland" in attribution
    # The gaps are hatched, not only coloured.
    fill = page.locator("path.gap-none").first.evaluate("p => getComputedStyle(p).fill")
    assert "gap-hatch" in fill
    # A popup names the area with its facts (the click is dispatched on the path itself: the
    # group's marker sits on top of the area's centre).
    page.locator("path.gap-covered").dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert (
        "2611 Delft" in text
        and "Gedekt door een groep" in text
        and "Postcodes met een groep: 3" in text
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".municipality-map").screenshot(path=str(SCREENSHOTS / "gaps-delft.png"))
    page.keyboard.press("Escape")
    assert errors == []
    violations = axe(page)
    assert violations == [], [f"{v['id']}: {v['help']}" for v in violations]


def test_the_overview_map_gap_layer_is_off_until_switched_on(page, delft, axe):
    errors = open_map(page, "/kaart/")
    toggle = page.get_by_label("Toon de dekking per postcodegebied")
    assert not toggle.is_checked()
    assert page.locator("path.gap-area").count() == 0
    toggle.check()
    page.wait_for_selector("#map[data-gaps-ready='1']")
    wait_until(page, "window.wabpGaps.drawn === 14")  # every loaded area: Delft's and 1011
    assert page.locator("path.gap-covered").count() == 2
    assert "Geen groep (gearceerd)" in page.locator("#gap-legend").inner_text()
    # The municipality filter keeps the layer to that municipality.
    page.select_option("#id_municipality", "delft")
    wait_until(page, "window.wabpGaps.drawn === 13")
    assert page.locator("path.gap-covered").count() == 1
    # ... and links to that municipality's table of the same facts.
    table_link = page.get_by_role("link", name="De dekking van deze gemeente als tabel")
    assert table_link.get_attribute("href") == "/gemeenten/delft/#dekking-gebieden"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "gaps-kaart.png"))
    assert errors == []
    violations = axe(page)
    assert violations == [], [f"{v['id']}: {v['help']}" for v in violations]
    toggle.uncheck()
    wait_until(page, "document.querySelectorAll('path.gap-area').length === 0")

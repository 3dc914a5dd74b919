"""The maps' offline base layer in headless Chromium, with no tile server (the default): CBS's
municipality and province borders around the markers, the chosen municipality outlined and
fitted, groups of one area spread apart, and axe-core content with it."""

import pytest
from django.utils import timezone

from groups.maps.geojson import clear_cache
from groups.models import Group, GroupStatus
from postcodes.models import Area, Municipality, Postcode
from tests.browser.test_map import open_map, wait_until

pytestmark = pytest.mark.browser

# Real PC4 centroids of Delft (postcodes/data/NL.txt).
DELFT_AREAS = {
    "2611": (52.0115, 4.3595),
    "2612": (52.0178, 4.3642),
    "2613": (52.0089, 4.3492),
    "2614": (52.0081, 4.3361),
    "2616": (52.0208, 4.3731),
}
IN_2612 = 7

BORDER_PATHS = ".leaflet-wabpBorders-pane path"
HIGHLIGHT_PATHS = ".leaflet-wabpHighlight-pane path"


@pytest.fixture
def delft(transactional_db, settings):
    """Delft (CBS code GM0503) with five areas and 15 groups, seven of them in 2612."""
    settings.MAP_TILES_URL = ""
    clear_cache()
    municipality = Municipality.objects.create(
        name="Delft", slug="delft", province="Zuid-Holland", code="GM0503"
    )
    areas = {
        code: Area.objects.create(
            code=code,
            place="Delft",
            places=["Delft"],
            municipality=municipality,
            province="Zuid-Holland",
            latitude=lat,
            longitude=lon,
        )
        for code, (lat, lon) in DELFT_AREAS.items()
    }
    Postcode.objects.create(
        code="2612JK", area=areas["2612"], place="Delft", municipality=municipality
    )
    now = timezone.now()
    codes = ["2612"] * IN_2612 + ["2611", "2611", "2613", "2613", "2614", "2614", "2616", "2616"]
    Group.objects.bulk_create(
        Group(
            name=f"Buurtpreventie Delft {i:02d}",
            slug=f"buurtpreventie-delft-{i:02d}",
            area=areas[code],
            municipality=municipality,
            status=GroupStatus.ACTIVE,
            confirmed_at=now,
            last_confirmed_at=now,
        )
        for i, code in enumerate(codes)
    )
    yield municipality
    clear_cache()


def drawn(page, selector: str) -> int:
    """How many SVG paths under `selector` are drawn in view (Leaflet empties the others)."""
    return page.locator(selector).evaluate_all(
        "paths => paths.filter(p => (p.getAttribute('d') || '').length > 20).length"
    )


def border_contains_markers(page) -> bool:
    """Delft's border (from the borders' data) contains the bounds of every visible marker."""
    return page.evaluate(
        """(() => {
          const s = window.wabpMap, f = s.borders.byCode("GM0503");
          const bounds = L.geoJSON(f).getBounds();
          const markers = [];
          s.cluster.eachLayer(m => markers.push(m.getLatLng()));
          return markers.length > 0 && markers.every(p => bounds.contains(p));
        })()"""
    )


def marker_positions(page) -> set:
    return set(
        page.locator(".leaflet-marker-pane img.leaflet-marker-icon").evaluate_all(
            "icons => icons.map(i => i.style.transform)"
        )
    )


def test_the_postcode_map_draws_municipality_borders_around_the_markers(page, axe, delft, tmp_path):
    errors = open_map(page, "/kaart/?postcode=2612JK")
    assert page.evaluate("window.wabpMap.map.getZoom()") == 14
    assert page.locator(".leaflet-tile").count() == 0
    # All 342 municipalities are in the layer; Delft and its neighbours are drawn in view.
    assert page.locator(BORDER_PATHS).count() >= 342 + 1  # and the provinces' mesh
    assert drawn(page, BORDER_PATHS) >= 3
    assert border_contains_markers(page)
    assert drawn(page, HIGHLIGHT_PATHS) == 1  # where you are: Delft outlined
    # The land is filled: the map does not float on an empty background.
    fill = page.locator(BORDER_PATHS).first.get_attribute("fill-opacity")
    assert fill == "1"
    # Seven groups in 2612: seven markers at seven places, each with its own icon.
    page.evaluate("window.wabpMap.map.setZoom(16, {animate: false})")
    wait_until(page, f"document.querySelectorAll('.leaflet-marker-pane img').length >= {IN_2612}")
    assert len(marker_positions(page)) == page.locator(".leaflet-marker-pane img").count()
    page.evaluate("window.wabpMap.map.setZoom(14, {animate: false})")
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "Grenzen © CBS, Kadaster (PDOK)" in attribution
    page.screenshot(path=tmp_path / "kaart-2612JK.png")
    print(f"screenshot: {tmp_path / 'kaart-2612JK.png'}")
    assert axe(page) == []
    assert errors == []


def test_municipality_names_appear_zoomed_in_and_are_decorative(page, delft):
    open_map(page, "/kaart/?postcode=2612JK")
    page.evaluate("window.wabpMap.map.setZoom(11, {animate: false})")
    labels = page.locator(".leaflet-wabpLabels-pane .wabp-label:not(.wabp-label-hidden)")
    wait_until(page, "document.querySelectorAll('.leaflet-wabpLabels-pane .wabp-label').length > 0")
    assert "Delft" in labels.all_inner_texts()
    pane = page.locator(".leaflet-wabpLabels-pane")
    assert pane.get_attribute("aria-hidden") == "true"
    page.evaluate("window.wabpMap.map.setZoom(8, {animate: false})")
    wait_until(
        page, "document.querySelectorAll('.leaflet-wabpLabels-pane .wabp-label').length === 0"
    )


def test_every_municipalitys_name_sits_inside_it(page, delft):
    """The label point lies in the municipality's own polygon (even-odd rule, holes too)."""
    open_map(page, "/kaart/")
    outside = page.evaluate(
        """(() => {
          function inside(pt, rings) {
            let odd = false;
            rings.forEach(ring => {
              for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                const a = ring[i], b = ring[j];
                if ((a[1] > pt[1]) !== (b[1] > pt[1]) &&
                    pt[0] < a[0] + (pt[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])) odd = !odd;
              }
            });
            return odd;
          }
          const all = window.wabpMap.borders.municipalities.features;
          const wrong = all.filter(f => {
            const p = window.wabpBorders.labelPoint(f);
            const polygons = f.geometry.type === "Polygon"
              ? [f.geometry.coordinates] : f.geometry.coordinates;
            return !p || !polygons.some(rings => inside([p[1], p[0]], rings));
          });
          return {count: all.length, outside: wrong.map(f => f.properties.statnaam)};
        })()"""
    )
    assert outside == {"count": 342, "outside": []}


def test_choosing_a_municipality_zooms_to_its_outlined_border(page, delft, tmp_path):
    open_map(page, "/kaart/")
    assert page.locator(HIGHLIGHT_PATHS).count() == 0
    page.select_option("#id_municipality", "delft")
    wait_until(page, "window.wabpMap.map.getZoom() >= 11")
    assert page.locator(HIGHLIGHT_PATHS).count() == 1
    assert page.evaluate(
        """(() => {
          const b = L.geoJSON(window.wabpMap.borders.byCode("GM0503")).getBounds();
          return window.wabpMap.map.getBounds().pad(0.01).contains(b);
        })()"""
    )
    page.screenshot(path=tmp_path / "kaart-delft.png")


def test_the_municipality_page_draws_and_fits_its_border(page, axe, delft, tmp_path):
    errors = open_map(page, "/gemeenten/delft/")
    assert drawn(page, HIGHLIGHT_PATHS) == 1
    assert page.evaluate("window.wabpMap.map.getZoom()") >= 11
    assert border_contains_markers(page)
    page.locator(".municipality-map").screenshot(path=tmp_path / "gemeente-delft.png")
    print(f"screenshot: {tmp_path / 'gemeente-delft.png'}")
    assert axe(page) == []
    assert errors == []


def test_the_embed_draws_the_municipalitys_border_with_its_groups(page, delft, tmp_path):
    errors = open_map(page, "/kaart/embed/?gemeente=delft")
    # Its heading is for screen readers only: the map fills the frame.
    assert page.locator("h1").bounding_box()["height"] <= 1
    assert drawn(page, HIGHLIGHT_PATHS) == 1
    assert page.evaluate("window.wabpMap.visible") == 15
    assert border_contains_markers(page)
    page.screenshot(path=tmp_path / "embed-delft.png")
    assert errors == []


def test_other_scripts_get_the_map_and_its_layer_control(page, delft):
    """The gap map's script listens for "wabp:map-ready"; its layer can join the control."""
    page.add_init_script(
        """document.addEventListener("wabp:map-ready", (event) => {
          const d = event.detail;
          window.readyDetail = {
            keys: Object.keys(d).sort(),
            isMap: d.map instanceof L.Map,
            geojson: d.config.geojson,
            canAddOverlay: typeof d.layers.addOverlay === "function",
          };
        });"""
    )
    open_map(page, "/kaart/")
    assert page.evaluate("window.readyDetail") == {
        "keys": ["borders", "config", "layers", "map"],
        "isMap": True,
        "geojson": "/kaart/groepen.geojson",
        "canAddOverlay": True,
    }
    toggle = page.locator(".leaflet-control-layers-toggle")
    assert toggle.get_attribute("aria-label") == "Kaartlagen"
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [text.strip() for text in overlays] == ["Gemeentegrenzen"]
    # Switched off there, the borders and their names go; the provinces stay.
    page.evaluate("window.wabpMap.map.setView([52.0178, 4.3642], 11, {animate: false})")
    labels = ".leaflet-wabpLabels-pane .wabp-label"
    wait_until(page, f"document.querySelectorAll('{labels}').length > 0")
    toggle.focus()
    page.keyboard.press("Enter")  # the control opens from the keyboard
    page.get_by_label("Gemeentegrenzen").focus()
    page.keyboard.press("Space")
    wait_until(page, f"document.querySelectorAll('{labels}').length === 0")
    assert page.locator(f"{BORDER_PATHS}.wabp-municipality").count() == 0
    assert page.locator(BORDER_PATHS).count() >= 1


def test_with_a_tile_server_the_borders_are_lines_only(page, delft, settings):
    # Only the map's own switch: the tiles themselves (django-leaflet's settings) stay off,
    # as the page may not reach the network here.
    settings.MAP_TILES_URL = "https://tiles.invalid/{z}/{x}/{y}.png"
    open_map(page, "/gemeenten/delft/")
    fills = page.locator(f"{BORDER_PATHS}.wabp-municipality").evaluate_all(
        "paths => [...new Set(paths.map(p => p.getAttribute('fill-opacity')))]"
    )
    assert fills == ["0"]
    assert not page.locator(".leaflet-container").evaluate(
        "el => el.classList.contains('wabp-no-tiles')"
    )
    assert drawn(page, HIGHLIGHT_PATHS) == 1

"""The overview map in headless Chromium: clusters over the bundled borders, popups, filters,
the postcode box, and no request leaving the machine (the `page` fixture checks that)."""

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from groups.maps.geojson import clear_cache
from groups.models import Group, GroupStatus
from tests.groups.conftest import AMSTERDAM, UTRECHT, load_areas

pytestmark = pytest.mark.browser

LONE_GROUP = "Buurtwacht Assen Centrum"
SIGNAL_GROUPS = 12


@pytest.fixture
def seeded(transactional_db):
    """~300 active groups in Amsterdam and Utrecht, a few on Signal, and one alone in Assen."""
    clear_cache()
    areas = load_areas()
    now = timezone.now()
    codes = AMSTERDAM + UTRECHT
    groups = [
        Group(
            name=f"Buurtpreventie {i:03d}",
            slug=f"buurtpreventie-{i:03d}",
            area=areas[codes[i % len(codes)]],
            municipality=areas[codes[i % len(codes)]].municipality,
            status=GroupStatus.ACTIVE,
            platform="signal" if i < SIGNAL_GROUPS else "whatsapp",
            confirmed_at=now,
            last_confirmed_at=now,
        )
        for i in range(300)
    ]
    groups.append(
        Group(
            name=LONE_GROUP,
            slug="buurtwacht-assen-centrum",
            area=areas["9401"],
            municipality=areas["9401"].municipality,
            status=GroupStatus.ACTIVE,
            registered_with_police=True,
            confirmed_at=now,
            last_confirmed_at=now,
        )
    )
    Group.objects.bulk_create(groups)
    yield areas
    clear_cache()


def open_map(page, url="/kaart/"):
    """Open a map page, collecting console errors (a CSP violation is one), and wait for data."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("#map[data-ready='1']")
    return errors


def wait_until(page, expression: str, attempts: int = 200) -> None:
    """Poll a JS expression through CDP (wait_for_function evals in the page: the CSP forbids it)."""
    for _attempt in range(attempts):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def zoom(page) -> float:
    return page.evaluate("window.wabpMap.map.getZoom()")


def test_clusters_over_the_bundled_borders_without_errors(page, seeded):
    errors = open_map(page)
    page.wait_for_selector(".wabp-cluster")
    # 342 municipalities and the provinces' borders (test_map_borders.py for the rest).
    assert page.locator(".leaflet-wabpBorders-pane path").count() >= 343
    assert page.locator(".leaflet-tile").count() == 0
    label = page.locator(".wabp-cluster").first.get_attribute("aria-label")
    assert label and "groepen" in label
    assert page.evaluate("window.wabpMap.visible") == 301
    assert errors == []


def test_clicking_a_cluster_zooms_in(page, seeded):
    open_map(page)
    before = zoom(page)
    page.locator(".wabp-cluster").first.click()
    wait_until(page, f"window.wabpMap.map.getZoom() > {before}")


def test_clicking_a_marker_opens_its_popup(page, seeded):
    open_map(page)
    page.evaluate("window.wabpMap.map.setView([53.0, 6.56], 13, {animate: false})")
    marker = page.locator(f"img.leaflet-marker-icon[title='{LONE_GROUP}']")
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert LONE_GROUP in popup.inner_text()
    assert "Aangemeld bij de politie" in popup.inner_text()
    with translation.override("nl"):
        month = date_format(timezone.localtime(), "F Y")  # "december 2026", never "2026-12"
    assert month in popup.inner_text()
    hrefs = popup.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [
        "/groepen/buurtwacht-assen-centrum/",
        "/groepen/buurtwacht-assen-centrum/aanmelden/",
    ]


def test_a_filter_change_updates_markers_and_list(page, seeded):
    open_map(page)
    page.select_option("#id_platform", "signal")
    wait_until(page, f"window.wabpMap.visible === {SIGNAL_GROUPS}")
    assert (
        f"{SIGNAL_GROUPS} groepen gevonden" in page.locator("#map-results .map-count").inner_text()
    )
    assert page.locator("#map-results .group-item").count() == SIGNAL_GROUPS
    assert "platform=signal" in page.url
    page.check("#id_registered_with_police")
    wait_until(page, "window.wabpMap.visible === 0")


def test_the_postcode_box_zooms_to_the_area_and_lists_its_groups(page, seeded):
    open_map(page)
    page.fill("#id_postcode", "9401 AB")
    page.get_by_role("button", name="Zoom naar postcode").click()
    wait_until(page, "window.wabpMap.map.getZoom() === 14")
    center = page.evaluate(
        "(() => { const c = window.wabpMap.map.getCenter(); return [c.lat, c.lng]; })()"
    )
    area = seeded["9401"]
    assert abs(center[0] - area.latitude) < 0.01 and abs(center[1] - area.longitude) < 0.01
    results = page.locator("#map-results")
    assert "1 groep gevonden" in results.inner_text()
    assert LONE_GROUP in results.inner_text()


def test_the_plain_list_works_without_javascript(browser, live_server, seeded):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/kaart/?platform=signal")
    assert page.locator("#map-results .group-item").count() == SIGNAL_GROUPS
    context.close()


# /cijfers/ and /gemeenten/: test_accessibility.py. The map is checked here once it shows
# its clusters, which the page list there does not wait for.
@pytest.mark.parametrize("path", ["/kaart/"])
def test_pages_have_no_axe_violations(page, axe, seeded, path):
    page.goto(path)
    if path == "/kaart/":
        page.wait_for_selector("#map[data-ready='1']")
        page.wait_for_selector(".wabp-cluster")
    assert axe(page) == []


def test_municipality_page_has_no_axe_violations(page, axe, seeded):
    errors = open_map(page, seeded["1011"].municipality.get_absolute_url())
    assert axe(page) == []
    assert errors == []


def test_embed_shows_only_the_municipalitys_groups(page, seeded):
    slug = seeded["9401"].municipality.slug
    errors = open_map(page, f"/kaart/embed/?gemeente={slug}")
    assert page.evaluate("window.wabpMap.visible") == 1
    assert errors == []

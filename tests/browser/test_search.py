"""Search by place and the waiting-list offer in a real browser, with screenshots.

Screenshots go to SCREENSHOT_DIR if set (to look at them), else the test's tmp dir.
"""

import os
from pathlib import Path

import pytest

from groups.models import WaitingListEntry
from tests.factories import AMSTERDAM, DELFT, PLACE_AREAS, load_areas, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def world(db):
    load_areas([*PLACE_AREAS, *AMSTERDAM])
    for n in range(23):
        make_group(f"Buurtwacht {n:02d}", DELFT[n % len(DELFT)])
    make_group("Buurtpreventie Delft-Noord", "2612")
    make_group("Nieuwmarkt", "1011", postcodes=["1011AB"])


def test_a_place_found_by_name_leads_to_all_its_groups(page, world, shots, axe):
    page.goto("/zoeken/")
    page.get_by_label("Naam van een groep of plaats").fill("delft")
    page.get_by_role("button", name="Zoeken op naam").click()
    page.wait_for_url("**/zoeken/?q=delft")
    page.screenshot(path=shots / "search-q-delft.png", full_page=True)
    main = page.locator("main").inner_text()
    assert "Buurtpreventie Delft-Noord" in main
    assert "geen groep met deze naam" not in main
    assert axe(page) == []

    page.get_by_role("link", name="Delft", exact=True).click()
    page.wait_for_url("**/zoeken/?plaats=Delft")
    assert "24 groepen in Delft" in page.locator("h2").first.inner_text()
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url("**page=2")
    assert page.locator(".group-result").count() == 4
    page.screenshot(path=shots / "search-plaats-delft-2.png", full_page=True)


def test_an_uncovered_area_offers_the_waiting_list_next_to_nearby_groups(page, world, shots, axe):
    page.goto("/zoeken/?postcode=1028")
    page.screenshot(path=shots / "search-postcode-1028.png", full_page=True)
    assert page.locator(".group-result").count() == 1  # Nieuwmarkt, some 6 km away
    assert axe(page) == []

    page.get_by_role("link", name="Houd mij op de hoogte").click()
    page.wait_for_url("**/wachtlijst/?postcode=1028")
    assert page.get_by_label("Uw postcode").input_value() == "1028"
    page.get_by_label("Uw e-mailadres").fill("wachtende@example.test")
    page.get_by_role("button", name="Houd mij op de hoogte").click()
    page.wait_for_url("**/wachtlijst/verstuurd/")
    entry = WaitingListEntry.objects.get()
    assert (entry.area_id, entry.postcode_id, entry.confirmed_at) == ("1028", None, None)

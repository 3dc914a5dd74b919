"""The home page in a real browser: search a postcode.

axe checks the home, content, sign-up and login pages in test_accessibility.py.
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_home_page_shows_the_canonical_postcode(page):
    page.goto("/")
    page.get_by_label("Uw postcode").fill(" 1234   ab ")
    page.get_by_role("button", name="Zoeken").click()

    page.wait_for_url("**/zoeken/?postcode=*")
    assert "1234 AB" in page.locator("main").inner_text()


def test_an_invalid_postcode_shows_a_dutch_error(page):
    page.goto("/")
    page.get_by_label("Uw postcode").fill("0123 AB")
    page.get_by_role("button", name="Zoeken").click()

    page.wait_for_url("**/zoeken/?postcode=*")
    assert page.locator(".errors").inner_text() == "Een postcode begint niet met een 0."
    assert page.get_by_label("Uw postcode").get_attribute("aria-invalid") == "true"


@pytest.mark.parametrize("width", [1280, 640])
def test_the_search_button_sits_beside_the_postcode_box(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    box = page.get_by_label("Uw postcode").bounding_box()
    button = page.get_by_role("button", name="Zoeken").bounding_box()
    assert button["x"] > box["x"] + box["width"]  # to its right, not below it
    assert abs(button["y"] - box["y"]) <= 2 and button["height"] >= 44

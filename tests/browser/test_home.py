"""The home page in a real browser: search a postcode, and no accessibility violations."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content_pages(transactional_db):
    call_command("load_pages", verbosity=0)


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


def test_home_page_has_no_accessibility_violations(page, axe):
    page.goto("/")

    assert axe(page) == []


def test_content_page_has_no_accessibility_violations(page, axe, content_pages):
    page.goto("/privacy/")
    assert page.locator("h1").inner_text() == "Privacyverklaring"

    assert axe(page) == []


def test_signup_and_login_pages_have_no_accessibility_violations(page, axe):
    for url in ["/account/aanmaken/", "/account/inloggen/", "/account/wachtwoord-vergeten/"]:
        page.goto(url)
        assert axe(page) == [], url

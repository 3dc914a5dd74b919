"""Browser: the report helper works without JavaScript, and with it offers a copy button."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fill_in(page) -> None:
    page.get_by_label("Ja, het gebeurt nu of er is gevaar").check()
    page.get_by_label("Nog niet").check()
    page.get_by_label("Wat ziet u iemand doen?").fill(
        "Voelt aan de portieren van geparkeerde auto's"
    )
    page.get_by_label("Waar?").fill("Dorpsstraat bij nummer 12")
    page.get_by_label("Welke kant ging het op, en hoe?").fill("Te voet richting het station")
    page.get_by_label("Voertuig").fill("Blauwe Opel Astra, GZ-41")
    page.get_by_role("button", name="Maak mijn bericht").click()


def test_the_helper_works_without_javascript(browser, live_server, axe, shots):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/melden/")
        page.get_by_label("Wat ziet u iemand doen?").fill("Getinte man loopt rond")
        page.get_by_label("Waar?").fill("Dorpsstraat")
        page.get_by_role("button", name="Maak mijn bericht").click()
        page.get_by_text("Haal dit weg: “Getinte”").first.wait_for()
        page.screenshot(path=shots / "report-helper-origin-refused.png", full_page=True)

        fill_in(page)
        page.get_by_role("heading", name="Bel eerst 112").wait_for()
        message = page.get_by_label("Bericht", exact=True).input_value()
        assert message.startswith("MELDING – het gebeurt nu\nWat: Voelt aan de portieren")
        assert "Richting: Te voet richting het station" in message
        # Without JavaScript there is no copy button to press in vain.
        assert not page.get_by_role("button", name="Kopieer het bericht").is_visible()
        page.screenshot(path=shots / "report-helper-message-no-js.png", full_page=True)
    finally:
        context.close()


def test_with_javascript_the_message_is_copied_with_one_press(browser, live_server, axe, shots):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto("/melden/")
        assert axe(page) == []
        fill_in(page)
        page.get_by_role("button", name="Kopieer het bericht").click()
        page.get_by_text("Gekopieerd. Plak het nu in de groepsapp.").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.get_by_label("Bericht", exact=True).input_value()
        assert axe(page) == []
        page.screenshot(path=shots / "report-helper-copied.png", full_page=True)
    finally:
        context.close()

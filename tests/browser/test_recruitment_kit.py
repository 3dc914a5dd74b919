"""Browser: an admin prints the door letter; the PDF names the group and its QR code, decoded,
leads to the group's join page, where a resident's join is counted for the kit."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from groups.models import JoinRequest, RecruitmentTally
from groups.recruitment.views import join_address
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import load_areas, make_group
from wabp.models import OutboundEmail

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def group(transactional_db):
    areas = load_areas(["1011"])
    admin = make_user("anna.beheerder@example.test", first_name="Anna")
    return make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC"],
        admins=[admin],
        municipality=areas["1011"].municipality,
    )


def pdf_pages(pdf: bytes):
    """Each page of the PDF as (text, image, size in points)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage().get_text_range()
        image = page.render(scale=3).to_pil()
        yield text, image, page.get_size()


def test_the_printed_door_letter_leads_to_the_join_page(page, axe, group, shots, settings):
    import zxingcpp

    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill("anna.beheerder@example.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)

    page.goto(f"/beheer/groep/{group.slug}/")
    page.get_by_role("link", name="Werven").click()
    assert axe(page) == []
    page.get_by_role("link", name="Nederlands").first.click()
    page.get_by_role("heading", name="Deurbrief: Buurtpreventie Nieuwmarkt").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "kit-letter-screen.png", full_page=True)

    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (shots / "kit-letter.pdf").write_bytes(pdf)
    pages = list(pdf_pages(pdf))
    assert len(pages) == 1, "the door letter fits on one A4"
    text, image, _size = pages[0]
    text = " ".join(text.split())  # lines as the PDF wraps them
    image.save(shots / "kit-letter-pdf.png")
    assert "Doe mee met Buurtpreventie Nieuwmarkt" in text
    assert "Reageer alleen als het veilig is" in text
    assert "Inloggen" not in text, "the site's header stays off the paper"
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [join_address(group, "brief", "nl")]

    # The flyer (A5, in English) and the poster (A4) fit on one page too, each with its code.
    for material, size in (("flyer", (420, 595)), ("poster", (595, 842))):
        page.goto(f"/beheer/groep/{group.slug}/werven/{material}/?taal=en")
        other = list(pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True)))
        assert len(other) == 1, material
        assert [round(side) for side in other[0][2]] == list(size), material
        other[0][1].save(shots / f"kit-{material}-pdf.png")
        codes_found = zxingcpp.read_barcodes(other[0][1])
        assert [code.text for code in codes_found] == [join_address(group, material, "en")]

    # A neighbour scans it (the address is SITE_URL's; the path is what matters here) ...
    page.context.clear_cookies()
    page.emulate_media(media="screen")
    scanned = urlsplit(codes[0].text)
    page.goto(f"{scanned.path}?{scanned.query}")
    page.get_by_label("Uw naam").fill("Rita Bewoner")
    page.get_by_label("Uw e-mailadres").fill("rita@example.test")
    page.get_by_label("Mobiel nummer").fill("0612345678")
    page.get_by_label("Straat en huisnummer").fill("Nieuwmarkt 4")
    page.get_by_label("Postcode").fill("1011 AB")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: "/verzonden/" in url)
    assert JoinRequest.objects.get().source == "brief"

    # ... confirms the address from the mail, and the admin's kit counts the join.
    mail = OutboundEmail.objects.get(to="rita@example.test")
    confirm = re.search(r"https?://\S+/aanmelding/\S+/bevestigen/", mail.body)[0]
    page.goto(urlsplit(confirm).path)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, ik wil me aanmelden").click()
    assert RecruitmentTally.objects.get(group=group).joins == 1

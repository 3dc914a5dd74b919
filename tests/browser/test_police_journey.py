"""Browser journey of issue #16: a police officer asks for access, the board approves it for
an area, the officer logs in with the second factor, confirms a group's registration with the
police and sends an area message, which reaches exactly the admins of the groups in that
area (the mail files are read), in each admin's language; the board sees the message.

The way in is test_police_access.py's steps; this test goes on from where they stop.
"""

import os
import re
from email import message_from_string
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from groups.models import AreaMessage, Group, PoliceAccessLog
from tests.browser.test_police_access import (
    EMAIL,
    board_logs_in,
    deliver_mail,
    officer_with_access,
)
from tests.conftest import make_user
from tests.groups.conftest import load_areas, make_group

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def municipalities(transactional_db):
    """Amsterdam and Utrecht, and their groups: two in the area the message will go to
    (1011 with postcodes, 1012 with only a location, whose admin reads English), one elsewhere
    in Amsterdam (1013) and one in Utrecht."""
    areas = load_areas(["1011", "1012", "1013", "3511"])
    amsterdam, utrecht = areas["1011"].municipality, areas["3511"].municipality

    def group(name, area, email, **fields):
        admin = make_user(email, first_name=name.split()[0], language=fields.pop("language", "nl"))
        return make_group(name, areas[area], admins=[admin], municipality=area_m(area), **fields)

    def area_m(code):
        return areas[code].municipality

    group(
        "Buurtpreventie Nieuwmarkt",
        "1011",
        "anna.nieuwmarkt@example.test",
        postcodes=["1011AB", "1011AC"],
        registered_with_police=True,
    )
    group("Buurtwacht Dam", "1012", "bert.dam@example.test", language="en")
    group("Buurtapp Jordaan", "1013", "carla.jordaan@example.test", postcodes=["1013AA"])
    group("Buurtapp Domplein", "3511", "dirk.domplein@example.test", postcodes=["3511AA"])
    return {"amsterdam": amsterdam, "utrecht": utrecht}


def mails_in(folder: Path) -> list:
    """Every message the file backend wrote (each file holds one or more, separated by a line
    of dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in re.split(r"\n-{79}\n", path.read_text(encoding="utf-8")):
            if chunk.strip():
                found.append(message_from_string(chunk.strip() + "\n", policy=default_policy))
    return found


def test_an_officer_confirms_a_registration_and_messages_exactly_the_areas_admins(
    page,
    axe,
    municipalities,
    shots,
    settings,
    tmp_path,
):
    mail_folder = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(mail_folder)},
        }
    }

    # Access request, the board's approval for Amsterdam only, password and second factor.
    officer = officer_with_access(page, axe, shots, municipalities)

    # The workspace: Amsterdam's groups, not Utrecht's.
    page.goto("/politie/")
    page.get_by_role("heading", name="Werkplek politie").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "journey-workspace.png", full_page=True)
    table = page.locator("table")
    for name in ("Buurtpreventie Nieuwmarkt", "Buurtwacht Dam", "Buurtapp Jordaan"):
        assert table.get_by_role("link", name=name, exact=True).count() == 1, name
    assert table.get_by_role("link", name="Buurtapp Domplein", exact=True).count() == 0

    # The officer confirms Nieuwmarkt's registration with the police.
    page.get_by_role("button", name="Bevestig de aanmelding Buurtpreventie Nieuwmarkt").click()
    page.wait_for_load_state()
    nieuwmarkt = Group.objects.get(name="Buurtpreventie Nieuwmarkt")
    assert nieuwmarkt.police_confirmed_at is not None
    assert nieuwmarkt.police_confirmed_by == officer
    page.goto(nieuwmarkt.get_absolute_url())
    assert "bevestigd door de politie op" in page.locator("main").inner_text()
    assert "Agent" not in page.locator("main").inner_text()  # never the officer's name

    # An area message to 1011 and 1012: the preview counts two groups and two admins.
    page.goto("/politie/")
    page.get_by_role("link", name="Gebiedsbericht aan de beheerders sturen").click()
    page.get_by_role("heading", name="Nieuw gebiedsbericht").wait_for()
    assert axe(page) == []
    page.get_by_label("Onderwerp").fill("Inbraken rond de Nieuwmarkt")
    page.get_by_label("Bericht:", exact=True).fill("Let op open ramen en deuren, ook overdag.")
    page.get_by_label("Reden").fill("Vijf woninginbraken in een week in 1011 en 1012")
    page.get_by_label("Kenmerk").fill("BVH/2026/123456")
    page.get_by_label("Geldig").select_option("48")
    page.locator("input[name=areas]").fill("1011, 1012")
    page.get_by_role("button", name="Bekijk het voorbeeld").click()
    page.get_by_role("heading", name="Voorbeeld van uw gebiedsbericht").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "journey-area-message-preview.png", full_page=True)
    reach = page.locator("main ul").first.inner_text()
    assert "2 groepen" in reach and "2 beheerders krijgen het bericht" in reach
    page.get_by_role("button", name="Verstuur naar 2 beheerders").click()
    page.get_by_text("Uw bericht gaat naar 2 beheerders van 2 groepen.").wait_for()
    page.screenshot(path=shots / "journey-area-message-sent.png", full_page=True)

    # The mails, as files: exactly the two admins of the area, each in their language.
    deliver_mail()
    deliver_mail()
    area_mails = [m for m in mails_in(mail_folder) if "BVH/2026/123456" in m.get_content()]
    assert sorted(m["To"] for m in area_mails) == [
        "anna.nieuwmarkt@example.test",
        "bert.dam@example.test",
    ]
    by_to = {m["To"]: m.get_content() for m in area_mails}
    assert "Geldig tot" in by_to["anna.nieuwmarkt@example.test"]
    assert "Valid until" in by_to["bert.dam@example.test"]
    for body in by_to.values():
        assert "Let op open ramen en deuren, ook overdag." in body
        assert "Basisteam Amsterdam-Centrum" in body
    # Nobody else got anything about it (not Jordaan's or Domplein's admin, no resident).
    assert not [
        m
        for m in mails_in(mail_folder)
        if "Inbraken rond de Nieuwmarkt" in str(m) and m["To"] not in by_to
    ]

    # The board sees who sent it, where and why.
    page.context.clear_cookies()
    board_logs_in(page)
    page.goto("/admin/groups/areamessage/")
    page.get_by_role("link", name="Inbraken rond de Nieuwmarkt").click()
    details = page.locator("#content").inner_text()
    assert "Pieter Agent" in details
    assert "BVH/2026/123456" in details
    assert "Vijf woninginbraken in een week in 1011 en 1012" in details
    assert "Buurtpreventie Nieuwmarkt" in details and "Buurtwacht Dam" in details
    page.screenshot(path=shots / "journey-board-area-message.png", full_page=True)
    message = AreaMessage.objects.get()
    assert (message.sender, message.admin_count) == (officer, 2)
    assert urlsplit(page.url).path.startswith("/admin/groups/areamessage/")
    # Every step in the workspace is in the access log.
    assert {"workspace", "confirm"} <= set(
        PoliceAccessLog.objects.filter(user__email=EMAIL).values_list("action", flat=True)
    )

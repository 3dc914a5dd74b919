"""The join journey in English, end to end in Chromium: search by postcode on /en/, the group,
the join form, the confirmation mail (English, its link under /en/), and the admin seeing it.

Screenshots go to SCREENSHOT_DIR if set (to look at them), else the test's tmp dir.
"""

import os
import re
from pathlib import Path

import pytest

from groups.models import JoinRequest, JoinRequestStatus
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import CANARY, load_areas, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def group(live_server):
    load_areas(["1011", "1012"])
    admin = make_user(CANARY["email"], first_name="Anna", last_name=CANARY["last_name"])
    return make_group(
        "Buurtpreventie Nieuwmarkt", "1011", postcodes=["1011AB", "1011AC"], admins=[admin]
    )


def links(body: str) -> list[str]:
    return re.findall(r"https?://[^/\s]+(/\S*)", body)


def test_a_resident_joins_in_english_and_gets_an_english_mail(
    page, axe, group, shots, mailoutbox, run_tasks
):
    page.goto("/en/")
    page.get_by_label("Your postcode").fill("1011 AB")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url("**/en/**")
    page.screenshot(path=shots / "en-1-search.png", full_page=True)
    page.get_by_role("link", name="Buurtpreventie Nieuwmarkt").first.click()
    page.get_by_role("link", name="Join this group").click()
    assert "/en/" in page.url
    page.get_by_label("Your name").fill("Rita Bewoner")
    page.get_by_label("Your email address").fill("rita@example.test")
    page.get_by_label("Mobile number").fill("06 12345678")
    page.get_by_label(re.compile("Street and")).fill("Nieuwmarkt 4")
    page.get_by_label("Postcode").fill("1011 AB")
    page.get_by_label(re.compile("I agree")).check()
    page.screenshot(path=shots / "en-2-join-form.png", full_page=True)
    assert axe(page) == []
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.screenshot(path=shots / "en-3-check-your-email.png", full_page=True)

    # The mail as the mail backend the tests use delivers it.
    run_tasks()
    [mail] = [m for m in mailoutbox if m.to == ["rita@example.test"]]
    assert mail.subject == "Confirm your join request for Buurtpreventie Nieuwmarkt"
    assert mail.body.startswith("Dear Rita Bewoner")
    assert "Beste" not in mail.body and "Met vriendelijke groet" not in mail.body
    paths = links(mail.body)
    assert paths and all(path.startswith("/en/") for path in paths)
    (shots / "en-4-mail.txt").write_text(f"Subject: {mail.subject}\n\n{mail.body}")

    page.goto(paths[0])
    page.screenshot(path=shots / "en-5-confirm.png", full_page=True)
    assert axe(page) == []
    page.get_by_role("button", name="Yes, I want to join").click()
    page.get_by_text(re.compile("waiting for the admin", re.I)).first.wait_for()
    page.screenshot(path=shots / "en-6-status.png", full_page=True)
    assert JoinRequest.objects.get().status == JoinRequestStatus.PENDING

    # The admin's notice is in the admin's own language (Dutch, as they signed up), not hers.
    run_tasks()
    [notice] = [m for m in mailoutbox if m.to == [CANARY["email"]]]
    assert notice.body.startswith("Beste Anna")
    assert links(notice.body) and not any(p.startswith("/en/") for p in links(notice.body))

    # The admin logs in on the English pages and sees the request.
    page.goto("/en/account/inloggen/")
    page.get_by_label(re.compile("^Email")).fill(CANARY["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").last.click()
    page.wait_for_url("**/en/beheer/")
    page.get_by_role("link", name=re.compile("join request is waiting for you")).click()
    page.get_by_text("Rita Bewoner").first.wait_for()
    page.screenshot(path=shots / "en-7-admin-requests.png", full_page=True)
    assert axe(page) == []
    assert page.get_by_role("button", name="Accept").count() == 1

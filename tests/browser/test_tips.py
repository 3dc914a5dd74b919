"""A volunteer admin subscribes to the monthly prevention tip, gets it in their language and
leaves it again with the link in the mail, without logging in."""

import os
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from groups.models import TipSubscription
from groups.tips.delivery import send_monthly_tips
from tests.conftest import PASSWORD
from tests.factories import make_group, make_user
from tests.groups.conftest import load_areas
from wabp.models import OutboundEmail

pytestmark = pytest.mark.browser

EMAIL = "anna.beheerder@example.test"


@pytest.fixture
def tips(transactional_db):
    call_command("load_tips", verbosity=0)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deliver_mail() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def log_in(page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/account/inloggen/")


def test_admin_subscribes_gets_the_tip_in_english_and_unsubscribes_from_the_mail(
    page, axe, tips, shots
):
    admin = make_user(EMAIL, first_name="Anna")
    make_group("Buurtpreventie Nieuwmarkt", load_areas(["1011"])["1011"], admins=[admin])
    log_in(page, EMAIL)

    # The admin reads the tips in English and opens one: its chat message is ready to copy.
    page.goto("/en/tips/")
    page.get_by_role("heading", name="Prevention tips", level=1).wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "tips-list.png", full_page=True)
    page.get_by_role("link", name="Doorstep scams: don't let strangers in").click()
    message = page.get_by_label("Message", exact=True)
    assert "ask for ID" in message.input_value()
    assert axe(page) == []
    page.screenshot(path=shots / "tip-detail.png", full_page=True)

    # Subscribing: one button on the subscription page.
    page.get_by_role("link", name="Set up the monthly tip").click()
    page.get_by_role("button", name="Send me a tip every month").click()
    page.get_by_role("button", name="Stop the monthly tip").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "tip-subscribed.png", full_page=True)
    assert TipSubscription.objects.filter(user=admin).exists()

    # The first of the month: the job queues the tip, in English, and the worker sends it.
    with time_machine.travel(timezone.make_aware(datetime(2027, 1, 1, 9, 5)), tick=False):
        assert send_monthly_tips() == {"sent": 1, "nothing_left": 0}
        assert send_monthly_tips() == {"sent": 0, "nothing_left": 0}
    deliver_mail()
    mail = OutboundEmail.objects.get(kind="monthly_tip", to=EMAIL)
    assert mail.sent_at is not None
    assert mail.subject.startswith("Prevention tip of the month:")
    assert "Dear Anna" in mail.body and "Message for the group chat" in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The unsubscribe link in the mail works in a browser without logging in.
    page.context.clear_cookies()
    link = re.search(r"https?://\S+/afmelden/preventietips/\S+/", mail.body)[0]
    page.goto(urlsplit(link).path)
    assert axe(page) == []
    page.get_by_role("button", name="Yes, unsubscribe me").click()
    page.get_by_role("heading", name="You have unsubscribed").wait_for()
    assert axe(page) == []
    page.screenshot(path=shots / "tip-unsubscribed.png", full_page=True)
    assert not TipSubscription.objects.filter(user=admin).exists()

"""Browser journey: an admin switches on the monthly test reminder in /beheer/, the monthly
job mails it in the admin's language, and the admin confirms the test from the mail with
one press, without logging in; the public group page then says when the group was tested."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from groups.models import GroupAdmin
from groups.tasks import send_monthly_test_reminders
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import load_areas, make_group
from wabp.models import OutboundEmail

pytestmark = pytest.mark.browser

EMAIL = "sanne.test@example.test"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: SCREENSHOT_DIR if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def group(transactional_db):
    areas = load_areas(["1011"])
    admin = make_user(EMAIL, first_name="Sanne", language="en")
    return make_group("Buurtpreventie Nieuwmarkt", areas["1011"], admins=[admin])


def log_in_in_english(page) -> None:
    """The admin reads the site in English: their mail is written in English."""
    page.goto("/en/account/inloggen/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/en/account/inloggen/")


def test_opt_in_get_the_reminder_and_confirm_from_the_mail(
    page, browser, live_server, axe, group, shots
):
    # The admin switches the reminder on, on the group's test message page (in English).
    log_in_in_english(page)
    page.goto(f"/en/beheer/groep/{group.slug}/testbericht/")
    assert axe(page) == []
    message = page.get_by_label("Message")
    assert "Test message from Buurtpreventie Nieuwmarkt" in message.input_value()
    assert page.get_by_role("button", name="Copy the message").is_visible()
    page.get_by_role("button", name="Remind me every month").click()
    page.get_by_text("Every month you will get a reminder").wait_for()
    page.screenshot(path=shots / "monthly-test-settings.png", full_page=True)
    assert GroupAdmin.objects.get(group=group, user__email=EMAIL).monthly_test

    # The monthly job mails the reminder, in the admin's language, through the outbox.
    assert send_monthly_test_reminders() == 1
    assert send_monthly_test_reminders() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    mail = OutboundEmail.objects.get(kind="monthly_test", to=EMAIL)
    assert mail.sent_at is not None
    assert mail.subject == "Time for the test message in Buurtpreventie Nieuwmarkt"
    link = urlsplit(re.search(r"https?://\S+/beheer/testbericht/\S+", mail.body)[0]).path

    # From the mail, in a browser that is not logged in: one press confirms.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    mail_reader = context.new_page()
    try:
        mail_reader.goto(link)
        assert axe(mail_reader) == []
        mail_reader.screenshot(path=shots / "monthly-test-confirm.png", full_page=True)
        mail_reader.get_by_role("button", name="I have posted the test message").click()
        mail_reader.get_by_role("heading", name="Thank you!").wait_for()
        assert axe(mail_reader) == []
        mail_reader.screenshot(path=shots / "monthly-test-confirmed.png", full_page=True)
        # A second press (the link opened again) says it was already confirmed.
        mail_reader.goto(link)
        mail_reader.get_by_role("heading", name="Already confirmed").wait_for()

        # The public group page shows when the group was last tested.
        mail_reader.goto(group.get_absolute_url())
        assert mail_reader.locator("dt", has_text="Laatst getest").is_visible()
        mail_reader.screenshot(path=shots / "monthly-test-group-page.png", full_page=True)
    finally:
        context.close()
    group.refresh_from_db()
    assert group.last_tested_at is not None

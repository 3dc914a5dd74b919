"""A new learner follows the published course in Chromium: lessons, quiz (fail, then pass),
the certificate (printed on A4) and its public verification page; axe on the way."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from elearning.models import Course
from tests.conftest import PASSWORD, make_user

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "normafwijkend-gedrag-herkennen"


def answer(page, course: Course, right: bool) -> None:
    """Tick, for every question, the right choices (or one wrong choice)."""
    for question in course.questions.prefetch_related("choices"):
        choices = [c for c in question.choices.all() if c.is_correct == right]
        for choice in choices if right else choices[:1]:
            page.locator(f'input[name="vraag_{question.pk}"][value="{choice.pk}"]').check()


def test_new_learner_follows_the_course_to_a_verified_certificate(page, live_server, axe):
    call_command("load_courses", verbosity=0)
    course = Course.objects.get(slug=SLUG)
    make_user("noor@example.test", first_name="Noor", last_name="Nieuwland")

    page.goto("/e-learning/")
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("link", name=re.compile("Begin met de eerste les")).click()

    # Lessons need an account: the login form sends the learner back to lesson 1.
    page.get_by_label("E-mailadres").fill("noor@example.test")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/les/1/$"))
    assert page.get_by_role("heading", level=1).inner_text() == course.lessons.first().title
    assert axe(page) == []

    total = course.lessons.count()
    for number in range(1, total):
        assert page.get_by_text(f"Les {number} van {total}").is_visible()
        page.get_by_role("button", name="Gelezen, volgende les").click()
        page.wait_for_url(re.compile(rf"/les/{number + 1}/$"))
    page.get_by_role("button", name="Gelezen, naar de toets").click()
    page.wait_for_url(re.compile(r"/toets/$"))
    assert page.locator("fieldset legend").count() == course.questions.count()
    assert axe(page) == []

    # First try: everything wrong.
    answer(page, course, right=False)
    page.get_by_role("button", name="Toets inleveren").click()
    page.wait_for_url(re.compile(r"/toets/uitslag/\d+/$"))
    assert page.get_by_text("U bent nog niet geslaagd.").is_visible()
    # No right answers to copy: which questions were wrong, and the lesson for each.
    assert page.locator(".explanation").count() == 0
    assert page.locator(".tag-correct").count() == 0
    assert page.locator(".feedback-lesson a").count() == course.questions.count()
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("Lees les 3 nog eens")).first.click()
    page.wait_for_url(re.compile(r"/les/3/$"))
    page.go_back()

    # Second try: everything right.
    page.get_by_role("link", name="Toets opnieuw maken").click()
    answer(page, course, right=True)
    page.get_by_role("button", name="Toets inleveren").click()
    assert page.get_by_text("Gefeliciteerd, u bent geslaagd!").is_visible()
    assert page.get_by_text("100%").first.is_visible()
    assert page.locator(".explanation").count() == course.questions.count()

    page.get_by_role("link", name="Bekijk en print uw certificaat").click()
    page.wait_for_url(re.compile(r"/certificaat/$"))
    assert page.locator(".certificate-name").inner_text() == "Noor Nieuwland"
    expect(page.get_by_role("button", name="Certificaat afdrukken")).to_be_visible()
    assert axe(page) == []

    # Printed: only the certificate, on a single A4 page.
    page.emulate_media(media="print")
    assert page.locator(".certificate").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Certificaat afdrukken").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="screen")

    # The public check shows initials, course and date; not the name.
    verify_url = page.locator(".certificate-verify a").get_attribute("href")
    assert verify_url.startswith(live_server.url)
    page.goto(verify_url)
    assert page.get_by_text("Dit certificaat is geldig.").is_visible()
    assert page.get_by_text("N.N.", exact=True).is_visible()
    assert page.get_by_text(course.title).is_visible()
    assert "Nieuwland" not in page.content()
    assert "noor@example.test" not in page.content()
    assert axe(page) == []


def test_an_english_learner_reads_fails_passes_and_prints_in_english(page, live_server, axe):
    call_command("load_courses", verbosity=0)
    course = Course.objects.get(slug=SLUG)
    make_user("sam@example.test", first_name="Sam", last_name="Smith")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"/en/e-learning/{SLUG}/les/3/")
    page.get_by_label("Email address").fill("sam@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/.*/les/3/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "The SAAR rule"
    assert page.get_by_text("Lesson 3 of 8").is_visible()
    assert axe(page) == []
    page.screenshot(path=str(SCREENSHOTS / "elearning-en-lesson.png"), full_page=True)

    page.goto(f"/en/e-learning/{SLUG}/toets/")
    answer(page, course, right=False)
    page.get_by_role("button", name=re.compile("Submit")).click()
    page.wait_for_url(re.compile(r"/en/.*/toets/uitslag/\d+/$"))
    assert page.get_by_text("You have not passed yet.").is_visible()
    assert page.get_by_role("link", name="Read lesson 3 again: The SAAR rule").first.is_visible()
    assert page.locator(".explanation").count() == 0
    assert axe(page) == []
    page.screenshot(path=str(SCREENSHOTS / "elearning-en-fail.png"), full_page=True)

    page.goto(f"/en/e-learning/{SLUG}/toets/")
    answer(page, course, right=True)
    page.get_by_role("button", name=re.compile("Submit")).click()
    page.get_by_role("link", name=re.compile("certificate")).click()
    page.wait_for_url(re.compile(r"/en/.*/certificaat/$"))
    assert page.locator(".certificate-course").inner_text() == "Recognising deviant behaviour"
    code = page.locator(".certificate-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert axe(page) == []
    page.screenshot(path=str(SCREENSHOTS / "elearning-en-certificate.png"), full_page=True)

    # Typed from paper, in lower case with spaces, on the check form.
    page.goto("/en/e-learning/certificaat/")
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(re.compile(rf"/en/e-learning/certificaat/{code}/$"))
    assert page.get_by_text("This certificate is valid.").is_visible()
    assert axe(page) == []
    page.screenshot(path=str(SCREENSHOTS / "elearning-en-verify.png"), full_page=True)

"""Who sees which course: drafts are invisible, courses in development show an outline only."""

import pytest
from django.urls import reverse

from elearning.models import CourseStatus
from tests.elearning.conftest import make_course

pytestmark = pytest.mark.django_db


def course_urls(slug: str) -> list[str]:
    return [
        reverse("elearning:course", args=[slug]),
        reverse("elearning:lesson", args=[slug, 1]),
        reverse("elearning:quiz", args=[slug]),
    ]


def test_draft_course_is_missing_from_the_catalogue(learner_client):
    make_course("geheim", status=CourseStatus.DRAFT, title="Geheime conceptcursus")
    response = learner_client.get(reverse("elearning:catalogue"))
    assert response.status_code == 200
    assert "Geheime conceptcursus" not in response.text


@pytest.mark.parametrize("url_index", [0, 1, 2])
def test_draft_course_pages_are_404_for_learners(learner_client, url_index):
    make_course("geheim", status=CourseStatus.DRAFT)
    assert learner_client.get(course_urls("geheim")[url_index]).status_code == 404


def test_draft_course_page_is_404_for_anonymous_visitors(client):
    make_course("geheim", status=CourseStatus.DRAFT)
    assert client.get(reverse("elearning:course", args=["geheim"])).status_code == 404


@pytest.mark.parametrize("url_index", [0, 1, 2])
def test_board_can_preview_every_page_of_a_draft_course(board_client, url_index):
    make_course("geheim", status=CourseStatus.DRAFT)
    response = board_client.get(course_urls("geheim")[url_index])
    assert response.status_code == 200
    assert "Voorbeeld voor het bestuur" in response.text


def test_board_preview_of_a_draft_lesson_shows_its_text(board_client):
    make_course("geheim", status=CourseStatus.DRAFT)
    response = board_client.get(reverse("elearning:lesson", args=["geheim", 2]))
    assert "Tekst van les 2 over geheim." in response.text


def test_board_cannot_submit_the_quiz_of_a_draft_course(board_client):
    course = make_course("geheim", status=CourseStatus.DRAFT)
    response = board_client.post(reverse("elearning:quiz", args=["geheim"]), {})
    assert response.status_code == 404
    assert not course.attempts.exists()


def test_course_in_development_shows_as_coming_soon_with_lesson_titles_only(learner_client):
    make_course("straks", status=CourseStatus.IN_DEVELOPMENT, title="Cursus in de maak")
    response = learner_client.get(reverse("elearning:catalogue"))
    assert "Binnenkort" in response.text
    assert "Cursus in de maak" in response.text
    assert "Les 2" in response.text
    assert "Tekst van les" not in response.text


def test_course_page_in_development_shows_outline_without_bodies_or_links(learner_client):
    make_course("straks", status=CourseStatus.IN_DEVELOPMENT)
    response = learner_client.get(reverse("elearning:course", args=["straks"]))
    assert response.status_code == 200
    assert "Les 1" in response.text and "Les 3" in response.text
    assert "Tekst van les" not in response.text
    assert reverse("elearning:lesson", args=["straks", 1]) not in response.text
    assert reverse("elearning:quiz", args=["straks"]) not in response.text


@pytest.mark.parametrize("url_index", [1, 2])
def test_lessons_and_quiz_of_a_course_in_development_are_404_for_learners(
    learner_client, url_index
):
    make_course("straks", status=CourseStatus.IN_DEVELOPMENT)
    assert learner_client.get(course_urls("straks")[url_index]).status_code == 404


def test_lessons_need_a_login(client, course):
    response = client.get(reverse("elearning:lesson", args=[course.slug, 1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_quiz_needs_a_login(client, course):
    response = client.get(reverse("elearning:quiz", args=[course.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitor_sees_the_course_page_with_a_way_to_sign_up(client, course):
    response = client.get(reverse("elearning:course", args=[course.slug]))
    assert response.status_code == 200
    assert reverse("signup") in response.text
    assert "Les 1" in response.text


def test_lesson_number_beyond_the_last_is_404(learner_client, course):
    assert learner_client.get(reverse("elearning:lesson", args=[course.slug, 4])).status_code == 404
    assert learner_client.get(reverse("elearning:lesson", args=[course.slug, 0])).status_code == 404

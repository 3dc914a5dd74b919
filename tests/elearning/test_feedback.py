"""The result page teaches: a failed attempt shows which questions were wrong and the
lesson that explains each, never the right answers; the explanations come after passing."""

import pytest
from django.urls import reverse

from elearning.models import Attempt
from tests.elearning.conftest import answers_with, as_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_course(course):
    """The course with question n explained in lesson (n - 1) % 3 + 1; question 5 in none."""
    lessons = list(course.lessons.all())
    for n, question in enumerate(course.questions.all(), start=1):
        question.lesson = lessons[(n - 1) % 3] if n < 5 else None
        question.save()
    return course


def submit(client, course, right: int) -> str:
    response = client.post(
        reverse("elearning:quiz", args=[course.slug]), as_post(answers_with(course, right=right))
    )
    return client.get(response["Location"]).text


def test_a_failed_attempt_shows_no_right_answers_and_no_explanations(learner_client, linked_course):
    page = submit(learner_client, linked_course, right=2)
    assert "U bent nog niet geslaagd." in page
    for n in range(1, 6):
        assert f"Uitleg bij vraag {n}." not in page
        assert f"Goed {n}" not in page  # the right answers' text
        assert f"Ook goed {n}" not in page
    assert "goed antwoord" not in page
    assert 'class="explanation"' not in page
    # Which questions were wrong, and which right, it does say.
    assert page.count("mark-wrong") == 3
    assert page.count("mark-correct") == 2
    assert "3 vragen waren fout" in page


def test_each_wrong_question_links_to_the_lesson_that_explains_it(learner_client, linked_course):
    page = submit(learner_client, linked_course, right=2)
    # Questions 3 and 4 are wrong: lessons 3 and 1. Question 5 has no lesson: the course.
    lesson_3 = reverse("elearning:lesson", args=[linked_course.slug, 3])
    lesson_1 = reverse("elearning:lesson", args=[linked_course.slug, 1])
    lesson_2 = reverse("elearning:lesson", args=[linked_course.slug, 2])
    assert f'href="{lesson_3}">Lees les 3 nog eens: Les 3</a>' in page
    assert f'href="{lesson_1}">Lees les 1 nog eens: Les 1</a>' in page
    assert lesson_2 not in page  # question 2, explained there, was right
    assert "Lees de lessen van de cursus nog eens" in page


def test_a_passed_attempt_shows_the_explanations_and_right_answers(learner_client, linked_course):
    page = submit(learner_client, linked_course, right=4)
    assert "Gefeliciteerd, u bent geslaagd!" in page
    for n in range(1, 6):
        assert f"Uitleg bij vraag {n}." in page
    assert "goed antwoord" in page


def test_after_passing_an_earlier_failed_attempt_shows_its_explanations(
    learner_client, linked_course, learner
):
    submit(learner_client, linked_course, right=1)
    failed = Attempt.objects.get(user=learner, passed=False)
    submit(learner_client, linked_course, right=5)
    page = learner_client.get(failed.get_absolute_url()).text
    assert "Uitleg bij vraag 1." in page


def test_the_fail_page_links_lessons_in_english_under_en(learner_client, linked_course):
    lesson = linked_course.lessons.get(order=3)
    lesson.title_en = "Lesson three"
    lesson.save()
    response = learner_client.post(
        f"/en/e-learning/{linked_course.slug}/toets/", as_post(answers_with(linked_course, right=2))
    )
    page = learner_client.get(response["Location"]).text
    assert "Read lesson 3 again: Lesson three" in page

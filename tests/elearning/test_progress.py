"""Reading lessons: "gelezen, volgende", and resuming where the learner left off."""

import pytest
from django.urls import reverse

from elearning.models import Progress

pytestmark = pytest.mark.django_db


def lesson_url(course, number: int) -> str:
    return reverse("elearning:lesson", args=[course.slug, number])


def test_marking_a_lesson_read_records_progress_and_opens_the_next(learner_client, learner, course):
    response = learner_client.post(reverse("elearning:lesson_done", args=[course.slug, 1]))
    assert response.status_code == 302
    assert response["Location"] == lesson_url(course, 2)
    assert list(Progress.objects.filter(user=learner).values_list("lesson__title", flat=True)) == [
        "Les 1"
    ]


def test_marking_a_lesson_read_twice_keeps_one_record(learner_client, learner, course):
    for _ in range(2):
        learner_client.post(reverse("elearning:lesson_done", args=[course.slug, 1]))
    assert Progress.objects.filter(user=learner).count() == 1


def test_marking_the_last_lesson_read_opens_the_quiz(learner_client, course):
    response = learner_client.post(reverse("elearning:lesson_done", args=[course.slug, 3]))
    assert response["Location"] == reverse("elearning:quiz", args=[course.slug])


def test_marking_read_needs_post(learner_client, course):
    response = learner_client.get(reverse("elearning:lesson_done", args=[course.slug, 1]))
    assert response.status_code == 405


def test_course_page_resumes_at_the_first_unread_lesson(learner_client, learner, course):
    lessons = list(course.lessons.all())
    lessons[0].mark_done(learner)
    lessons[2].mark_done(learner)  # read out of order: lesson 2 is still unread
    page = learner_client.get(reverse("elearning:course", args=[course.slug])).text
    assert "Verder waar u was" in page
    assert f'class="button" href="{lesson_url(course, 2)}"' in page
    assert "2 van 3 lessen gelezen" in page


def test_course_page_starts_at_lesson_one_for_a_new_learner(learner_client, course):
    page = learner_client.get(reverse("elearning:course", args=[course.slug])).text
    assert "Begin met de eerste les" in page
    assert f'class="button" href="{lesson_url(course, 1)}"' in page


def test_course_page_points_to_the_quiz_when_every_lesson_is_read(learner_client, learner, course):
    for lesson in course.lessons.all():
        lesson.mark_done(learner)
    page = learner_client.get(reverse("elearning:course", args=[course.slug])).text
    assert "Naar de toets" in page
    assert "Verder waar u was" not in page


def test_lesson_page_has_previous_and_next_links(learner_client, course):
    page = learner_client.get(lesson_url(course, 2)).text
    assert "Les 2 van 3" in page
    assert f'rel="prev" href="{lesson_url(course, 1)}"' in page
    assert f'rel="next" href="{lesson_url(course, 3)}"' in page
    assert "Gelezen, volgende les" in page


def test_last_lesson_leads_to_the_quiz(learner_client, course):
    page = learner_client.get(lesson_url(course, 3)).text
    assert "Gelezen, naar de toets" in page
    assert 'rel="next"' not in page


def test_progress_of_one_learner_is_not_shown_to_another(client, learner, course):
    from tests.conftest import make_user

    course.lessons.first().mark_done(learner)
    client.force_login(make_user("ander@example.test"))
    page = client.get(reverse("elearning:course", args=[course.slug])).text
    assert "0 van 3 lessen gelezen" in page

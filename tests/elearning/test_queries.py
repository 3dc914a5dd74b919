"""The catalogue and the course page use a fixed number of queries, however many courses."""

import pytest
from django.urls import reverse

from elearning.models import CourseStatus
from tests.elearning.conftest import answers_with, make_course

pytestmark = pytest.mark.django_db


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_catalogue(n: int, learner) -> None:
    for i in range(n):
        course = make_course(f"cursus-{i}-{n}", lessons=4, questions=2)
        course.lessons.first().mark_done(learner)
        course.submit_attempt(learner, answers_with(course, right=2))
        make_course(f"straks-{i}-{n}", status=CourseStatus.IN_DEVELOPMENT, lessons=3)


def test_catalogue_queries_do_not_grow_with_the_number_of_courses(
    learner_client, learner, django_assert_max_num_queries
):
    url = reverse("elearning:catalogue")
    make_catalogue(1, learner)
    few = count_queries(learner_client, url, django_assert_max_num_queries, 6)
    make_catalogue(5, learner)
    many = count_queries(learner_client, url, django_assert_max_num_queries, 6)
    assert few == many
    page = learner_client.get(url).text
    assert page.count("Certificaat behaald") == 6


def test_catalogue_for_anonymous_visitors_is_two_queries(
    client, learner, django_assert_num_queries
):
    make_catalogue(3, learner)
    with django_assert_num_queries(2):  # courses, lesson titles
        client.get(reverse("elearning:catalogue"))


def test_course_page_queries_do_not_grow_with_lessons_or_progress(
    learner_client, learner, django_assert_max_num_queries
):
    small = make_course("klein", lessons=2)
    big = make_course("groot", lessons=20, questions=15)
    for lesson in big.lessons.all()[:10]:
        lesson.mark_done(learner)
    big.submit_attempt(learner, answers_with(big, right=3))
    url = reverse("elearning:course", args=[small.slug])
    few = count_queries(learner_client, url, django_assert_max_num_queries, 8)
    url = reverse("elearning:course", args=[big.slug])
    many = count_queries(learner_client, url, django_assert_max_num_queries, 8)
    assert few == many


def test_lesson_page_queries_are_fixed(learner_client, django_assert_max_num_queries):
    make_course("groot", lessons=20)
    count_queries(
        learner_client,
        reverse("elearning:lesson", args=["groot", 7]),
        django_assert_max_num_queries,
        5,
    )

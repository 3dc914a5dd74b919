"""Retrying the quiz within the board's limit of attempts per day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from elearning.models import AttemptLimitReached
from tests.elearning.conftest import answers_with, as_post, make_course

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=AMSTERDAM)


def fail_quiz(client, course):
    return client.post(
        reverse("elearning:quiz", args=[course.slug]), as_post(answers_with(course, right=1))
    )


def test_third_attempt_on_one_day_is_refused_with_a_clear_message(learner_client, learner):
    course = make_course(max_attempts_per_day=2)
    with time_machine.travel(at(10, 9), tick=False):
        assert fail_quiz(learner_client, course).status_code == 302
    with time_machine.travel(at(10, 23, 50), tick=False):
        assert fail_quiz(learner_client, course).status_code == 302
        response = fail_quiz(learner_client, course)
        assert response.status_code == 429
        assert "U heeft vandaag al 2 keer de toets gemaakt" in response.text
        assert "probeer het morgen opnieuw" in response.text
        assert course.attempts.filter(user=learner).count() == 2
        # The quiz page itself says so too, instead of showing the questions.
        page = learner_client.get(reverse("elearning:quiz", args=[course.slug])).text
        assert "U heeft vandaag al 2 keer de toets gemaakt" in page
        assert "<fieldset" not in page


def test_attempts_are_allowed_again_after_midnight_in_the_netherlands(learner_client, learner):
    course = make_course(max_attempts_per_day=1)
    with time_machine.travel(at(10, 23, 30), tick=False):
        fail_quiz(learner_client, course)
        assert course.attempts_left_today(learner) == 0
    with time_machine.travel(at(11, 0, 5), tick=False):
        assert course.attempts_left_today(learner) == 1
        assert fail_quiz(learner_client, course).status_code == 302
    assert course.attempts.filter(user=learner).count() == 2


def test_the_limit_counts_per_learner(learner_client, learner, board):
    course = make_course(max_attempts_per_day=1)
    with time_machine.travel(at(10, 12), tick=False):
        fail_quiz(learner_client, course)
        assert course.attempts_left_today(learner) == 0
        assert course.attempts_left_today(board) == 1


def test_without_a_limit_the_quiz_can_be_retried_as_often_as_wanted(learner_client, learner):
    course = make_course(max_attempts_per_day=None)
    with time_machine.travel(at(10, 12), tick=False):
        for _ in range(5):
            assert fail_quiz(learner_client, course).status_code == 302
        assert course.attempts_left_today(learner) is None


def test_submit_attempt_refuses_past_the_limit(learner):
    course = make_course(max_attempts_per_day=1)
    course.submit_attempt(learner, answers_with(course, right=0))
    with pytest.raises(AttemptLimitReached):
        course.submit_attempt(learner, answers_with(course, right=5))
    assert not learner.certificates.exists()


def test_result_page_shows_the_limit_instead_of_a_retry_button(learner_client):
    course = make_course(max_attempts_per_day=1)
    response = fail_quiz(learner_client, course)
    page = learner_client.get(response["Location"]).text
    assert "Toets opnieuw maken" not in page
    assert "U heeft vandaag al 1 keer de toets gemaakt" in page

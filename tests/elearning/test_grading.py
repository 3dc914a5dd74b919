"""Grading: all-or-nothing per question, and the pass mark compared exactly."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from elearning.models import Attempt, Course
from tests.elearning.conftest import answers_with, as_post, make_course, right_answers

pytestmark = pytest.mark.django_db


def grade(course: Course, user, answers) -> Attempt:
    attempt = Attempt(user=user, course=course, answers=answers)
    attempt.grade()
    return attempt


def test_single_answer_question_is_right_only_with_the_right_choice(course, learner):
    question = course.questions.filter(multiple=False).first()
    right = [c.pk for c in question.choices.all() if c.is_correct]
    wrong = [c.pk for c in question.choices.all() if not c.is_correct]
    assert question.pk in grade(course, learner, {str(question.pk): right}).correct_questions
    assert (
        question.pk not in grade(course, learner, {str(question.pk): wrong[:1]}).correct_questions
    )


def test_multiple_answer_question_needs_every_right_choice(course, learner):
    question = course.questions.filter(multiple=True).first()
    right = sorted(c.pk for c in question.choices.all() if c.is_correct)
    wrong = [c.pk for c in question.choices.all() if not c.is_correct]
    assert len(right) == 2
    assert question.pk in grade(course, learner, {str(question.pk): right}).correct_questions
    # One of two right answers: no half points.
    assert (
        question.pk not in grade(course, learner, {str(question.pk): right[:1]}).correct_questions
    )
    # Every right answer plus a wrong one: also wrong.
    assert (
        question.pk
        not in grade(course, learner, {str(question.pk): right + wrong}).correct_questions
    )


def test_unanswered_questions_count_as_wrong(course, learner):
    attempt = grade(course, learner, {})
    assert attempt.correct_count == 0
    assert attempt.score == 0
    assert attempt.passed is False


def test_exactly_the_pass_mark_passes(course, learner):
    attempt = grade(course, learner, answers_with(course, right=4))  # 4 of 5 = 80%
    assert attempt.score == 80
    assert attempt.passed is True


def test_just_below_the_pass_mark_fails(course, learner):
    attempt = grade(course, learner, answers_with(course, right=3))  # 3 of 5 = 60%
    assert attempt.passed is False


def test_pass_mark_is_compared_without_rounding(learner):
    # 12 of 15 = 80% exactly passes; 11 of 14 = 78.57% fails although it rounds to 79.
    course = make_course("vijftien", questions=15)
    assert grade(course, learner, answers_with(course, right=12)).passed is True
    course14 = make_course("veertien", questions=14)
    attempt = grade(course14, learner, answers_with(course14, right=11))
    assert attempt.passed is False
    assert attempt.score == 78


@given(
    correct=st.integers(min_value=0, max_value=40),
    extra=st.integers(min_value=0, max_value=40),
    mark=st.integers(min_value=1, max_value=100),
)
def test_passes_means_score_at_least_pass_mark(correct, extra, mark):
    total = correct + extra
    course = Course(pass_mark=mark)
    if total == 0:
        assert not course.passes(correct, total)
    else:
        assert course.passes(correct, total) == (correct / total * 100 >= mark - 1e-9)


def test_submitting_the_quiz_records_a_graded_attempt_and_shows_feedback(learner_client, course):
    response = learner_client.post(
        reverse("elearning:quiz", args=[course.slug]), as_post(answers_with(course, right=3))
    )
    attempt = Attempt.objects.get(course=course)
    assert response.status_code == 302
    assert response["Location"] == attempt.get_absolute_url()
    assert (attempt.correct_count, attempt.score, attempt.passed) == (3, 60, False)

    page = learner_client.get(response["Location"]).text
    assert "U bent nog niet geslaagd." in page
    assert "60%" in page
    assert "Uitleg bij vraag 5." not in page  # explanations after passing only
    assert page.count("mark-wrong") == 2
    assert "Toets opnieuw maken" in page


def test_quiz_with_an_unanswered_question_asks_for_an_answer(learner_client, course):
    answers = right_answers(course)
    answers.pop(next(iter(answers)))
    response = learner_client.post(reverse("elearning:quiz", args=[course.slug]), as_post(answers))
    assert response.status_code == 200
    assert "Kies bij deze vraag een antwoord." in response.text
    assert not Attempt.objects.exists()


def test_quiz_uses_radio_buttons_and_check_boxes_in_fieldsets(learner_client, course):
    page = learner_client.get(reverse("elearning:quiz", args=[course.slug])).text
    assert page.count("<fieldset") == 5
    assert page.count("<legend>") == 5
    assert page.count('type="radio"') == 9  # questions 1, 3, 5
    assert page.count('type="checkbox"') == 6  # questions 2, 4


def test_someone_elses_result_is_404(client, course, learner):
    attempt = grade(course, learner, answers_with(course, right=5))
    from tests.conftest import make_user

    client.force_login(make_user("ander@example.test"))
    assert client.get(attempt.get_absolute_url()).status_code == 404

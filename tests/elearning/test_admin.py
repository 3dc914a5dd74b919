"""Board authoring in the admin: lessons and questions inline, publish actions, figures, CSV."""

import csv
import io

import pytest
from django.urls import reverse

from elearning.models import Attempt, Certificate, CourseStatus
from tests.conftest import make_user
from tests.elearning.conftest import answers_with, make_course

pytestmark = pytest.mark.django_db


def take(course, user, right: int) -> Attempt:
    return course.submit_attempt(user, answers_with(course, right=right))


@pytest.fixture
def results(course, learner):
    """Three learners: one passed at the second try, one failed, one only read a lesson."""
    failer, reader = make_user("zakker@example.test"), make_user("lezer@example.test")
    for user in (learner, failer):
        for lesson in course.lessons.all():
            lesson.mark_done(user)
    take(course, learner, right=2)  # 40%
    take(course, learner, right=5)  # 100%, passed
    take(course, failer, right=3)  # 60%
    course.lessons.first().mark_done(reader)
    return course


def test_course_change_page_has_lessons_and_questions_inline(board_client, course):
    page = board_client.get(reverse("admin:elearning_course_change", args=[course.pk])).text
    assert "lessons-TOTAL_FORMS" in page
    assert "questions-TOTAL_FORMS" in page
    assert 'name="lessons-0-order"' in page
    assert course.get_absolute_url() in page  # preview as a learner


def test_question_page_has_choices_inline(board_client, course):
    question = course.questions.first()
    page = board_client.get(reverse("admin:elearning_question_change", args=[question.pk])).text
    assert "choices-TOTAL_FORMS" in page


def test_publish_and_unpublish_actions(board_client):
    draft = make_course("concept", status=CourseStatus.DRAFT)
    url = reverse("admin:elearning_course_changelist")
    board_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == CourseStatus.PUBLISHED
    board_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == CourseStatus.DRAFT


def test_single_answer_question_with_two_right_answers_is_refused(board_client, course):
    question = course.questions.filter(multiple=False).first()
    choices = list(question.choices.all())
    data = {
        "course": course.pk,
        "order": question.order,
        "text": question.text,
        "explanation": question.explanation,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data |= {
            f"choices-{i}-id": choice.pk,
            f"choices-{i}-question": question.pk,
            f"choices-{i}-order": choice.order,
            f"choices-{i}-text": choice.text,
            f"choices-{i}-is_correct": "on" if i < 2 else "",
        }
    response = board_client.post(
        reverse("admin:elearning_question_change", args=[question.pk]), data
    )
    assert response.status_code == 200
    assert "meer antwoorden goed" in response.text
    assert sum(c.is_correct for c in question.choices.all()) == 1


def test_figures_page_shows_per_course_figures_and_hardest_questions(board_client, results):
    response = board_client.get(reverse("admin:elearning_course_figures"))
    assert response.status_code == 200
    rows = {row["course"].pk: row for row in response.context["rows"]}
    row = rows[results.pk]
    assert row["started"] == 3
    assert row["completed"] == 2
    assert row["took_quiz"] == 2
    assert row["attempts"] == 3
    assert row["passed"] == 1
    assert row["pass_rate"] == 50
    assert row["average_score"] == 67  # (40 + 100 + 60) / 3
    hardest = row["questions"]
    # Question 4 and 5 were only right once in three attempts: hardest first.
    assert [q["number"] for q in hardest[:2]] == [4, 5]
    assert hardest[0]["share_correct"] == 33
    assert hardest[-1]["share_correct"] == 100


def test_figures_csv_export(board_client, results):
    response = board_client.get(reverse("admin:elearning_course_figures_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "cursus"
    assert rows[1][:9] == [results.title, "gepubliceerd", "3", "2", "2", "3", "1", "50", "67"]
    question_rows = [r for r in rows if len(r) == 6 and r[0] == results.title]
    assert len(question_rows) == 5


def test_figures_are_for_the_board_only(client, learner, results):
    client.force_login(learner)
    response = client.get(reverse("admin:elearning_course_figures_csv"))
    assert response.status_code == 302


def test_revoking_in_the_admin_clears_the_badge(board_client, course, learner):
    take(course, learner, right=5)
    certificate = Certificate.objects.get()
    board_client.post(
        reverse("admin:elearning_certificate_changelist"),
        {"action": "revoke", "_selected_action": [certificate.pk]},
    )
    certificate.refresh_from_db()
    learner.refresh_from_db()
    assert certificate.revoked_at is not None
    assert learner.trained_at is None


def test_course_with_certificates_cannot_be_deleted(course, learner):
    from django.db.models import ProtectedError

    take(course, learner, right=5)
    with pytest.raises(ProtectedError):
        course.delete()

"""Both courses in written English under /en/: one set of lessons and questions, so a
learner's progress, attempts and certificate are the same whatever the language."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from elearning.content import read_courses
from elearning.models import Attempt, Certificate, Course, Progress
from tests.elearning.conftest import answers_with, as_post, right_answers
from tests.elearning.test_load_courses import COMING, PUBLISHED, course_folder  # noqa: F401
from wabp.content import ContentError

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(db) -> None:
    call_command("load_courses", verbosity=0)


def en(viewname: str, *args) -> str:
    with translation.override("en"):
        return reverse(viewname, args=args)


def nl(viewname: str, *args) -> str:
    with translation.override("nl"):
        return reverse(viewname, args=args)


def test_every_lesson_question_and_answer_of_both_courses_has_english(courses):
    for course in Course.objects.all():
        assert course.title_en and course.summary_en and course.audience_en, course.slug
        for lesson in course.lessons.all():
            assert lesson.title_en, lesson.title
            assert bool(lesson.body_en) == bool(lesson.body), lesson.title
            assert not lesson.body or lesson.body_en != lesson.body
        for question in course.questions.prefetch_related("choices"):
            assert question.text_en and question.explanation_en, question.text
            for choice in question.choices.all():
                assert choice.text_en, choice.text
                if any(c.isalpha() for c in choice.text):  # "112" is 112 in English too
                    assert choice.text_en != choice.text, choice.text


def test_english_lessons_are_plain_language_too():
    """The same rule as the Dutch: short sentences, on average under 17 words, none over 30."""
    for spec in read_courses():
        for lesson in spec["lessons"]:
            prose = [
                line
                for line in lesson.get("body_en", "").splitlines()
                if line and not line.startswith(("#", "|", "-", "1", "2", "3", "4", "5", "6", "7"))
            ]
            sentences = [
                s for line in prose for s in line.replace("?", ".").split(". ") if s.strip()
            ]
            lengths = [len(s.split()) for s in sentences]
            if lengths:
                assert sum(lengths) / len(lengths) < 17, lesson["title_en"]
                assert max(lengths) <= 30, lesson["title_en"]


def test_a_lesson_under_en_is_in_english(courses, learner_client):
    page = learner_client.get(en("elearning:lesson", PUBLISHED, 3)).text
    assert "<h1>The SAAR rule</h1>" in page
    assert "Only then do you post a message in the group." in page
    assert "Pas daarna zet u een bericht in de groep." not in page
    assert "Lesson 3 of 8" in page
    dutch = learner_client.get(nl("elearning:lesson", PUBLISHED, 3)).text
    assert "<h1>De SAAR-regel</h1>" in dutch and "The SAAR rule" not in dutch


def test_the_course_in_development_shows_its_english_outline(courses, client):
    page = client.get(en("elearning:course", COMING)).text
    assert "Recognising and reporting subversive crime" in page
    assert "What is subversive crime?" in page
    assert "Wat is ondermijning?" not in page


def test_the_catalogue_and_course_page_under_en_are_in_english(courses, client):
    page = client.get(en("elearning:catalogue")).text
    assert "Recognising deviant behaviour" in page
    assert "Normafwijkend gedrag herkennen" not in page


def test_the_quiz_under_en_asks_in_english_with_the_same_answers(courses, learner_client):
    course = Course.objects.get(slug=PUBLISHED)
    page = learner_client.get(en("elearning:quiz", PUBLISHED)).text
    assert "What does the S in SAAR stand for?" in page
    assert "Spot (Signaleren)" in page
    assert "Waar staat de S van SAAR voor?" not in page
    # The same choices (same ids) whatever the language, so right is right in both.
    response = learner_client.post(en("elearning:quiz", PUBLISHED), as_post(right_answers(course)))
    attempt = Attempt.objects.get(course=course)
    assert attempt.passed
    assert response["Location"] == en("elearning:result", PUBLISHED, attempt.pk)
    result = learner_client.get(response["Location"]).text
    assert "Congratulations" in result
    assert "Alert first: call 112." in result  # the explanation, in English


def test_progress_made_in_english_counts_in_dutch_and_back(courses, learner_client, learner):
    course = Course.objects.get(slug=PUBLISHED)
    learner_client.post(en("elearning:lesson_done", PUBLISHED, 1))
    learner_client.post(nl("elearning:lesson_done", PUBLISHED, 2))
    assert Progress.objects.filter(user=learner, lesson__course=course).count() == 2
    dutch = learner_client.get(nl("elearning:course", PUBLISHED)).text
    english = learner_client.get(en("elearning:course", PUBLISHED)).text
    assert "2 van 8" in dutch
    assert "2 of 8" in english


def test_a_certificate_earned_in_dutch_is_shown_in_english_under_en(
    courses, learner_client, learner
):
    course = Course.objects.get(slug=PUBLISHED)
    learner_client.post(nl("elearning:quiz", PUBLISHED), as_post(answers_with(course, right=16)))
    certificate = Certificate.objects.get(user=learner, course=course)
    page = learner_client.get(en("elearning:certificate", PUBLISHED)).text
    assert "We hereby declare that" in page
    assert "Recognising deviant behaviour" in page
    assert "Normafwijkend gedrag herkennen" not in page
    assert certificate.code in page
    # The printed link checks the certificate in the language it was printed in.
    assert f"/en/e-learning/certificaat/{certificate.code}/" in page
    check = learner_client.get(en("elearning:verify", certificate.code)).text
    assert "This certificate is valid." in check
    assert "Recognising deviant behaviour" in check


def test_english_questions_must_mark_the_same_answers_right(course_folder):  # noqa: F811
    path = course_folder / "course.en.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["questions"][3]["choices"][0][1] = False
    spec["questions"][3]["choices"][1][1] = True
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ContentError, match="question 4 must have the same answers marked right"):
        read_courses()


def test_english_questions_must_be_as_many_as_the_dutch(course_folder):  # noqa: F811
    path = course_folder / "course.en.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["questions"].pop()
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ContentError, match="as many questions"):
        read_courses()


def test_text_without_english_falls_back_to_the_dutch(course, learner_client):
    page = learner_client.get(en("elearning:lesson", course.slug, 1)).text
    assert "Tekst van les 1" in page

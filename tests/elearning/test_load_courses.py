"""The written courses: loaded on first start, idempotently, and complete."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from elearning.content import read_courses
from elearning.models import Course, CourseStatus, Lesson, Question

pytestmark = pytest.mark.django_db

PUBLISHED = "normafwijkend-gedrag-herkennen"
COMING = "ondermijnend-gedrag-herkennen-en-melden"


def counts() -> tuple[int, int, int]:
    return Course.objects.count(), Lesson.objects.count(), Question.objects.count()


def test_load_courses_twice_gives_the_same_courses():
    call_command("load_courses", verbosity=0)
    first = counts()
    call_command("load_courses", verbosity=0)
    call_command("load_courses", "--if-empty", verbosity=0)
    assert counts() == first
    assert first[0] == 2


def test_load_courses_keeps_the_boards_edits():
    call_command("load_courses", verbosity=0)
    Course.objects.filter(slug=PUBLISHED).update(title="Aangepast door het bestuur")
    call_command("load_courses", verbosity=0)
    assert Course.objects.get(slug=PUBLISHED).title == "Aangepast door het bestuur"


def test_if_empty_does_nothing_when_a_course_exists(course):
    call_command("load_courses", "--if-empty", verbosity=0)
    assert list(Course.objects.values_list("slug", flat=True)) == [course.slug]


def test_dry_run_loads_nothing():
    call_command("load_courses", "--dry-run", verbosity=0)
    assert Course.objects.count() == 0


def test_published_course_has_the_lessons_and_quiz_the_issue_asks_for():
    call_command("load_courses", verbosity=0)
    course = Course.objects.get(slug=PUBLISHED)
    assert course.status == CourseStatus.PUBLISHED
    assert course.pass_mark == 80
    assert course.lessons.count() >= 6
    assert all(lesson.body.strip() for lesson in course.lessons.all())
    text = " ".join(course.lessons.values_list("body", flat=True))
    for topic in ["SAAR", "112", "0900-8844", "0800-7000", "kenteken", "huidskleur", "wijkagent"]:
        assert topic in text
    questions = list(course.questions.prefetch_related("choices"))
    assert len(questions) >= 12
    assert any(q.multiple for q in questions)
    for question in questions:
        correct = sum(c.is_correct for c in question.choices.all())
        assert question.explanation
        assert correct >= 1
        assert correct == 1 or question.multiple


def test_course_in_development_has_an_outline_and_one_written_lesson():
    call_command("load_courses", verbosity=0)
    course = Course.objects.get(slug=COMING)
    assert course.status == CourseStatus.IN_DEVELOPMENT
    lessons = list(course.lessons.all())
    assert len(lessons) >= 3
    written = [lesson for lesson in lessons if lesson.body.strip()]
    assert len(written) == 1
    for topic in ["Hennep", "condens", "contant", "Meld Misdaad Anoniem", "0800-7000"]:
        assert topic in written[0].body


def test_lessons_are_plain_language(settings):
    """B1: short sentences. On average under 15 words, none over 30."""
    for spec in read_courses():
        for lesson in spec["lessons"]:
            prose = [
                line
                for line in lesson.get("body", "").splitlines()
                if line and not line.startswith(("#", "|", "-", "1", "2", "3", "4", "5", "6", "7"))
            ]
            sentences = [
                s
                for line in prose
                for s in line.replace("?", ".").replace("!", ".").split(". ")
                if s.strip()
            ]
            lengths = [len(s.split()) for s in sentences]
            if lengths:
                assert sum(lengths) / len(lengths) < 15, lesson["title"]
                assert max(lengths) <= 30, lesson["title"]


def test_loaded_course_can_be_followed(learner_client):
    call_command("load_courses", verbosity=0)
    assert learner_client.get(reverse("elearning:lesson", args=[PUBLISHED, 1])).status_code == 200
    assert learner_client.get(reverse("elearning:quiz", args=[PUBLISHED])).status_code == 200
    assert learner_client.get(reverse("elearning:lesson", args=[COMING, 2])).status_code == 404

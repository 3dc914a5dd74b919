"""The written courses: loaded on first start, idempotently, and complete; a raised version
reaches an existing database with --update, keeping learners' attempts and certificates."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from elearning.content import read_courses
from elearning.models import Attempt, Certificate, Course, CourseStatus, Lesson, Progress, Question
from tests.elearning.conftest import right_answers

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


# Updating from a changed content folder --------------------------------------------------------


def load_courses(*args: str) -> str:
    out = StringIO()
    call_command("load_courses", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def course_folder(tmp_path, settings):
    """A copy of the course folders that settings.COURSES_DIR points to, for a test to edit."""
    for folder in settings.COURSES_DIR.iterdir():
        if (folder / "course.json").is_file():
            shutil.copytree(folder, tmp_path / folder.name)
    settings.COURSES_DIR = tmp_path
    return tmp_path / PUBLISHED


def edit_course(folder, **changes) -> None:
    path = folder / "course.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec.update(changes)
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SAAR_LESSON = "03-de-saar-regel.md"


def new_version(folder, version: int | None = 3) -> None:
    """A corrected lesson, and the course's version raised (or not)."""
    edit(folder / SAAR_LESSON, "\n## ", "\nEen verbeterde zin.\n\n## ")
    if version is not None:
        edit_course(folder, version=version)


def snapshot() -> list:
    return [
        (course.version, course.updated_at, course.content())
        for course in Course.objects.order_by("slug")
    ]


def saar_lesson() -> Lesson:
    return Lesson.objects.get(course__slug=PUBLISHED, title="De SAAR-regel")


def test_update_replaces_a_course_whose_version_was_raised(course_folder):
    load_courses()
    new_version(course_folder)

    report = load_courses("--update")

    assert Course.objects.get(slug=PUBLISHED).version == 3
    assert "Een verbeterde zin." in saar_lesson().body
    assert f"Updated: {PUBLISHED} (version 2 -> 3)" in report
    assert "Courses: 0 created, 1 updated, 1 left." in report


def test_without_update_a_raised_version_changes_nothing(course_folder):
    load_courses()
    new_version(course_folder)
    before = snapshot()

    report = load_courses()

    assert snapshot() == before
    assert f"Left: {PUBLISHED} (version 2; the files have version 3: run with --update" in report


def test_dry_run_with_update_changes_nothing(course_folder):
    load_courses()
    new_version(course_folder)
    before = snapshot()

    report = load_courses("--update", "--dry-run")

    assert snapshot() == before
    assert f"Would update: {PUBLISHED} (version 2 -> 3)" in report


def test_a_changed_course_without_a_raised_version_is_left_and_reported(course_folder):
    load_courses()
    new_version(course_folder, version=None)
    before = snapshot()

    report = load_courses("--update")

    assert snapshot() == before
    assert f"Left: {PUBLISHED} (differs from its files at the same version 2" in report


def test_update_keeps_the_boards_edits_when_the_files_did_not_change():
    call_command("load_courses", verbosity=0)
    Course.objects.filter(slug=PUBLISHED).update(title="Aangepast door het bestuur")

    load_courses("--update")

    assert Course.objects.get(slug=PUBLISHED).title == "Aangepast door het bestuur"


def test_update_keeps_attempts_certificates_and_progress(course_folder, learner):
    load_courses()
    course = Course.objects.get(slug=PUBLISHED)
    for lesson in course.lessons.all():
        lesson.mark_done(learner)
    answers = right_answers(course)
    attempt = course.submit_attempt(learner, answers)
    certificate = Certificate.objects.get(user=learner, course=course)
    questions = list(course.questions.all())
    # The new version: a lesson corrected, the last lesson dropped, the first question reworded
    # and one answer of the second question reworded.
    new_version(course_folder)
    (course_folder / "08-partner-van-de-wijkagent.md").unlink()
    spec = json.loads((course_folder / "course.json").read_text(encoding="utf-8"))
    spec["questions"][0]["text"] = "Welk gedrag is afwijkend?"
    spec["questions"][1]["choices"][0][0] = "Niets doen. Dit is een goede melding."
    del spec["questions"][15]["lesson"]  # it named the dropped lesson
    edit_course(course_folder, questions=spec["questions"])

    load_courses("--update")

    course.refresh_from_db()
    assert course.version == 3
    assert list(Attempt.objects.filter(user=learner)) == [attempt]
    certificate.refresh_from_db()
    assert certificate.is_valid and certificate.course_version == 2
    learner.refresh_from_db()
    assert learner.trained_at is not None
    assert course.lessons.count() == 7
    assert saar_lesson().progress.filter(user=learner).exists()
    assert Progress.objects.filter(user=learner).count() == 7
    kept = {q.pk for q in course.questions.all()}
    assert questions[0].pk not in kept
    assert {q.pk for q in questions[1:]} <= kept
    second = course.questions.get(pk=questions[1].pk)
    assert second.choices.first().text == "Niets doen. Dit is een goede melding."
    # The learner's earlier right answer to the second question still points to that answer.
    assert second.correct_choice_ids() == set(answers[str(second.pk)])
    assert course.submit_attempt(learner, right_answers(course)).course_version == 3


def test_a_course_made_published_in_its_files_is_published_by_update(course_folder):
    load_courses()
    edit_course(course_folder.parent / COMING, status="published", version=3)

    load_courses("--update")

    assert Course.objects.get(slug=COMING).status == CourseStatus.PUBLISHED


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("course.json", '{"title": "Normafwijkend gedrag",', "is not valid JSON"),
        ("course.json", "[]", "must hold one JSON object"),
        ("course.json", '{"title": "Cursus", "slug": "cursus"}', "lacks summary, status, version"),
        (SAAR_LESSON, "De SAAR-regel\n\nTekst.\n", "must start with the lesson's title"),
    ],
)
def test_a_broken_course_file_stops_the_load_with_an_error_naming_it(
    course_folder, name, text, problem
):
    load_courses()
    (course_folder / name).write_text(text, encoding="utf-8")
    before = snapshot()

    with pytest.raises(CommandError) as error:
        load_courses("--update")

    assert str(error.value).startswith(f"{course_folder / name}: ")
    assert problem in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"version": "twee"}, "version must be a whole number"),
        ({"version": 0}, "version must be a whole number"),
        ({"status": "klaar"}, "status must be one of draft, in_development, published"),
        ({"questions": [{"text": "Vraag?", "choices": [["Ja", "ja"]]}]}, "question 1 needs"),
        ({"outline": ["@99-bestaat-niet.md"]}, "99-bestaat-niet.md: does not exist"),
    ],
)
def test_a_broken_course_json_names_the_file_and_the_problem(course_folder, changes, problem):
    edit_course(course_folder, **changes)

    with pytest.raises(CommandError, match=r"course\.json|\.md") as error:
        load_courses()

    assert str(course_folder) in str(error.value)
    assert problem in str(error.value)
    assert not Course.objects.exists()


def test_update_from_the_dutch_only_version_adds_english_and_keeps_progress(course_folder, learner):
    """Version 1 of the files had no English and no lesson links; version 2 adds both."""
    english = course_folder / "course.en.json"
    saved = english.read_text(encoding="utf-8")
    english.unlink()
    for lesson in course_folder.glob("*.en.md"):
        lesson.rename(lesson.with_suffix(".bak"))
    spec = json.loads((course_folder / "course.json").read_text(encoding="utf-8"))
    for question in spec["questions"]:
        del question["lesson"]
    edit_course(course_folder, version=1, questions=spec["questions"])
    load_courses()
    course = Course.objects.get(slug=PUBLISHED)
    assert course.title_en == "" and not course.questions.exclude(lesson=None).exists()
    saar_lesson().mark_done(learner)

    english.write_text(saved, encoding="utf-8")
    for lesson in course_folder.glob("*.bak"):
        lesson.rename(lesson.with_suffix(".md"))
    for question in spec["questions"]:
        question["lesson"] = SAAR_LESSON
    edit_course(course_folder, version=2, questions=spec["questions"])
    load_courses("--update")

    assert saar_lesson().title_en == "The SAAR rule"
    assert saar_lesson().progress.filter(user=learner).exists()
    course.refresh_from_db()
    assert course.title_en == "Recognising deviant behaviour"
    assert set(course.questions.values_list("lesson", flat=True)) == {saar_lesson().pk}
    assert all(c.text_en for q in course.questions.all() for c in q.choices.all())


def test_a_question_naming_a_missing_lesson_stops_the_load(course_folder):
    spec = json.loads((course_folder / "course.json").read_text(encoding="utf-8"))
    spec["questions"][0]["lesson"] = "99-bestaat-niet.md"
    edit_course(course_folder, questions=spec["questions"])
    with pytest.raises(CommandError, match=r"question 1 names lesson '99-bestaat-niet\.md'"):
        load_courses()

"""The written course content, one folder per course, in settings.COURSES_DIR (this folder).

Each folder holds `course.json` (the course, its quiz) and one Markdown file per
lesson, whose first line is `# Title`. Lessons follow the file names' order,
unless `course.json` has an `outline`: a list of lesson titles, where an entry
`@file.md` is a lesson written in full and a plain title is an outline-only lesson.

A question may name the lesson that explains it, `"lesson": "03-de-saar-regel.md"`:
a learner who answers it wrong is sent back to that lesson.

English: `course.en.json` beside `course.json` holds the English title, summary,
audience, the outline's plain titles (an `outline` of the same length, `@file.en.md`
for a written lesson) and the questions in the same order with the same answers
marked right; each written lesson `name.md` has its English text in `name.en.md`.
The English is stored beside the Dutch on the same rows (`title_en`, `text_en`, ...),
so there is one set of lessons and questions, and one progress per learner, whatever
the language; text without English falls back to the Dutch.

`course.json` carries a `version`: raise it with every new text, and `load_courses
--update` replaces the course in the database (by the rules of wabp/content).
"""

import json
from pathlib import Path

from django.conf import settings

from elearning.models import CourseStatus
from wabp.content import ContentError, parse_version

REQUIRED_KEYS = ["title", "slug", "summary", "status", "version"]
ENGLISH = ".en"  # suffix of the English files: course.en.json, 01-lesson.en.md


def _read_lesson(path: Path) -> dict:
    try:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
    except FileNotFoundError:
        raise ContentError(path, "does not exist (named in course.json's outline)") from None
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None
    if not title.startswith("# ") or not title[2:].strip():
        raise ContentError(path, "must start with the lesson's title: '# Title'")
    return {"title": title.removeprefix("#").strip(), "body": body.strip() + "\n"}


def _read_json(path: Path) -> dict:
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ContentError(path, f"is not valid JSON ({error})") from None
    if not isinstance(spec, dict):
        raise ContentError(path, "must hold one JSON object")
    return spec


def _english_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{ENGLISH}{path.suffix}")


def _check_questions(path: Path, questions: list) -> None:
    for number, question in enumerate(questions, start=1):
        if not (
            isinstance(question, dict)
            and {"text", "explanation", "choices"} <= question.keys()
            and all(
                isinstance(choice, list)
                and len(choice) == 2
                and isinstance(choice[0], str)
                and isinstance(choice[1], bool)
                for choice in question["choices"]
            )
        ):
            raise ContentError(
                path,
                f"question {number} needs text, explanation and choices as "
                f'["answer", true/false] pairs',
            )


def read_course(folder: Path) -> dict:
    path = folder / "course.json"
    spec = _read_json(path)
    if missing := [key for key in REQUIRED_KEYS if key not in spec]:
        raise ContentError(path, f"lacks {', '.join(missing)}")
    if spec["status"] not in CourseStatus.values:
        raise ContentError(path, f"status must be one of {', '.join(CourseStatus.values)}")
    spec["version"] = parse_version(path, spec["version"])
    _check_questions(path, spec.get("questions", []))
    if "outline" in spec:
        entries = spec.pop("outline")
    else:
        entries = [
            f"@{lesson.name}"
            for lesson in sorted(folder.glob("*.md"))
            if not lesson.name.endswith(f"{ENGLISH}.md")
        ]
    spec["lessons"] = [
        _read_lesson(folder / entry[1:]) if entry.startswith("@") else {"title": entry}
        for entry in entries
    ]
    files = [entry[1:] if entry.startswith("@") else None for entry in entries]
    for number, question in enumerate(spec.get("questions", []), start=1):
        if "lesson" in question:
            if question["lesson"] not in files:
                raise ContentError(
                    path,
                    f"question {number} names lesson {question['lesson']!r}, not a lesson file",
                )
            question["lesson"] = files.index(question["lesson"]) + 1
    _add_english(folder, spec, entries)
    return spec


def _add_english(folder: Path, spec: dict, entries: list[str]) -> None:
    """Put course.en.json and the lessons' .en.md files beside the Dutch, as `*_en` keys."""
    path = _english_path(folder / "course.json")
    english = _read_json(path) if path.is_file() else {}
    for key in ("title", "summary", "audience"):
        spec[f"{key}_en"] = english.get(key, "")
    if "outline" in english:
        english_entries = english["outline"]
        if len(english_entries) != len(entries):
            raise ContentError(path, "the outline must have as many lessons as course.json's")
    else:  # each written lesson's English file, when there is one
        english_entries = [
            f"@{_english_path(Path(entry[1:])).name}"
            if entry.startswith("@") and _english_path(folder / entry[1:]).is_file()
            else ""
            for entry in entries
        ]
    for lesson, entry in zip(spec["lessons"], english_entries, strict=True):
        if entry.startswith("@"):
            read = _read_lesson(folder / entry[1:])
            lesson["title_en"], lesson["body_en"] = read["title"], read["body"]
        else:
            lesson["title_en"] = entry
    questions = spec.get("questions", [])
    english_questions = english.get("questions", [])
    _check_questions(path, english_questions)
    if english_questions and len(english_questions) != len(questions):
        raise ContentError(path, "must have as many questions as course.json, in the same order")
    for number, (question, translated) in enumerate(
        zip(questions, english_questions, strict=False), start=1
    ):
        marks = [is_correct for _text, is_correct in question["choices"]]
        if [is_correct for _text, is_correct in translated["choices"]] != marks:
            raise ContentError(
                path, f"question {number} must have the same answers marked right as course.json"
            )
        question["text_en"] = translated["text"]
        question["explanation_en"] = translated["explanation"]
        question["choices_en"] = [text for text, _is_correct in translated["choices"]]


def read_courses(folder: Path | None = None) -> list[dict]:
    """Every course in the content folder, as a spec for `Course.objects.load_from_content`."""
    folder = Path(folder or settings.COURSES_DIR)
    return [
        read_course(course)
        for course in sorted(folder.iterdir())
        if (course / "course.json").is_file()
    ]

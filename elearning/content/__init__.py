"""The written course content, one folder per course, in settings.COURSES_DIR (this folder).

Each folder holds `course.json` (the course, its quiz) and one Markdown file per
lesson, whose first line is `# Title`. Lessons follow the file names' order,
unless `course.json` has an `outline`: a list of lesson titles, where an entry
`@file.md` is a lesson written in full and a plain title is an outline-only lesson.

`course.json` carries a `version`: raise it with every new text, and `load_courses
--update` replaces the course in the database (by the rules of wabp/content).
"""

import json
from pathlib import Path

from django.conf import settings

from elearning.models import CourseStatus
from wabp.content import ContentError, parse_version

REQUIRED_KEYS = ["title", "slug", "summary", "status", "version"]


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


def read_course(folder: Path) -> dict:
    path = folder / "course.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ContentError(path, f"is not valid JSON ({error})") from None
    if not isinstance(spec, dict):
        raise ContentError(path, "must hold one JSON object")
    if missing := [key for key in REQUIRED_KEYS if key not in spec]:
        raise ContentError(path, f"lacks {', '.join(missing)}")
    if spec["status"] not in CourseStatus.values:
        raise ContentError(path, f"status must be one of {', '.join(CourseStatus.values)}")
    spec["version"] = parse_version(path, spec["version"])
    for number, question in enumerate(spec.get("questions", []), start=1):
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
    if "outline" in spec:
        spec["lessons"] = [
            _read_lesson(folder / entry[1:]) if entry.startswith("@") else {"title": entry}
            for entry in spec.pop("outline")
        ]
    else:
        spec["lessons"] = [_read_lesson(path) for path in sorted(folder.glob("*.md"))]
    return spec


def read_courses(folder: Path | None = None) -> list[dict]:
    """Every course in the content folder, as a spec for `Course.objects.load_from_content`."""
    folder = Path(folder or settings.COURSES_DIR)
    return [
        read_course(course)
        for course in sorted(folder.iterdir())
        if (course / "course.json").is_file()
    ]

"""The written course content, one folder per course.

Each folder holds `course.json` (the course, its quiz) and one Markdown file per
lesson, whose first line is `# Title`. Lessons follow the file names' order,
unless `course.json` has an `outline`: a list of lesson titles, where an entry
`@file.md` is a lesson written in full and a plain title is an outline-only lesson.
"""

import json
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent


def _read_lesson(path: Path) -> dict:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return {"title": title.removeprefix("#").strip(), "body": body.strip() + "\n"}


def read_course(folder: Path) -> dict:
    spec = json.loads((folder / "course.json").read_text(encoding="utf-8"))
    if "outline" in spec:
        spec["lessons"] = [
            _read_lesson(folder / entry[1:]) if entry.startswith("@") else {"title": entry}
            for entry in spec.pop("outline")
        ]
    else:
        spec["lessons"] = [_read_lesson(path) for path in sorted(folder.glob("*.md"))]
    return spec


def read_courses() -> list[dict]:
    """Every course in the content folder, as a spec for `Course.objects.create_from_content`."""
    return [
        read_course(folder)
        for folder in sorted(CONTENT_DIR.iterdir())
        if (folder / "course.json").is_file()
    ]

"""The site's content pages, one Markdown file per page and language, and how a load decides.

A page is `<slug>.nl.md` with, optionally, its translation `<slug>.en.md`, in the folder
settings.PAGES_DIR (this folder). Each file starts with a header between two `---` lines:

    ---
    title: Over ons
    intro: One line under the title (may be empty).
    version: 1
    updated: 2026-12-01
    ---

    ## The text in Markdown

`updated` is the day the text last changed: the page shows it as "Laatst bijgewerkt", so
a fresh database does not date every page to the day it was loaded. Set it with every new
text; the Dutch file's date is the page's. Both files of a page carry the same `version`. Raise it with every new text: `load_pages
--update` replaces a page in the database only when its files' version is higher than the
database's, so a text the board edited in the admin is never overwritten by accident.
The e-learning courses (elearning/content) load by the same rules.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from django.conf import settings

# The languages a Page holds, and the suffix of their fields (Page.title, Page.title_en).
LANGUAGE_FIELDS = {"nl": "", "en": "_en"}
DEFAULT_LANGUAGE = "nl"
HEADER_KEYS = {"title", "intro", "version", "updated"}
REQUIRED_KEYS = {"title", "version"}
FILE_NAME = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[a-z]{2})\.md")


class ContentError(ValueError):
    """A content file that cannot be loaded; the message names the file."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{_shown(path)}: {problem}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def parse_version(path: Path, value: object) -> int:
    """A content version: a whole number of at least 1."""
    if not re.fullmatch(r"[1-9][0-9]{0,3}", str(value).strip()):
        raise ContentError(path, f"version must be a whole number of at least 1, not {value!r}")
    return int(str(value).strip())


def parse_updated(path: Path, value: str) -> date:
    """The day a text last changed, written YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ContentError(
            path, f"updated must be a date written YYYY-MM-DD, not {value!r}"
        ) from None


def read_page_file(path: Path) -> tuple[dict, str]:
    """The header (title, intro, version) and the Markdown body of one page file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text") from None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError(path, "must start with a header between two '---' lines")
    try:
        end = next(n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(path, "the header has no closing '---' line") from None
    header = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in HEADER_KEYS:
            raise ContentError(
                path,
                f"line {number}: expected 'key: value' with a key among "
                f"{', '.join(sorted(HEADER_KEYS))}, not {line!r}",
            )
        if key in header:
            raise ContentError(path, f"line {number}: {key!r} appears twice")
        header[key] = value.strip()
    if missing := REQUIRED_KEYS - header.keys():
        raise ContentError(path, f"the header lacks {', '.join(sorted(missing))}")
    if not header["title"]:
        raise ContentError(path, "the title is empty")
    header["version"] = parse_version(path, header["version"])
    if "updated" in header:
        header["updated"] = parse_updated(path, header["updated"])
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        raise ContentError(path, "has no text below its header")
    return header, body + "\n"


def read_pages(folder: Path | None = None) -> list[dict]:
    """Every page in the content folder, as a spec for `Page.objects.load_from_content`."""
    folder = Path(folder or settings.PAGES_DIR)
    files: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.glob("*.md")):
        match = FILE_NAME.fullmatch(path.name)
        if not match or match["language"] not in LANGUAGE_FIELDS:
            raise ContentError(
                path,
                f"a page file is named <slug>.<language>.md, with a language among "
                f"{', '.join(LANGUAGE_FIELDS)}",
            )
        files.setdefault(match["slug"], {})[match["language"]] = path
    pages = []
    for slug, by_language in files.items():
        if DEFAULT_LANGUAGE not in by_language:
            raise ContentError(
                next(iter(by_language.values())), f"has no {slug}.{DEFAULT_LANGUAGE}.md"
            )
        spec = {"slug": slug}
        for language, suffix in LANGUAGE_FIELDS.items():  # Dutch first: its version is the page's
            header, body = {"title": "", "intro": ""}, ""
            if path := by_language.get(language):
                header, body = read_page_file(path)
                spec.setdefault("version", header["version"])
                spec.setdefault("updated", header.get("updated"))
                if header["version"] != spec["version"]:
                    raise ContentError(
                        path,
                        f"version {header['version']} differs from the version "
                        f"{spec['version']} of {slug}.{DEFAULT_LANGUAGE}.md",
                    )
            spec[f"title{suffix}"] = header["title"]
            spec[f"intro{suffix}"] = header.get("intro", "")
            spec[f"body{suffix}"] = body
        pages.append(spec)
    return pages


class Action(StrEnum):
    """What loading one page or course did, or would do with --update."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OUTDATED = "outdated"  # the files have a higher version; --update replaces it
    EDITED = "edited"  # same version, other text: edited in the admin, or a version not raised
    NEWER = "newer"  # the database has a higher version than the files


def decide(database_version: int | None, file_version: int, same_text: bool) -> Action:
    """The action for a page or course, before --update turns OUTDATED into UPDATED."""
    if database_version is None:
        return Action.CREATED
    if file_version > database_version:
        return Action.OUTDATED
    if file_version < database_version:
        return Action.NEWER
    return Action.UNCHANGED if same_text else Action.EDITED


@dataclass(frozen=True)
class Loaded:
    """One line of a load's report."""

    name: str
    action: Action
    database_version: int | None
    file_version: int

    def describe(self, dry_run: bool = False) -> str:
        would = dry_run and self.action in (Action.CREATED, Action.UPDATED)
        match self.action:
            case Action.CREATED:
                text = f"{'Would create' if would else 'Created'}: {self.name}"
                return f"{text} (version {self.file_version})"
            case Action.UPDATED:
                text = f"{'Would update' if would else 'Updated'}: {self.name}"
                return f"{text} (version {self.database_version} -> {self.file_version})"
            case Action.UNCHANGED:
                return f"Unchanged: {self.name} (version {self.file_version})"
            case Action.OUTDATED:
                return (
                    f"Left: {self.name} (version {self.database_version}; the files have "
                    f"version {self.file_version}: run with --update to replace it)"
                )
            case Action.EDITED:
                return (
                    f"Left: {self.name} (differs from its files at the same version "
                    f"{self.file_version}: edited in the admin, or raise the files' version "
                    f"to replace it)"
                )
            case Action.NEWER:
                return (
                    f"Left: {self.name} (version {self.database_version} is newer than the "
                    f"files' version {self.file_version})"
                )


def summarise(kind: str, results: list[Loaded], dry_run: bool = False) -> str:
    """The last line of a load's report: "Pages: 1 created, 0 updated, 5 left."."""
    created = sum(r.action is Action.CREATED for r in results)
    updated = sum(r.action is Action.UPDATED for r in results)
    return (
        f"{kind}: {created} {'to create' if dry_run else 'created'}, "
        f"{updated} {'to update' if dry_run else 'updated'}, {len(results) - created - updated} left."
    )

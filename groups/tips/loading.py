"""The prevention tips written in files (groups/tips/content), read for `manage.py load_tips`.

A tip is `<slug>.nl.md` with, optionally, `<slug>.en.md`. Each file starts with a header
between two `---` lines and ends with the chat message after a `<!-- chat -->` line:

    ---
    title: Donkere dagen: doe het licht aan
    summary: One line for the list of tips.
    theme: donkere-dagen        (Dutch file only: a TipTheme value)
    months: 10, 11, 12, 1, 2    (Dutch file only: empty for all year)
    order: 10                   (Dutch file only)
    version: 1
    ---

    The tip in Markdown.

    <!-- chat -->
    The message to paste into the group chat (plain text, at most 400 characters).

Versions work as for the content pages (wabp.content): `load_tips --update` replaces a tip
only when its files carry a higher version, so the board's edits in the admin stay.
"""

from pathlib import Path

from groups.models import MONTHS, Tip, TipTheme
from wabp.content import FILE_NAME, ContentError, parse_version

FOLDER = Path(__file__).resolve().parent / "content"
CHAT_MARKER = "<!-- chat -->"
HEADER_KEYS = {"title", "summary", "theme", "months", "order", "version"}
DUTCH_ONLY = {"theme", "months", "order"}


def read_tip_file(path: Path) -> tuple[dict, str, str]:
    """The header, the Markdown body and the chat message of one tip file."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError(path, "must start with a header between two '---' lines")
    try:
        end = next(n for n, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ContentError(path, "the header has no closing '---' line") from None
    header = {}
    for number, line in enumerate(lines[1:end], start=2):
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in HEADER_KEYS or key in header:
            raise ContentError(path, f"line {number}: expected a new key among {HEADER_KEYS}")
        header[key] = value.strip()
    if not header.get("title") or "version" not in header:
        raise ContentError(path, "the header needs a title and a version")
    header["version"] = parse_version(path, header["version"])
    rest = "\n".join(lines[end + 1 :])
    body, marker, chat = rest.partition(CHAT_MARKER)
    if not marker or not body.strip() or not chat.strip():
        raise ContentError(path, f"needs a Markdown text, a '{CHAT_MARKER}' line and a message")
    chat = chat.strip()
    if len(chat) > Tip.CHAT_MAX_LENGTH:
        raise ContentError(path, f"the chat message is longer than {Tip.CHAT_MAX_LENGTH}")
    return header, body.strip("\n") + "\n", chat


def _months(path: Path, value: str) -> list[int]:
    try:
        months = sorted({int(part) for part in value.replace(" ", "").split(",") if part})
    except ValueError:
        raise ContentError(
            path, f"months are numbers 1-12 separated by commas: {value!r}"
        ) from None
    if any(month not in MONTHS for month in months):
        raise ContentError(path, f"months are numbers 1-12: {value!r}")
    return months


def read_tips(folder: Path | None = None) -> list[dict]:
    """Every tip in the folder, as a spec for `Tip.objects.load_from_content`."""
    folder = Path(folder or FOLDER)
    files: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.glob("*.md")):
        match = FILE_NAME.fullmatch(path.name)
        if not match or match["language"] not in ("nl", "en"):
            raise ContentError(path, "a tip file is named <slug>.nl.md or <slug>.en.md")
        files.setdefault(match["slug"], {})[match["language"]] = path
    specs = []
    for slug, by_language in files.items():
        if "nl" not in by_language:
            raise ContentError(by_language["en"], f"has no {slug}.nl.md")
        path = by_language["nl"]
        header, body, chat = read_tip_file(path)
        if header.get("theme") not in TipTheme.values:
            raise ContentError(path, f"theme must be one of {', '.join(TipTheme.values)}")
        spec = {
            "slug": slug,
            "version": header["version"],
            "theme": header["theme"],
            "months": _months(path, header.get("months", "")),
            "order": int(header.get("order") or 100),
            "title": header["title"],
            "summary": header.get("summary", ""),
            "body": body,
            "chat_message": chat,
            "title_en": "",
            "summary_en": "",
            "body_en": "",
            "chat_message_en": "",
        }
        if path_en := by_language.get("en"):
            header_en, body_en, chat_en = read_tip_file(path_en)
            if DUTCH_ONLY & header_en.keys():
                raise ContentError(path_en, "theme, months and order belong in the Dutch file")
            if header_en["version"] != spec["version"]:
                raise ContentError(path_en, f"version differs from {slug}.nl.md")
            spec |= {
                "title_en": header_en["title"],
                "summary_en": header_en.get("summary", ""),
                "body_en": body_en,
                "chat_message_en": chat_en,
            }
        specs.append(spec)
    return specs

"""English is complete: every msgid in the English catalogue has its English, and every text a
template shows stands inside {% translate %} or {% blocktranslate %} (so it has a msgid).

The template scan reads each template in templates/ with Django's own template lexer, drops
what translate tags hold, and collects the text an HTML parser sees outside them: text nodes
and the alt, title, aria-label and placeholder attributes; a mail's .txt template is all text.
What it does not count as text to translate:

- the brand names in BRANDS (the same in both languages);
- an element with its own `lang` attribute: it says which language it is in (the language
  switch's "English", the English line of a bilingual error page);
- code shown to be copied (<code>, <pre>, a readonly <textarea>: the map's embed code);
- a block whose name ends in `class` (`{% block body_class %}`): CSS class names.
"""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"

# Names written the same in both languages.
BRANDS = ("WhatsApp BuurtPreventie", "WhatsApp", "WABP", "GeoNames", "CC BY 4.0")

# Blocks whose contents are never shown, and elements that show code rather than prose.
HIDDEN_BLOCK = re.compile(r"class$")
CODE_ELEMENTS = {"code", "pre"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
# What a template tag or variable leaves in the text: not a letter, so never reported.
HOLE = "\x00"


# The catalogue ------------------------------------------------------------------------------


def catalogue_entries(path: Path) -> list[dict]:
    """The catalogue's live entries: {"msgid", "msgstrs", "fuzzy", "line"} (no header)."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and entry["msgid"]:
            entries.append(entry)

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete: not in use
            continue
        if entry is None:
            entry = {"msgid": "", "msgstrs": {}, "fuzzy": False, "line": number}
        if line.startswith("#,"):
            entry["fuzzy"] = entry["fuzzy"] or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            field, text = match.groups()
        else:
            text = re.match(r'^"(.*)"$', line).group(1)
        if field == "msgid":
            entry["msgid"] += text
        elif field.startswith("msgstr"):
            entry["msgstrs"][field] = entry["msgstrs"].get(field, "") + text
    finish()
    return entries


def test_the_catalogue_parser_sees_missing_and_fuzzy_translations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Ja"\nmsgstr "Yes"\n\n'
        'msgid "Nee"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hallo %(naam)s"\nmsgstr "Hello %(naam)s"\n\n'
        'msgid ""\n"Lange "\n"tekst"\nmsgstr ""\n"Long "\n"text"\n\n'
        'msgid "een"\nmsgid_plural "twee"\nmsgstr[0] "one"\nmsgstr[1] ""\n\n'
        '#~ msgid "Oud"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    assert untranslated(po) == ["Nee", "Hallo %(naam)s", "een"]


def untranslated(path: Path) -> list[str]:
    return [
        entry["msgid"]
        for entry in catalogue_entries(path)
        if entry["fuzzy"] or not all(entry["msgstrs"].values()) or not entry["msgstrs"]
    ]


def test_every_msgid_in_the_english_catalogue_has_its_english():
    assert untranslated(CATALOGUE) == []


# What makemessages reads: the apps, the templates and the catalogue it merges into.
SOURCES = ["manage.py", "wabp", "groups", "postcodes", "elearning", "panels", "templates", "locale"]


def test_the_english_catalogue_holds_every_msgid_the_code_and_templates_use(tmp_path):
    # makemessages merges what the code uses into the catalogue: a msgid it adds comes in
    # untranslated (or fuzzy). It writes into the project it runs in, so it runs in a copy.
    if not shutil.which("xgettext"):
        pytest.fail("makemessages needs GNU gettext: apt-get install gettext")
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        if (base / name).is_dir():
            shutil.copytree(
                base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(base / name, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    assert untranslated(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po") == []


# Templates ----------------------------------------------------------------------------------


def outside_translate_tags(source: str) -> str:
    """The template with what translate tags hold (and comments) removed and every other tag
    or variable replaced by HOLE."""
    kept, inside = [], None  # `inside`: the end tag we skip to
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        if inside is not None:
            if token.token_type == TokenType.BLOCK and words and words[0] == inside:
                inside = None
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK and words:
            if words[0] in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                inside = f"end{words[0]}"
                continue
            if words[0] == "block" and len(words) > 1 and HIDDEN_BLOCK.search(words[1]):
                inside = "endblock"
                continue
        kept.append(HOLE)
    return "".join(kept)


class VisibleText(HTMLParser):
    """Text nodes and text attributes, leaving out elements that carry their own `lang` and
    elements that show code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (
            ("lang" in attrs and tag != "html")  # the page's own language is no exception
            or tag in CODE_ELEMENTS
            or tag in ("script", "style")
            or (tag == "textarea" and "readonly" in attrs)
        )
        if not (skipped or self.skipping):
            self.texts += [
                value for name, value in attrs.items() if name in TEXT_ATTRIBUTES and value
            ]
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def untranslated_text(path: Path) -> list[str]:
    """The lines of text in a template that no translate tag holds."""
    text = outside_translate_tags(path.read_text(encoding="utf-8"))
    if path.suffix == ".html":
        parser = VisibleText()
        parser.feed(text)
        parser.close()
        pieces = parser.texts
    else:
        pieces = [text]
    found = []
    for piece in pieces:
        for line in piece.replace(HOLE, " ").splitlines():
            words = line
            for brand in BRANDS:
                words = words.replace(brand, "")
            if re.search(r"[^\W\d_]", words):
                found.append(line.strip())
    return found


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>{% translate 'Hallo' %}</p>", []),
        ("<p>Hallo</p>", ["Hallo"]),
        ("<p>{% blocktranslate %}Hallo {{ naam }}{% endblocktranslate %} wereld</p>", ["wereld"]),
        ('<img src="x.png" alt="Logo">', ["Logo"]),
        ('<img src="x.png" alt="{% translate \'Logo\' %}">', []),
        ("<p>{{ group.name }} · WABP</p>", []),
        ('<p lang="en">Something went wrong</p><p>Iets</p>', ["Iets"]),
        ('<html lang="{{ LANGUAGE_CODE }}"><body><p>Hallo</p></body></html>', ["Hallo"]),
        ("<pre><code>&lt;iframe&gt;</code></pre>", []),
        ("{% block body_class %}map-page{% endblock %}<b>Kaart</b>", ["Kaart"]),
        ("{# Hallo #}{% comment %}Hallo{% endcomment %}", []),
    ],
)
def test_the_template_scan_finds_text_outside_translate_tags(tmp_path, source, found):
    template = tmp_path / "page.html"
    template.write_text(source, encoding="utf-8")

    assert untranslated_text(template) == found


def test_a_mail_template_is_all_text(tmp_path):
    template = tmp_path / "mail.txt"
    template.write_text("{% load i18n %}{% translate 'Beste' %}\nGroeten\n", encoding="utf-8")

    assert untranslated_text(template) == ["Groeten"]


def test_every_text_in_the_templates_is_inside_a_translate_tag():
    found = {
        str(path.relative_to(TEMPLATES)): lines
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt") and (lines := untranslated_text(path))
    }

    assert found == {}

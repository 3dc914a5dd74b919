"""manage.py load_pages: the Markdown files of wabp/content become pages, and updates reach
an existing database only with --update and a raised version."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from postcodes.models import Area, Municipality, Postcode
from tests.wabp.conftest import CONTENT_SLUGS
from wabp.models import Page

pytestmark = pytest.mark.django_db


def load_pages(*args: str) -> str:
    out = StringIO()
    call_command("load_pages", *args, stdout=out)
    return out.getvalue()


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_text(folder, slug: str = "huisregels", version: int | None = 2) -> None:
    """A corrected Dutch text for a page, with its version raised in both files (or not)."""
    edit(folder / f"{slug}.nl.md", "\n## ", "\nEen verbeterde zin.\n\n## ")
    if version is not None:
        for language in ("nl", "en"):
            edit(folder / f"{slug}.{language}.md", "version: 1", f"version: {version}")


def snapshot() -> dict:
    return {page.slug: (page.version, page.body, page.updated_at) for page in Page.objects.all()}


@pytest.fixture
def no_pages(db):
    Page.objects.filter(slug__in=CONTENT_SLUGS).delete()


def test_load_pages_creates_every_page_in_both_languages(no_pages):
    report = load_pages()

    pages = {page.slug: page for page in Page.objects.all()}
    assert set(pages) == set(CONTENT_SLUGS)
    assert pages["over-ons"].title == "Over ons"
    assert pages["over-ons"].title_en == "About us"
    assert pages["over-ons"].intro.startswith("Stichting WhatsApp BuurtPreventie helpt buren")
    assert pages["over-ons"].body.startswith("## Onze missie\n\nBuren kennen hun straat het best.")
    assert pages["over-ons"].body_en.startswith("## Our mission\n")
    assert all(page.is_published for page in pages.values())
    assert pages["over-ons"].version == 1 and pages["privacy"].version == 4
    assert "Created: over-ons (version 1)" in report
    assert f"Pages: {len(CONTENT_SLUGS)} created, 0 updated, 0 left." in report


def test_load_pages_twice_changes_nothing(no_pages):
    load_pages()
    before = snapshot()

    report = load_pages("--update")

    assert snapshot() == before
    assert report == f"Pages: 0 created, 0 updated, {len(CONTENT_SLUGS)} left.\n"


def test_dry_run_creates_nothing(no_pages):
    report = load_pages("--dry-run")

    assert not Page.objects.exists()
    assert "Would create: privacy (version 4)" in report
    assert f"Pages: {len(CONTENT_SLUGS)} to create, 0 to update, 0 left." in report


def test_update_replaces_a_page_whose_files_have_a_higher_version(content_pages, content_folder):
    new_text(content_folder)

    report = load_pages("--update")

    page = Page.objects.get(slug="huisregels")
    assert page.version == 2
    assert "Een verbeterde zin." in page.body
    assert page.body_en == content_pages["huisregels"].body_en
    assert "Updated: huisregels (version 1 -> 2)" in report
    assert f"Pages: 0 created, 1 updated, {len(CONTENT_SLUGS) - 1} left." in report


def test_corrected_text_shows_on_the_site_after_update(client, content_pages, content_folder):
    new_text(content_folder)
    load_pages("--update")

    assert "Een verbeterde zin." in client.get("/huisregels/").text


def test_without_update_a_newer_file_changes_nothing(content_pages, content_folder):
    new_text(content_folder)
    before = snapshot()

    report = load_pages()

    assert snapshot() == before
    assert "Left: huisregels (version 1; the files have version 2: run with --update" in report


def test_dry_run_with_update_changes_nothing(content_pages, content_folder):
    new_text(content_folder)
    before = snapshot()

    report = load_pages("--update", "--dry-run")

    assert snapshot() == before
    assert "Would update: huisregels (version 1 -> 2)" in report


def test_a_changed_text_without_a_raised_version_is_left_and_reported(
    content_pages, content_folder
):
    new_text(content_folder, version=None)
    before = snapshot()

    report = load_pages("--update")

    assert snapshot() == before
    assert "Left: huisregels (differs from its files at the same version 1" in report


def test_update_keeps_a_page_the_board_edited_when_its_files_did_not_change(content_pages):
    Page.objects.filter(slug="huisregels").update(body="Onze eigen regels.")

    report = load_pages("--update")

    assert Page.objects.get(slug="huisregels").body == "Onze eigen regels."
    assert Page.objects.filter(slug__in=CONTENT_SLUGS).count() == len(CONTENT_SLUGS)
    assert "Left: huisregels (differs from its files" in report


def test_update_keeps_whether_the_board_published_a_page(content_pages, content_folder):
    Page.objects.filter(slug="huisregels").update(is_published=False)
    new_text(content_folder)

    load_pages("--update")

    page = Page.objects.get(slug="huisregels")
    assert page.version == 2 and not page.is_published


def test_a_database_newer_than_the_files_is_left(content_pages):
    Page.objects.filter(slug="partners").update(version=3)

    report = load_pages("--update")

    assert Page.objects.get(slug="partners").version == 3
    assert "Left: partners (version 3 is newer than the files' version 1)" in report


def test_a_page_shows_the_day_its_text_was_written_not_the_day_it_was_loaded(
    client, no_pages, content_folder
):
    edit(content_folder / "huisregels.nl.md", "updated: 2026-12-01", "updated: 2025-03-14")

    load_pages()

    assert Page.objects.get(slug="huisregels").updated_at.date().isoformat() == "2025-03-14"
    assert "Laatst bijgewerkt: 14 maart 2025" in client.get("/huisregels/").text
    assert "Last updated: 14 March 2025" in client.get("/en/huisregels/").text


def test_update_dates_the_page_to_its_new_text(content_pages, content_folder):
    new_text(content_folder)
    for language in ("nl", "en"):
        edit(
            content_folder / f"huisregels.{language}.md",
            "updated: 2026-12-01",
            "updated: 2026-11-20",
        )

    load_pages("--update")

    assert Page.objects.get(slug="huisregels").updated_at.date().isoformat() == "2026-11-20"


def test_a_board_edit_dates_the_page_to_the_edit(content_pages):
    from django.utils import timezone

    page = Page.objects.get(slug="huisregels")
    page.body += "\nNog een zin.\n"
    page.save()

    assert Page.objects.get(slug="huisregels").updated_at.date() == timezone.localdate()


def test_a_page_without_a_translation_gets_an_empty_english_text(no_pages, content_folder):
    (content_folder / "partners.en.md").unlink()

    load_pages()

    page = Page.objects.get(slug="partners")
    assert page.title == "Partners" and page.body
    assert (page.title_en, page.intro_en, page.body_en) == ("", "", "")


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("huisregels.nl.md", "## Geen kop\n\nTekst.\n", "must start with a header"),
        ("huisregels.nl.md", "---\ntitle: Huisregels\nversion: 1\n\nTekst.\n", "no closing '---'"),
        ("huisregels.nl.md", "---\ntitel: Huisregels\nversion: 1\n---\nTekst.\n", "line 2:"),
        ("huisregels.nl.md", "---\ntitle: Huisregels\n---\nTekst.\n", "lacks version"),
        ("huisregels.nl.md", "---\ntitle: Huisregels\nversion: twee\n---\nTekst.\n", "'twee'"),
        ("huisregels.nl.md", "---\ntitle:\nversion: 1\n---\nTekst.\n", "the title is empty"),
        (
            "huisregels.nl.md",
            "---\ntitle: H\nversion: 1\nupdated: 1-3-2025\n---\nT.\n",
            "YYYY-MM-DD",
        ),
        ("huisregels.nl.md", "---\ntitle: Huisregels\nversion: 1\n---\n\n", "no text below"),
        ("huisregels.en.md", "---\ntitle: House rules\nversion: 2\n---\nText.\n", "version 2"),
        ("Huisregels.md", "---\ntitle: Huisregels\nversion: 1\n---\nTekst.\n", "<slug>.<lang"),
        ("huisregels.de.md", "---\ntitle: Hausordnung\nversion: 1\n---\nText.\n", "<slug>.<lang"),
    ],
)
def test_a_broken_page_file_stops_the_load_with_an_error_naming_it(
    content_pages, content_folder, name, text, problem
):
    (content_folder / name).write_text(text, encoding="utf-8")
    before = snapshot()

    with pytest.raises(CommandError) as error:
        load_pages("--update")

    assert str(error.value).startswith(f"{content_folder / name}: ")
    assert problem in str(error.value)
    assert snapshot() == before


def test_an_english_file_without_a_dutch_one_is_an_error(content_pages, content_folder):
    (content_folder / "huisregels.nl.md").unlink()

    with pytest.raises(CommandError, match=r"huisregels\.en\.md: has no huisregels\.nl\.md"):
        load_pages()


def test_first_start_creates_every_content_page(no_pages, board, monkeypatch):
    """`make run` on a fresh database: first_start loads the pages (the rest is not run here)."""
    from wabp.management.commands import first_start

    def only_load_pages(name, *args, **options):
        if name == "load_pages":
            call_command(name, *args, stdout=StringIO(), **options)

    monkeypatch.setattr(first_start, "call_command", only_load_pages)

    call_command("first_start", stdout=StringIO())

    assert set(Page.objects.values_list("slug", flat=True)) == set(CONTENT_SLUGS)


@pytest.mark.parametrize(
    ("municipality_code", "imports"), [(None, True), ("GM0363", False)], ids=["old", "today"]
)
def test_first_start_reimports_postcodes_while_municipalities_are_the_old_ones(
    db, board, monkeypatch, municipality_code, imports
):
    """An installation from before the 2025 municipalities is brought up to date by make run."""
    from wabp.management.commands import first_start

    municipality = Municipality.objects.create(
        name="Amsterdam", slug="amsterdam", province="Noord-Holland", code=municipality_code
    )
    area = Area.objects.create(code="1011", place="Amsterdam", municipality=municipality)
    Postcode.objects.create(code="1011AB", area=area, place="Amsterdam")
    called = []
    monkeypatch.setattr(first_start, "call_command", lambda name, *a, **k: called.append(name))

    call_command("first_start", stdout=StringIO())

    assert ("import_postcodes" in called) is imports

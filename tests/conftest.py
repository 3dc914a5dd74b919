"""Shared fixtures: personas, a fast password hasher, and running queued tasks."""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from tests.factories import (
    PASSWORD,
    POSTCODE_DATA,
    SOME_POSTCODE_AREAS,
    load_areas,
    make_user,
    store_real_postcodes,
)
from wabp.content import read_pages
from wabp.models import User

__all__ = [
    "PASSWORD",
    "POSTCODE_DATA",
    "SOME_POSTCODE_AREAS",
    "make_user",
]  # other suites import them from here too


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _static_files_scanned_once():
    """WhiteNoise's middleware reads every file under STATIC_ROOT (about 700, with their
    compressed variants) when it starts, and every new test client starts the middleware
    again: a few tenths of a second per client, minutes per run. The files do not change
    during a run, so the scan runs once per setting and is reused; what is served, and
    with which headers, stays exactly as in production."""
    from django.conf import settings
    from whitenoise.base import WhiteNoise

    scan = WhiteNoise.update_files_dictionary
    scanned: dict[tuple, dict] = {}

    def update_files_dictionary(self, root, prefix):
        key = (
            str(root),
            prefix,
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.index_file,
            self.add_headers_function,
            repr(settings.STORAGES.get("staticfiles")),  # which files are immutable
        )
        if key not in scanned:
            files, self.files = self.files, {}
            scan(self, root, prefix)
            scanned[key], self.files = self.files, files
        self.files.update(scanned[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoise, "update_files_dictionary", update_files_dictionary)
        yield


@pytest.fixture(autouse=True, scope="session")
def _map_data_in_a_folder_of_this_run(tmp_path_factory):
    """The map's pre-compressed files go to a temporary folder, not var/ of the worktree."""
    from django.test import override_settings

    with override_settings(MAP_DATA_DIR=tmp_path_factory.mktemp("map-data")):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (the test database's map version restarts)."""
    for each in caches.all():
        each.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _some_postcodes_file):
    """The test database with the content pages, loaded once by `load_pages` as on first start,
    and the real postcodes of SOME_POSTCODE_AREAS imported once by the real importer and kept
    aside for `load_areas` (tests/factories.py) to copy from.

    A transactional test flushes the pages; the `content_pages` fixture puts them back.
    """
    with django_db_blocker.unblock():
        call_command("load_pages", verbosity=0)
        store_real_postcodes(_some_postcodes_file)


CONTENT_SLUGS = [spec["slug"] for spec in read_pages()]


@pytest.fixture
def content_pages(db):
    """The pages of wabp/content, loaded by `load_pages` (after any flush of a transactional test)."""
    call_command("load_pages", verbosity=0)
    from wabp.models import Page

    return {page.slug: page for page in Page.objects.filter(slug__in=CONTENT_SLUGS)}


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def board(db) -> User:
    """A board member: staff with every permission in the admin."""
    return User.objects.create_superuser(
        email="bestuur@wabp.test", password=PASSWORD, first_name="Bea"
    )


@pytest.fixture
def learner(db) -> User:
    """Someone with an account who administers no group."""
    return make_user("leerling@example.test", first_name="Lotte", last_name="Leerling")


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued task that is due with the real worker (`db_worker --batch`).

    The worker closes "old" connections between tasks, which inside a test's
    transaction would close the test's own connection; that part is switched off.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run


# Real postcode data ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_postcodes(django_db_setup, django_db_blocker):
    """Every real Dutch postcode: NL.txt and NL_full.txt.gz, imported once per session.

    The data are committed to the test database and stay for the rest of the session (a
    re-import into a kept database changes nothing). A transactional test flushes them, so use
    this fixture with `db`, not `transactional_db`; tests that need only a few areas should
    use the much quicker `some_postcodes`.
    """
    from postcodes.importer import import_files

    with django_db_blocker.unblock():
        import_files([POSTCODE_DATA / "NL.txt", POSTCODE_DATA / "NL_full.txt.gz"])


@pytest.fixture(scope="session")
def _some_postcodes_file(tmp_path_factory):
    """The PC6 rows of SOME_POSTCODE_AREAS, cut once from the full file."""
    import gzip

    path = tmp_path_factory.mktemp("postcodes") / "NL_some.txt"
    with (
        gzip.open(POSTCODE_DATA / "NL_full.txt.gz", "rt", encoding="utf-8") as full,
        path.open("w", encoding="utf-8") as some,
    ):
        some.writelines(line for line in full if line[3:7] in SOME_POSTCODE_AREAS)
    return path


@pytest.fixture
def some_postcodes(db):
    """Real postcodes, quickly: all 4,086 PC4 areas of NL.txt plus the real PC6 postcodes of
    these areas (with municipalities as the importer makes them):

    - Amsterdam centre 1011-1019 (1011AB ... ; municipality Amsterdam, Noord-Holland)
    - Utrecht centre 3511-3515 (Utrecht, Utrecht)
    - Assen 9401-9409 (Assen, Drenthe)
    - Meppel 7941-7949: 7948 spans Meppel and Nijeveen, 7949 is Rogat. Area 7940 (Meppel and
      Nijeveen, no municipality name in NL.txt) has no PC6 postcodes and so no municipality.
    - around them: 9411 Beilen, 7951 Staphorst/Rouveen, 7991 Dwingeloo/Havelte
    - quirks: 1521 Wormerveer (postcode 1521NE lies in two places), 2451 Uithoorn (the PC6
      postcodes put it in Kaag en Braassem), 5028 (only in the PC6 file, no coordinates),
      5256 Heusden (an area of seven places)

    The importer ran once per session (`django_db_setup`); this copies its rows into the
    test's transaction. Works with `db` and `transactional_db`.
    """
    load_areas(None)

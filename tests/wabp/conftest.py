"""Fixtures for the site shell: content pages and an unreachable database."""

import socket
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from wabp.content import read_pages

CONTENT_SLUGS = [spec["slug"] for spec in read_pages()]


@pytest.fixture
def content_pages(db):
    """The pages of wabp/content, loaded by `load_pages` (after any flush of a transactional test)."""
    call_command("load_pages", verbosity=0)
    from wabp.models import Page

    return {page.slug: page for page in Page.objects.filter(slug__in=CONTENT_SLUGS)}


@pytest.fixture
def content_folder(tmp_path, settings):
    """A copy of the page files that settings.PAGES_DIR points to, for a test to edit."""
    for path in settings.PAGES_DIR.glob("*.md"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    settings.PAGES_DIR = tmp_path
    return tmp_path


@contextmanager
def database_unreachable():
    """Point the real connection at a port nobody listens on; restore it afterwards."""
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        unused_port = probe.getsockname()[1]
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(unused_port)
    try:
        yield
    finally:
        connection.settings_dict["PORT"] = original_port
        connection.close()

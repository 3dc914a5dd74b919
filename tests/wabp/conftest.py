"""Fixtures for the site shell: a copy of the content folder and an unreachable database."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection

from tests.conftest import CONTENT_SLUGS

__all__ = ["CONTENT_SLUGS"]  # `content_pages` moved to tests/conftest.py


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

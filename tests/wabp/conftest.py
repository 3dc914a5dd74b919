"""Fixtures for the site shell: content pages and an unreachable database."""

import importlib
import socket
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import connection

content_migration = importlib.import_module("wabp.migrations.0002_content_pages")

CONTENT_SLUGS = list(content_migration.PAGES)


@pytest.fixture
def content_pages(db):
    """The pages the data migration provides (again, in case a transactional test flushed them)."""
    content_migration.create_pages(apps, None)
    from wabp.models import Page

    return {page.slug: page for page in Page.objects.filter(slug__in=CONTENT_SLUGS)}


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

"""The security tests share one seeded portal (tests/security/world.py).

It is built once per test module (per test process) inside a transaction that is rolled back
after the module; each test runs in a savepoint within it, as Django's `setUpTestData`
does, and gets its own copy of the Python objects.
"""

import copy
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
    )
    with django_db_blocker.unblock(), fast_hasher:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(SimpleNamespace(), media)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world, media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db, settings) -> World:
    world, media = _module_world
    settings.MEDIA_ROOT = media
    return copy.deepcopy(world)

"""The security tests share one seeded portal (tests/security/world.py)."""

import pytest

from tests.security.world import World, build_world


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    return build_world(settings, tmp_path)

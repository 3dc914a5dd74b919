"""Test defaults, so that a bare `pytest` in a checkout runs as `make test` does.

Loaded as a pytest plugin (`-p tests.environment` in pyproject.toml) before pytest-django
reads the settings; a conftest.py would come too late. The values are the Makefile's
`test-env`, with the embedded PostgreSQL as `manage.py` uses it for development. Each
variable that is already set, even to an empty value, wins.
"""

import os

import pytest


def defaults() -> dict[str, str]:
    port = os.environ.get("PGEMBED_PORT", "54329")
    name = os.environ.get("PGEMBED_DB", "wabp")
    return {
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_FILE_PATH": "",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{name}",
    }


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    for name, value in defaults().items():
        os.environ.setdefault(name, value)

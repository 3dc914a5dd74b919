"""Health check, database outages and production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.test import Client

from tests.wabp.conftest import database_unreachable

# The outage tests close the real connection, which cannot happen inside a test
# transaction. (The content_pages fixture puts back the pages the flush removes.)
outage = pytest.mark.django_db(transaction=True)


@pytest.mark.django_db
def test_healthz_answers_200_with_json_when_the_database_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


@outage
def test_healthz_answers_503_when_the_database_is_unreachable():
    client = Client(raise_request_exception=False)

    with database_unreachable():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@outage
def test_page_during_a_database_outage_gives_the_503_page_and_recovers(content_pages):
    client = Client(raise_request_exception=False)

    with database_unreachable():
        response = client.get("/over-ons/")

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "Het portaal is even niet beschikbaar" in response.text
    assert "Traceback" not in response.text
    # The database is back: the next request works without a restart.
    assert client.get("/over-ons/").status_code == 200


@outage
def test_healthz_recovers_when_the_database_returns():
    client = Client(raise_request_exception=False)
    with database_unreachable():
        assert client.get("/healthz").status_code == 503

    assert client.get("/healthz").status_code == 200


def production_env(**overrides: str) -> dict[str, str]:
    """This process's environment, as production would have it: no development overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "TRUST_", "DJANGO_", "PYTEST"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_COOKIES"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="wabp.example.nl",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_SETTINGS_MODULE="wabp.settings",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = ["-c", "import django; django.setup()"]


def test_production_settings_start_with_secret_and_hosts():
    result = run_python(SETUP, production_env())

    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_python(SETUP, production_env(SECRET_KEY=None))

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_refuse_to_start_with_an_empty_secret_key():
    result = run_python(SETUP, production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = run_python(SETUP, production_env(ALLOWED_HOSTS=None))

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def bare_env() -> dict[str, str]:
    """A shell in a fresh checkout: nothing of the portal configured."""
    return {
        key: value
        for key, value in production_env().items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }


def test_a_bare_manage_py_in_a_checkout_uses_development_defaults():
    result = run_python(["manage.py", "makemigrations", "--check", "--dry-run"], bare_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_manage_py_assumes_nothing_once_a_secret_key_is_set():
    result = run_python(["manage.py", "check"], {**bare_env(), "SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr

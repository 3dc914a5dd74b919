"""Shared fixtures: personas, a fast password hasher, and running queued tasks."""

import pytest
from django.core.management import call_command

from wabp.models import User

PASSWORD = "Buurt-preventie-2026!"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password() -> str:
    return PASSWORD


def make_user(email: str, **fields) -> User:
    fields.setdefault("first_name", email.split("@")[0].capitalize())
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


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
    from django_tasks_db.management.commands import db_worker  # noqa: PLC0415

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run

"""Logs hold no personal data, not even in a database error's DETAIL line."""

import io
import logging
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import path

from tests.conftest import make_user
from wabp.logs import RedactPersonalData
from wabp.models import User

pytestmark = pytest.mark.django_db

ADDRESS = "geheim.adres@example.test"


@contextmanager
def console_log():
    """What the configured console handler writes, as a StringIO."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def duplicate_user_error() -> IntegrityError:
    make_user(ADDRESS)
    try:
        with transaction.atomic():
            User.objects.create_user(email=ADDRESS, password="x")
    except IntegrityError as error:
        return error
    raise AssertionError("no IntegrityError")


def test_a_database_error_is_logged_without_its_detail_line():
    error = duplicate_user_error()
    assert ADDRESS in str(error)  # PostgreSQL puts the key's value in the DETAIL line

    with console_log() as log:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/groep-registreren/", exc_info=error
        )

    text = log.getvalue()
    assert "Internal Server Error: /groep-registreren/" in text
    assert "IntegrityError" in text and "wabp_user_email_key" in text
    assert "DETAIL: [removed]" in text
    assert ADDRESS not in text
    assert "Key (email)" not in text


def failing_view(request):
    raise duplicate_user_error()


urlpatterns = [path("kapot/", failing_view)]
handler500 = "wabp.views.server_error"


def test_a_500_in_a_view_logs_no_email_address(settings):
    settings.ROOT_URLCONF = __name__

    with console_log() as log:
        response = Client(raise_request_exception=False).get("/kapot/")

    assert response.status_code == 500
    assert "Internal Server Error: /kapot/" in log.getvalue()
    assert "IntegrityError" in log.getvalue()
    assert ADDRESS not in log.getvalue()


def test_email_addresses_in_any_log_message_are_masked():
    with console_log() as log:
        logging.getLogger("groups").warning("Mail to %s bounced", "Iemand.X@Voorbeeld.NL")
        logging.getLogger("wabp").info(f"user {ADDRESS} did something")

    assert log.getvalue().count("[e-mail]") == 2
    assert "@" not in log.getvalue()


def test_every_handler_a_request_error_reaches_filters_personal_data():
    logger, handlers = logging.getLogger("django.request"), []
    while logger is not None:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    ours = [h for h in handlers if not type(h).__module__.startswith("_pytest")]

    assert ours
    assert all(any(isinstance(f, RedactPersonalData) for f in h.filters) for h in ours), ours


def test_each_request_is_one_line_without_query_tokens_or_addresses(client):
    from django.urls import reverse

    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-sleutel"})
    with console_log() as log:
        client.get(url + f"?email={ADDRESS}")

    lines = [line for line in log.getvalue().splitlines() if " wabp.request " in line]
    assert len(lines) == 1, log.getvalue()
    assert "request method=GET route=password_reset_confirm" in lines[0]
    assert " path=/account/wachtwoord-herstellen/[token]/[token]/ " in lines[0]
    assert "status=" in lines[0] and "duration_ms=" in lines[0]
    assert "abc-sleutel" not in log.getvalue() and "MQ/" not in lines[0]
    assert "@" not in log.getvalue() and "email=" not in log.getvalue()


def test_each_task_is_one_line_with_name_outcome_and_duration_but_no_address(run_tasks):
    from wabp.models import OutboundEmail
    from wabp.tasks import deliver_email

    email = OutboundEmail.objects.create(to=ADDRESS, subject="Hallo", body="Tekst", kind="test")
    deliver_email.enqueue(email.pk)
    with console_log() as log:
        run_tasks()

    lines = [line for line in log.getvalue().splitlines() if "deliver_email" in line]
    assert len(lines) == 1, log.getvalue()
    assert " wabp.task task name=wabp.tasks.deliver_email id=" in lines[0]
    assert "outcome=SUCCESSFUL duration_ms=" in lines[0]
    assert ADDRESS not in log.getvalue() and "@" not in log.getvalue()

"""The board's morning check (/admin/status/, wabp.status): queue, outbox, schedule, and
the groups app's counts."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.groups.conftest import make_group, make_join_request
from tests.support import log_in
from wabp import schedule
from wabp.models import OutboundEmail, User
from wabp.tasks import deliver_email

pytestmark = pytest.mark.django_db
URL = "/admin/status/"


def figure(html: str, label: str) -> str:
    """The number in the row labelled `label`."""
    match = re.search(re.escape(label) + r"(?:</a>)?</th>\s*<td>([^<]*)</td>", html)
    assert match, label
    return match.group(1).strip()


def test_the_status_page_is_the_admin_site_s(board_client):
    assert reverse("admin:status") == URL
    assert board_client.get(URL).status_code == 200


def test_staff_who_are_not_the_board_are_refused():
    staff = User.objects.create_user(email="medewerker@wabp.test", password="x", is_staff=True)
    client = Client()
    log_in(client, staff)

    assert client.get(URL).status_code == 403


def test_it_counts_unanswered_join_requests_and_groups_due_for_reconfirmation(
    board_client, group_a, group_b
):
    make_join_request(group_a, confirmed_at=timezone.now() - timedelta(days=11))
    make_join_request(group_a, confirmed_at=timezone.now() - timedelta(days=9))
    long_ago = timezone.now() - timedelta(days=400)
    for name in ("Oud Een", "Oud Twee"):
        make_group(name, "1013", admins=[], last_confirmed_at=long_ago)

    html = board_client.get(URL).content.decode()

    assert figure(html, "Onbeantwoord na 10 dagen") == "1"
    assert figure(html, "Groepen die de vraag nog moeten krijgen") == "2"
    assert figure(html, "Gevraagd, nog geen antwoord") == "0"


def test_it_shows_the_outbox_and_the_task_queue(board_client):
    queued = OutboundEmail.objects.create(to="x@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.create(
        to="y@example.test", subject="s", body="b", kind="k", attempts=3, last_error="down"
    )
    deliver_email.enqueue(queued.pk)

    html = board_client.get(URL).content.decode()

    assert figure(html, "In de wachtrij (nog niet geprobeerd)") == "1"
    assert figure(html, "Mislukt, wordt opnieuw geprobeerd") == "1"
    assert figure(html, "Wachtend, nu aan de beurt") == "1"
    assert "x@example.test" not in html


def test_it_shows_each_job_s_last_run_and_its_result(board_client, run_tasks):
    with time_machine.travel(timezone.now().replace(hour=9, minute=31), tick=False):
        schedule.run_due()
        run_tasks()

    html = board_client.get(URL).content.decode()

    row = re.search(r"<th scope=\"row\">reconfirmations</th>(.*?)</tr>", html, re.S).group(1)
    assert "<code>30 8-20 * * *</code>" in row
    assert "SUCCESSFUL" in row
    assert "asked 0, reminded 0, deactivated 0" in row
    assert "Nog nooit gedraaid" not in html


def test_it_shows_how_many_undeliverable_mails_the_latest_retention_run_gave_up(
    board_client, run_tasks
):
    assert (
        figure(
            board_client.get(URL).content.decode(),
            "Opgegeven bij de laatste opruimronde (na 30 dagen onbezorgd)",
        )
        == "—"
    )
    old = OutboundEmail.objects.create(to="x@example.test", subject="s", body="b", kind="k")
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    with time_machine.travel(timezone.now().replace(hour=4, minute=0), tick=False):
        schedule.run_due()
        run_tasks()

    html = board_client.get(URL).content.decode()

    assert figure(html, "Opgegeven bij de laatste opruimronde (na 30 dagen onbezorgd)") == "1"


def test_it_counts_staff_requests_waiting_for_the_board(board_client, areas):
    from groups.models import StaffRequest, StaffRequestStatus

    municipality = areas["1011"].municipality
    for email, status in [
        ("a@amsterdam.nl", StaffRequestStatus.PENDING),
        ("b@amsterdam.nl", StaffRequestStatus.PENDING),
        ("c@amsterdam.nl", StaffRequestStatus.UNVERIFIED),
        ("d@amsterdam.nl", StaffRequestStatus.DECLINED),
    ]:
        StaffRequest.objects.create(
            municipality=municipality,
            email=email,
            first_name="M",
            last_name="W",
            job_title="Wijkcoördinator",
            status=status,
        )

    html = board_client.get(URL).content.decode()

    assert figure(html, "Verzoeken om toegang, wachtend op het bestuur") == "2"
    assert "a@amsterdam.nl" not in html

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from panels.models import Participation, Response
from tests.conftest import make_user
from tests.panels.conftest import add_member, admins_panel, answer_data, make_round


def submit_twice_at_once(round, user) -> list[int]:
    """Two browser tabs posting the first answer at the same moment."""
    url = reverse("panels:round", kwargs={"slug": round.slug})
    data = answer_data(round)
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize("anonymous", [False, True])
def test_two_concurrent_submissions_leave_one_response(transactional_db, anonymous):
    panel = admins_panel()
    user = make_user("gelijktijdig@example.test")
    add_member(panel, user)
    round = make_round(panel, anonymous=anonymous)

    statuses = submit_twice_at_once(round, user)

    assert len(statuses) == 2
    assert all(status in (200, 302) for status in statuses)
    assert Participation.objects.filter(round=round, user=user).count() == 1
    assert Response.objects.filter(round=round).count() == 1

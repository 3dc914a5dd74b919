import contextlib
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


def test_two_members_answering_an_anonymous_round_at_once_leave_one_response_each(
    transactional_db, monkeypatch
):
    """Each answer rewrites all responses; two rewriters at once must take turns, or the
    earlier responses would be stored twice."""
    from panels.models import Round

    panel = admins_panel()
    first, *pair = [make_user(f"lid{n}@example.test") for n in range(3)]
    for user in (first, *pair):
        add_member(panel, user)
    round = make_round(panel, anonymous=True)
    round.record_answers(first, {})

    # Both requests reach the rewrite together, unless one waits for the other's commit.
    barrier = threading.Barrier(2, timeout=1)
    rewrite = Round._rewrite_anonymous_responses

    def rewrite_together(self, rows):
        # A broken barrier: the other one is waiting for the round's lock, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        rewrite(self, rows)

    monkeypatch.setattr(Round, "_rewrite_anonymous_responses", rewrite_together)
    url = reverse("panels:round", kwargs={"slug": round.slug})
    statuses = []

    def submit(user):
        try:
            client = Client()
            client.force_login(user)
            statuses.append(client.post(url, answer_data(round)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(user,)) for user in pair]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    assert Participation.objects.filter(round=round).count() == 3
    assert Response.objects.filter(round=round).count() == 3

"""Group registrations posted at the same moment, with real threads against the database."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from groups.models import Group, GroupStatus
from tests.groups.conftest import load_areas
from tests.groups.test_registration import form_data
from wabp.models import OutboundEmail, User

URL = reverse("groups:register")


def post_at_once(forms: list[dict]) -> list[int]:
    """Each form posted by its own browser, all released at the same moment."""
    barrier = threading.Barrier(len(forms))
    statuses = []

    def submit(data):
        try:
            client = Client(raise_request_exception=False)  # a 500 is an answer too
            barrier.wait()
            statuses.append(client.post(URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(data,)) for data in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def amsterdam(transactional_db):
    load_areas(["1011"])


def test_three_identical_registrations_at_once_make_one_pending_group(amsterdam):
    statuses = post_at_once([form_data()] * 3)

    assert statuses == [302, 302, 302]
    group = Group.objects.get()
    assert group.status == GroupStatus.PENDING
    assert [user.email for user in group.admins.all()] == ["sanne@example.test"]
    assert User.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="group_registration").count() == 1


def test_two_people_registering_the_same_name_at_once_get_a_group_each(amsterdam):
    statuses = post_at_once(
        [form_data(email="sanne@example.test"), form_data(email="bram@example.test")]
    )

    assert statuses == [302, 302]
    slugs = sorted(Group.objects.values_list("slug", flat=True))
    assert slugs == ["buurtpreventie-lastage-1011", "buurtpreventie-lastage-1011-2"]


def test_a_slug_taken_between_check_and_insert_moves_on_to_the_next(amsterdam, monkeypatch):
    first = Group.objects.create(name="Buurtpreventie Lastage", area_id="1011")
    real_unique_slug = Group._unique_slug
    answers = iter([first.slug])  # the first check ran before `first` was saved
    monkeypatch.setattr(
        Group, "_unique_slug", lambda self: next(answers, None) or real_unique_slug(self)
    )

    second = Group.objects.create(name="Buurtpreventie Lastage", area_id="1011")

    assert (first.slug, second.slug) == (
        "buurtpreventie-lastage-1011",
        "buurtpreventie-lastage-1011-2",
    )

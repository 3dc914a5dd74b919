"""A group's member count is an estimate between 1 and MAX_MEMBER_COUNT, wherever it is written."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from groups.models import MAX_MEMBER_COUNT, Group


def edit(client, group, member_count: str):
    return client.post(
        reverse("groups:edit", args=[group.slug]),
        {"name": group.name, "platform": group.platform, "member_count": member_count},
    )


@pytest.mark.parametrize("typed", ["2147483647", str(MAX_MEMBER_COUNT + 1), "0"])
def test_admin_cannot_save_an_impossible_member_count(group_admin_client, group_a, typed):
    response = edit(group_admin_client, group_a, typed)

    assert response.status_code == 200
    assert "member_count" in response.context["form"].errors
    group_a.refresh_from_db()
    assert group_a.member_count is None


def test_admin_can_save_the_largest_member_count(group_admin_client, group_a):
    response = edit(group_admin_client, group_a, str(MAX_MEMBER_COUNT))

    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.member_count == MAX_MEMBER_COUNT


@pytest.mark.parametrize("count", [2_147_483_647, MAX_MEMBER_COUNT + 1, 0])
def test_the_database_refuses_an_impossible_member_count(group_a, count):
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.filter(pk=group_a.pk).update(member_count=count)


def test_the_database_accepts_no_member_count(group_a):
    Group.objects.filter(pk=group_a.pk).update(member_count=None)

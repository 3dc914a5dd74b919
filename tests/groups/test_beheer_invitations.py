"""Admin invitations are bound to the invited address and revocable; admins leave safely."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from groups.models import GroupAdmin, GroupStatus, Invitation, token_hash
from tests.conftest import make_user
from tests.groups.conftest import _client_for

INVITEE = "ivo@example.test"


@pytest.fixture
def invitation(group_a, group_admin) -> Invitation:
    return Invitation.objects.create(group=group_a, email=INVITEE, invited_by=group_admin)


@pytest.fixture
def co_admin(group_a):
    user = make_user("carl@example.test", first_name="Carl")
    GroupAdmin.objects.create(group=group_a, user=user)
    return user


def accept(client, token: str):
    return client.post(reverse("groups:invitation_accept"), {"token": token})


def admin_ids(group) -> set[int]:
    return set(GroupAdmin.objects.filter(group=group).values_list("user", flat=True))


# Who may accept, and when --------------------------------------------------------------


def test_someone_logged_in_with_another_address_cannot_accept(group_a, group_admin, invitation):
    holder = _client_for(make_user("doorgestuurd@example.test"))
    page = holder.get(reverse("groups:invitation", args=[invitation.token]))
    assert page.status_code == 403
    assert "voor een ander e-mailadres" in page.text
    assert INVITEE not in page.text

    assert accept(holder, invitation.token).status_code == 403
    assert admin_ids(group_a) == {group_admin.pk}
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_invited_address_accepts_whatever_its_case(group_a, group_admin, invitation):
    ivo = make_user("Ivo@Example.test")
    response = accept(_client_for(ivo), invitation.token)
    assert response["Location"] == reverse("groups:manage", args=[group_a.slug])
    assert admin_ids(group_a) == {group_admin.pk, ivo.pk}


def test_an_invitation_from_an_admin_who_left_no_longer_works(
    group_a, group_admin, co_admin, invitation
):
    group_a.remove_admin(group_admin, by=group_admin)
    ivo = make_user(INVITEE)
    assert accept(_client_for(ivo), invitation.token).status_code == 404
    assert admin_ids(group_a) == {co_admin.pk}
    assert list(group_a.invitations.open()) == []


def test_an_invitation_to_a_suspended_group_no_longer_works(group_a, group_admin, invitation):
    group_a.suspend()
    client = _client_for(make_user(INVITEE))
    page = client.get(reverse("groups:invitation", args=[invitation.token]))
    assert page.status_code == 404
    assert "geschorst" in page.text
    assert accept(client, invitation.token).status_code == 404
    assert admin_ids(group_a) == {group_admin.pk}
    assert Invitation.objects.get(pk=invitation.pk).group.status == GroupStatus.SUSPENDED


def test_the_invitation_link_accepts_by_post_only(group_a, group_admin, invitation):
    client = _client_for(make_user(INVITEE))
    link = reverse("groups:invitation", args=[invitation.token])
    page = client.get(link)
    assert page.status_code == 200
    form = re.search(r'<form method="post" action="([^"]+)">', page.text)
    assert form.group(1) == reverse("groups:invitation_accept")
    assert invitation.token not in form.group(1)

    assert client.post(link).status_code == 405
    assert admin_ids(group_a) == {group_admin.pk}


# Tokens -----------------------------------------------------------------------------------


def test_the_database_never_holds_the_raw_token(group_admin_client, group_a, run_tasks, mailoutbox):
    group_admin_client.post(reverse("groups:admins", args=[group_a.slug]), {"email": INVITEE})
    run_tasks()
    token = re.search(r"/beheer/uitnodiging/([^/\s]+)/", mailoutbox[-1].body).group(1)

    invitation = Invitation.objects.get()
    assert invitation.token_hash == token_hash(token)
    # Every table but the outbox, which holds the mail itself.
    for model in apps.get_models():
        if model._meta.label_lower == "wabp.outboundemail":
            continue
        for row in model.objects.values_list():
            assert token not in repr(row), model._meta.label


@pytest.mark.django_db(transaction=True)
def test_links_mailed_before_the_hashing_migration_keep_working():
    executor = MigrationExecutor(connection)
    before = [("groups", "0010_coverage_claim"), ("wabp", "0004_user_activation_and_pending_email")]
    after = [
        ("groups", "0011_invitation_token_hash"),
        ("wabp", "0004_user_activation_and_pending_email"),
    ]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("wabp", "User").objects.create(email="oud@example.test")
    area = old_apps.get_model("postcodes", "Area").objects.create(code="9999")
    group = old_apps.get_model("groups", "Group").objects.create(
        name="Oude groep", slug="oude-groep", area=area
    )
    old_apps.get_model("groups", "GroupAdmin").objects.create(group=group, user=user)
    old_apps.get_model("groups", "Invitation").objects.create(
        group=group, email=INVITEE, invited_by=user, token="een-oud-gemaild-token"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    found = Invitation.find("een-oud-gemaild-token")
    assert found is not None and found.is_open


# Revoking, removing and stepping down ------------------------------------------------------


def test_an_admin_sees_and_revokes_an_open_invitation(
    group_admin_client, group_a, group_admin, invitation
):
    page = group_admin_client.get(reverse("groups:admins", args=[group_a.slug]))
    revoke = reverse("groups:invitation_revoke", args=[group_a.slug, invitation.pk])
    assert INVITEE in page.text and revoke in page.text

    assert group_admin_client.get(revoke).status_code == 405
    group_admin_client.post(revoke)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.revoked_by == group_admin
    assert accept(_client_for(make_user(INVITEE)), invitation.token).status_code == 404
    assert revoke not in group_admin_client.get(reverse("groups:admins", args=[group_a.slug])).text


def test_an_admin_removes_a_co_admin_after_confirming(
    group_admin_client, group_a, group_admin, co_admin, run_tasks, mailoutbox
):
    membership = GroupAdmin.objects.get(group=group_a, user=co_admin)
    url = reverse("groups:admin_remove", args=[group_a.slug, membership.pk])
    page = group_admin_client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.text
    assert admin_ids(group_a) == {group_admin.pk, co_admin.pk}

    group_admin_client.post(url)
    assert admin_ids(group_a) == {group_admin.pk}
    run_tasks()
    assert mailoutbox[-1].to == [co_admin.email]
    assert group_a.name in mailoutbox[-1].subject


def test_the_last_admin_can_neither_step_down_nor_be_removed(group_admin_client, group_a):
    step_down = reverse("groups:step_down", args=[group_a.slug])
    assert "enige beheerder" in group_admin_client.get(step_down).text
    group_admin_client.post(step_down)
    membership = GroupAdmin.objects.get(group=group_a)
    group_admin_client.post(reverse("groups:admin_remove", args=[group_a.slug, membership.pk]))
    assert GroupAdmin.objects.filter(group=group_a).count() == 1


def test_two_admins_removing_each_other_leave_one(group_a, group_admin, co_admin):
    assert group_a.remove_admin(co_admin, by=group_admin)
    assert not group_a.remove_admin(group_admin, by=co_admin)  # no longer an admin
    assert not group_a.remove_admin(group_admin, by=group_admin)  # the last one
    assert admin_ids(group_a) == {group_admin.pk}


def test_an_admin_steps_down_and_the_others_go_on(
    group_admin_client, group_a, group_admin, co_admin, mailoutbox
):
    response = group_admin_client.post(reverse("groups:step_down", args=[group_a.slug]))
    assert response["Location"] == reverse("groups:dashboard")
    assert admin_ids(group_a) == {co_admin.pk}
    assert mailoutbox == []

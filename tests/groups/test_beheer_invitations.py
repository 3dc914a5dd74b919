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


# Keeping the thread: sign up from an invitation, old links ---------------------------------


def test_signing_up_from_an_invitation_prefills_the_address_and_returns_to_it(
    client, group_a, invitation, run_tasks, mailoutbox
):
    from html import unescape

    from tests.wabp.test_accounts import link_in, signup_data

    path = reverse("groups:invitation", args=[invitation.token])
    page = client.get(path).text
    signup_url = unescape(re.search(r'href="(/account/aanmaken/\?[^"]+)"', page)[1])
    assert INVITEE not in signup_url  # signed, never the address itself in a URL

    form = client.get(signup_url).text
    assert f'value="{INVITEE}"' in form
    assert f'name="next" value="{path}"' in form

    client.post(signup_url, {**signup_data(email=INVITEE), "next": path})
    run_tasks()
    activation = link_in(mailoutbox[-1])
    response = client.post(activation, {"password": signup_data()["password1"]})
    assert response["Location"] == path
    assert "Uitnodiging accepteren" in client.get(path).text


def test_sign_up_ignores_a_next_address_on_another_site(client, run_tasks, mailoutbox):
    from tests.wabp.test_accounts import link_in, signup_data

    client.post("/account/aanmaken/", {**signup_data(), "next": "https://elders.example/"})
    run_tasks()
    response = client.post(link_in(mailoutbox[-1]), {"password": signup_data()["password1"]})
    assert response["Location"] == "/account/"


def test_a_forged_address_in_the_sign_up_link_fills_in_nothing(client):
    form = client.get("/account/aanmaken/", {"adres": "ivo@example.test"}).text
    assert "ivo@example.test" not in form


def test_following_a_used_invitation_again_leads_its_admin_to_the_group(
    group_a, group_admin, invitation
):
    ivo = make_user(INVITEE)
    client = _client_for(ivo)
    accept(client, invitation.token)
    response = client.get(reverse("groups:invitation", args=[invitation.token]))
    assert response["Location"] == reverse("groups:manage", args=[group_a.slug])


def test_a_used_invitation_explains_itself_to_anyone_else(client, group_a, invitation):
    accept(_client_for(make_user(INVITEE)), invitation.token)
    response = client.get(reverse("groups:invitation", args=[invitation.token]))
    assert response.status_code == 404
    assert "Uitnodiging niet meer geldig" in response.text


def test_a_former_admin_on_an_old_beheer_link_is_told_why(group_a, group_admin, co_admin):
    client = _client_for(co_admin)
    GroupAdmin.objects.filter(group=group_a, user=co_admin).delete()

    response = client.get(reverse("groups:manage", args=[group_a.slug]))

    assert response.status_code == 404  # as for anyone who is not its admin
    assert "<h1>U beheert deze groep niet (meer)</h1>" in response.text
    assert f"u bent geen beheerder van {group_a.name}" in response.text
    assert group_a.get_absolute_url() in response.text


def test_an_old_beheer_link_of_a_group_that_is_not_public_explains_nothing(
    group_a, group_admin, co_admin
):
    client = _client_for(co_admin)
    GroupAdmin.objects.filter(group=group_a, user=co_admin).delete()
    group_a.status = GroupStatus.PENDING
    group_a.save(update_fields=["status"])

    response = client.get(reverse("groups:manage", args=[group_a.slug]))

    assert response.status_code == 404
    assert group_a.name not in response.text

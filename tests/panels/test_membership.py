import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.urls import reverse

from groups.models import Group, GroupAdmin
from panels.models import (
    ADMINS_PANEL,
    Membership,
    MembershipStatus,
    PanelInvitation,
)
from tests.conftest import make_user
from tests.panels.conftest import add_member
from tests.support import log_in
from wabp.models import Consent, OutboundEmail, User


def invite(panel, email) -> str:
    """Send an invitation and return the link path from the queued mail."""
    invitation = PanelInvitation.objects.create(panel=panel, email=email)
    invitation.send()
    body = (
        OutboundEmail.objects.filter(to=email.lower(), kind="panels_invitation").latest("pk").body
    )
    return re.search(r"https?://[^/\s]+(/panels/uitnodiging/[^\s]+/)", body).group(1)


# Invitations -------------------------------------------------------------------------------


def test_new_person_accepts_by_choosing_name_and_password(client, panel, password):
    link = invite(panel, "Nieuw@Example.test")
    page = client.get(link)
    assert page.status_code == 200
    assert "Herhaal het wachtwoord" in page.content.decode()

    response = client.post(
        link,
        {
            "first_name": "Nina",
            "password1": password,
            "password2": password,
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.test")
    assert user.first_name == "Nina"
    assert user.check_password(password)
    assert Membership.objects.get(panel=panel, user=user).status == MembershipStatus.ACTIVE
    assert Consent.objects.filter(user=user, document="privacy").exists()
    assert client.get(reverse("panels:index")).status_code == 200  # logged in


def test_existing_user_accepts_by_logging_in(client, panel, password):
    user = make_user("bestaand@example.test", first_name="Bert")
    link = invite(panel, user.email)
    assert Membership.objects.get(user=user).status == MembershipStatus.INVITED
    page = client.get(link).content.decode()
    assert "Vul uw wachtwoord in" in page

    wrong = client.post(link, {"password": "fout-wachtwoord"})
    assert wrong.status_code == 200
    assert Membership.objects.get(user=user).status == MembershipStatus.INVITED

    client.post(link, {"password": password})
    assert Membership.objects.get(user=user).status == MembershipStatus.ACTIVE
    assert User.objects.filter(email=user.email).count() == 1


def test_logged_in_invitee_accepts_with_one_click(client, panel):
    user = make_user("ingelogd@example.test")
    link = invite(panel, user.email)
    client.force_login(user)
    assert "Uitnodiging accepteren" in client.get(link).content.decode()
    client.post(link)
    assert Membership.objects.get(user=user).is_active


def test_invitation_for_someone_else_is_refused(client, panel, learner):
    link = invite(panel, "iemand-anders@example.test")
    client.force_login(learner)
    assert client.post(link).status_code == 403
    assert not Membership.objects.filter(user=learner).exists()


def test_invitation_link_works_once(client, panel, password):
    link = invite(panel, "eenmalig@example.test")
    data = {
        "first_name": "Eva",
        "password1": password,
        "password2": password,
        "accept_privacy": "on",
    }
    client.post(link, data)
    client.logout()
    assert client.get(link).status_code == 410
    assert client.post(link, {**data, "first_name": "Kaper"}).status_code == 410
    assert User.objects.get(email="eenmalig@example.test").first_name == "Eva"


def test_invitation_link_expires(client, panel):
    link = invite(panel, "laat@example.test")
    with time_machine.travel(timedelta(days=22)):
        assert client.get(link).status_code == 410


def test_resending_an_invitation_replaces_the_old_link(client, panel):
    old = invite(panel, "opnieuw@example.test")
    PanelInvitation.objects.get().send()
    assert client.get(old).status_code == 410


def test_made_up_token_is_refused(client, db):
    url = reverse("panels:invitation", kwargs={"token": "geraden-token"})
    assert client.get(url).status_code == 410


def test_board_invites_from_the_admin(client, board, panel):
    log_in(client, board)
    response = client.post(
        reverse("admin:panels_panelinvitation_add"),
        {"panel": panel.pk, "email": "via-admin@example.test"},
    )
    assert response.status_code == 302
    invitation = PanelInvitation.objects.get()
    assert invitation.sent_at is not None
    assert invitation.invited_by == board
    assert OutboundEmail.objects.filter(to="via-admin@example.test").count() == 1


# Volunteering ---------------------------------------------------------------------------------


@pytest.fixture
def group_admin(db):
    from postcodes.models import Area, Municipality

    municipality = Municipality.objects.create(name="Utrecht", slug="utrecht", province="Utrecht")
    area = Area.objects.create(
        code="3511", place="Utrecht", municipality=municipality, province="Utrecht",
        latitude=52.09, longitude=5.12,
    )  # fmt: skip
    group = Group.objects.create(name="Buurt Oost", area=area)
    user = make_user("beheerder@example.test", first_name="Bram")
    GroupAdmin.objects.create(group=group, user=user)
    return user


def test_group_admin_volunteers_and_the_board_approves(client, group_admin, panel, board):
    client.force_login(group_admin)
    page = client.get(reverse("panels:volunteer")).content.decode()
    assert "Aanmelden voor het Beheerderspanel" in page
    client.post(reverse("panels:volunteer"), {"panel": ADMINS_PANEL})
    membership = Membership.objects.get(user=group_admin)
    assert membership.status == MembershipStatus.REQUESTED

    log_in(client, board)
    client.post(
        reverse("admin:panels_membership_changelist"),
        {"action": "approve", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert OutboundEmail.objects.filter(to=group_admin.email, kind="panels_approved").count() == 1


def test_someone_who_administers_no_group_cannot_volunteer(client, learner, panel):
    client.force_login(learner)
    assert "Aanmelden voor het" not in client.get(reverse("panels:volunteer")).content.decode()
    assert client.post(reverse("panels:volunteer"), {"panel": ADMINS_PANEL}).status_code == 404
    assert not Membership.objects.exists()


def test_volunteering_keeps_an_active_member_active(client, group_admin, panel):
    add_member(panel, group_admin)
    client.force_login(group_admin)
    client.post(reverse("panels:volunteer"), {"panel": ADMINS_PANEL})
    assert Membership.objects.get(user=group_admin).is_active


def test_approve_action_ignores_members_who_did_not_volunteer(board, panel, member):
    membership = Membership.objects.get(user=member)
    membership.leave()
    assert membership.approve() is False
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT


def test_admin_registers_all_panel_models():
    from panels import models

    for model in (models.Panel, models.Membership, models.PanelInvitation, models.Round):
        assert site.is_registered(model)


# Leaving -------------------------------------------------------------------------------------------


def test_member_leaves_with_a_post(client, member, panel, open_round):
    client.force_login(member)
    url = reverse("panels:leave", kwargs={"slug": panel.slug})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    membership = Membership.objects.get(user=member)
    assert membership.status == MembershipStatus.LEFT
    assert membership.left_at is not None
    assert client.get(reverse("panels:round", kwargs={"slug": open_round.slug})).status_code == 404


def test_leaving_a_panel_one_is_not_in_is_404(client, non_member, panel):
    client.force_login(non_member)
    assert client.post(reverse("panels:leave", kwargs={"slug": panel.slug})).status_code == 404


# The board's admin pages ----------------------------------------------------------------------------


def test_admin_pages_for_panels_and_rounds_load(client, board, panel, member, open_round):
    log_in(client, board)
    question = open_round.questions.get(kind="single")
    for url in (
        reverse("admin:panels_panel_change", args=[panel.pk]),
        reverse("admin:panels_round_changelist"),
        reverse("admin:panels_round_change", args=[open_round.pk]),
        reverse("admin:panels_question_change", args=[question.pk]),
        reverse("admin:panels_membership_changelist"),
        reverse("admin:panels_panelinvitation_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    change = client.get(reverse("admin:panels_round_change", args=[open_round.pk])).content.decode()
    assert reverse("panels:results", kwargs={"slug": open_round.slug}) in change


def test_admin_action_sends_round_invitations_once(client, board, member, open_round):
    log_in(client, board)
    for _ in range(2):
        client.post(
            reverse("admin:panels_round_changelist"),
            {"action": "send_invitations", "_selected_action": [open_round.pk]},
        )
    assert OutboundEmail.objects.filter(to=member.email, kind="panels_invitation").count() == 1

"""The admin area: dashboard, join requests, details, coverage, admins, status, neighbours."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupAdmin, GroupStatus, Invitation, JoinRequest, JoinRequestStatus
from tests.conftest import make_user
from tests.groups.conftest import CANARY, OTHER_CANARY, _client_for, make_group, make_join_request
from wabp.models import OutboundEmail


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Dashboard and request list ----------------------------------------------------------


def test_dashboard_shows_open_request_counts_in_constant_queries(
    group_admin_client, group_admin, group_a
):
    make_join_request(group_a)
    make_join_request(group_a, status="unconfirmed")
    url = reverse("groups:dashboard")
    one_group = count_queries(group_admin_client, url)
    assert "1 aanmelding wacht op u" in group_admin_client.get(url).text

    for n in range(5):
        group = make_group(f"Extra groep {n}", "1013", admins=[group_admin])
        make_join_request(group)
        make_join_request(group)
    assert count_queries(group_admin_client, url) == one_group
    assert "2 aanmeldingen wachten op u" in group_admin_client.get(url).text


def test_request_list_shows_details_in_constant_queries(group_admin_client, group_a, group_admin):
    make_join_request(group_a, name="Eerste Bewoner", phone="0699988877")
    url = reverse("groups:requests", args=[group_a.slug])
    few = count_queries(group_admin_client, url)
    for _ in range(8):
        make_join_request(group_a)
        make_join_request(group_a, status="accepted", handled_by=group_admin)
    assert count_queries(group_admin_client, url) == few
    page = group_admin_client.get(url).text
    assert "Eerste Bewoner" in page
    assert "0699988877" in page


def test_request_list_hides_unconfirmed_requests(group_admin_client, group_a):
    make_join_request(group_a, status="unconfirmed", name="Nog Niet Bevestigd")
    page = group_admin_client.get(reverse("groups:requests", args=[group_a.slug])).text
    assert "Nog Niet Bevestigd" not in page


def test_accepting_records_who_and_mails_the_resident(
    group_admin_client, group_admin, pending_request, run_tasks, mailoutbox
):
    response = group_admin_client.post(reverse("groups:request_accept", args=[pending_request.pk]))
    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == JoinRequestStatus.ACCEPTED
    assert pending_request.handled_by == group_admin
    assert pending_request.handled_at is not None
    run_tasks()
    assert [m.to for m in mailoutbox] == [["rita@example.test"]]
    assert pending_request.get_status_url() in mailoutbox[0].body


def test_declining_a_handled_request_changes_nothing(
    group_admin_client, pending_request, run_tasks, mailoutbox
):
    group_admin_client.post(reverse("groups:request_accept", args=[pending_request.pk]))
    group_admin_client.post(
        reverse("groups:request_decline", args=[pending_request.pk]), {"confirmed": "yes"}
    )
    pending_request.refresh_from_db()
    assert pending_request.status == JoinRequestStatus.ACCEPTED
    run_tasks()
    assert len(mailoutbox) == 1


def test_admin_cannot_accept_an_unconfirmed_request(group_admin_client, group_a):
    join_request = make_join_request(group_a, status="unconfirmed")
    group_admin_client.post(reverse("groups:request_accept", args=[join_request.pk]))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.UNCONFIRMED


# Details and status --------------------------------------------------------------------


def test_admin_edits_group_details(group_admin_client, group_a):
    response = group_admin_client.post(
        reverse("groups:edit", args=[group_a.slug]),
        {
            "name": "Buurtpreventie Nieuwmarkt-Oost",
            "platform": "signal",
            "description": "Nieuwe tekst.",
            "street": "Nieuwmarkt",
            "member_count": "85",
            "registered_with_police": "on",
        },
    )
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.name == "Buurtpreventie Nieuwmarkt-Oost"
    assert group_a.platform == "signal"
    assert group_a.member_count == 85
    assert group_a.registered_with_police
    assert not group_a.registered_with_municipality


def test_admin_marks_group_inactive_and_active_again(group_admin_client, group_a):
    url = reverse("groups:status", args=[group_a.slug])
    group_admin_client.post(url, {"action": "deactivate", "confirmed": "yes"})
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.INACTIVE
    group_admin_client.post(url, {"action": "reactivate"})
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE


def test_admin_cannot_lift_a_suspension(group_admin_client, group_a):
    group_a.suspend()
    group_admin_client.post(reverse("groups:status", args=[group_a.slug]), {"action": "reactivate"})
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED


# Coverage --------------------------------------------------------------------------------


def test_adding_coverage_reports_added_unchanged_and_ignored(group_admin_client, group_a):
    response = group_admin_client.post(
        reverse("groups:coverage", args=[group_a.slug]),
        {"postcodes": "1011AB-1011AE\n9999 ZZ, hallo"},
    )
    assert response.status_code == 200
    covered = set(group_a.coverage.values_list("postcode_id", flat=True))
    known = {"1011AB", "1011AC", "1011AD", "1011AE"} & set(
        group_a.area.postcodes.values_list("code", flat=True)
    )
    assert covered == known | {"1011AB", "1011AC", "1011AD"}
    added = len(covered) - 3
    page = response.text
    assert f"{added} postcode" in page
    assert "3 postcodes had de groep al" in page
    assert "9999 ZZ" in page
    assert "HALLO" in page
    assert "Dit is geen postcode." in page


def test_adding_a_whole_area(group_admin_client, group_a):
    group_admin_client.post(reverse("groups:coverage", args=[group_a.slug]), {"postcodes": "1012"})
    assert (
        group_a.coverage.filter(area_id="1012").count()
        == group_a.area.postcodes.model.objects.filter(area_id="1012").count()
    )


def test_removing_coverage_by_range_checkbox(group_admin_client, group_a):
    page = group_admin_client.get(reverse("groups:coverage", args=[group_a.slug])).text
    ranges = re.findall(r'name="ranges" value="([^"]+)"', page)
    assert ranges == ["1011AB–1011AD"]

    response = group_admin_client.post(
        reverse("groups:coverage_remove", args=[group_a.slug]),
        {"ranges": ranges, "confirmed": "yes"},
    )
    assert response.status_code == 200
    assert "3 postcodes verwijderd" in response.text
    assert not group_a.coverage.exists()


def test_removing_coverage_by_typed_postcode(group_admin_client, group_a):
    response = group_admin_client.post(
        reverse("groups:coverage_remove", args=[group_a.slug]),
        {"postcodes": "1011 AC, 1011AH", "confirmed": "yes"},
    )
    assert "1 postcode verwijderd" in response.text
    assert set(group_a.coverage.values_list("postcode_id", flat=True)) == {"1011AB", "1011AD"}


def test_removing_nothing_asks_for_a_choice(group_admin_client, group_a):
    response = group_admin_client.post(reverse("groups:coverage_remove", args=[group_a.slug]), {})
    assert "Kies een reeks" in response.text
    assert group_a.coverage.count() == 3


# Invitations and handover ---------------------------------------------------------------


def invite(client, group, email, handover=False):
    data = {"email": email}
    if handover:
        data["handover"] = "on"
    return client.post(reverse("groups:admins", args=[group.slug]), data)


def invitation_link(mailoutbox) -> str:
    return re.search(r"https?://[^/\s]+(/beheer/uitnodiging/\S+)", mailoutbox[-1].body).group(1)


def accept(client, link: str):
    """Press the invitation page's button: the token goes in the POST body."""
    token = link.rstrip("/").rsplit("/", 1)[-1]
    return client.post(reverse("groups:invitation_accept"), {"token": token})


def test_invited_co_admin_accepts_after_logging_in(
    group_admin_client, group_admin, group_a, anonymous, run_tasks, mailoutbox
):
    invite(group_admin_client, group_a, "Cor@Example.test")
    run_tasks()
    assert mailoutbox[-1].to == ["cor@example.test"]
    link = invitation_link(mailoutbox)

    page = anonymous.get(link)
    assert reverse("login") in page.text and reverse("signup") in page.text
    response = accept(anonymous, link)
    assert response["Location"].startswith(reverse("login"))

    cor = make_user("cor@example.test", first_name="Cor")
    client = _client_for(cor)
    assert client.get(link).status_code == 200
    response = accept(client, link)
    assert response["Location"] == reverse("groups:manage", args=[group_a.slug])
    assert set(GroupAdmin.objects.filter(group=group_a).values_list("user", flat=True)) == {
        group_admin.pk,
        cor.pk,
    }
    assert accept(client, link).status_code == 404  # used


def test_handover_removes_the_inviter(
    group_admin_client, group_admin, group_a, run_tasks, mailoutbox
):
    invite(group_admin_client, group_a, "opvolger@example.test", handover=True)
    run_tasks()
    successor = make_user("opvolger@example.test")
    accept(_client_for(successor), invitation_link(mailoutbox))
    assert list(GroupAdmin.objects.filter(group=group_a).values_list("user", flat=True)) == [
        successor.pk
    ]
    assert group_admin_client.get(reverse("groups:manage", args=[group_a.slug])).status_code == 404


def test_expired_invitation_is_refused(group_a, group_admin):
    invitation = Invitation.objects.create(
        group=group_a,
        email="laat@example.test",
        invited_by=group_admin,
        created_at=timezone.now() - timedelta(days=15),
    )
    user = make_user("laat@example.test")
    response = accept(_client_for(user), f"/beheer/uitnodiging/{invitation.token}/")
    assert response.status_code == 404
    assert not GroupAdmin.objects.filter(user=user).exists()


# Neighbours and the relay --------------------------------------------------------------


def test_neighbours_show_names_and_first_names_only(group_admin_client, group_a, group_b, areas):
    far = make_group("Assen Noord", "9401", admins=[make_user("assen@example.test")])
    page = group_admin_client.get(reverse("groups:neighbours", args=[group_a.slug])).text
    assert group_b.name in page
    assert "Bert" in page
    assert far.name not in page
    for secret in OTHER_CANARY.values():
        assert secret not in page
    assert "@" not in page.split("<main", 1)[1]


def test_relay_mails_the_neighbours_admins_with_reply_to_the_sender(
    group_admin_client, group_a, group_b, other_admin, run_tasks, mailoutbox
):
    url = reverse("groups:relay", args=[group_a.slug, group_b.slug])
    form = group_admin_client.get(url).text
    assert OTHER_CANARY["email"] not in form
    assert "@" not in form.split("<main", 1)[1]

    response = group_admin_client.post(url, {"message": "Zullen we de grens bij de Dam afspreken?"})
    assert response.status_code == 302
    run_tasks()
    [mail] = mailoutbox
    assert mail.to == [other_admin.email]
    assert mail.extra_headers["Reply-To"] == CANARY["email"]
    assert "Zullen we de grens bij de Dam afspreken?" in mail.body
    assert "Anna" in mail.body
    assert CANARY["last_name"] not in mail.body


def test_relay_to_a_group_that_is_not_a_neighbour_is_404(group_admin_client, group_a, areas):
    far = make_group("Assen Noord", "9401", admins=[make_user("assen@example.test")])
    url = reverse("groups:relay", args=[group_a.slug, far.slug])
    assert group_admin_client.post(url, {"message": "Hallo daar in Assen!"}).status_code == 404
    assert not OutboundEmail.objects.exists()


def test_relay_is_rate_limited(group_admin_client, group_a, group_b):
    url = reverse("groups:relay", args=[group_a.slug, group_b.slug])
    codes = [
        group_admin_client.post(url, {"message": f"Bericht nummer {n} aan de buren."}).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
    assert OutboundEmail.objects.filter(kind="relay_message").count() == 5


@pytest.mark.parametrize("status", ["inactive", "suspended"])
def test_neighbours_leave_out_groups_that_are_not_active(
    group_admin_client, group_a, group_b, status
):
    group_b.status = status
    group_b.save()
    page = group_admin_client.get(reverse("groups:neighbours", args=[group_a.slug])).text
    assert group_b.name not in page


def test_join_requests_are_seen_only_by_their_group(other_admin_client, pending_request):
    page = other_admin_client.get(reverse("groups:dashboard")).text
    assert pending_request.name not in page
    assert JoinRequest.objects.for_admin(pending_request.group.admins.first()).count() == 1


def test_admin_pages_have_unique_ids_and_one_h1(
    group_admin_client, group_a, group_b, pending_request
):
    make_join_request(group_a, status="accepted")
    for name, args in [
        ("groups:dashboard", []),
        ("groups:manage", [group_a.slug]),
        ("groups:requests", [group_a.slug]),
        ("groups:edit", [group_a.slug]),
        ("groups:coverage", [group_a.slug]),
        ("groups:admins", [group_a.slug]),
        ("groups:neighbours", [group_a.slug]),
        ("groups:relay", [group_a.slug, group_b.slug]),
    ]:
        page = group_admin_client.get(reverse(name, args=args)).text
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))
        assert page.count("<h1") == 1, name

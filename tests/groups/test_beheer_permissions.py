"""Every /beheer/ URL of group A, for each persona.

Group A's admin may use them; another group's admin and the board get 404 (the
board works in the Django admin); an anonymous visitor is sent to the login page.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupAdmin, GroupStatus, JoinRequest, JoinRequestStatus
from groups.tasks import notify_admins_of_join_request, send_join_reminders
from wabp.models import OutboundEmail


def group_a_urls(group_a, group_b, join_request):
    """(method, url, data) for every /beheer/ object URL of group A."""
    slug = group_a.slug
    return [
        ("get", reverse("groups:manage", args=[slug]), {}),
        ("get", reverse("groups:edit", args=[slug]), {}),
        ("post", reverse("groups:edit", args=[slug]), {"name": "Gekaapt", "platform": "signal"}),
        ("get", reverse("groups:coverage", args=[slug]), {}),
        ("post", reverse("groups:coverage", args=[slug]), {"postcodes": "1011AE"}),
        (
            "post",
            reverse("groups:coverage_remove", args=[slug]),
            {"postcodes": "1011AB", "confirmed": "yes"},
        ),
        ("get", reverse("groups:requests", args=[slug]), {}),
        ("get", reverse("groups:admins", args=[slug]), {}),
        ("post", reverse("groups:admins", args=[slug]), {"email": "indringer@example.test"}),
        (
            "post",
            reverse("groups:status", args=[slug]),
            {"action": "deactivate", "confirmed": "yes"},
        ),
        ("get", reverse("groups:neighbours", args=[slug]), {}),
        ("get", reverse("groups:relay", args=[slug, group_b.slug]), {}),
        (
            "post",
            reverse("groups:relay", args=[slug, group_b.slug]),
            {"message": "Hallo buren, even kennismaken."},
        ),
        ("post", reverse("groups:request_accept", args=[join_request.pk]), {}),
        ("post", reverse("groups:request_decline", args=[join_request.pk]), {"confirmed": "yes"}),
        ("post", reverse("groups:request_undo_decline", args=[join_request.pk]), {}),
    ]


def assert_group_a_untouched(group_a, group_admin, join_request):
    group_a.refresh_from_db()
    assert group_a.name == "Buurtpreventie Nieuwmarkt"
    assert group_a.status == GroupStatus.ACTIVE
    assert set(group_a.coverage.values_list("postcode_id", flat=True)) == {
        "1011AB",
        "1011AC",
        "1011AD",
    }
    assert list(group_a.invitations.all()) == []
    assert list(GroupAdmin.objects.filter(group=group_a).values_list("user", flat=True)) == [
        group_admin.pk
    ]
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING


@pytest.mark.parametrize("persona", ["other_admin_client", "board_client"])
def test_every_beheer_url_of_group_a_is_404_for_others(
    request, persona, group_a, group_b, group_admin, pending_request, mailoutbox
):
    client = request.getfixturevalue(persona)
    for method, url, data in group_a_urls(group_a, group_b, pending_request):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (persona, method, url)
    assert_group_a_untouched(group_a, group_admin, pending_request)
    assert mailoutbox == []


def test_every_beheer_url_sends_anonymous_visitors_to_login(
    anonymous, group_a, group_b, group_admin, pending_request
):
    for method, url, data in group_a_urls(group_a, group_b, pending_request):
        response = getattr(anonymous, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), url
    assert_group_a_untouched(group_a, group_admin, pending_request)


def test_every_beheer_url_of_group_a_works_for_its_admin(
    group_admin_client, group_a, group_b, pending_request
):
    for method, url, data in group_a_urls(group_a, group_b, pending_request):
        response = getattr(group_admin_client, method)(url, data)
        assert response.status_code in (200, 302), (method, url, response.status_code)


def test_dashboard_needs_login(anonymous, db):
    response = anonymous.get(reverse("groups:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_lists_only_my_groups(group_admin_client, group_a, group_b):
    page = group_admin_client.get(reverse("groups:dashboard")).text
    assert group_a.name in page
    assert group_b.name not in page


def test_actions_refuse_get(group_admin_client, group_a, pending_request):
    for name, args in [
        ("groups:request_accept", [pending_request.pk]),
        ("groups:request_decline", [pending_request.pk]),
        ("groups:request_undo_decline", [pending_request.pk]),
        ("groups:status", [group_a.slug]),
        ("groups:coverage_remove", [group_a.slug]),
    ]:
        assert group_admin_client.get(reverse(name, args=args)).status_code == 405
    assert JoinRequest.objects.get(pk=pending_request.pk).status == JoinRequestStatus.PENDING


# A suspended group's admins lose the admin area --------------------------------------------


def test_every_beheer_url_of_a_suspended_group_is_404_for_its_admin(
    group_admin_client, group_a, group_b, group_admin, pending_request, mailoutbox
):
    group_a.suspend()
    urls = [
        *[(m, u, d) for m, u, d in group_a_urls(group_a, group_b, pending_request)],
        ("get", reverse("groups:sign_request", args=[group_a.slug]), {}),
        (
            "post",
            reverse("groups:sign_request", args=[group_a.slug]),
            {"street": "Dam 1", "reason": "Veel inbraken."},
        ),
    ]
    manage = reverse("groups:manage", args=[group_a.slug])
    for method, url, data in urls:
        if url == manage:
            continue
        response = getattr(group_admin_client, method)(url, data)
        assert response.status_code == 404, (method, url)

    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.SUSPENDED
    group_a.status = GroupStatus.ACTIVE  # what assert_group_a_untouched expects otherwise
    group_a.save(update_fields=["status"])
    assert_group_a_untouched(group_a, group_admin, pending_request)
    assert not group_a.sign_requests.exists()
    assert mailoutbox == []


def test_a_suspended_groups_admin_sees_only_the_explanation(
    group_admin_client, group_a, pending_request
):
    group_a.suspend()

    page = group_admin_client.get(reverse("groups:manage", args=[group_a.slug]))

    assert page.status_code == 200
    assert "Deze groep is geschorst" in page.text
    assert pending_request.name not in page.text
    assert reverse("groups:requests", args=[group_a.slug]) not in page.text


def test_the_dashboard_shows_a_suspended_group_without_its_requests(
    group_admin_client, group_a, pending_request
):
    group_a.suspend()

    page = group_admin_client.get(reverse("groups:dashboard")).text

    assert group_a.name in page
    assert "geschorst" in page
    assert reverse("groups:requests", args=[group_a.slug]) not in page


def test_a_suspended_groups_admins_get_no_reminders_about_requests(
    group_a, pending_request, mailoutbox
):
    JoinRequest.objects.filter(pk=pending_request.pk).update(
        confirmed_at=timezone.now() - timedelta(days=6)
    )
    group_a.suspend()

    assert send_join_reminders() == 0


def test_a_suspended_groups_admins_are_not_mailed_about_a_new_request(group_a, pending_request):
    group_a.suspend()

    notify_admins_of_join_request.call(pending_request.pk)

    assert not OutboundEmail.objects.exists()

"""A resident's join request: double opt-in, warnings, status page, anti-abuse."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from groups.models import GroupStatus, JoinRequest, JoinRequestStatus
from tests.groups.conftest import make_group, make_join_request
from wabp.models import OutboundEmail

RESIDENT = {
    "name": "Rita Bewoner",
    "email": "Rita@Example.test",
    "phone": "06 12345678",
    "street": "Nieuwmarkt 4",
    "postcode": "1011 ab",
    "consent": "on",
}


def post_join(client, group, **changes):
    data = {**RESIDENT, **changes}
    return client.post(reverse("groups:join", args=[group.slug]), data)


def link_in(body: str, name: str) -> str:
    """The path of the first e-mailed link to the URL named `name` (token links only)."""
    paths = re.findall(r"https?://[^/\s]+(/\S*)", body)
    prefix = reverse(f"groups:{name}", args=["TOKEN"]).split("TOKEN")[0]
    matching = [p for p in paths if p.startswith(prefix)]
    assert matching, f"no {name} link in: {body}"
    confirm = [p for p in matching if p.endswith("/bevestigen/")]
    matching = confirm if name == "join_confirm" else [p for p in matching if p not in confirm]
    return matching[0]


def test_join_form_renders_for_an_active_group(anonymous, group_a):
    response = anonymous.get(reverse("groups:join", args=[group_a.slug]))
    assert response.status_code == 200
    assert b'name="consent"' in response.content
    assert "Buurtpreventie Nieuwmarkt" in response.text


def test_join_form_is_404_for_an_inactive_group(anonymous, areas, group_admin):
    group = make_group("Gestopte groep", "1013", admins=[group_admin], status=GroupStatus.INACTIVE)
    assert anonymous.get(reverse("groups:join", args=[group.slug])).status_code == 404


def test_join_request_waits_for_e_mail_confirmation(anonymous, group_a, run_tasks, mailoutbox):
    response = post_join(anonymous, group_a)

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:join_sent", args=[group_a.slug])
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequestStatus.UNCONFIRMED
    assert join_request.email == "rita@example.test"
    assert join_request.postcode == "1011AB"
    assert join_request.consent_version == "2026-1"
    assert not join_request.outside_area
    run_tasks()
    assert [m.to for m in mailoutbox] == [["rita@example.test"]]
    assert join_request.token in mailoutbox[0].body
    assert "Kijk in uw e-mail" in anonymous.get(response["Location"]).text


def test_double_opt_in_then_admins_are_mailed(
    anonymous, group_a, group_admin, run_tasks, mailoutbox
):
    post_join(anonymous, group_a)
    run_tasks()
    confirm_path = link_in(mailoutbox[0].body, "join_confirm")

    # Opening the link (or a mail scanner fetching it) changes nothing.
    page = anonymous.get(confirm_path)
    assert page.status_code == 200
    assert JoinRequest.objects.get().status == JoinRequestStatus.UNCONFIRMED

    response = anonymous.post(confirm_path)
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.confirmed_at is not None
    assert response["Location"] == join_request.get_status_url()

    run_tasks()
    admin_mail = mailoutbox[-1]
    assert admin_mail.to == [group_admin.email]
    assert "Rita Bewoner" in admin_mail.body
    assert "Log in" in admin_mail.body
    # Only the name: the resident's contact details stay behind the login.
    assert "rita@example.test" not in admin_mail.body
    assert "12345678" not in admin_mail.body


def test_confirming_twice_mails_the_admins_once(anonymous, group_a, run_tasks, mailoutbox):
    join_request = make_join_request(group_a, status="unconfirmed")
    confirm = reverse("groups:join_confirm", args=[join_request.token])
    anonymous.post(confirm)
    anonymous.post(confirm)
    run_tasks()
    assert len(mailoutbox) == 1


def test_status_page_changes_when_the_admin_accepts(anonymous, pending_request, group_admin_client):
    status_url = pending_request.get_status_url()
    assert "Wacht op de beheerder" in anonymous.get(status_url).text

    group_admin_client.post(reverse("groups:request_accept", args=[pending_request.pk]))

    page = anonymous.get(status_url).text
    assert "Geaccepteerd" in page
    assert "De beheerder voegt u toe aan de chat" in page


def test_status_page_says_declined(anonymous, pending_request, group_admin_client):
    group_admin_client.post(
        reverse("groups:request_decline", args=[pending_request.pk]), {"confirmed": "yes"}
    )
    assert "afgewezen" in anonymous.get(pending_request.get_status_url()).text


def test_unknown_status_token_is_404(anonymous, db):
    assert anonymous.get(reverse("groups:join_status", args=["nope"])).status_code == 404


def test_no_personal_data_in_urls(anonymous, group_a, run_tasks, mailoutbox):
    response = post_join(anonymous, group_a)
    run_tasks()
    urls = [response["Location"], *re.findall(r"https?://\S+", mailoutbox[0].body)]
    for url in urls:
        for secret in ("rita", "12345678", "1011", "Nieuwmarkt"):
            assert secret.lower() not in url.lower().replace(group_a.slug, "")


def test_postcode_outside_coverage_warns_and_keeps_the_input(anonymous, group_a):
    response = post_join(anonymous, group_a, postcode="1012 AB")

    assert response.status_code == 200
    assert "buiten het gebied" in response.text
    assert 'value="Rita Bewoner"' in response.text
    assert not JoinRequest.objects.exists()

    # Sending again (the form now carries outside_ok) saves it, flagged for the admin.
    response = post_join(anonymous, group_a, postcode="1012 AB", outside_ok="1")
    assert response.status_code == 302
    assert JoinRequest.objects.get().outside_area is True


def test_location_only_group_warns_outside_its_area(anonymous, group_b):
    assert "buiten het gebied" in post_join(anonymous, group_b, postcode="1011 AB").text
    assert post_join(anonymous, group_b, postcode="1012 AB").status_code == 302
    assert JoinRequest.objects.get().outside_area is False


def test_invalid_input_shows_errors(anonymous, group_a):
    response = post_join(anonymous, group_a, postcode="12", consent="", phone="12")
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("phone", ["bel 06 12345678", "06 1234567", "(06) 12345678"])
def test_a_phone_number_is_checked_as_on_the_account_page(anonymous, group_a, phone):
    response = post_join(anonymous, group_a, phone=phone)
    assert response.status_code == 200
    assert "alleen cijfers" in response.text
    assert not JoinRequest.objects.exists()


def test_a_tidied_phone_number_reaches_the_admins(anonymous, group_a):
    assert post_join(anonymous, group_a, phone=" +31 6  1234 5678 ").status_code == 302
    assert JoinRequest.objects.get().phone == "+31 6 1234 5678"


def test_honeypot_looks_like_success_but_saves_nothing(anonymous, group_a, run_tasks, mailoutbox):
    response = post_join(anonymous, group_a, website="http://spam.example")
    assert response.status_code == 302
    assert not JoinRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_second_request_while_one_is_open_creates_nothing(anonymous, group_a):
    first = post_join(anonymous, group_a)
    second = post_join(anonymous, group_a, email="rita@example.TEST", name="Rita B.")
    assert first["Location"] == second["Location"]
    assert JoinRequest.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_new_request_allowed_after_the_old_one_was_handled(anonymous, group_a):
    make_join_request(group_a, status="declined", email="rita@example.test")
    post_join(anonymous, group_a)
    assert JoinRequest.objects.open().count() == 1


def test_too_many_requests_per_e_mail_address(anonymous, group_a):
    responses = [post_join(anonymous, group_a).status_code for _ in range(6)]
    assert responses[:5] == [302] * 5
    assert responses[5] == 429


def test_too_many_requests_per_ip_address(group_a):
    client = Client(REMOTE_ADDR="192.0.2.7")
    codes = [post_join(client, group_a, email=f"r{n}@example.test").status_code for n in range(21)]
    assert codes[:20] == [302] * 20
    assert codes[20] == 429
    assert (
        post_join(Client(REMOTE_ADDR="192.0.2.8"), group_a, email="x@example.test").status_code
        == 302
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_posts_make_one_request(group_a):
    barrier = threading.Barrier(2)
    codes = []

    def send():
        try:
            client = Client()
            barrier.wait(timeout=10)
            codes.append(post_join(client, group_a).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert codes == [302, 302]
    assert JoinRequest.objects.filter(group=group_a).count() == 1
    assert OutboundEmail.objects.count() == 1

"""The waiting list: double opt-in, one notification ever, deletion and retention."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from groups.models import WaitingListEntry
from groups.waitinglist.views import CONFIRMATIONS_PER_ADDRESS_PER_DAY
from wabp.models import RateLimitWindow

EMAIL = "wachtende@example.test"


def join(client, area="1013", email=EMAIL):
    return client.post(reverse("groups:waitinglist_join"), {"area": area, "email": email})


@pytest.fixture
def confirmed_entry(areas):
    return WaitingListEntry.objects.create(
        email=EMAIL, area=areas["1013"], confirmed_at=timezone.now()
    )


def test_partial_form_is_self_contained(areas):
    request = RequestFactory().get("/zoeken/")
    html = render_to_string("groups/waitinglist/_form.html", {"area_code": "1013"}, request=request)
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="area" value="1013"' in html
    assert reverse("groups:waitinglist_join") in html
    assert '<label for="waitinglist-email-1013">' in html


def test_joining_sends_a_confirmation_and_stays_unconfirmed(
    anonymous, areas, run_tasks, mailoutbox
):
    response = join(anonymous, area="1013 AB")
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get()
    assert entry.area_id == "1013" and entry.confirmed_at is None
    run_tasks()
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert reverse("groups:waitinglist_confirm", args=[entry.token]) in body
    assert reverse("groups:waitinglist_delete", args=[entry.token]) in body


def test_confirming_takes_a_post(anonymous, areas):
    join(anonymous)
    entry = WaitingListEntry.objects.get()
    url = reverse("groups:waitinglist_confirm", args=[entry.token])
    anonymous.get(url)
    entry.refresh_from_db()
    assert entry.confirmed_at is None  # a mail scanner following the link confirms nothing
    anonymous.post(url)
    entry.refresh_from_db()
    assert entry.confirmed_at is not None


def test_joining_twice_does_not_reveal_or_duplicate(
    anonymous, confirmed_entry, run_tasks, mailoutbox
):
    response = join(anonymous, email=EMAIL.upper())
    assert response.status_code == 302
    assert WaitingListEntry.objects.count() == 1
    run_tasks()
    assert mailoutbox == []  # already confirmed: nothing to send


def test_one_address_gets_at_most_three_confirmations_a_day_from_any_ip(
    areas, run_tasks, mailoutbox
):
    answers = set()
    for n, (area, email) in enumerate(
        [
            ("1013", EMAIL),
            ("1013", EMAIL),
            ("1015", EMAIL.upper()),
            ("1016", EMAIL),
            ("1017", EMAIL),
        ]
    ):
        response = join(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), area=area, email=f" {email} ")
        answers.add((response.status_code, response["Location"]))

    assert answers == {(302, reverse("groups:waitinglist_sent"))}  # over the limit: silently
    run_tasks()
    assert len(mailoutbox) == CONFIRMATIONS_PER_ADDRESS_PER_DAY == 3
    join(Client(), email="ander@example.test")
    run_tasks()
    assert [m.to for m in mailoutbox[3:]] == [["ander@example.test"]]  # others still get theirs
    # The counter is keyed by an HMAC, never by the address itself.
    keys = " ".join(RateLimitWindow.objects.values_list("key", flat=True))
    assert "wachtende" not in keys.lower() and "example" not in keys


def test_invalid_email_or_unknown_area_is_rejected(anonymous, areas):
    assert join(anonymous, email="geen-adres").status_code == 400
    assert join(anonymous, area="9999").status_code == 400
    assert WaitingListEntry.objects.count() == 0


def test_one_link_deletes_the_address(anonymous, confirmed_entry):
    url = reverse("groups:waitinglist_delete", args=[confirmed_entry.token])
    assert anonymous.get(url).status_code == 200
    anonymous.post(url)
    assert not WaitingListEntry.objects.exists()
    assert anonymous.post(url).status_code == 200  # twice is harmless


def test_notify_mails_confirmed_residents_once(confirmed_entry, areas, run_tasks, mailoutbox):
    WaitingListEntry.objects.create(email="onbevestigd@example.test", area=areas["1013"])
    WaitingListEntry.objects.create(
        email="elders@example.test", area=areas["3511"], confirmed_at=timezone.now()
    )
    assert WaitingListEntry.objects.notify_group_started(["1013AB", "1013"]) == 1
    assert WaitingListEntry.objects.notify_group_started(["1013"]) == 0
    run_tasks()
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "?postcode=1013" in mailoutbox[0].body
    confirmed_entry.refresh_from_db()
    assert confirmed_entry.notified_at is not None


def test_notify_with_nothing_to_do(db):
    assert WaitingListEntry.objects.notify_group_started([]) == 0


def test_expired_after_a_year_or_a_month_unconfirmed(areas):
    now = timezone.now()
    old = WaitingListEntry.objects.create(
        email="oud@example.test",
        area=areas["1013"],
        confirmed_at=now,
        created_at=now - timedelta(days=366),
    )
    stale = WaitingListEntry.objects.create(
        email="nooit@example.test", area=areas["1013"], created_at=now - timedelta(days=31)
    )
    WaitingListEntry.objects.create(
        email="vers@example.test",
        area=areas["1013"],
        confirmed_at=now,
        created_at=now - timedelta(days=200),
    )
    assert set(WaitingListEntry.objects.expired()) == {old, stale}


def test_waiting_list_pages_show_no_addresses(anonymous, confirmed_entry):
    for name in ("groups:waitinglist_confirm", "groups:waitinglist_delete"):
        html = anonymous.get(reverse(name, args=[confirmed_entry.token])).content.decode()
        assert EMAIL not in html

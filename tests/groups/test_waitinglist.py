"""The waiting list: double opt-in, one notification ever, deletion and retention."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupStatus, WaitingListEntry
from groups.waitinglist.views import CONFIRMATIONS_PER_ADDRESS_PER_DAY
from tests.factories import AMSTERDAM, load_areas, make_group
from wabp.models import RateLimitWindow

EMAIL = "wachtende@example.test"


def join(client, area="1013", email=EMAIL):
    return client.post(reverse("groups:waitinglist_join"), {"postcode": area, "email": email})


@pytest.fixture
def confirmed_entry(areas):
    return WaitingListEntry.objects.create(
        email=EMAIL, area=areas["1013"], confirmed_at=timezone.now()
    )


def test_the_form_page_is_prefilled_with_the_searched_postcode(anonymous, areas):
    response = anonymous.get(reverse("groups:waitinglist_join"), {"postcode": "1013AA"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="postcode"' in html and 'value="1013AA"' in html
    assert '<label for="id_email">' in html
    assert "no-cache" in response["Cache-Control"]  # a token: never stored


def test_joining_sends_a_confirmation_and_stays_unconfirmed(
    anonymous, areas, run_tasks, mailoutbox
):
    response = join(anonymous, area="1013 AA")
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get()
    assert entry.area_id == "1013" and entry.postcode_id == "1013AA"
    assert entry.confirmed_at is None
    run_tasks()
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert reverse("groups:waitinglist_confirm", args=[entry.token]) in body
    assert reverse("groups:waitinglist_delete", args=[entry.token]) in body


def test_an_unknown_pc6_waits_for_its_whole_area(anonymous, areas):
    join(anonymous, area="1013 AB")  # no such postcode (1013 AA and AC exist)

    entry = WaitingListEntry.objects.get()
    assert entry.area_id == "1013" and entry.postcode_id is None


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
    assert WaitingListEntry.objects.notify_group_started(["1013AA"]) == 1
    assert WaitingListEntry.objects.notify_group_started(["1013AA", "1013"]) == 0
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


# Offered where no group covers the searched postcode; told only when one starts covering it.

SEARCH = reverse("groups:search")


def waiting_for(areas, code: str, email: str = EMAIL) -> WaitingListEntry:
    """A confirmed resident waiting for a PC6 postcode, or for a whole PC4 area."""
    return WaitingListEntry.objects.create(
        email=email,
        area=areas[code[:4]],
        postcode_id=code if len(code) == 6 else None,
        confirmed_at=timezone.now(),
    )


def offers_waiting_list(response) -> bool:
    return reverse("groups:waitinglist_join") + "?postcode=" in response.content.decode()


@pytest.fixture
def noord(db):
    """Amsterdam 1028 (Zunderdorp) and the centre around it."""
    return load_areas(["1028", *AMSTERDAM])


def test_the_search_offers_the_waiting_list_next_to_nearby_groups(anonymous, noord):
    make_group("Nieuwmarkt", "1011", postcodes=["1011AB"])  # ~6 km away, covers nothing here

    response = anonymous.get(SEARCH, {"postcode": "1028"})

    assert [r.group.name for r in response.context["results"]] == ["Nieuwmarkt"]
    assert offers_waiting_list(response)
    assert 'href="/wachtlijst/?postcode=1028"' in response.content.decode()
    english = anonymous.get("/en" + SEARCH, {"postcode": "1028"}).content.decode()
    assert "Keep me informed" in english and 'href="/en/wachtlijst/?postcode=1028"' in english


def test_the_waiting_list_offer_keeps_the_search_page_cacheable(
    anonymous, noord, django_assert_num_queries
):
    make_group("Nieuwmarkt", "1011", postcodes=["1011AB"])
    first = anonymous.get(SEARCH, {"postcode": "1028"})
    assert b"csrfmiddlewaretoken" not in first.content
    assert "public" in first["Cache-Control"]

    with django_assert_num_queries(1):  # the data version only: replayed from the cache
        anonymous.get(SEARCH, {"postcode": "1028"})


def test_a_pc6_search_offers_the_waiting_list_when_only_other_streets_are_covered(anonymous, areas):
    make_group("Nieuwmarkt", "1011", postcodes=["1011AB"])

    other_street = anonymous.get(SEARCH, {"postcode": "1011AC"})
    covered = anonymous.get(SEARCH, {"postcode": "1011AB"})

    assert offers_waiting_list(other_street)
    assert 'href="/wachtlijst/?postcode=1011AC"' in other_street.content.decode()
    assert not offers_waiting_list(covered)


def test_an_area_search_offers_no_waiting_list_when_a_group_covers_part_of_it(anonymous, areas):
    make_group("Nieuwmarkt", "1011", postcodes=["1011AB"])

    assert not offers_waiting_list(anonymous.get(SEARCH, {"postcode": "1011"}))


def test_no_notification_for_a_group_merely_located_in_or_near_the_area(
    areas, run_tasks, mailoutbox
):
    waiting_for(areas, "1013AA")
    waiting_for(areas, "1012", email="gebied@example.test")
    group = make_group("Buurtwacht Nieuw", "1013", status=GroupStatus.PENDING)  # no coverage
    other = make_group("Buurtwacht Dam", "1012", postcodes=["1011AB"])  # located in 1012

    assert group.confirm()
    other.notify_waiting_list()
    run_tasks()

    assert mailoutbox == []
    assert not WaitingListEntry.objects.filter(notified_at__isnull=False).exists()


def test_no_notification_when_another_postcode_of_the_area_is_covered(areas, run_tasks, mailoutbox):
    waiting_for(areas, "1013AA")
    group = make_group("Buurtwacht Nieuw", "1013")

    group.add_coverage(["1013AC"])
    run_tasks()

    assert mailoutbox == []


def test_notification_when_a_group_starts_covering_the_postcode_or_area(
    areas, run_tasks, mailoutbox
):
    waiting_for(areas, "1013AA", email="straat@example.test")
    waiting_for(areas, "1013", email="gebied@example.test")
    waiting_for(areas, "1013AE", email="verderop@example.test")
    group = make_group("Buurtwacht Nieuw", "1012")  # located elsewhere: coverage counts

    assert group.add_coverage(["1013AA"]) == 1
    run_tasks()

    assert sorted(m.to[0] for m in mailoutbox) == ["gebied@example.test", "straat@example.test"]
    assert "?postcode=1013AA" in next(m for m in mailoutbox if "straat" in m.to[0]).body


def test_a_group_going_live_notifies_those_waiting_for_what_it_covers(areas, run_tasks, mailoutbox):
    waiting_for(areas, "1013AA")
    group = make_group("Buurtwacht Nieuw", "1015", postcodes=["1013AA"], status=GroupStatus.PENDING)

    assert group.confirm()
    run_tasks()

    assert [m.to for m in mailoutbox] == [[EMAIL]]

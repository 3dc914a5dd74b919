"""Municipality pages and the staff workspace: export, relay and access per municipality."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupStatus, WaitingListEntry
from postcodes.models import Municipality
from tests.conftest import make_user
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group
from tests.support import log_in


@pytest.fixture
def amsterdam(group_a) -> Municipality:
    return group_a.municipality


@pytest.fixture
def utrecht(areas) -> Municipality:
    return areas["3511"].municipality


@pytest.fixture
def amsterdam_staff(amsterdam):
    """An employee of the municipality of Amsterdam."""
    return make_user("ambtenaar@amsterdam.test", first_name="Mila", municipality=amsterdam)


@pytest.fixture
def utrecht_staff(utrecht):
    """An employee of another municipality."""
    return make_user("ambtenaar@utrecht.test", first_name="Umut", municipality=utrecht)


def client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_list_shows_every_municipality_with_active_group_count(
    anonymous, group_a, group_b, areas, django_assert_max_num_queries
):
    make_group("Gestopt", areas["1013"], status=GroupStatus.INACTIVE)
    with django_assert_max_num_queries(2):
        response = anonymous.get(reverse("groups:municipalities"))
    counts = {m.name: m.active_groups for m in response.context["municipalities"]}
    assert counts[group_a.municipality.name] == 2
    assert counts[areas["3511"].municipality.name] == 0


def test_detail_shows_groups_coverage_and_flags(anonymous, amsterdam, group_a, group_b, areas):
    group_b.registered_with_police = True
    group_b.last_confirmed_at = timezone.now() - timezone.timedelta(days=400)
    group_b.save()
    response = anonymous.get(amsterdam.get_absolute_url())
    ctx = response.context
    assert {g.name for g in ctx["groups"]} == {"Buurtpreventie Nieuwmarkt", "Buurtwacht Dam"}
    assert ctx["registered_with_police"] == 1
    assert [g.name for g in ctx["stale"]] == ["Buurtwacht Dam"]
    assert ctx["covered_postcodes"] == 3
    assert ctx["total_postcodes"] > 3
    place = next(p for p in ctx["places"] if p["covered"])
    assert place["covered"] == 3
    # Areas with no active group located in or covering them.
    gap_codes = {area.code for area in ctx["areas"] if area.status == "none"}
    assert "1011" not in gap_codes and "1012" not in gap_codes and "1013" in gap_codes
    assert "kaart/embed/?gemeente=" + amsterdam.slug in response.content.decode()


def test_detail_counts_trained_admins_and_waiting_demand(
    anonymous, amsterdam, group_a, group_admin, areas
):
    group_admin.trained_at = timezone.now()
    group_admin.save()
    WaitingListEntry.objects.create(
        email="a@example.test", area=areas["1013"], confirmed_at=timezone.now()
    )
    WaitingListEntry.objects.create(
        email="b@example.test", area=areas["1013"], confirmed_at=timezone.now()
    )
    WaitingListEntry.objects.create(email="c@example.test", area=areas["1013"])  # unconfirmed
    response = anonymous.get(amsterdam.get_absolute_url())
    assert response.context["trained_admins"] == 1
    # The public sees the total; the count per area is for staff (tests/groups/test_gaps.py).
    assert response.context["waiting_total"] == 2
    html = response.content.decode()
    assert "2 bewoners wachten op een groep in de buurt." in html
    assert "a@example.test" not in html  # counts only


def test_detail_query_count_does_not_grow(
    anonymous, amsterdam, areas, django_assert_max_num_queries
):
    for i in range(25):
        make_group(f"Groep {i}", areas["1011"], postcodes=["1011AB", "1011AC"])
    with django_assert_max_num_queries(9):
        anonymous.get(amsterdam.get_absolute_url())


def test_groups_are_listed_25_per_page_with_a_page_nav(anonymous, amsterdam, areas):
    for i in range(29):  # and group_a, Buurtpreventie Nieuwmarkt: 30 in all
        make_group(f"Groep {i:02}", areas["1011"])
    first = anonymous.get(amsterdam.get_absolute_url())
    names = ["Buurtpreventie Nieuwmarkt", *(f"Groep {i:02}" for i in range(29))]
    assert [g.name for g in first.context["groups"]] == names[:25]
    html = first.content.decode()
    assert "<strong>30</strong>" in html  # the figure counts every group, not the page
    assert 'href="?page=2#groepen"' in html and "Pagina 1 van 2" in html
    second = anonymous.get(amsterdam.get_absolute_url() + "?page=2")
    assert [g.name for g in second.context["groups"]] == names[25:]
    assert 'href="?page=1#groepen"' in second.content.decode()
    # A page number out of range shows the last page; nonsense the first.
    assert anonymous.get(amsterdam.get_absolute_url() + "?page=9").context["page"].number == 2
    assert anonymous.get(amsterdam.get_absolute_url() + "?page=x").context["page"].number == 1


def test_figures_are_computed_once_per_data_version(
    anonymous, amsterdam, group_a, group_b, areas, django_assert_max_num_queries
):
    url = amsterdam.get_absolute_url()
    first = anonymous.get(url)
    assert first.context["registered_with_police"] == 0
    assert gap_status(first, "1013") == "Geen groep"
    # Cached: the municipality, the data version, one page of groups and the waiting list.
    with django_assert_max_num_queries(4):
        anonymous.get(url)
    group_b.registered_with_police = True
    group_b.save()
    make_group("Nieuw", areas["1013"])
    response = anonymous.get(url)
    assert response.context["registered_with_police"] == 1
    assert response.context["active_groups"] == 3
    assert {a.code: a.status for a in response.context["areas"]}["1013"] == "located"
    assert gap_status(response, "1013") == "Groep aanwezig, geen postcodes gedekt"


def gap_status(response, code: str) -> str:
    """The status an area has in the page's table of postcode areas."""
    html = response.content.decode()
    row = re.search(rf'<th scope="row">{code} [^<]*</th>\s*<td>(.*?)</td>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", row).strip()


def test_unknown_municipality_is_404(anonymous, db):
    assert anonymous.get(reverse("groups:municipality", args=["nergens"])).status_code == 404


def test_no_private_details_on_municipality_pages(anonymous, amsterdam, group_a, group_b):
    for url in (reverse("groups:municipalities"), amsterdam.get_absolute_url()):
        text = anonymous.get(url).content.decode()
        for canary in (*CANARY.values(), *OTHER_CANARY.values()):
            assert canary not in text, (url, canary)


def test_staff_tools_hidden_from_the_public(anonymous, amsterdam, group_a):
    html = anonymous.get(amsterdam.get_absolute_url()).content.decode()
    assert reverse("groups:municipality_export", args=[amsterdam.slug]) not in html


def test_staff_see_their_tools(amsterdam_staff, amsterdam, group_a):
    html = client_for(amsterdam_staff).get(amsterdam.get_absolute_url()).content.decode()
    assert reverse("groups:municipality_export", args=[amsterdam.slug]) in html
    assert reverse("groups:municipality_relay", args=[amsterdam.slug, group_a.slug]) in html


# Export ------------------------------------------------------------------------------------


def test_staff_export_their_groups_as_csv(amsterdam_staff, amsterdam, group_a, group_b):
    group_a.registered_with_municipality = True
    group_a.save()
    response = client_for(amsterdam_staff).get(
        reverse("groups:municipality_export", args=[amsterdam.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "naam"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Buurtpreventie Nieuwmarkt", "Buurtwacht Dam"}
    assert by_name["Buurtpreventie Nieuwmarkt"][7] == "ja"
    assert by_name["Buurtwacht Dam"][7] == "nee"
    text = response.content.decode("utf-8-sig")
    for canary in (*CANARY.values(), *OTHER_CANARY.values()):
        assert canary not in text


def test_export_neutralises_spreadsheet_formulas(amsterdam_staff, amsterdam, areas):
    make_group("=HYPERLINK(1)", areas["1011"])
    response = client_for(amsterdam_staff).get(
        reverse("groups:municipality_export", args=[amsterdam.slug])
    )
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_staff_of_another_municipality_get_403(utrecht_staff, amsterdam, group_a):
    client = client_for(utrecht_staff)
    assert (
        client.get(reverse("groups:municipality_export", args=[amsterdam.slug])).status_code == 403
    )
    relay = reverse("groups:municipality_relay", args=[amsterdam.slug, group_a.slug])
    assert client.get(relay).status_code == 403
    assert client.post(relay, {"subject": "x", "message": "y"}).status_code == 403
    assert (
        client.get(reverse("groups:municipality_signs", args=[amsterdam.slug])).status_code == 403
    )


def test_group_admins_and_anonymous_cannot_export(anonymous, group_admin_client, amsterdam):
    url = reverse("groups:municipality_export", args=[amsterdam.slug])
    assert group_admin_client.get(url).status_code == 403
    assert anonymous.get(url).status_code == 302  # to the login page


def test_board_may_export_any_municipality(board_client, amsterdam, group_a):
    url = reverse("groups:municipality_export", args=[amsterdam.slug])
    assert board_client.get(url).status_code == 200


# Relay -------------------------------------------------------------------------------------


def test_relay_hides_admin_email_unless_shared(amsterdam_staff, amsterdam, group_a, group_admin):
    client = client_for(amsterdam_staff)
    url = reverse("groups:municipality_relay", args=[amsterdam.slug, group_a.slug])
    html = client.get(url).content.decode()
    assert "Anna" in html and CANARY["email"] not in html and CANARY["last_name"] not in html
    group_admin.share_email_with_municipality = True
    group_admin.save()
    assert CANARY["email"] in client.get(url).content.decode()


def test_relay_mails_the_admins_with_reply_to_the_staff_member(
    amsterdam_staff, amsterdam, group_a, run_tasks, mailoutbox
):
    url = reverse("groups:municipality_relay", args=[amsterdam.slug, group_a.slug])
    response = client_for(amsterdam_staff).post(
        url, {"subject": "Buurtschouw", "message": "Zullen we samen een schouw lopen?"}
    )
    assert response.status_code == 302
    run_tasks()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [CANARY["email"]]
    assert message.reply_to == ["ambtenaar@amsterdam.test"] or (
        message.extra_headers.get("Reply-To") == "ambtenaar@amsterdam.test"
    )
    assert "Zullen we samen een schouw lopen?" in message.body


def test_relay_only_for_groups_of_the_municipality(amsterdam_staff, amsterdam, areas):
    utrecht_group = make_group("Domplein", areas["3511"])
    url = reverse("groups:municipality_relay", args=[amsterdam.slug, utrecht_group.slug])
    assert client_for(amsterdam_staff).get(url).status_code == 404

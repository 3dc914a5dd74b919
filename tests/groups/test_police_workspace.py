"""The wijkagent's workspace (/politie/): the groups of an officer's area, confirming their
registration with the police, and writing to their admins through the relay."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups.models import Group, PoliceAccessLog, PoliceRequest, StaffRequestStatus
from tests.conftest import make_user
from tests.groups.conftest import CANARY, OTHER_CANARY, make_group
from tests.support import log_in
from wabp.models import OutboundEmail

WORKSPACE = "/politie/"


def make_officer(email, municipalities, *, team="Basisteam Centrum", **fields):
    """An approved police officer for `municipalities`, with their authenticator app."""
    user = make_user(email, first_name="Petra", last_name="Havik", is_police=True, **fields)
    TOTPDevice.objects.create(user=user, name="Authenticator-app")
    request = PoliceRequest.objects.create(
        first_name=user.first_name,
        last_name=user.last_name,
        email=email,
        team=team,
        job_title="Wijkagent",
        status=StaffRequestStatus.APPROVED,
        decided_at=timezone.now(),
        user=user,
    )
    request.municipalities.set(municipalities)
    return user


def client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def amsterdam(group_a):
    return group_a.municipality


@pytest.fixture
def utrecht_group(areas, db):
    admin = make_user("ulla.utrecht@example.test", first_name="Ulla", phone="0655500011")
    return make_group("Buurtapp Domplein", areas["3511"], admins=[admin])


@pytest.fixture
def officer_x(amsterdam):
    return make_officer("petra.havik@politie.nl", [amsterdam])


@pytest.fixture
def officer_y(utrecht_group):
    return make_officer("quinten.sperwer@politie.nl", [utrecht_group.municipality])


def confirm_url(group):
    return reverse("groups:police_group_confirm", args=[group.slug])


def unconfirm_url(group):
    return reverse("groups:police_group_unconfirm", args=[group.slug])


def contact_url(group):
    return reverse("groups:police_group_contact", args=[group.slug])


# Who sees the workspace ----------------------------------------------------------------------


def test_officer_sees_the_groups_of_their_area_and_not_others(
    officer_x, group_a, group_b, utrecht_group
):
    response = client_for(officer_x).get(WORKSPACE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buurtpreventie Nieuwmarkt" in html and "Buurtwacht Dam" in html
    assert "Buurtapp Domplein" not in html
    assert response["Cache-Control"].startswith("max-age=0")
    # Never an admin's contact details, and the map is the site's own.
    for canary in (*CANARY.values(), *OTHER_CANARY.values()):
        assert canary not in html
    assert 'id="map-config"' in html and "/static/js/map." in html
    assert reverse("groups:area_message_new") in html  # area messages start here


def test_officer_of_several_municipalities_gets_their_whole_area_on_the_map(
    amsterdam, group_a, utrecht_group
):
    officer = make_officer("twee.gemeenten@politie.nl", [amsterdam, utrecht_group.municipality])
    response = client_for(officer).get(WORKSPACE)
    html = response.content.decode()
    assert "Buurtpreventie Nieuwmarkt" in html and "Buurtapp Domplein" in html
    config = response.context["map_config"]
    assert sorted(config["municipalities"]) == sorted([amsterdam.slug, "utrecht"])


def test_officer_of_another_area_gets_404_on_the_groups_actions(officer_y, group_a):
    client = client_for(officer_y)
    assert client.post(confirm_url(group_a)).status_code == 404
    assert client.post(unconfirm_url(group_a)).status_code == 404
    assert client.get(contact_url(group_a)).status_code == 404
    assert client.post(contact_url(group_a), {"subject": "x", "message": "y"}).status_code == 404
    group_a.refresh_from_db()
    assert group_a.police_confirmed_at is None
    assert not OutboundEmail.objects.filter(kind="police_relay").exists()


@pytest.mark.parametrize("who", ["group_admin", "board", "staff"])
def test_everyone_else_gets_403_with_the_way_to_ask_for_access(who, request, amsterdam):
    if who == "staff":
        user = make_user("medewerker@amsterdam.example.test", municipality=amsterdam)
    else:
        user = request.getfixturevalue(who)
    response = client_for(user).get(WORKSPACE)
    assert response.status_code == 403
    if who != "board":
        assert "/politie/toegang-aanvragen/" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(anonymous):
    response = anonymous.get(WORKSPACE)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.mark.parametrize("end", ["request_ended", "not_police", "inactive"])
def test_ended_access_is_locked_out_at_once(end, officer_x, group_a):
    client = client_for(officer_x)
    assert client.get(WORKSPACE).status_code == 200
    if end == "request_ended":
        PoliceRequest.objects.filter(user=officer_x).update(status=StaffRequestStatus.ENDED)
    elif end == "not_police":
        type(officer_x).objects.filter(pk=officer_x.pk).update(is_police=False)
    else:
        type(officer_x).objects.filter(pk=officer_x.pk).update(is_active=False)
    response = client.get(WORKSPACE)
    assert response.status_code in (302, 403)
    assert client.post(confirm_url(group_a)).status_code in (302, 403)
    group_a.refresh_from_db()
    assert group_a.police_confirmed_at is None


def test_the_officer_sees_a_politie_link_in_the_menu(officer_x, group_admin):
    assert f'href="{WORKSPACE}"' in client_for(officer_x).get("/").content.decode()
    assert f'href="{WORKSPACE}"' not in client_for(group_admin).get("/").content.decode()


# The list --------------------------------------------------------------------------------------


def test_list_filters_by_platform_and_not_yet_confirmed(officer_x, group_a, areas):
    make_group("Signaal Wallen", areas["1012"], platform="signal")
    client = client_for(officer_x)

    def listed(**query):
        return [group.name for group in client.get(WORKSPACE, query).context["groups"]]

    assert listed() == ["Buurtpreventie Nieuwmarkt", "Signaal Wallen"]
    assert listed(platform="signal") == ["Signaal Wallen"]
    client.post(confirm_url(group_a))
    assert listed(unconfirmed="on") == ["Signaal Wallen"]
    assert listed(municipality="utrecht") == ["Buurtpreventie Nieuwmarkt", "Signaal Wallen"]


def test_list_shows_coverage_summary_and_registration_flags(officer_x, group_a, group_b):
    group_b.registered_with_police = True
    group_b.save()
    client = client_for(officer_x)
    client.post(confirm_url(group_a))
    response = client.get(WORKSPACE)
    rows = {group.name: group for group in response.context["groups"]}
    assert rows["Buurtpreventie Nieuwmarkt"].coverage_count == 3
    assert rows["Buurtpreventie Nieuwmarkt"].coverage_areas == ["1011"]
    assert rows["Buurtwacht Dam"].coverage_count == 0
    html = response.content.decode()
    today = timezone.localdate()
    assert "bevestigd door de politie op" in html
    assert "ja, volgens de beheerder" in html
    assert str(today.year) in html


def test_list_queries_do_not_grow_with_the_number_of_groups(
    officer_x, areas, django_assert_max_num_queries
):
    for n in range(30):
        make_group(f"Groep {n:02}", areas["1011" if n % 2 else "1012"])
    client = client_for(officer_x)
    client.get(WORKSPACE)  # warm the session
    with django_assert_max_num_queries(9):
        response = client.get(WORKSPACE, {"sort": "bevestigd"})
    assert len(response.context["groups"]) == 25
    assert response.context["page"].paginator.count == 31  # and group A


# Confirming a group's registration with the police -----------------------------------------------


def test_officer_confirms_and_withdraws_a_registration(officer_x, group_a):
    assert not group_a.registered_with_police
    client = client_for(officer_x)
    response = client.post(confirm_url(group_a), {"next": f"{WORKSPACE}?page=1"})
    assert response.status_code == 302 and response["Location"] == f"{WORKSPACE}?page=1"
    group = Group.objects.get(pk=group_a.pk)
    assert group.registered_with_police
    assert group.police_confirmed_at is not None
    assert group.police_confirmed_by == officer_x

    client.post(unconfirm_url(group_a))
    group = Group.objects.get(pk=group_a.pk)
    # Back to what the admin had declared: not registered.
    assert not group.registered_with_police
    assert group.police_confirmed_at is None and group.police_confirmed_by is None


def test_withdrawing_keeps_what_the_admin_declared(officer_x, group_a):
    group_a.registered_with_police = True
    group_a.save()
    client = client_for(officer_x)
    client.post(confirm_url(group_a))
    client.post(unconfirm_url(group_a))
    group = Group.objects.get(pk=group_a.pk)
    assert group.registered_with_police and group.police_confirmed_at is None


def test_confirm_is_post_only_and_refuses_an_outside_redirect(officer_x, group_a):
    client = client_for(officer_x)
    assert client.get(confirm_url(group_a)).status_code == 405
    response = client.post(confirm_url(group_a), {"next": "https://example.com/"})
    assert response["Location"] == WORKSPACE


def test_public_page_shows_confirmed_by_the_police_or_self_declared(
    officer_x, group_a, group_b, anonymous
):
    group_b.registered_with_police = True
    group_b.save()
    client_for(officer_x).post(confirm_url(group_a))
    confirmed = anonymous.get(reverse("groups:detail", args=[group_a.slug])).content.decode()
    declared = anonymous.get(reverse("groups:detail", args=[group_b.slug])).content.decode()
    assert "bevestigd door de politie op" in confirmed
    assert "Havik" not in confirmed and "Petra" not in confirmed  # never the officer's name
    assert "volgens de beheerder" in declared
    assert "bevestigd door de politie op" not in declared


def test_admin_unticking_police_registration_clears_the_confirmation(
    officer_x, group_a, group_admin_client
):
    client_for(officer_x).post(confirm_url(group_a))
    edit = reverse("groups:edit", args=[group_a.slug])
    assert "Bevestigd door de politie op" in group_admin_client.get(edit).content.decode()
    response = group_admin_client.post(
        edit,
        {"name": group_a.name, "platform": group_a.platform},  # the box unticked
    )
    assert response.status_code == 302
    group = Group.objects.get(pk=group_a.pk)
    assert not group.registered_with_police
    assert group.police_confirmed_at is None and group.police_confirmed_by is None


def test_admin_sees_a_self_declared_registration_as_not_confirmed(group_a, group_admin_client):
    group_a.registered_with_police = True
    group_a.save()
    html = group_admin_client.get(reverse("groups:edit", args=[group_a.slug])).content.decode()
    assert "de politie heeft het (nog) niet bevestigd" in html


# The relay -------------------------------------------------------------------------------------


def test_relay_mails_each_admin_in_their_language_with_reply_to_the_officer(
    officer_x, group_a, group_admin
):
    co_admin = make_user("co.beheerder@example.test", first_name="Co", language="en")
    group_a.memberships.create(user=co_admin)
    client = client_for(officer_x)
    page = client.get(contact_url(group_a)).content.decode()
    assert "Anna" in page
    for canary in CANARY.values():
        assert canary not in page
    assert "co.beheerder@example.test" not in page
    response = client.post(
        contact_url(group_a), {"subject": "Inbraken", "message": "Let op de fietsen."}
    )
    assert response.status_code == 302
    mails = {mail.to: mail for mail in OutboundEmail.objects.filter(kind="police_relay")}
    assert set(mails) == {CANARY["email"], "co.beheerder@example.test"}
    dutch, english = mails[CANARY["email"]], mails["co.beheerder@example.test"]
    for mail in (dutch, english):
        assert mail.headers["Reply-To"] == "petra.havik@politie.nl"
        assert "Petra Havik" in mail.body and "Basisteam Centrum" in mail.body
        assert "Let op de fietsen." in mail.body
    assert dutch.subject == "Bericht van de politie: Inbraken"
    assert "politie" in dutch.body
    assert english.subject == "Message from the police: Inbraken"
    assert "police" in english.body


def test_relay_never_shows_an_address_the_admin_shared_with_the_municipality(
    officer_x, group_a, group_admin
):
    type(group_admin).objects.filter(pk=group_admin.pk).update(share_email_with_municipality=True)
    page = client_for(officer_x).get(contact_url(group_a)).content.decode()
    assert CANARY["email"] not in page


# The board's log -------------------------------------------------------------------------------


def test_every_page_and_action_is_logged(officer_x, group_a):
    client = client_for(officer_x)
    client.get(WORKSPACE)
    client.post(confirm_url(group_a))
    client.post(unconfirm_url(group_a))
    client.get(contact_url(group_a))
    client.post(contact_url(group_a), {"subject": "Hallo", "message": "Een vraag."})
    rows = list(PoliceAccessLog.objects.order_by("at", "pk").values_list("action", "group", "user"))
    assert rows == [
        ("workspace", None, officer_x.pk),
        ("confirm", group_a.pk, officer_x.pk),
        ("unconfirm", group_a.pk, officer_x.pk),
        ("contact", group_a.pk, officer_x.pk),
        ("relay", group_a.pk, officer_x.pk),
    ]
    assert PoliceAccessLog.objects.filter(action="workspace").get().path == WORKSPACE


# Exports -------------------------------------------------------------------------------------


def test_municipality_export_says_when_the_police_confirmed(officer_x, group_a, group_b, amsterdam):
    import csv
    import io

    client_for(officer_x).post(confirm_url(group_a))
    staff = make_user("medewerker@amsterdam.example.test", municipality=amsterdam)
    response = client_for(staff).get(reverse("groups:municipality_export", args=[amsterdam.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("bevestigd door de politie")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Buurtpreventie Nieuwmarkt"][column] == timezone.localdate().isoformat()
    assert by_name["Buurtwacht Dam"][column] == ""

"""Area messages from the police and municipalities to the admins of the groups in an area."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.areamessages.delivery import (
    MAX_PER_DAY,
    MAX_PER_WEEK,
    messages_left,
    reached_groups,
    sender_for,
)
from groups.models import (
    AreaMessage,
    AreaMessageDelivery,
    AreaMessageOptOut,
    GroupStatus,
    PoliceRequest,
    SenderType,
    StaffRequestStatus,
    WaitingListEntry,
)
from groups.tokens import area_message_opt_out_token
from postcodes.models import Area, Municipality, Postcode
from tests.conftest import make_user
from tests.groups.conftest import make_group, make_join_request
from tests.support import log_in

pytestmark = pytest.mark.django_db

NEW = "/gebiedsberichten/nieuw/"
SENT = "/gebiedsberichten/"
SETTINGS = "/gebiedsberichten/instellingen/"


# Personas and helpers -------------------------------------------------------------------------


def make_officer(email: str, municipalities, **fields):
    """A police officer whose access the board approved for these municipalities."""
    officer = make_user(email, first_name="Petra", last_name="Havik", is_police=True, **fields)
    request = PoliceRequest.objects.create(
        first_name="Petra",
        last_name="Havik",
        email=email,
        team="Basisteam Centrum",
        job_title="Wijkagent",
        status=StaffRequestStatus.APPROVED,
        decided_at=timezone.now(),
        user=officer,
    )
    request.municipalities.set(municipalities)
    return officer


@pytest.fixture
def amsterdam(areas):
    return Municipality.objects.get(name="Amsterdam")


@pytest.fixture
def utrecht(areas):
    return Municipality.objects.get(name="Utrecht")


@pytest.fixture
def officer(amsterdam):
    return make_officer("petra.havik@politie.nl", [amsterdam])


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client()
    log_in(client, officer)
    return client


@pytest.fixture
def staff(amsterdam):
    return make_user("sanne@amsterdam.nl", first_name="Sanne", municipality=amsterdam)


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    log_in(client, staff)
    return client


@pytest.fixture
def world(areas, group_admin, other_admin, group_a, group_b):
    """Groups in and around Amsterdam's centre.

    anna  -- group A: 1011, covers 1011AB-AD               (group_a)
    bert  -- group B: 1012, no coverage (located only)      (group_b)
    carla -- located in 1015, but covers 1012AC only
    dirk  -- two groups: 1011 (covers 1011AE) and 1017 (located only)
    eva   -- an inactive group in 1011, a pending one in 1012, a suspended one in 1012
    frank -- Utrecht 3511
    gijs  -- runs group A too, but his account is switched off
    """
    people = {"anna": group_admin, "bert": other_admin}
    for name in ("carla", "dirk", "eva", "frank", "gijs"):
        people[name] = make_user(f"{name}@example.test", first_name=name.capitalize())
    people["gijs"].is_active = False
    people["gijs"].save()
    group_a.memberships.create(user=people["gijs"])
    make_group("Westelijke Eilanden", "1015", postcodes=["1012AC"], admins=[people["carla"]])
    make_group("Oude Kerk", "1011", postcodes=["1011AE"], admins=[people["dirk"]])
    make_group("De Pijp Noord", "1017", admins=[people["dirk"]])
    make_group("Gestopt", "1011", admins=[people["eva"]], status=GroupStatus.INACTIVE)
    make_group("Nog niet bevestigd", "1012", admins=[people["eva"]], status=GroupStatus.PENDING)
    make_group("Geschorst", "1012", admins=[people["eva"]], status=GroupStatus.SUSPENDED)
    make_group("Domplein", "3511", admins=[people["frank"]])
    return people


def form_data(**overrides) -> dict:
    data = {
        "subject": "Inbraken in de buurt",
        "body": "Er is deze week drie keer ingebroken.\nLet op open ramen.",
        "reason": "Drie woninginbraken in vijf dagen",
        "reference": "BVH/2026/123456",
        "validity": "24",
        "area_mode": "areas",
        "areas": "1011, 1012",
        "centre_postcode": "",
        "radius_km": "",
        "action": "preview",
    }
    data.update(overrides)
    return data


def preview_token(response) -> str:
    return re.search(r'name="preview" value="([^"]+)"', response.content.decode()).group(1)


def send(client, **overrides):
    """Fill in the form, look at the preview and press Send."""
    preview = client.post(NEW, form_data(**overrides))
    assert preview.status_code == 200
    return client.post(NEW, {"action": "send", "preview": preview_token(preview)})


def names(groups) -> set[str]:
    return {group.name for group in groups}


def recipients_of_mail() -> set[str]:
    return {message.to[0] for message in mail.outbox}


def emails(*users) -> set[str]:
    return {user.email for user in users}


# Who may send --------------------------------------------------------------------------------


def test_an_officer_covers_the_municipalities_the_board_approved(officer, amsterdam):
    sender = sender_for(officer)

    assert sender.sender_type == SenderType.POLICE
    assert list(sender.municipalities) == [amsterdam]
    assert sender.name == "Petra Havik, Wijkagent, Basisteam Centrum"


def test_municipality_staff_cover_their_municipality(staff, amsterdam):
    sender = sender_for(staff)

    assert sender.sender_type == SenderType.MUNICIPALITY
    assert list(sender.municipalities) == [amsterdam]
    assert "gemeente Amsterdam" in sender.name


def test_an_officer_without_approved_access_may_not_send(areas):
    officer = make_user("nieuw@politie.nl", is_police=True)
    client = Client()
    log_in(client, officer)

    assert sender_for(officer) is None
    assert client.get(NEW).status_code == 403


@pytest.mark.parametrize("who", ["group_admin", "board"])
def test_admins_and_the_board_may_not_send(request, who, world):
    client = Client()
    log_in(client, request.getfixturevalue(who))

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert client.get(SENT).status_code == 403
    assert not AreaMessage.objects.exists()


def test_visitors_are_sent_to_the_login(world):
    response = Client().get(NEW)

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/account/inloggen/"


def test_an_officer_of_amsterdam_cannot_target_utrecht(officer_client, world):
    response = officer_client.post(NEW, form_data(areas="1011, 3511, 3512"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "buiten uw gebied (Amsterdam): 3511, 3512" in text
    assert 'name="preview"' not in text
    assert send_is_refused(officer_client, areas="3511")


def send_is_refused(client, **overrides) -> bool:
    response = client.post(NEW, form_data(**overrides))
    return 'name="preview"' not in response.content.decode() and not AreaMessage.objects.exists()


def test_staff_of_utrecht_cannot_target_amsterdam(world, utrecht):
    staff_y = make_user("yvo@utrecht.nl", municipality=utrecht)
    client = Client()
    log_in(client, staff_y)

    assert send_is_refused(client, areas="1011")
    assert send_is_refused(client, area_mode="radius", centre_postcode="1011AB", radius_km="5")


def test_a_radius_must_lie_around_a_postcode_of_the_sender(officer_client, world):
    response = officer_client.post(
        NEW, form_data(area_mode="radius", areas="", centre_postcode="3511AA", radius_km="2")
    )

    assert "Deze postcode ligt buiten uw gebied (Amsterdam)." in response.content.decode()
    assert not AreaMessage.objects.exists()


def test_a_forged_preview_sends_nothing(officer_client, world):
    response = officer_client.post(NEW, {"action": "send", "preview": "vervalst:abc"})

    assert response.status_code == 302
    assert not AreaMessage.objects.exists()


def test_another_senders_preview_sends_nothing(officer_client, staff_client, world):
    preview = staff_client.post(NEW, form_data())

    officer_client.post(NEW, {"action": "send", "preview": preview_token(preview)})

    assert not AreaMessage.objects.exists()


# Which groups an area reaches ----------------------------------------------------------------


def test_postcode_areas_reach_groups_covering_them_and_groups_located_there_without_coverage(
    world, amsterdam
):
    reached = reached_groups(["1012"], [amsterdam.pk])

    # B is located in 1012 without coverage; Westelijke Eilanden covers 1012AC.
    assert names(reached) == {"Buurtwacht Dam", "Westelijke Eilanden"}


def test_a_group_with_coverage_is_not_reached_by_its_location_alone(world, amsterdam):
    # Westelijke Eilanden is located in 1015 but covers only 1012AC.
    assert names(reached_groups(["1015"], [amsterdam.pk])) == set()


def test_only_active_groups_are_reached(world, amsterdam):
    reached = names(reached_groups(["1011", "1012"], [amsterdam.pk]))

    assert reached == {
        "Buurtpreventie Nieuwmarkt",
        "Buurtwacht Dam",
        "Westelijke Eilanden",
        "Oude Kerk",
    }


def test_groups_outside_the_senders_municipalities_are_not_reached(world, amsterdam, utrecht):
    assert names(reached_groups(["3511"], [amsterdam.pk])) == set()
    assert names(reached_groups(["3511"], [utrecht.pk])) == {"Domplein"}


def test_a_radius_reaches_the_areas_within_it(officer_client, world):
    send(officer_client, area_mode="radius", areas="", centre_postcode="1011AB", radius_km="1")

    message = AreaMessage.objects.get()
    # 1012 lies 0.7 km from 1011, 1017 and 1018 lie farther than 1 km.
    assert sorted(message.areas.values_list("code", flat=True)) == ["1011", "1012"]
    assert message.centre_postcode == "1011AB"
    assert message.radius_km == 1
    assert "De Pijp Noord" not in names(message.groups.all())


def test_a_radius_stops_at_the_senders_municipality(officer_client, world, amsterdam):
    # As if 1012 lay in a neighbouring municipality.
    diemen = Municipality.objects.create(name="Diemen", slug="diemen", province="Noord-Holland")
    Area.objects.filter(code="1012").update(municipality=diemen)
    Postcode.objects.filter(area="1012").update(municipality=diemen)

    send(officer_client, area_mode="radius", areas="", centre_postcode="1011AB", radius_km="1")

    message = AreaMessage.objects.get()
    assert list(message.areas.values_list("code", flat=True)) == ["1011"]
    reached = names(message.groups.all())
    assert "Buurtwacht Dam" not in reached  # located in 1012
    assert "Westelijke Eilanden" not in reached  # covers 1012AC only


# Sending -------------------------------------------------------------------------------------


def test_sending_mails_exactly_the_admins_of_the_groups_in_the_area(
    officer_client, world, run_tasks
):
    group_a = world["anna"].administered_groups.get()
    make_join_request(group_a, email="bewoner.wacht@example.test")
    make_join_request(group_a, status="accepted", email="bewoner.lid@example.test")
    WaitingListEntry.objects.create(
        area_id="1011", email="wachtlijst@example.test", confirmed_at=timezone.now()
    )
    mail.outbox.clear()

    response = send(officer_client)
    run_tasks()

    assert response.status_code == 302
    message = AreaMessage.objects.get()
    expected = emails(world["anna"], world["bert"], world["carla"], world["dirk"])
    assert recipients_of_mail() == expected
    assert len(mail.outbox) == 4  # dirk runs two groups there and gets it once
    assert message.admin_count == 4
    assert message.deliveries.count() == 4
    assert not AreaMessageDelivery.objects.filter(email__sent_at__isnull=True).exists()
    assert names(message.groups.all()) == {
        "Buurtpreventie Nieuwmarkt",
        "Buurtwacht Dam",
        "Westelijke Eilanden",
        "Oude Kerk",
    }
    assert sorted(message.areas.values_list("code", flat=True)) == ["1011", "1012"]
    # Never residents: not those who asked to join, nor those on a waiting list.
    assert not recipients_of_mail() & {
        "bewoner.wacht@example.test",
        "bewoner.lid@example.test",
        "wachtlijst@example.test",
    }


def test_the_mail_says_who_sent_it_where_why_and_until_when(officer_client, world, run_tasks):
    send(officer_client)
    run_tasks()

    message = AreaMessage.objects.get()
    to_bert = next(m for m in mail.outbox if m.to == [world["bert"].email])
    assert to_bert.subject == "Gebiedsbericht van de politie: Inbraken in de buurt"
    body = to_bert.body
    assert body.startswith("Beste Bert,")
    assert "Van: Petra Havik, Wijkagent, Basisteam Centrum (politie)" in body
    assert "Kenmerk: BVH/2026/123456" in body
    assert "Waarom dit bericht: Drie woninginbraken in vijf dagen" in body
    assert "Er is deze week drie keer ingebroken.\nLet op open ramen." in body
    until = timezone.localtime(message.valid_until)
    assert f"Geldig tot: {until.day} " in body
    assert f"{until:%H:%M}" in body
    assert "Stuur het na" in body and "niet meer door" in body
    assert "Uw groep daar: Buurtwacht Dam." in body
    assert "/afmelden/gebiedsberichten/" in body
    assert to_bert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/afmelden/gebiedsberichten/" in to_bert.extra_headers["List-Unsubscribe"]
    assert not to_bert.alternatives  # plain text only: the sender's text is never HTML
    # Valid for the 24 hours chosen, from the preview.
    assert timedelta(hours=23, minutes=58) < message.valid_until - message.created_at
    assert message.valid_until - message.created_at <= timedelta(hours=24)


def test_each_admin_gets_the_mail_in_their_language(officer_client, world, run_tasks):
    world["bert"].language = "en"
    world["bert"].save()

    send(officer_client)
    run_tasks()

    to_bert = next(m for m in mail.outbox if m.to == [world["bert"].email])
    to_anna = next(m for m in mail.outbox if m.to == [world["anna"].email])
    assert to_bert.subject == "Area message from the police: Inbraken in de buurt"
    assert to_bert.body.startswith("Dear Bert,")
    assert "Reference: BVH/2026/123456" in to_bert.body
    assert "/en/afmelden/gebiedsberichten/" in to_bert.body
    assert to_anna.body.startswith("Beste Anna,")


def test_a_municipality_message_says_it_comes_from_the_municipality(staff_client, world, run_tasks):
    send(staff_client, areas="1012")
    run_tasks()

    message = AreaMessage.objects.get()
    assert message.sender_type == SenderType.MUNICIPALITY
    assert recipients_of_mail() == emails(world["bert"], world["carla"])
    assert mail.outbox[0].subject.startswith("Gebiedsbericht van de gemeente: ")


def test_pressing_send_twice_sends_once(officer_client, world, run_tasks):
    preview = officer_client.post(NEW, form_data())
    token = preview_token(preview)

    officer_client.post(NEW, {"action": "send", "preview": token})
    again = officer_client.post(NEW, {"action": "send", "preview": token}, follow=True)
    run_tasks()

    assert AreaMessage.objects.count() == 1
    assert len(mail.outbox) == 4
    assert "Dit bericht is al verstuurd" in again.content.decode()


def test_a_preview_left_open_too_long_is_shown_again_with_a_new_validity(officer_client, world):
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        token = preview_token(officer_client.post(NEW, form_data()))

    response = officer_client.post(NEW, {"action": "send", "preview": token})

    assert response.status_code == 200
    assert not AreaMessage.objects.exists()
    assert "te lang open" in response.content.decode()
    send_now = officer_client.post(NEW, {"action": "send", "preview": preview_token(response)})
    assert send_now.status_code == 302
    message = AreaMessage.objects.get()
    assert message.valid_until > timezone.now() + timedelta(hours=23)


# Preview and form ----------------------------------------------------------------------------


def test_the_preview_shows_the_message_and_its_reach_in_counts_only(officer_client, world):
    AreaMessageOptOut.objects.create(user=world["carla"], sender_type=SenderType.POLICE)

    response = officer_client.post(
        NEW, form_data(subject="<i>Inbraken</i>", body="<b>Let op</b> & bel 112")
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Gebiedsbericht van de politie: &lt;i&gt;Inbraken&lt;/i&gt;" in text
    assert "<i>" not in text
    assert "Petra Havik, Wijkagent, Basisteam Centrum (politie)" in text
    assert "BVH/2026/123456" in text
    assert "Geldig tot:" in text
    assert "4 groepen" in text
    assert "3 beheerders krijgen het bericht" in text
    assert "1 beheerder heeft zich afgemeld voor berichten van de politie" in text
    assert "&lt;b&gt;Let op&lt;/b&gt; &amp; bel 112" in text  # text, never HTML
    for person in world.values():
        assert person.email not in text  # recipients stay hidden from the sender
    assert not AreaMessage.objects.exists()


def test_back_to_the_form_keeps_everything(officer_client, world):
    token = preview_token(officer_client.post(NEW, form_data(reference="PL1300-2026-42")))

    response = officer_client.post(NEW, {"action": "edit", "preview": token})

    text = response.content.decode()
    assert 'value="PL1300-2026-42"' in text
    assert "Drie woninginbraken in vijf dagen</textarea>" in text
    assert 'value="1011, 1012"' in text
    assert not AreaMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"reason": ""}, "Reden"),
        ({"reference": "  "}, "Kenmerk"),
        ({"validity": "720"}, "Geldig"),
        ({"body": "x" * 2001}, "Bericht"),
        ({"areas": ""}, "Vul minstens één postcodegebied in."),
        ({"areas": "1011AB"}, "dit klopt niet: 1011AB"),
        ({"areas": "1011, 1019"}, "Deze postcodegebieden kennen we niet: 1019"),
        ({"area_mode": "radius", "centre_postcode": "", "radius_km": "1"}, "Vul de postcode in"),
        ({"area_mode": "radius", "centre_postcode": "1011AB", "radius_km": ""}, "Kies een straal"),
        ({"area_mode": "radius", "centre_postcode": "1011AB", "radius_km": "10"}, "Straal"),
        ({"area_mode": "radius", "centre_postcode": "1011AB", "radius_km": "0.1"}, "Straal"),
    ],
)
def test_the_form_refuses_what_is_missing_or_wrong(officer_client, world, overrides, error):
    response = officer_client.post(NEW, form_data(**overrides))

    text = response.content.decode()
    assert 'class="error-summary"' in text
    assert error in text
    assert 'name="preview"' not in text


def test_the_form_works_without_javascript_and_says_how_many_are_left(officer_client, world):
    text = officer_client.get(NEW).content.decode()

    assert f"U kunt nu nog {MAX_PER_DAY} gebiedsberichten sturen" in text
    assert 'type="radio" name="area_mode"' in text
    assert "<script" not in text.split("<main", 1)[-1].split("</main>")[0]


# Rate limits ---------------------------------------------------------------------------------


def sent_earlier(sender, n: int, ago: timedelta) -> None:
    for i in range(n):
        message = AreaMessage.objects.create(
            sender=sender,
            sender_type=SenderType.POLICE,
            sender_name="Petra Havik",
            subject=f"Eerder {i}",
            body="...",
            reason="...",
            reference=f"R{i}",
            valid_until=timezone.now() + timedelta(hours=6),
        )
        AreaMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - ago)


def test_at_most_three_messages_a_day(officer_client, officer, world, run_tasks):
    sent_earlier(officer, MAX_PER_DAY, timedelta(hours=3))

    assert messages_left(officer) == 0
    response = officer_client.post(NEW, form_data())

    assert "maximum aantal gebiedsberichten" in response.content.decode()
    assert 'name="preview"' not in response.content.decode()
    assert AreaMessage.objects.count() == MAX_PER_DAY


def test_the_limit_holds_at_send_too(officer_client, officer, world, run_tasks):
    token = preview_token(officer_client.post(NEW, form_data()))
    sent_earlier(officer, MAX_PER_DAY, timedelta(hours=1))  # in another tab meanwhile

    response = officer_client.post(NEW, {"action": "send", "preview": token})
    run_tasks()

    assert "maximum aantal gebiedsberichten" in response.content.decode()
    assert AreaMessage.objects.count() == MAX_PER_DAY
    assert mail.outbox == []


def test_at_most_ten_messages_a_week(officer, world):
    sent_earlier(officer, MAX_PER_WEEK, timedelta(days=2))
    assert messages_left(officer) == 0

    AreaMessage.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert messages_left(officer) == MAX_PER_DAY


def test_the_limit_is_per_sender(officer, staff, world):
    sent_earlier(officer, MAX_PER_DAY, timedelta(hours=1))

    assert messages_left(staff) == MAX_PER_DAY


# Opting out ----------------------------------------------------------------------------------


def test_an_admin_who_opted_out_of_the_police_still_gets_the_municipalitys_messages(
    officer_client, staff_client, world, run_tasks
):
    AreaMessageOptOut.objects.create(user=world["bert"], sender_type=SenderType.POLICE)

    send(officer_client, areas="1012")
    run_tasks()
    assert recipients_of_mail() == emails(world["carla"])

    mail.outbox.clear()
    send(staff_client, areas="1012")
    run_tasks()
    assert recipients_of_mail() == emails(world["bert"], world["carla"])


def opt_out_path(message) -> str:
    link = re.search(r"https?://\S+/afmelden/gebiedsberichten/\S+/", message.body).group(0)
    return urlsplit(link).path


def test_the_link_in_the_mail_asks_first_then_opts_out_of_that_sender_type(
    officer_client, world, run_tasks
):
    send(officer_client, areas="1012")
    run_tasks()
    to_bert = next(m for m in mail.outbox if m.to == [world["bert"].email])
    path = opt_out_path(to_bert)
    visitor = Client()

    page = visitor.get(path)
    assert page.status_code == 200
    assert "Ja, meld mij af" in page.content.decode()
    assert not AreaMessageOptOut.objects.exists()  # a GET (or a link scanner) changes nothing

    response = visitor.post(path, {"choice": "unsubscribe"}, follow=True)

    assert "U bent afgemeld" in response.content.decode()
    assert list(AreaMessageOptOut.objects.values_list("user", "sender_type")) == [
        (world["bert"].pk, SenderType.POLICE)
    ]
    visitor.post(path, {"choice": "resubscribe"})
    assert not AreaMessageOptOut.objects.exists()


def test_one_click_opt_out_from_the_mail_program(world):
    client = Client(enforce_csrf_checks=True)  # mail providers post without a form
    token = area_message_opt_out_token(world["anna"], SenderType.MUNICIPALITY)
    url = reverse("groups:area_message_opt_out_one_click", args=[token])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert list(AreaMessageOptOut.objects.values_list("user", "sender_type")) == [
        (world["anna"].pk, SenderType.MUNICIPALITY)
    ]
    assert client.get(url).status_code == 302  # a GET shows the normal page


def test_the_opt_out_form_needs_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    token = area_message_opt_out_token(world["anna"], SenderType.POLICE)

    response = client.post(reverse("groups:area_message_opt_out", args=[token]))

    assert response.status_code == 403
    assert not AreaMessageOptOut.objects.exists()


def test_a_forged_opt_out_link_does_nothing(world):
    forged = area_message_opt_out_token(world["anna"], SenderType.POLICE)[:-3] + "abc"
    client = Client()

    assert client.get(reverse("groups:area_message_opt_out", args=[forged])).status_code == 404
    assert client.post(reverse("groups:area_message_opt_out", args=[forged])).status_code == 404
    one_click = reverse("groups:area_message_opt_out_one_click", args=[forged])
    assert client.post(one_click).status_code == 404
    assert not AreaMessageOptOut.objects.exists()


def test_a_logged_in_admin_chooses_per_sender_type(group_admin_client, group_admin):
    assert "Gebiedsberichten van politie en gemeente" in (
        group_admin_client.get("/beheer/").content.decode()
    )
    page = group_admin_client.get(SETTINGS).content.decode()
    assert page.count("checked") == 2

    group_admin_client.post(SETTINGS, {"receive": ["municipality"]})

    assert list(AreaMessageOptOut.objects.values_list("user", "sender_type")) == [
        (group_admin.pk, SenderType.POLICE)
    ]
    group_admin_client.post(SETTINGS, {"receive": ["police", "municipality"]})
    assert not AreaMessageOptOut.objects.exists()


# The sender's list and the board -------------------------------------------------------------


def test_the_sent_list_shows_the_senders_own_messages_only(
    officer_client, officer, staff_client, world, django_assert_max_num_queries
):
    send(officer_client, areas="1012")
    send(staff_client, subject="Wegwerkzaamheden", areas="1011")
    other = make_officer("ander@politie.nl", [Municipality.objects.get(name="Amsterdam")])
    sent_earlier(other, 1, timedelta(hours=1))

    with django_assert_max_num_queries(12):
        response = officer_client.get(SENT)

    text = response.content.decode()
    assert "Inbraken in de buurt" in text
    assert "Wegwerkzaamheden" not in text
    assert "Eerder 0" not in text
    assert "postcodegebieden 1012" in text
    assert '<td class="number">2</td>' in text  # groups
    for person in world.values():
        assert person.email not in text


def test_the_board_sees_every_message_with_who_where_and_why(
    board_client, officer_client, world, run_tasks
):
    send(officer_client, area_mode="radius", areas="", centre_postcode="1011AB", radius_km="1")
    run_tasks()
    message = AreaMessage.objects.get()

    changelist = board_client.get("/admin/groups/areamessage/?q=BVH")
    detail = board_client.get(f"/admin/groups/areamessage/{message.pk}/change/")

    assert changelist.status_code == 200
    assert "Petra Havik, Wijkagent, Basisteam Centrum" in changelist.content.decode()
    assert "Drie woninginbraken in vijf dagen" in changelist.content.decode()
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "1 km rond 1011 AB" in text
    assert "Buurtwacht Dam" in text
    assert world["bert"].email in text
    assert "verzonden" in text
    assert board_client.get("/admin/groups/areamessage/add/").status_code == 403
    assert board_client.get("/admin/groups/areamessageoptout/").status_code == 200

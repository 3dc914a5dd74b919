"""The board's broadcast to group admins: audience, preview, test mail, sending once, opt-out."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.broadcasts.delivery import audience, deliver_broadcast
from groups.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastOptOut,
    GroupStatus,
    Platform,
    SignRequest,
    SignRequestStatus,
)
from groups.tokens import unsubscribe_token
from postcodes.models import Municipality
from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.support import FlakyBackend, log_in
from wabp.models import OutboundEmail
from wabp.tasks import backoff

pytestmark = pytest.mark.django_db


# Personas and helpers -----------------------------------------------------------------------


@pytest.fixture
def flaky_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.FlakyBackend"}}
    FlakyBackend.down = False
    yield FlakyBackend
    FlakyBackend.down = False


@pytest.fixture
def admins(areas, group_admin, other_admin, group_a, group_b):
    """Admins across the country; only the first four run an active group.

    anna  -- group A, Amsterdam (Noord-Holland), WhatsApp
    bert  -- group B, Amsterdam, WhatsApp
    carla -- Utrecht (Utrecht), Signal
    dirk  -- three active groups: two in Assen (Drenthe; WhatsApp, Telegram), one in Utrecht
    eva   -- a pending and an inactive group only
    frank -- a suspended group only
    gijs  -- an active group, but his own account is switched off
    """
    people = {"anna": group_admin, "bert": other_admin}
    for name in ("carla", "dirk", "eva", "frank", "gijs"):
        people[name] = make_user(f"{name}@example.test", first_name=name.capitalize())
    people["gijs"].is_active = False
    people["gijs"].save()
    make_group("Waakzaam Wijk C", "3511", admins=[people["carla"]], platform=Platform.SIGNAL)
    make_group("Assen Noord", "9401", admins=[people["dirk"]])
    make_group("Assen Zuid", "9402", admins=[people["dirk"]], platform=Platform.TELEGRAM)
    make_group("Utrecht Oost", "3512", admins=[people["dirk"]])
    make_group("Nog niet bevestigd", "9403", admins=[people["eva"]], status=GroupStatus.PENDING)
    make_group("Gestopt", "9404", admins=[people["eva"]], status=GroupStatus.INACTIVE)
    make_group("Geschorst", "9405", admins=[people["frank"]], status=GroupStatus.SUSPENDED)
    make_group("Slapend account", "9406", admins=[people["gijs"]])
    return people


def new_broadcast(**fields) -> Broadcast:
    fields.setdefault("subject", "Nieuwe huisregels")
    fields.setdefault("body", "Beste beheerders, lees de **nieuwe** huisregels.")
    return Broadcast.objects.create(**fields)


def emails(users) -> set[str]:
    return {user.email for user in users}


def admin_url(name: str, broadcast: Broadcast) -> str:
    return reverse(f"admin:groups_broadcast_{name}", args=[broadcast.pk])


def send(client, broadcast: Broadcast):
    """Press send and then, on the confirmation page, "yes" (with the number it showed)."""
    response = client.post(admin_url("send", broadcast))
    shown = re.search(r'name="recipient_count" value="(\d+)"', response.content.decode())
    if response.status_code != 200 or shown is None:
        return response
    return client.post(
        admin_url("send", broadcast), {"confirmed": "yes", "recipient_count": shown.group(1)}
    )


def unsubscribe_link(message) -> str:
    return re.search(r"https?://\S+/afmelden/bestuursberichten/\S+/", message.body).group(0)


# Audience -----------------------------------------------------------------------------------


def test_audience_is_every_admin_of_an_active_group_once(admins):
    recipients = list(audience(new_broadcast()))

    assert emails(recipients) == emails(admins[n] for n in ("anna", "bert", "carla", "dirk"))
    assert len(recipients) == 4  # dirk runs three groups and is in it once


def test_audience_leaves_out_pending_inactive_and_suspended_groups_and_closed_accounts(admins):
    recipients = emails(audience(new_broadcast()))

    assert not recipients & emails(admins[n] for n in ("eva", "frank", "gijs"))


def test_audience_of_a_province(admins):
    recipients = audience(new_broadcast(province="Drenthe"))

    assert emails(recipients) == {admins["dirk"].email}


def test_audience_of_a_municipality(admins):
    amsterdam = Municipality.objects.get(name="Amsterdam")

    recipients = audience(new_broadcast(municipality=amsterdam))

    assert emails(recipients) == emails([admins["anna"], admins["bert"]])


def test_audience_of_a_platform(admins):
    assert emails(audience(new_broadcast(platform=Platform.SIGNAL))) == {admins["carla"].email}
    assert emails(audience(new_broadcast(platform=Platform.TELEGRAM))) == {admins["dirk"].email}


def test_audience_filters_combine(admins):
    utrecht = Municipality.objects.get(name="Utrecht")

    signal_in_utrecht = new_broadcast(municipality=utrecht, platform=Platform.SIGNAL)
    whatsapp_in_utrecht = new_broadcast(
        province="Utrecht", municipality=utrecht, platform=Platform.WHATSAPP
    )

    assert emails(audience(signal_in_utrecht)) == {admins["carla"].email}
    assert emails(audience(whatsapp_in_utrecht)) == {admins["dirk"].email}


# Writing and previewing ----------------------------------------------------------------------


def test_board_writes_a_broadcast_and_lands_on_its_preview(board_client, board, admins):
    response = board_client.post(
        reverse("admin:groups_broadcast_add"),
        {"subject": "Cursus voor beheerders", "body": "Doe mee!", "province": "Drenthe"},
    )

    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url("preview", broadcast)
    assert broadcast.created_by == board
    assert broadcast.province == "Drenthe"
    assert broadcast.sent_at is None


def test_a_municipality_outside_the_chosen_province_is_refused(board_client, admins):
    utrecht = Municipality.objects.get(name="Utrecht")

    response = board_client.post(
        reverse("admin:groups_broadcast_add"),
        {"subject": "Bericht", "body": "Tekst", "province": "Drenthe", "municipality": utrecht.pk},
    )

    assert response.status_code == 200
    assert "ligt niet in Drenthe" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_preview_shows_recipient_count_and_sanitised_markdown(
    board_client, admins, django_assert_max_num_queries
):
    broadcast = new_broadcast(
        body="Lees de **nieuwe regels**.\n\n<script>alert('x')</script>\n\n"
        "[Klik](javascript:alert(1)) of [de site](https://wabp.nl/)."
    )

    with django_assert_max_num_queries(12):
        response = board_client.get(admin_url("preview", broadcast))

    html = response.content.decode()
    assert response.status_code == 200
    assert "4 beheerders" in html
    assert "<strong>nieuwe regels</strong>" in html
    assert '<a href="https://wabp.nl/" rel="noopener noreferrer">de site</a>' in html
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "Afmelden voor berichten van het bestuur" in html  # as the recipient will see it
    assert f'<a href="{settings.SITE_URL}">' in html  # the mail's links, not the admin's


def test_preview_counts_opted_out_admins_out_of_a_non_essential_message(board_client, admins):
    BroadcastOptOut.objects.create(user=admins["bert"])

    html = board_client.get(admin_url("preview", new_broadcast())).content.decode()

    assert "3 beheerders" in html
    assert "1 beheerder heeft zich afgemeld" in html


# Test mail ----------------------------------------------------------------------------------


def test_test_send_goes_only_to_the_board_member(board_client, board, admins, run_tasks):
    broadcast = new_broadcast()

    response = board_client.post(admin_url("test_send", broadcast))
    run_tasks()

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[board.email]]
    assert mail.outbox[0].subject == "[Testbericht] Nieuwe huisregels"
    assert "Dit is een testbericht" in mail.outbox[0].body
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None
    assert not BroadcastDelivery.objects.exists()


# Sending ------------------------------------------------------------------------------------


def test_send_mails_every_recipient_once_with_text_and_html(board_client, admins, run_tasks):
    broadcast = new_broadcast()

    send(board_client, broadcast)
    run_tasks()

    broadcast.refresh_from_db()
    assert broadcast.sent_at is not None
    expected = emails(admins[n] for n in ("anna", "bert", "carla", "dirk"))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert BroadcastDelivery.objects.filter(broadcast=broadcast).count() == 4
    assert not BroadcastDelivery.objects.filter(email__sent_at__isnull=True).exists()
    to_dirk = next(m for m in mail.outbox if m.to == [admins["dirk"].email])
    assert to_dirk.subject == "Nieuwe huisregels"
    assert to_dirk.body.startswith("Beste Dirk,")
    html, mimetype = to_dirk.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>nieuwe</strong>" in html
    assert to_dirk.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/afmelden/bestuursberichten/" in to_dirk.extra_headers["List-Unsubscribe"]


def test_send_asks_first_with_the_number_of_recipients_and_a_way_back(
    board_client, admins, run_tasks
):
    broadcast = new_broadcast()

    response = board_client.post(admin_url("send", broadcast))
    run_tasks()

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ja, verstuur naar 4 beheerders" in page
    assert admin_url("preview", broadcast) in page  # "Nee, terug"
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None
    assert mail.outbox == []


def test_send_asks_again_when_the_audience_changed_after_confirming(
    board_client, admins, run_tasks
):
    broadcast = new_broadcast()

    response = board_client.post(
        admin_url("send", broadcast), {"confirmed": "yes", "recipient_count": "3"}
    )
    run_tasks()

    assert "Het aantal ontvangers is veranderd" in response.content.decode()
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None
    assert mail.outbox == []


def test_sending_twice_creates_no_duplicate_deliveries(board_client, admins, run_tasks):
    broadcast = new_broadcast()

    send(board_client, broadcast)
    send(board_client, broadcast)  # pressed twice
    run_tasks()
    deliver_broadcast(broadcast.pk)  # and a retry of the fan-out task
    run_tasks()

    assert BroadcastDelivery.objects.filter(broadcast=broadcast).count() == 4
    assert OutboundEmail.objects.filter(kind="broadcast").count() == 4
    assert len(mail.outbox) == 4


def test_a_rerun_adds_only_admins_who_joined_since(admins, run_tasks):
    broadcast = new_broadcast()
    broadcast.claim_for_sending()
    assert deliver_broadcast(broadcast.pk) == 4

    newcomer = make_user("nieuw@example.test")
    make_group("Nieuwe groep", "1013", admins=[newcomer])

    assert deliver_broadcast(broadcast.pk) == 1
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox).count(newcomer.email) == 1
    assert len(mail.outbox) == 5


def test_an_unclaimed_broadcast_is_not_delivered(admins):
    broadcast = new_broadcast()

    assert deliver_broadcast(broadcast.pk) == 0
    assert not OutboundEmail.objects.exists()


def test_broadcast_delivers_once_per_recipient_with_the_mail_server_flaky(
    board_client, admins, flaky_mail, run_tasks
):
    broadcast = new_broadcast()
    flaky_mail.down = True

    send(board_client, broadcast)
    run_tasks()

    assert mail.outbox == []
    deliveries = BroadcastDelivery.objects.filter(broadcast=broadcast).select_related("email")
    assert [d.email.attempts for d in deliveries] == [1, 1, 1, 1]

    # Still down at the first retry.
    with time_machine.travel(timezone.now() + backoff(1) + timedelta(seconds=5)):
        run_tasks()
    assert mail.outbox == []

    flaky_mail.down = False
    with time_machine.travel(timezone.now() + backoff(1) + backoff(2) + timedelta(seconds=10)):
        run_tasks()
        run_tasks()

    expected = emails(admins[n] for n in ("anna", "bert", "carla", "dirk"))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert not OutboundEmail.objects.pending().exists()
    assert BroadcastDelivery.objects.filter(broadcast=broadcast).count() == 4


def test_delivery_list_shows_status_per_recipient(
    board_client, admins, flaky_mail, run_tasks, django_assert_max_num_queries
):
    broadcast = new_broadcast()
    flaky_mail.down = True
    send(board_client, broadcast)
    run_tasks()
    url = reverse("admin:groups_broadcastdelivery_changelist")

    with django_assert_max_num_queries(12):
        response = board_client.get(url, {"broadcast__id__exact": broadcast.pk})

    html = response.content.decode()
    assert html.count("mislukt, wacht op nieuwe poging") >= 4
    assert admins["dirk"].email in html
    assert "SMTPConnectError" in html

    preview = board_client.get(admin_url("preview", broadcast)).content.decode()
    assert "Bekijk de status per ontvanger" in preview


def test_opted_out_admin_misses_a_non_essential_message(board_client, admins, run_tasks):
    BroadcastOptOut.objects.create(user=admins["bert"])

    send(board_client, new_broadcast())
    run_tasks()

    assert admins["bert"].email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 3


def test_essential_message_reaches_opted_out_admins_without_unsubscribe_link(
    board_client, admins, run_tasks
):
    BroadcastOptOut.objects.create(user=admins["bert"])

    send(board_client, new_broadcast(essential=True))
    run_tasks()

    to_bert = [m for m in mail.outbox if m.to == [admins["bert"].email]]
    assert len(mail.outbox) == 4
    assert len(to_bert) == 1
    assert "/afmelden/" not in to_bert[0].body
    assert "/afmelden/" not in to_bert[0].alternatives[0][0]
    assert "List-Unsubscribe" not in to_bert[0].extra_headers
    assert "kunt u zich niet afmelden" in to_bert[0].body


def test_send_without_recipients_sends_nothing(board_client, admins, run_tasks):
    broadcast = new_broadcast(platform=Platform.OTHER)

    send(board_client, broadcast)
    run_tasks()

    broadcast.refresh_from_db()
    assert broadcast.sent_at is None
    assert mail.outbox == []


def test_broadcast_list_shows_audience_and_delivery_figures(
    board_client, admins, run_tasks, django_assert_max_num_queries
):
    sent = new_broadcast(subject="Verstuurd bericht", province="Drenthe")
    send(board_client, sent)
    run_tasks()
    new_broadcast(subject="Concept", platform=Platform.SIGNAL)

    with django_assert_max_num_queries(10):
        html = board_client.get(reverse("admin:groups_broadcast_changelist")).content.decode()

    assert "Beheerders van actieve groepen in provincie Drenthe" in html
    assert "Beheerders van actieve groepen op Signal" in html
    assert "1 van 1" in html
    change = board_client.get(reverse("admin:groups_broadcast_change", args=[sent.pk]))
    assert "Bericht en afleverstatus" in change.content.decode()


def test_a_sent_broadcast_can_no_longer_be_changed(board_client, admins):
    broadcast = new_broadcast()
    broadcast.claim_for_sending()

    board_client.post(
        reverse("admin:groups_broadcast_change", args=[broadcast.pk]),
        {"subject": "Iets anders", "body": "Andere tekst"},
    )

    broadcast.refresh_from_db()
    assert broadcast.subject == "Nieuwe huisregels"


# Unsubscribe --------------------------------------------------------------------------------


def test_unsubscribe_link_from_the_mail_asks_first_then_opts_out(
    board_client, admins, run_tasks, anonymous
):
    send(board_client, new_broadcast())
    run_tasks()
    to_anna = next(m for m in mail.outbox if m.to == [admins["anna"].email])
    path = urlsplit(unsubscribe_link(to_anna)).path

    page = anonymous.get(path)

    assert page.status_code == 200
    assert "Ja, meld mij af" in page.content.decode()
    assert not BroadcastOptOut.objects.exists()  # a GET (or a link scanner) changes nothing

    response = anonymous.post(path, {"choice": "unsubscribe"}, follow=True)

    assert BroadcastOptOut.objects.filter(user=admins["anna"]).exists()
    assert "U bent afgemeld" in response.content.decode()


def test_unsubscribe_form_needs_its_csrf_token(admins):
    client = Client(enforce_csrf_checks=True)
    url = reverse("groups:broadcast_unsubscribe", args=[unsubscribe_token(admins["anna"])])

    response = client.post(url, {"choice": "unsubscribe"})

    assert response.status_code == 403
    assert not BroadcastOptOut.objects.exists()


def test_unsubscribed_admin_can_turn_messages_back_on(anonymous, admins):
    BroadcastOptOut.objects.create(user=admins["anna"])
    url = reverse("groups:broadcast_unsubscribe", args=[unsubscribe_token(admins["anna"])])

    assert "weer aan" in anonymous.get(url).content.decode()
    anonymous.post(url, {"choice": "resubscribe"})

    assert not BroadcastOptOut.objects.exists()


def test_one_click_unsubscribe_from_the_mail_program(admins):
    client = Client(enforce_csrf_checks=True)  # mail providers post without a form
    url = reverse(
        "groups:broadcast_unsubscribe_one_click", args=[unsubscribe_token(admins["bert"])]
    )

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert BroadcastOptOut.objects.filter(user=admins["bert"]).count() == 1
    assert client.get(url).status_code == 302  # a GET shows the normal page, changes nothing


def test_a_forged_unsubscribe_token_does_nothing(anonymous, admins):
    forged = unsubscribe_token(admins["anna"])[:-3] + "abc"
    url = reverse("groups:broadcast_unsubscribe", args=[forged])

    assert anonymous.get(url).status_code == 404
    assert anonymous.post(url, {"choice": "unsubscribe"}).status_code == 404
    one_click = reverse("groups:broadcast_unsubscribe_one_click", args=[forged])
    assert anonymous.post(one_click).status_code == 404
    assert not BroadcastOptOut.objects.exists()


# Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["preview", "test_send", "send"])
def test_group_admins_and_visitors_are_sent_to_the_admin_login(
    view, admins, group_admin_client, anonymous, run_tasks
):
    broadcast = new_broadcast()
    url = admin_url(view, broadcast)

    for client in (anonymous, group_admin_client):
        response = client.post(url) if view != "preview" else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))

    run_tasks()
    assert mail.outbox == []
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None


@pytest.mark.parametrize("view", ["preview", "test_send", "send"])
def test_staff_without_broadcast_permissions_get_403(view, admins, run_tasks):
    staff = make_user("medewerker@wabp.test", is_staff=True)
    client = Client()
    log_in(client, staff)
    broadcast = new_broadcast()
    url = admin_url(view, broadcast)

    response = client.post(url) if view != "preview" else client.get(url)

    assert response.status_code == 403
    run_tasks()
    assert mail.outbox == []


def test_editing_a_broadcast_does_not_allow_sending_it(admins, run_tasks):
    editor = make_user("redacteur@wabp.test", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="groups",
            codename__in=["view_broadcast", "change_broadcast"],
        )
    )
    client = Client()
    log_in(client, editor)
    broadcast = new_broadcast()

    preview = client.get(admin_url("preview", broadcast)).content.decode()
    client.post(admin_url("test_send", broadcast))
    denied = client.post(admin_url("send", broadcast))
    run_tasks()

    assert "Versturen…" not in preview
    assert denied.status_code == 403
    assert [m.to for m in mail.outbox] == [[editor.email]]  # the test mail only
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None


def test_send_and_test_send_accept_post_only(board_client, admins, run_tasks):
    broadcast = new_broadcast()

    assert board_client.get(admin_url("send", broadcast)).status_code == 405
    assert board_client.get(admin_url("test_send", broadcast)).status_code == 405
    run_tasks()
    assert mail.outbox == []


def test_admin_actions_need_the_csrf_token(board, admins):
    client = Client(enforce_csrf_checks=True)
    log_in(client, board)
    broadcast = new_broadcast()

    assert client.post(admin_url("send", broadcast)).status_code == 403
    broadcast.refresh_from_db()
    assert broadcast.sent_at is None


# Sign requests in the admin -----------------------------------------------------------------


@pytest.fixture
def sign_requests(admins, group_a):
    from groups.models import Group

    utrecht_group = Group.objects.get(name="Waakzaam Wijk C")
    return [
        SignRequest.objects.create(
            group=group_a,
            municipality=group_a.municipality,
            requested_by=admins["anna"],
            street="Nieuwmarkt bij de Waag",
            reason="Veel inbraken in fietsen.",
        ),
        SignRequest.objects.create(
            group=utrecht_group,
            municipality=utrecht_group.municipality,
            requested_by=admins["carla"],
            street="Oudegracht 12",
            reason="Ingang van de wijk.",
            status=SignRequestStatus.APPROVED,
        ),
    ]


def test_board_sees_sign_requests_of_every_municipality(
    board_client, sign_requests, django_assert_max_num_queries
):
    url = reverse("admin:groups_signrequest_changelist")

    with django_assert_max_num_queries(12):
        html = board_client.get(url).content.decode()

    assert "Nieuwmarkt bij de Waag" in html
    assert "Oudegracht 12" in html


def test_board_filters_sign_requests_and_searches_by_group_name(board_client, sign_requests):
    url = reverse("admin:groups_signrequest_changelist")
    utrecht = sign_requests[1].municipality

    approved = board_client.get(url, {"status__exact": "approved"}).content.decode()
    in_utrecht = board_client.get(url, {"municipality__id__exact": utrecht.pk}).content.decode()
    found = board_client.get(url, {"q": "Nieuwmarkt"}).content.decode()

    assert "Oudegracht 12" in approved and "Nieuwmarkt bij de Waag" not in approved
    assert "Oudegracht 12" in in_utrecht and "Nieuwmarkt bij de Waag" not in in_utrecht
    assert "Nieuwmarkt bij de Waag" in found and "Oudegracht 12" not in found


def test_board_updates_a_sign_request(board_client, sign_requests):
    sign = sign_requests[0]

    board_client.post(
        reverse("admin:groups_signrequest_change", args=[sign.pk]),
        {
            "group": sign.group_id,
            "municipality": sign.municipality_id,
            "requested_by": sign.requested_by_id,
            "street": sign.street,
            "reason": sign.reason,
            "status": SignRequestStatus.PLACED,
            "note": "Geplaatst op 3 maart.",
        },
    )

    sign.refresh_from_db()
    assert sign.status == SignRequestStatus.PLACED
    assert sign.note == "Geplaatst op 3 maart."


def test_group_admins_cannot_open_sign_requests_in_the_admin(group_admin_client, sign_requests):
    response = group_admin_client.get(reverse("admin:groups_signrequest_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

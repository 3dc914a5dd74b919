"""Police access: an officer requests access for an area with a work address on the police's
own mail domain, verifies it, the board decides (and may change the area first); ending the
access takes the area away at once; requests and the access log follow their retention."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from groups import audit
from groups.models import PoliceAccessLog, PoliceRequest, StaffRequestStatus, police_area
from groups.personal_data import POLICE_ACCESS_LOG_KEEP, POLICE_REQUEST_KEEP
from groups.policeaccess.views import REQUEST_POSTS_PER_IP, VERIFICATIONS_PER_ADDRESS_PER_DAY
from groups.tokens import police_request_token
from postcodes.models import Municipality
from tests.conftest import PASSWORD, make_user
from tests.support import log_in
from wabp import registry
from wabp.models import OutboundEmail, User

FORM = reverse("groups:police_request")
EMAIL = "p.agent@politie.nl"


@pytest.fixture
def amsterdam(areas):
    return areas["1011"].municipality


@pytest.fixture
def utrecht(areas):
    return areas["3511"].municipality


def form_data(*municipalities, **overrides) -> dict:
    return {
        "first_name": "Pieter",
        "last_name": "Agent",
        "email": EMAIL,
        "team": "Basisteam Amsterdam-Centrum",
        "job_title": "Wijkagent",
        "municipalities": [m.slug for m in municipalities],
        **overrides,
    }


def verify_link(mail: OutboundEmail) -> str:
    return urlsplit(re.search(r"https?://\S+/politie/toegang-bevestigen/\S+/", mail.body)[0]).path


def unverified_request(*municipalities, email=EMAIL, **fields) -> PoliceRequest:
    police_request = PoliceRequest.objects.create(
        email=email,
        first_name=fields.pop("first_name", "Pieter"),
        last_name="Agent",
        team="Basisteam Oost",
        job_title="Wijkagent",
        **fields,
    )
    police_request.municipalities.set(municipalities)
    return police_request


def pending_request(*municipalities, email=EMAIL, **fields) -> PoliceRequest:
    police_request = unverified_request(*municipalities, email=email, **fields)
    police_request.verify()
    return police_request


def approved_officer(board, *municipalities, email=EMAIL) -> tuple[PoliceRequest, User]:
    police_request = pending_request(*municipalities, email=email)
    assert police_request.approve(by=board)
    return police_request, User.objects.get(email=email)


def board_client(board) -> Client:
    client = Client()
    log_in(client, board)
    return client


# The form ---------------------------------------------------------------------------------


def test_the_form_lists_the_municipalities_by_province(client, amsterdam, utrecht):
    response = client.get(FORM)

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text
    assert 'type="checkbox"' in response.text and f'value="{amsterdam.slug}"' in response.text
    provinces = [p for p, _, _ in response.context["form"].municipalities_by_province()]
    assert provinces == sorted(set(Municipality.objects.values_list("province", flat=True)))
    assert {amsterdam.province, utrecht.province} <= set(provinces)
    assert "…@politie.nl" in response.text  # the help text names the allowed domain


def test_a_request_with_a_police_address_mails_a_verification_link(client, amsterdam, utrecht):
    response = client.post(FORM, form_data(amsterdam, utrecht))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:police_request_sent")
    police_request = PoliceRequest.objects.get()
    assert police_request.status == StaffRequestStatus.UNVERIFIED
    assert police_request.email == EMAIL
    assert set(police_request.municipalities.all()) == {amsterdam, utrecht}
    mail = OutboundEmail.objects.get(kind="police_request_verify")
    assert mail.to == EMAIL
    assert amsterdam.name in mail.body and utrecht.name in mail.body
    assert verify_link(mail).startswith("/politie/toegang-bevestigen/")


@pytest.mark.parametrize(
    "email",
    [
        "pieter@gmail.com",
        "pieter@xpolitie.nl",
        "pieter@politie.nl.evil.com",
        "pieter@sub.politie.nl",  # only the domain itself
        "pieter@politie.nl@evil.com",
        "pieter@amsterdam.nl",
    ],
)
def test_an_address_off_the_police_domains_is_refused(client, amsterdam, email):
    response = client.post(FORM, form_data(amsterdam, email=email))

    assert response.status_code == 400
    assert not PoliceRequest.objects.exists()
    assert not OutboundEmail.objects.exists()
    if "@" in email.partition("@")[2]:
        return  # not an e-mail address at all: the field's own message
    assert "Dit is geen e-mailadres van de politie" in response.text
    assert "…@politie.nl" in response.text


def test_the_refusal_is_in_english_on_the_english_form(client, amsterdam):
    response = client.post("/en" + FORM, form_data(amsterdam, email="pieter@xpolitie.nl"))
    assert response.status_code == 400
    assert "not a police e-mail address" in response.text


def test_the_domains_are_configurable_and_case_is_ignored(client, amsterdam, settings):
    settings.POLICE_MAIL_DOMAINS = ["politie.nl", "Kmar.NL"]
    client.post(FORM, form_data(amsterdam, email="P.Agent@KMAR.nl"))
    assert PoliceRequest.objects.get().email == "p.agent@kmar.nl"

    response = client.post(FORM, form_data(amsterdam, email="a@politie.example"))
    assert "…@politie.nl, …@kmar.nl" in response.text


def test_the_area_needs_a_municipality(client, amsterdam):
    response = client.post(FORM, form_data())

    assert response.status_code == 400
    assert "Kies ten minste één gemeente." in response.text
    assert not PoliceRequest.objects.exists()


def test_asking_again_updates_the_open_request_and_its_area(client, amsterdam, utrecht):
    client.post(FORM, form_data(amsterdam))
    client.post(FORM, form_data(utrecht, job_title="Teamchef"))

    police_request = PoliceRequest.objects.get()
    assert police_request.job_title == "Teamchef"
    assert list(police_request.municipalities.all()) == [utrecht]
    assert OutboundEmail.objects.filter(kind="police_request_verify").count() == 2


def test_asking_again_while_the_board_decides_gives_the_same_answer_and_sends_nothing(
    client, amsterdam
):
    pending_request(amsterdam)
    response = client.post(FORM, form_data(amsterdam, email=EMAIL.upper()))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:police_request_sent")
    assert PoliceRequest.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_an_approved_officer_may_ask_for_another_area(client, board, amsterdam, utrecht):
    approved_officer(board, amsterdam)
    client.post(FORM, form_data(utrecht))
    assert PoliceRequest.objects.filter(status=StaffRequestStatus.UNVERIFIED).count() == 1


def test_verification_mails_per_address_are_limited_silently(client, amsterdam):
    for _ in range(VERIFICATIONS_PER_ADDRESS_PER_DAY + 2):
        response = client.post(FORM, form_data(amsterdam))
        assert response.status_code == 302
    assert OutboundEmail.objects.count() == VERIFICATIONS_PER_ADDRESS_PER_DAY


def test_form_posts_are_rate_limited_per_ip(client, amsterdam):
    for n in range(REQUEST_POSTS_PER_IP):
        client.post(FORM, form_data(amsterdam, email=f"agent{n}@politie.nl"))
    response = client.post(FORM, form_data(amsterdam, email="nog.een@politie.nl"))

    assert response.status_code == 429
    assert PoliceRequest.objects.count() == REQUEST_POSTS_PER_IP


def test_the_form_needs_its_csrf_token(amsterdam):
    client = Client(enforce_csrf_checks=True)
    response = client.post(FORM, form_data(amsterdam))
    assert response.status_code == 403
    assert not PoliceRequest.objects.exists()


def test_the_form_in_english_mails_in_english(client, amsterdam):
    client.post("/en" + FORM, form_data(amsterdam))

    assert PoliceRequest.objects.get().language == "en"
    assert "Confirm" in OutboundEmail.objects.get().subject


# Verifying the address ----------------------------------------------------------------------


def test_the_link_shows_a_button_and_only_the_post_verifies(client, amsterdam):
    client.post(FORM, form_data(amsterdam))
    link = verify_link(OutboundEmail.objects.get())

    response = client.get(link)
    assert response.status_code == 200
    assert 'method="post"' in response.text
    assert PoliceRequest.objects.get().status == StaffRequestStatus.UNVERIFIED

    response = client.post(link)
    assert response.status_code == 200
    assert "ligt nu bij het bestuur" in response.text
    police_request = PoliceRequest.objects.get()
    assert police_request.status == StaffRequestStatus.PENDING
    assert police_request.verified_at is not None


def test_a_forged_or_expired_link_is_not_found(client, amsterdam):
    forged = reverse("groups:police_request_verify", args=["vervalst"])
    assert client.get(forged).status_code == 404
    token = police_request_token(unverified_request(amsterdam))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(reverse("groups:police_request_verify", args=[token]))
    assert response.status_code == 404
    assert PoliceRequest.objects.get().status == StaffRequestStatus.UNVERIFIED


def test_a_staff_request_link_does_not_verify_a_police_request(client, amsterdam):
    from groups.tokens import staff_request_token

    police_request = unverified_request(amsterdam)
    token = staff_request_token(police_request)  # the same pk, signed for another purpose
    response = client.post(reverse("groups:police_request_verify", args=[token]))
    assert response.status_code == 404


# The board decides ----------------------------------------------------------------------------


def test_approving_makes_a_police_account_and_mails_a_password_link(client, board, amsterdam):
    police_request = pending_request(amsterdam)

    assert police_request.approve(by=board)

    user = User.objects.get(email=EMAIL)
    assert user.is_police and user.is_active and user.is_police_officer
    assert user.needs_second_factor
    assert not user.has_usable_password()
    assert list(police_area(user)) == [amsterdam]
    police_request.refresh_from_db()
    assert (police_request.status, police_request.user, police_request.decided_by) == (
        StaffRequestStatus.APPROVED,
        user,
        board,
    )
    mail = OutboundEmail.objects.get(kind="police_request_approved")
    assert mail.to == EMAIL
    assert "authenticator-app is verplicht" in mail.body
    link = re.search(r"https?://\S+/account/\S+", mail.body)[0]
    response = client.get(urlsplit(link).path, follow=True)
    assert "new_password1" in response.text  # the link lets them choose a password


def test_approving_an_existing_account_keeps_its_password(board, amsterdam):
    user = make_user(EMAIL)
    pending_request(amsterdam).approve(by=board)

    user.refresh_from_db()
    assert user.is_police and user.check_password(PASSWORD)
    mail = OutboundEmail.objects.get(kind="police_request_approved")
    assert "/account/inloggen/" in mail.body
    assert "Kies eerst een wachtwoord" not in mail.body


def test_approving_takes_a_never_activated_account_from_whoever_signed_up(board, amsterdam):
    squatter = make_user(EMAIL, is_active=False)
    pending_request(amsterdam).approve(by=board)

    squatter.refresh_from_db()
    assert squatter.is_active and squatter.is_police
    assert not squatter.check_password(PASSWORD)
    assert "Kies eerst een wachtwoord" in OutboundEmail.objects.get().body


def test_an_account_the_board_deactivated_is_not_revived(board, amsterdam):
    user = make_user(EMAIL)
    user.is_active = False
    user.save()
    police_request = pending_request(amsterdam)

    assert not police_request.approve(by=board)
    police_request.refresh_from_db()
    assert police_request.status == StaffRequestStatus.PENDING
    user.refresh_from_db()
    assert not user.is_active and not user.is_police
    assert not OutboundEmail.objects.exists()


def test_an_unverified_request_or_one_without_an_area_is_not_approved(board, amsterdam):
    assert not unverified_request(amsterdam).approve(by=board)
    without_area = pending_request(email="b@politie.nl")
    assert not without_area.approve(by=board)
    assert not User.objects.filter(email__in=[EMAIL, "b@politie.nl"]).exists()
    assert PoliceRequest.objects.get(pk=without_area.pk).status == StaffRequestStatus.PENDING


def test_declining_mails_the_officer_in_their_language_and_makes_no_account(board, amsterdam):
    police_request = pending_request(amsterdam, language="en")

    assert police_request.decline(by=board)
    assert not police_request.approve(by=board)  # decided once

    assert PoliceRequest.objects.get().status == StaffRequestStatus.DECLINED
    assert not User.objects.filter(email=EMAIL).exists()
    mail = OutboundEmail.objects.get(kind="police_request_declined")
    assert mail.to == EMAIL
    assert "not approved" in mail.body


def test_every_decision_is_in_the_audit_trail_without_the_officers_name(board, amsterdam):
    police_request, _ = approved_officer(board, amsterdam)
    police_request.end(by=board)
    pending_request(amsterdam, email="c@politie.nl").decline(by=board)

    entries = list(audit.by_actor(board).order_by("timestamp"))
    events = [entry.additional_data["event"] for entry in entries]
    assert events == ["police_request_approved", "police_request_ended", "police_request_declined"]
    for entry in entries:
        assert "Pieter" not in entry.object_repr and "Agent" not in entry.object_repr
        assert amsterdam.name in entry.object_repr
    assert "Politietoegang beëindigd" in audit.describe_entry(entries[1])


# Several areas, and ending the access ---------------------------------------------------------


def test_an_officer_may_hold_several_areas(board, amsterdam, utrecht):
    _, user = approved_officer(board, amsterdam)
    pending_request(utrecht).approve(by=board)

    user.refresh_from_db()
    assert set(police_area(user)) == {amsterdam, utrecht}
    assert OutboundEmail.objects.filter(kind="police_request_approved").count() == 2


def test_ending_one_area_keeps_the_other(board, amsterdam, utrecht):
    first, user = approved_officer(board, amsterdam)
    pending_request(utrecht).approve(by=board)

    assert first.end(by=board)

    user = User.objects.get(pk=user.pk)
    assert user.is_police
    assert list(police_area(user)) == [utrecht]


def test_ending_the_last_area_takes_the_access_away_at_once(board, amsterdam):
    police_request, user = approved_officer(board, amsterdam)
    session_user = User.objects.get(pk=user.pk)  # as the logged-in session read it

    assert police_request.end(by=board)
    assert not police_request.end(by=board)  # once

    # The next request reads the user again: no longer police, no area.
    user = User.objects.get(pk=user.pk)
    assert not user.is_police and not user.is_police_officer
    assert not police_area(user).exists()
    # Even a stale user object has no area left: the area is read from the requests.
    assert not police_area(session_user).exists()
    mail = OutboundEmail.objects.get(kind="police_access_ended")
    assert mail.to == EMAIL and amsterdam.name in mail.body


def test_a_deactivated_officer_has_no_area(board, amsterdam):
    _, user = approved_officer(board, amsterdam)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not police_area(User.objects.get(pk=user.pk)).exists()


def test_an_officer_who_changes_the_accounts_address_loses_the_area_until_approved_again(
    client, board, amsterdam
):
    """The access was approved for a verified work address on a police domain: moving the
    account to another address (a private one, say) must not carry the access along."""
    _, user = approved_officer(board, amsterdam)
    user.email = "pieter.prive@example.test"
    user.save(update_fields=["email"])

    assert not police_area(User.objects.get(pk=user.pk)).exists()


# The board's admin -----------------------------------------------------------------------------


def test_the_admin_list_shows_requests_with_filters(board, amsterdam, utrecht):
    approved_officer(board, amsterdam)
    for n in range(3):
        pending_request(utrecht, email=f"u{n}@politie.nl")
    client = board_client(board)
    url = reverse("admin:groups_policerequest_changelist")

    response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("politie.nl</td>") == 4
    response = client.get(
        url, {"status__exact": "pending", "municipalities__id__exact": utrecht.pk}
    )
    assert response.text.count("politie.nl</td>") == 3
    response = client.get(url, {"q": "u1@politie"})
    assert response.text.count("politie.nl</td>") == 1


def test_the_admin_list_query_count_does_not_grow_with_the_requests(
    board, amsterdam, utrecht, django_assert_max_num_queries
):
    client = board_client(board)
    url = reverse("admin:groups_policerequest_changelist")
    for n in range(6):
        approved_officer(board, amsterdam, utrecht, email=f"a{n}@politie.nl")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.text.count("politie.nl</td>") == 6


def test_the_admin_list_action_approves_in_one_go(board, amsterdam, utrecht):
    first = pending_request(amsterdam)
    second = pending_request(utrecht, email="u@politie.nl")
    response = board_client(board).post(
        reverse("admin:groups_policerequest_changelist"),
        {"action": "approve", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert User.objects.get(email="u@politie.nl").is_police
    assert User.objects.get(email=EMAIL).is_police
    assert OutboundEmail.objects.filter(kind="police_request_approved").count() == 2


def test_the_board_changes_the_area_and_approves_with_one_button(board, amsterdam, utrecht):
    client = board_client(board)
    police_request = pending_request(amsterdam)
    url = reverse("admin:groups_policerequest_change", args=[police_request.pk])
    page = client.get(url)
    assert 'name="_approve"' in page.text and 'name="_decline"' in page.text
    assert 'name="municipalities"' in page.text  # the area can change
    assert 'name="email"' not in page.text  # the rest cannot

    response = client.post(
        url,
        {"municipalities": [utrecht.pk], "email": "boef@example.test", "_approve": "Goedkeuren"},
    )

    assert response.status_code == 302
    police_request = PoliceRequest.objects.get(pk=police_request.pk)
    assert police_request.status == StaffRequestStatus.APPROVED
    assert police_request.email == EMAIL
    assert list(police_request.municipalities.all()) == [utrecht]
    assert list(police_area(police_request.user)) == [utrecht]


def test_the_area_of_a_decided_request_cannot_change(board, amsterdam, utrecht):
    client = board_client(board)
    police_request, _ = approved_officer(board, amsterdam)
    url = reverse("admin:groups_policerequest_change", args=[police_request.pk])
    page = client.get(url)
    assert 'name="municipalities"' not in page.text and 'name="_end"' in page.text

    client.post(url, {"municipalities": [utrecht.pk], "_continue": "Opslaan"})
    assert list(PoliceRequest.objects.get(pk=police_request.pk).municipalities.all()) == [amsterdam]


def test_approval_without_an_area_is_refused_on_the_page(board, amsterdam):
    client = board_client(board)
    police_request = pending_request(amsterdam)
    url = reverse("admin:groups_policerequest_change", args=[police_request.pk])

    response = client.post(url, {"municipalities": [], "_approve": "Goedkeuren"})

    assert response.status_code == 200  # the form with its error
    assert PoliceRequest.objects.get(pk=police_request.pk).status == StaffRequestStatus.PENDING
    assert list(PoliceRequest.objects.get(pk=police_request.pk).municipalities.all()) == [amsterdam]


def test_the_end_button_ends_the_access(board, amsterdam):
    police_request, user = approved_officer(board, amsterdam)
    url = reverse("admin:groups_policerequest_change", args=[police_request.pk])
    board_client(board).post(url, {"_end": "Toegang beëindigen"})

    assert PoliceRequest.objects.get(pk=police_request.pk).status == StaffRequestStatus.ENDED
    assert not User.objects.get(pk=user.pk).is_police


def test_the_request_page_shows_last_login_and_second_factor(board, amsterdam):
    police_request, user = approved_officer(board, amsterdam)
    client = board_client(board)
    url = reverse("admin:groups_policerequest_change", args=[police_request.pk])
    assert 'alt="False"' in client.get(url).text

    TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    page = client.get(url).text
    assert "Laatst ingelogd" in page or "laatst ingelogd" in page.lower()
    assert 'alt="True"' in page


def test_only_the_board_opens_the_requests_in_the_admin(board, amsterdam):
    _, officer = approved_officer(board, amsterdam)
    officer.set_password(PASSWORD)
    officer.save()
    client = Client()
    log_in(client, officer)
    for name in (
        "admin:groups_policerequest_changelist",
        "admin:groups_policeaccesslog_changelist",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


# The access log ---------------------------------------------------------------------------------


def test_the_access_log_is_read_only_in_the_admin(board, amsterdam):
    _, officer = approved_officer(board, amsterdam)
    entry = PoliceAccessLog.objects.create(user=officer, action="workspace", path="/politie/")
    client = board_client(board)

    response = client.get(reverse("admin:groups_policeaccesslog_changelist"))
    assert response.status_code == 200
    assert "/politie/" in response.text
    assert "delete_selected" not in response.text
    assert client.get(reverse("admin:groups_policeaccesslog_add")).status_code == 403
    delete = reverse("admin:groups_policeaccesslog_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:groups_policeaccesslog_change", args=[entry.pk])
    client.post(change, {"action": "changed", "path": "/elders/"})
    entry.refresh_from_db()
    assert (entry.action, entry.path) == ("workspace", "/politie/")


# Retention, export and erasure --------------------------------------------------------------------


def _rule(name):
    return next(rule for rule in registry.RETENTION_RULES if rule.name == name)


def test_declined_ended_and_unverified_requests_go_after_a_month(board, amsterdam, utrecht):
    now = timezone.now()
    keep = POLICE_REQUEST_KEEP
    old_unverified = unverified_request(amsterdam, email="a@politie.nl")
    young_unverified = unverified_request(amsterdam, email="b@politie.nl")
    PoliceRequest.objects.filter(pk=old_unverified.pk).update(created_at=now - keep - timedelta(1))
    PoliceRequest.objects.filter(pk=young_unverified.pk).update(
        created_at=now - keep + timedelta(1)
    )
    declined = pending_request(amsterdam, email="c@politie.nl")
    declined.decline(by=board)
    ended, _ = approved_officer(board, amsterdam, email="d@politie.nl")
    ended.end(by=board)
    staying, _ = approved_officer(board, amsterdam, email="e@politie.nl")
    gone, _ = approved_officer(board, utrecht, email="f@politie.nl")
    User.objects.filter(email="f@politie.nl").update(is_police=False)  # the board's own change
    PoliceRequest.objects.filter(pk__in=[declined.pk, ended.pk, staying.pk, gone.pk]).update(
        decided_at=now - keep - timedelta(hours=1)
    )

    assert set(_rule("police access requests").expired()) == {old_unverified, declined, ended, gone}


def test_the_access_log_is_kept_two_years(board, amsterdam):
    _, officer = approved_officer(board, amsterdam)
    old = PoliceAccessLog.objects.create(user=officer, action="workspace", path="/politie/")
    young = PoliceAccessLog.objects.create(user=officer, action="workspace", path="/politie/")
    now = timezone.now()
    PoliceAccessLog.objects.filter(pk=old.pk).update(at=now - POLICE_ACCESS_LOG_KEEP - timedelta(1))
    PoliceAccessLog.objects.filter(pk=young.pk).update(
        at=now - POLICE_ACCESS_LOG_KEEP + timedelta(1)
    )

    assert POLICE_ACCESS_LOG_KEEP.days == 730
    assert list(_rule("police access log").expired()) == [old]


def test_the_data_download_holds_requests_and_log_and_erasure_removes_the_requests(
    board, amsterdam
):
    _, user = approved_officer(board, amsterdam)
    user.set_password(PASSWORD)
    user.save()
    PoliceAccessLog.objects.create(user=user, action="workspace", path="/politie/")
    client = Client()
    log_in(client, user)

    data = client.get(reverse("my_data")).json()
    assert data["police_requests"][0]["team"] == "Basisteam Oost"
    assert data["police_requests"][0]["area"] == [amsterdam.name]
    assert data["police_access_log"][0]["path"] == "/politie/"

    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not PoliceRequest.objects.exists()
    # The board's log keeps what was done, not by whom.
    assert PoliceAccessLog.objects.get().user is None


def test_the_login_page_links_to_the_police_request(client):
    assert FORM in client.get(reverse("login")).text

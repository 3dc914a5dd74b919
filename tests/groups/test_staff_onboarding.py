"""Municipality staff onboarding: request with a work address, verify it, the board decides,
the employee is told; ending the access takes effect at once; the 403 page explains."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import MunicipalityMailDomain, StaffRequest, StaffRequestStatus
from groups.personal_data import STAFF_REQUEST_KEEP
from groups.staffaccess.views import REQUEST_POSTS_PER_IP, VERIFICATIONS_PER_ADDRESS_PER_DAY
from groups.tokens import staff_request_token
from tests.conftest import PASSWORD, make_user
from tests.groups.conftest import make_group
from tests.support import log_in
from wabp import registry
from wabp.models import OutboundEmail, User

FORM = reverse("groups:staff_request")


@pytest.fixture
def amsterdam(areas):
    municipality = areas["1011"].municipality
    MunicipalityMailDomain.objects.create(municipality=municipality, domain="amsterdam.nl")
    return municipality


@pytest.fixture
def utrecht(areas):
    municipality = areas["3511"].municipality
    MunicipalityMailDomain.objects.create(municipality=municipality, domain="utrecht.nl")
    return municipality


def form_data(municipality, **overrides) -> dict:
    return {
        "municipality": municipality.slug,
        "first_name": "Mila",
        "last_name": "de Wijk",
        "email": "m.dewijk@amsterdam.nl",
        "job_title": "Wijkcoördinator Centrum",
        **overrides,
    }


def verify_link(mail: OutboundEmail) -> str:
    return urlsplit(
        re.search(r"https?://\S+/gemeente-medewerkers/bevestigen/\S+/", mail.body)[0]
    ).path


def pending_request(municipality, email="m.dewijk@amsterdam.nl", **fields) -> StaffRequest:
    staff_request = StaffRequest.objects.create(
        municipality=municipality,
        email=email,
        first_name=fields.pop("first_name", "Mila"),
        last_name="de Wijk",
        job_title="Wijkcoördinator",
        **fields,
    )
    staff_request.verify()
    return staff_request


def board_client(board) -> Client:
    client = Client()
    log_in(client, board)
    return client


# The form ---------------------------------------------------------------------------------


def test_the_form_lists_only_municipalities_with_a_mail_domain(client, amsterdam, areas):
    response = client.get(FORM)

    assert response.status_code == 200
    choices = [slug for slug, _ in response.context["form"].fields["municipality"].choices if slug]
    assert [str(c) for c in choices] == [amsterdam.slug]
    assert "csrfmiddlewaretoken" in response.text


def test_the_municipality_can_be_chosen_by_the_link(client, amsterdam):
    response = client.get(FORM, {"gemeente": amsterdam.slug})
    assert response.context["form"].initial == {"municipality": amsterdam.slug}


def test_a_request_with_a_work_address_mails_a_verification_link(client, amsterdam):
    response = client.post(FORM, form_data(amsterdam))

    assert response.status_code == 302
    assert response["Location"] == reverse("groups:staff_request_sent")
    staff_request = StaffRequest.objects.get()
    assert staff_request.status == StaffRequestStatus.UNVERIFIED
    assert (staff_request.email, staff_request.municipality) == ("m.dewijk@amsterdam.nl", amsterdam)
    mail = OutboundEmail.objects.get(kind="staff_request_verify")
    assert mail.to == "m.dewijk@amsterdam.nl"
    assert amsterdam.name in mail.subject
    assert verify_link(mail).startswith("/gemeente-medewerkers/bevestigen/")


@pytest.mark.parametrize(
    "email",
    [
        "mila@gmail.com",
        "mila@utrecht.nl",  # another municipality's domain
        "mila@nepamsterdam.nl",
        "mila@amsterdam.nl.example.test",
        "mila@sub.amsterdam.nl",  # only the domain itself
    ],
)
def test_an_address_off_the_municipalitys_domain_is_refused(client, amsterdam, utrecht, email):
    response = client.post(FORM, form_data(amsterdam, email=email))

    assert response.status_code == 400
    assert "geen e-mailadres van de gemeente" in response.text
    assert "…@amsterdam.nl" in response.text
    assert not StaffRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_domain_check_ignores_case(client, amsterdam):
    client.post(FORM, form_data(amsterdam, email="M.deWijk@Amsterdam.NL"))
    assert StaffRequest.objects.get().email == "m.dewijk@amsterdam.nl"


def test_asking_again_updates_the_open_request_and_mails_again(client, amsterdam):
    client.post(FORM, form_data(amsterdam))
    client.post(FORM, form_data(amsterdam, job_title="Team Veiligheid"))

    assert StaffRequest.objects.get().job_title == "Team Veiligheid"
    assert OutboundEmail.objects.filter(kind="staff_request_verify").count() == 2


def test_asking_again_while_the_board_decides_sends_nothing(client, amsterdam):
    pending_request(amsterdam)
    response = client.post(FORM, form_data(amsterdam))

    assert response["Location"] == reverse("groups:staff_request_sent")
    assert StaffRequest.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_verification_mails_per_address_are_limited_silently(client, amsterdam):
    for _ in range(VERIFICATIONS_PER_ADDRESS_PER_DAY + 2):
        response = client.post(FORM, form_data(amsterdam))
        assert response.status_code == 302
    assert OutboundEmail.objects.count() == VERIFICATIONS_PER_ADDRESS_PER_DAY


def test_form_posts_are_rate_limited_per_ip(client, amsterdam):
    for n in range(REQUEST_POSTS_PER_IP):
        client.post(FORM, form_data(amsterdam, email=f"medewerker{n}@amsterdam.nl"))
    response = client.post(FORM, form_data(amsterdam, email="nog.een@amsterdam.nl"))

    assert response.status_code == 429
    assert StaffRequest.objects.count() == REQUEST_POSTS_PER_IP


def test_the_form_needs_its_csrf_token(amsterdam):
    client = Client(enforce_csrf_checks=True)
    response = client.post(FORM, form_data(amsterdam))
    assert response.status_code == 403
    assert not StaffRequest.objects.exists()


def test_the_form_in_english_mails_in_english(client, amsterdam):
    client.post("/en" + FORM, form_data(amsterdam))

    assert StaffRequest.objects.get().language == "en"
    assert "Confirm" in OutboundEmail.objects.get().subject


# Verifying the address ----------------------------------------------------------------------


def test_the_link_shows_a_button_and_only_the_post_verifies(client, amsterdam):
    client.post(FORM, form_data(amsterdam))
    link = verify_link(OutboundEmail.objects.get())

    response = client.get(link)
    assert response.status_code == 200
    assert StaffRequest.objects.get().status == StaffRequestStatus.UNVERIFIED

    response = client.post(link)
    assert response.status_code == 200
    assert "ligt nu bij het bestuur" in response.text
    staff_request = StaffRequest.objects.get()
    assert staff_request.status == StaffRequestStatus.PENDING
    assert staff_request.verified_at is not None


def test_a_forged_or_expired_link_is_not_found(client, amsterdam):
    assert client.get(reverse("groups:staff_request_verify", args=["vervalst"])).status_code == 404
    staff_request = StaffRequest.objects.create(
        municipality=amsterdam, email="a@amsterdam.nl", first_name="A", last_name="B", job_title="C"
    )
    token = staff_request_token(staff_request)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(reverse("groups:staff_request_verify", args=[token]))
    assert response.status_code == 404
    assert StaffRequest.objects.get().status == StaffRequestStatus.UNVERIFIED


# The board decides ----------------------------------------------------------------------------


def test_approving_makes_a_staff_account_and_mails_a_password_link(client, board, amsterdam):
    staff_request = pending_request(amsterdam)

    assert staff_request.approve(by=board)

    user = User.objects.get(email="m.dewijk@amsterdam.nl")
    assert user.municipality == amsterdam and user.is_active and user.is_municipality_staff
    assert not user.has_usable_password()
    assert user.verified_email == "m.dewijk@amsterdam.nl"
    staff_request.refresh_from_db()
    assert (staff_request.status, staff_request.user, staff_request.decided_by) == (
        StaffRequestStatus.APPROVED,
        user,
        board,
    )
    mail = OutboundEmail.objects.get(kind="staff_request_approved")
    assert mail.to == user.email
    link = re.search(r"https?://\S+/account/\S+", mail.body)[0]
    response = client.get(urlsplit(link).path, follow=True)
    assert "new_password1" in response.text  # the link lets them choose a password


def test_approving_an_existing_account_keeps_its_password(board, amsterdam):
    user = make_user("m.dewijk@amsterdam.nl")
    pending_request(amsterdam).approve(by=board)

    user.refresh_from_db()
    assert user.municipality == amsterdam and user.check_password(PASSWORD)
    mail = OutboundEmail.objects.get(kind="staff_request_approved")
    assert "/account/inloggen/" in mail.body
    assert "Kies eerst een wachtwoord" not in mail.body


def test_approving_takes_a_never_activated_account_from_whoever_signed_up(board, amsterdam):
    squatter = make_user("m.dewijk@amsterdam.nl", is_active=False)
    pending_request(amsterdam).approve(by=board)

    squatter.refresh_from_db()
    assert squatter.is_active and squatter.municipality == amsterdam
    assert not squatter.check_password(PASSWORD)
    assert "Kies eerst een wachtwoord" in OutboundEmail.objects.get().body


def test_an_account_the_board_deactivated_is_not_approved(board, amsterdam):
    user = make_user("m.dewijk@amsterdam.nl")
    user.is_active = False
    user.save()
    staff_request = pending_request(amsterdam)

    assert not staff_request.approve(by=board)
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequestStatus.PENDING
    user.refresh_from_db()
    assert user.municipality is None


def test_an_unverified_request_cannot_be_approved(board, amsterdam):
    staff_request = StaffRequest.objects.create(
        municipality=amsterdam, email="a@amsterdam.nl", first_name="A", last_name="B", job_title="C"
    )
    assert not staff_request.approve(by=board)
    assert not User.objects.filter(email="a@amsterdam.nl").exists()


def test_declining_mails_the_employee_and_makes_no_account(board, amsterdam):
    staff_request = pending_request(amsterdam, language="en")

    assert staff_request.decline(by=board)
    assert not staff_request.approve(by=board)  # decided once

    assert StaffRequest.objects.get().status == StaffRequestStatus.DECLINED
    assert not User.objects.filter(email="m.dewijk@amsterdam.nl").exists()
    mail = OutboundEmail.objects.get(kind="staff_request_declined")
    assert mail.to == "m.dewijk@amsterdam.nl"
    assert "not" in mail.body  # in English: the language of the form


def test_the_admin_list_action_approves_in_one_go(board, amsterdam, utrecht):
    first = pending_request(amsterdam)
    second = pending_request(utrecht, email="u@utrecht.nl")
    response = board_client(board).post(
        reverse("admin:groups_staffrequest_changelist"),
        {"action": "approve", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert User.objects.get(email="u@utrecht.nl").municipality == utrecht
    assert User.objects.get(email="m.dewijk@amsterdam.nl").municipality == amsterdam
    assert OutboundEmail.objects.filter(kind="staff_request_approved").count() == 2


def test_the_buttons_on_the_request_page_decline_and_end(board, amsterdam):
    client = board_client(board)
    declined = pending_request(amsterdam)
    url = reverse("admin:groups_staffrequest_change", args=[declined.pk])
    page = client.get(url)
    assert 'name="_approve"' in page.text and 'name="_decline"' in page.text

    response = client.post(url, {"_decline": "Afwijzen"})
    assert response.status_code == 302
    assert StaffRequest.objects.get(pk=declined.pk).status == StaffRequestStatus.DECLINED

    approved = pending_request(amsterdam, email="j@amsterdam.nl")
    approved.approve(by=board)
    url = reverse("admin:groups_staffrequest_change", args=[approved.pk])
    assert 'name="_end"' in client.get(url).text
    client.post(url, {"_end": "Toegang beëindigen"})
    assert StaffRequest.objects.get(pk=approved.pk).status == StaffRequestStatus.ENDED
    assert User.objects.get(email="j@amsterdam.nl").municipality is None


def test_only_the_board_opens_the_requests_in_the_admin(amsterdam):
    staff = make_user("m@amsterdam.nl", municipality=amsterdam)
    client = Client()
    log_in(client, staff)
    response = client.get(reverse("admin:groups_staffrequest_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Ending the access -----------------------------------------------------------------------------


def test_ending_staff_takes_the_export_away_at_once(board, amsterdam, areas):
    make_group("Buurtpreventie Nieuwmarkt", areas["1011"])
    staff_request = pending_request(amsterdam)
    staff_request.approve(by=board)
    user = User.objects.get(email=staff_request.email)
    staff = Client()
    log_in(staff, user)
    export = reverse("groups:municipality_export", args=[amsterdam.slug])
    assert staff.get(export).status_code == 200

    assert staff_request.end(by=board)

    response = staff.get(export)  # the same session, the next request
    assert response.status_code == 403
    assert "Toegang aanvragen" in response.text
    mail = OutboundEmail.objects.get(kind="staff_access_ended")
    assert mail.to == user.email


def test_ending_leaves_a_move_to_another_municipality_alone(board, amsterdam, utrecht):
    staff_request = pending_request(amsterdam)
    staff_request.approve(by=board)
    User.objects.filter(email=staff_request.email).update(municipality=utrecht)

    staff_request.end(by=board)
    assert User.objects.get(email=staff_request.email).municipality == utrecht


# The 403 page ---------------------------------------------------------------------------------


def test_a_logged_in_non_staff_user_gets_the_explanation_in_the_layout(amsterdam):
    client = Client()
    log_in(client, make_user("bewoner@example.test"))
    response = client.get(reverse("groups:municipality_export", args=[amsterdam.slug]))

    assert response.status_code == 403
    assert response.templates[0].name == "403.html"
    assert '<main id="inhoud"' in response.text
    assert f"{FORM}?gemeente={amsterdam.slug}" in response.text
    assert amsterdam.name in response.text


def test_staff_of_another_municipality_are_sent_to_their_own(amsterdam, utrecht):
    client = Client()
    log_in(client, make_user("u@utrecht.nl", municipality=utrecht))
    response = client.get(reverse("groups:municipality_signs", args=[amsterdam.slug]))

    assert response.status_code == 403
    assert reverse("groups:municipality", args=[utrecht.slug]) in response.text
    assert FORM not in response.text


def test_anonymous_visitors_still_go_to_the_login(client, amsterdam):
    response = client.get(reverse("groups:municipality_export", args=[amsterdam.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_public_municipality_page_links_to_the_request_form(client, amsterdam):
    response = client.get(reverse("groups:municipality", args=[amsterdam.slug]))
    assert f"{FORM}?gemeente={amsterdam.slug}" in response.text


# Mail domains and retention ---------------------------------------------------------------------


def test_load_mail_domains_adds_missing_domains_and_keeps_the_boards_edits(areas):
    amsterdam = areas["1011"].municipality
    MunicipalityMailDomain.objects.create(municipality=amsterdam, domain="extra.amsterdam.nl")
    call_command("load_mail_domains", stdout=None)

    assert set(amsterdam.mail_domains.values_list("domain", flat=True)) == {
        "amsterdam.nl",
        "extra.amsterdam.nl",
    }
    assert MunicipalityMailDomain.objects.filter(domain="utrecht.nl").exists()
    assert not MunicipalityMailDomain.objects.filter(domain="rotterdam.nl").exists()  # not loaded
    MunicipalityMailDomain.objects.filter(domain="amsterdam.nl").delete()
    call_command("load_mail_domains", "--dry-run")
    assert not MunicipalityMailDomain.objects.filter(domain="amsterdam.nl").exists()


def test_a_domain_is_stored_lower_case_without_at(areas):
    domain = MunicipalityMailDomain.objects.create(
        municipality=areas["1011"].municipality, domain="@Amsterdam.NL "
    )
    assert domain.domain == "amsterdam.nl"


def _rule():
    return next(rule for rule in registry.RETENTION_RULES if rule.name == "staff requests")


def test_declined_ended_and_unverified_requests_go_after_a_month(board, amsterdam):
    now = timezone.now()
    keep = STAFF_REQUEST_KEEP
    old_unverified = StaffRequest.objects.create(
        municipality=amsterdam, email="a@amsterdam.nl", first_name="A", last_name="B", job_title="C"
    )
    StaffRequest.objects.filter(pk=old_unverified.pk).update(
        created_at=now - keep - timedelta(hours=1)
    )
    young_unverified = StaffRequest.objects.create(
        municipality=amsterdam, email="b@amsterdam.nl", first_name="A", last_name="B", job_title="C"
    )
    StaffRequest.objects.filter(pk=young_unverified.pk).update(
        created_at=now - keep + timedelta(hours=1)
    )
    declined = pending_request(amsterdam, email="c@amsterdam.nl")
    declined.decline(by=board)
    approved = pending_request(amsterdam, email="d@amsterdam.nl")
    approved.approve(by=board)
    StaffRequest.objects.filter(pk__in=[declined.pk, approved.pk]).update(
        decided_at=now - keep - timedelta(hours=1), created_at=now - 3 * keep
    )

    assert set(_rule().expired()) == {old_unverified, declined}


def test_an_approved_request_stays_while_its_access_does(board, amsterdam, utrecht):
    long_ago = timezone.now() - STAFF_REQUEST_KEEP - timedelta(days=1)
    staying, moved, deleted = (
        pending_request(amsterdam, email=f"{name}@amsterdam.nl") for name in ("a", "b", "c")
    )
    for staff_request in (staying, moved, deleted):
        staff_request.approve(by=board)
    StaffRequest.objects.update(decided_at=long_ago)
    User.objects.filter(email="b@amsterdam.nl").update(municipality=utrecht)
    User.objects.filter(email="c@amsterdam.nl").delete()

    assert set(_rule().expired()) == {moved, deleted}


def test_the_data_download_holds_the_request_and_deleting_the_account_erases_it(board, amsterdam):
    pending_request(amsterdam).approve(by=board)
    user = User.objects.get(email="m.dewijk@amsterdam.nl")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    log_in(client, user)

    data = client.get(reverse("my_data")).json()
    assert data["staff_requests"][0]["job_title"] == "Wijkcoördinator"
    assert data["staff_requests"][0]["municipality"] == amsterdam.name

    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not StaffRequest.objects.exists()

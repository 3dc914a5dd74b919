"""Every mail is written in the language its recipient chose when they acted, and its links
lead to pages in that language: a request made under /en/ gets an English mail with /en/ links."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from groups.mail import send_join_decision, send_waitinglist_group_started
from groups.models import JoinRequest, WaitingListEntry
from tests.factories import PASSWORD, make_join_request, make_user
from tests.wabp.test_accounts import signup_data
from wabp.models import OutboundEmail, User


def links(email: OutboundEmail) -> list[str]:
    """The portal paths a mail links to (SITE_URL stripped)."""
    return re.findall(re.escape(settings.SITE_URL) + r"(/\S*)", email.body)


def url(language: str, viewname: str, *args) -> str:
    with translation.override(language):
        return reverse(viewname, args=args)


def join(client, group, language: str):
    return client.post(
        url(language, "groups:join", group.slug),
        {
            "name": "Rita Bewoner",
            "email": "rita@example.test",
            "phone": "0612345678",
            "street": "Nieuwmarkt 4",
            "postcode": "1011AB",
            "consent": "on",
        },
    )


def test_a_join_request_made_in_english_gets_an_english_mail_with_english_links(client, group_a):
    join(client, group_a, "en")

    join_request = JoinRequest.objects.get()
    assert join_request.language == "en"
    mail = OutboundEmail.objects.get(kind="join_confirm")
    assert mail.subject == f"Confirm your join request for {group_a.name}"
    assert mail.body.startswith("Dear Rita Bewoner")
    assert links(mail) and all(link.startswith("/en/") for link in links(mail))

    # Its first link confirms the request.
    client.post(links(mail)[0])
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_a_join_request_made_in_dutch_gets_a_dutch_mail_with_dutch_links(client, group_a):
    join(client, group_a, "nl")

    assert JoinRequest.objects.get().language == "nl"
    mail = OutboundEmail.objects.get(kind="join_confirm")
    assert mail.subject == f"Bevestig uw aanmelding bij {group_a.name}"
    assert mail.body.startswith("Beste Rita Bewoner")
    assert links(mail) and not any(link.startswith("/en/") for link in links(mail))


def test_the_decision_is_mailed_in_the_residents_language_not_the_admins(group_a, group_admin):
    join_request = make_join_request(group_a, language="en")

    with translation.override("nl"):  # the admin decides on a Dutch page
        assert join_request.accept(by=group_admin)
        send_join_decision(join_request)

    mail = OutboundEmail.objects.get(kind="join_decision")
    assert mail.body.startswith("Dear")
    assert links(mail) and all(link.startswith("/en/") for link in links(mail))


@pytest.mark.parametrize(
    ("admin_language", "greeting"), [("en", "Dear Anna"), ("nl", "Beste Anna")]
)
def test_the_admins_notice_of_a_request_is_in_the_admins_own_language(
    client, group_a, group_admin, run_tasks, admin_language, greeting
):
    User.objects.filter(pk=group_admin.pk).update(language=admin_language)
    # The resident asks in the other language.
    join(client, group_a, "nl" if admin_language == "en" else "en")
    client.post(links(OutboundEmail.objects.get(kind="join_confirm"))[0])
    run_tasks()  # the worker tells the admins, outside any page

    notice = OutboundEmail.objects.get(kind="join_new", to=group_admin.email)
    assert notice.body.startswith(greeting)
    paths = links(notice)
    assert paths and all(path.startswith("/en/") == (admin_language == "en") for path in paths)


@pytest.mark.parametrize(("language", "subject"), [
    ("en", "Activate your WhatsApp BuurtPreventie account"),
    ("nl", "Activeer uw account bij WhatsApp BuurtPreventie"),
])  # fmt: skip
def test_account_activation_is_mailed_in_the_sign_up_pages_language(db, client, language, subject):
    client.post(url(language, "signup"), signup_data())

    assert User.objects.get(email="sanne@example.test").language == language
    mail = OutboundEmail.objects.get(kind="activate")
    assert mail.subject == subject
    assert links(mail) and links(mail)[0].startswith("/en/") == (language == "en")


def test_logging_in_on_an_english_page_makes_later_mail_english(db, client):
    user = make_user("lid@example.test")
    assert user.language == "nl"

    client.post(url("en", "login"), {"username": user.email, "password": PASSWORD})

    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.parametrize(("language", "subject"), [
    ("en", "Confirm your place on the waiting list for 1013"),
    ("nl", "Bevestig uw plek op de wachtlijst voor 1013"),
])  # fmt: skip
def test_the_waiting_list_confirmation_is_in_the_language_of_the_page(
    client, areas, language, subject
):
    client.post(
        url(language, "groups:waitinglist_join"),
        {"postcode": "1013", "email": "wachtende@example.test"},
    )

    assert WaitingListEntry.objects.get().language == language
    mail = OutboundEmail.objects.get(kind="waitinglist_confirm")
    assert mail.subject == subject
    paths = links(mail)
    assert paths and all(path.startswith("/en/") == (language == "en") for path in paths)


def test_the_waiting_list_notice_follows_the_entrys_language_not_the_senders(areas):
    entry = WaitingListEntry.objects.create(
        email="wachtende@example.test", area=areas["1013"], language="en"
    )
    with translation.override("nl"):  # the worker, or an admin's Dutch page
        send_waitinglist_group_started(entry)

    mail = OutboundEmail.objects.get(kind="waitinglist_group_started")
    assert "Beste" not in mail.body
    assert links(mail) and all(link.startswith("/en/") for link in links(mail))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_co_admin_invitation_is_in_the_language_of_the_inviters_page(
    group_admin_client, group_a, language
):
    group_admin_client.post(
        url(language, "groups:admins", group_a.slug), {"email": "co@example.test"}
    )

    mail = OutboundEmail.objects.get(kind="invitation")
    assert mail.body.startswith("Dear" if language == "en" else "Beste buurtgenoot")
    paths = links(mail)
    assert paths and all(path.startswith("/en/") == (language == "en") for path in paths)

"""The board's admin speaks Dutch throughout: Django's Dutch catalogue lacks a few of its
newer strings and django-axes and django-tasks-db bring none, so locale/nl holds them; model
fields without a Dutch verbose_name would show their English attribute name.

Each registered model's list and add page (and the index and each app's page) is rendered in
Dutch as a superuser from the board; their visible text must hold none of ENGLISH's words,
except what no catalogue can reach (LEFT_ENGLISH):

- alt="Search" on the search icon and alt="True"/"False" on yes/no icons: Django writes
  them into the HTML untranslated;
- a third-party object's own name (django-axes' "Access Log for ..."), in a checkbox label.
"""

import contextlib
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import load_areas, make_group, make_join_request, make_user
from tests.support import log_in
from tests.wabp.test_translations import VisibleText
from wabp.mail import queue_mail

# English words the admin showed before it was all Dutch (none is also a Dutch word).
ENGLISH = re.compile(
    r"\b(the|select|option|filter by|search|pagination|task results?|access|attempts?|"
    r"failures?|username|user agent|ip address|path|priority|queue|enqueued|started|finished|"
    r"attempt time|logout|you are|ahead|behind|requested by|user|added at|created at|"
    r"created by|shuffled|headers|fingerprint|tasks database backend|true|false|name|date|"
    r"time|count|type|email|sent|kind)\b",
    re.IGNORECASE,
)


def admin_pages() -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:app_list", args=[info[0]]))
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):  # a model admin without that page
                pages.append(reverse(f"admin:{info[0]}_{info[1]}_{view}"))
    return list(dict.fromkeys(pages))


LEFT_ENGLISH = re.compile(r"^(Search|True|False)$|^Selecteer dit object voor een actie - ")


def english_on(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    texts = {" ".join(text.split()) for text in parser.texts}
    return {text for text in texts if ENGLISH.search(text) and not LEFT_ENGLISH.search(text)}


def test_the_english_words_are_found_in_an_english_admin_text():
    html = "<p>- Select an option -</p><p>Filter by aangevraagd</p><p>Zoeken</p><p>Search</p>"

    assert english_on(html) == {"- Select an option -", "Filter by aangevraagd"}


@pytest.fixture
def some_rows(db):
    """A row in the main lists, so they show their columns and filters."""
    load_areas(["1011"])
    group = make_group("Buurtpreventie Nieuwmarkt", "1011", admins=[make_user("anna@example.test")])
    make_join_request(group)
    queue_mail(to="anna@example.test", template="wabp/mail/email_changed", context={})


@pytest.fixture
def superuser_client(board) -> Client:
    board.is_superuser = True
    board.save()
    client = Client()
    log_in(client, board)
    return client


def test_every_admin_page_is_dutch(superuser_client, some_rows):
    found = {}
    for page in admin_pages():
        response = superuser_client.get(page)
        if response.status_code == 403:  # an add page the admin forbids (e.g. task results)
            continue
        assert response.status_code == 200, page
        if english := english_on(response.text):
            found[page] = sorted(english)

    assert found == {}


def test_the_admins_javascript_strings_are_dutch(superuser_client):
    catalogue = superuser_client.get(reverse("admin:jsi18n")).text

    assert "U loopt %(offset)s uur voor." in catalogue
    assert "Vandaag (%(date)s)" in catalogue


def test_a_permission_group_lists_its_permissions_in_dutch(superuser_client):
    page = superuser_client.get(reverse("admin:auth_group_add")).text

    assert "Groepen | aanmelding | mag wijzigen" in page
    assert "Can change" not in page

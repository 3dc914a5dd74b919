"""The header's language switch: no CSRF cookie on an anonymous visitor's pages."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import make_user
from tests.support import log_in

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_sets_no_csrf_cookie_and_carries_no_token(client, content_pages):
    response = client.get("/over-ons/")

    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_an_anonymous_visitor_switches_language_without_a_token(content_pages):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/taal/", {"language": "en", "next": "/over-ons/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_logged_in_switch_still_needs_its_csrf_token(content_pages):
    client = Client(enforce_csrf_checks=True)
    log_in(client, make_user("taal@example.test"))
    page = client.get("/over-ons/")
    assert b"csrfmiddlewaretoken" in page.content

    response = client.post("/taal/", {"language": "en", "next": "/over-ons/"})

    assert response.status_code == 403

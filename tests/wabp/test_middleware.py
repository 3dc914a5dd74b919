"""The portal's own middleware: the URL's language, and the cheaper CSP and message storage."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.utils.csp import build_policy

from wabp.middleware import (
    ContentSecurityPolicyMiddleware,
    MessageMiddleware,
    UrlLanguageMiddleware,
)


def test_a_page_without_a_script_gets_the_strict_policy_without_a_nonce(client):
    response = client.get("/ping")

    assert response["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    assert "nonce" not in response["Content-Security-Policy"]
    # A WSGI server accepts plain str header names only (CSP.HEADER_ENFORCE is a StrEnum).
    assert all(type(name) is str for name in response.headers)


def test_the_policy_follows_a_changed_setting(client, settings):
    client.get("/ping")
    settings.SECURE_CSP = {"default-src": ["'none'"]}

    assert client.get("/ping")["Content-Security-Policy"] == "default-src 'none'"


def test_a_used_nonce_still_reaches_the_policy():
    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: None)
    middleware.process_request(request)
    nonce = str(request._csp_nonce)

    response = middleware.process_response(request, HttpResponse())
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_messages_are_stored_when_added_and_untouched_otherwise():
    factory = RequestFactory()
    request = factory.get("/")
    request.session = {}
    middleware = MessageMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse())
    assert not response.cookies

    request = factory.get("/")
    request.session = {}
    middleware.process_request(request)
    messages.success(request, "Opgeslagen")
    response = middleware.process_response(request, HttpResponse())
    assert "messages" in response.cookies


def test_the_language_is_the_urls_and_is_restored_after_the_request():
    seen = []

    def view(request):
        seen.append((request.LANGUAGE_CODE, translation.get_language()))
        return HttpResponse()

    middleware = UrlLanguageMiddleware(view)
    factory = RequestFactory()
    with translation.override("nl"):
        english = middleware(factory.get("/en/zoeken/", headers={"Cookie": "django_language=nl"}))
        dutch = middleware(factory.get("/zoeken/", headers={"Accept-Language": "en"}))
        assert translation.get_language() == "nl"

    assert seen == [("en", "en"), ("nl", "nl")]
    assert english["Content-Language"] == "en"
    assert dutch["Content-Language"] == "nl"
    assert "Vary" not in dutch


def test_a_page_names_its_other_language_and_links_to_it_with_its_query(client, db):
    html = client.get("/zoeken/?postcode=1011AB").text

    assert f'hreflang="nl" href="{settings.SITE_URL}/zoeken/?postcode=1011AB"' in html
    assert f'hreflang="en" href="{settings.SITE_URL}/en/zoeken/?postcode=1011AB"' in html
    assert f'hreflang="x-default" href="{settings.SITE_URL}/zoeken/?postcode=1011AB"' in html
    assert '<a href="/en/zoeken/?postcode=1011AB" hreflang="en" lang="en">English</a>' in html

    english = client.get("/en/zoeken/?postcode=1011AB").text
    assert '<html lang="en">' in english
    assert '<a href="/zoeken/?postcode=1011AB" hreflang="nl" lang="nl">Nederlands</a>' in english


def test_a_page_without_an_english_address_switches_to_the_english_home_page(client, db):
    html = client.get("/bestaat-niet/deze/").text

    assert 'hreflang="x-default"' not in html
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html

"""Error pages as visitors see them with DEBUG off: Dutch, in the site's layout, no internals."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from wabp.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

# What Django's technical pages (DEBUG on) show and a visitor must never see.
TECHNICAL = ["Using the URLconf", "urlpatterns", "Traceback", "DEBUG = True", "Django"]


def forbidden_view(request):
    raise PermissionDenied("only for the board")


def suspicious_view(request):
    raise SuspiciousOperation("tampered")


def failing_view(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("__test/403/", forbidden_view),
    path("__test/400/", suspicious_view),
    path("__test/500/", failing_view),
    *site_urlpatterns,
]
handler404 = "wabp.views.not_found"
handler500 = "wabp.views.server_error"


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


def assert_in_layout(html: str) -> None:
    assert '<html lang="nl">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    for text in TECHNICAL:
        assert text not in html


def test_debug_is_off_in_the_tests(settings):
    # The pages below are what production (and `make run`) shows only with DEBUG off.
    assert settings.DEBUG is False


def test_unknown_page_is_a_friendly_404_with_a_search_box_not_the_url_list(client):
    response = client.get("/oude-groepslink/12345/")

    assert response.status_code == 404
    html = response.text
    assert_in_layout(html)
    assert "Pagina niet gevonden" in html
    assert 'action="/zoeken/"' in html and 'name="postcode"' in html
    assert 'href="/"' in html
    assert "e-learning/" in html  # a link onward, not the list of URL patterns


def test_unknown_content_page_is_the_same_404(client):
    response = client.get("/bestaat-echt-niet/")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_permission_denied_is_a_friendly_403_in_the_layout(test_urls, client):
    response = client.get("/__test/403/")

    assert response.status_code == 403
    assert_in_layout(response.text)
    assert "Geen toegang" in response.text
    assert "only for the board" not in response.text
    assert 'href="/account/inloggen/?next=/__test/403/"' in response.text


def test_403_tells_a_logged_in_user_which_account_they_use(test_urls, client, learner):
    client.force_login(learner)

    response = client.get("/__test/403/")

    assert response.status_code == 403
    assert learner.email in response.text
    assert "Mijn groepen" in response.text


def test_a_form_without_its_csrf_token_gets_the_friendly_403_and_a_fresh_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/account/inloggen/", {"username": "a@example.test", "password": "x"})

    assert response.status_code == 403
    assert_in_layout(response.text)
    assert "Het formulier is verlopen" in response.text
    assert "CSRF verification failed" not in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text  # the header's forms work again


def test_bad_request_is_a_friendly_400(test_urls):
    response = Client(raise_request_exception=False).get("/__test/400/")

    assert response.status_code == 400
    assert_in_layout(response.text)
    assert "Ongeldig verzoek" in response.text
    assert "tampered" not in response.text


def test_unknown_host_is_a_friendly_400():
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.text
    assert "ALLOWED_HOSTS" not in response.text


def test_500_page_is_standalone_and_touches_no_database(test_urls):
    client = Client(raise_request_exception=False)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/__test/500/")

    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "boom" not in response.text and "Traceback" not in response.text
    assert 'href="/static/css/site.' in response.text
    assert len(queries) == 0

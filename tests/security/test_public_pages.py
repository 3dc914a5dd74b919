"""Public pages carry no per-visitor state, so a reverse proxy or CDN may store them.

An anonymous GET of a public page, in either language, sets no cookie and does not vary on
`Cookie`; a page with a form that needs CSRF still sets the CSRF cookie; and a logged-in
person's page still varies on Cookie and is never stored (test_no_store.py covers every URL).
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.urls import concrete_url

# Every page anyone may open without an account or a mailed link, and without a form.
PUBLIC_PAGES = [
    "home",
    "page",
    "memorandum",
    "groups:search",
    "groups:detail",
    "groups:map",
    "groups:map_embed",
    "groups:municipalities",
    "groups:municipality",
    "groups:figures",
    "elearning:catalogue",
    "elearning:course",
    "elearning:verify_form",
    "elearning:verify",
    "ping",
    "healthz",
]
# Pages whose POST form needs CSRF: they set the token's cookie.
FORM_PAGES = ["login", "signup", "groups:register", "groups:join", "password_reset"]


def urls(world, names):
    for name in names:
        url = concrete_url(name, world, "anonymous")
        yield name, url
        if name not in ("ping", "healthz"):
            yield name, "/en" + url


@pytest.mark.parametrize("cookie", [None, "a-stale-csrf-token-cookie"])
def test_anonymous_public_pages_set_no_cookie_and_do_not_vary_on_it(world, cookie):
    client = Client()
    if cookie:  # a visitor who once opened a form still gets the shared page
        client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    stateful = []
    for name, url in urls(world, PUBLIC_PAGES):
        response = client.get(url)
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
        if response.status_code != 200 or response.cookies or "cookie" in vary:
            stateful.append(
                f"{name} {url} ({response.status_code}): cookies {sorted(response.cookies)}, "
                f"Vary {response.get('Vary')!r}"
            )

    assert stateful == []


def test_pages_with_a_form_still_set_the_csrf_cookie(world):
    for _name, url in urls(world, FORM_PAGES):
        response = Client().get(url)

        assert response.status_code == 200, url
        assert settings.CSRF_COOKIE_NAME in response.cookies, url
        assert 'name="csrfmiddlewaretoken"' in response.text, url


def test_a_logged_in_persons_page_varies_on_cookie_and_is_not_stored(world):
    response = world.client("admin_a").get("/")

    assert "Cookie" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_answer_head_as_get_without_a_body(world):
    """Uptime monitors, link checkers and CDNs ask with HEAD: a public page that answers GET
    answers HEAD the same, without the body (not 405)."""
    refused = []
    client = Client()
    for name, url in urls(world, [*PUBLIC_PAGES, "groups:map_geojson", "groups:opendata"]):
        response = client.head(url)
        if response.status_code != 200 or response.content:
            refused.append(f"{name} {url}: {response.status_code}")

    assert refused == []

"""The Content Security Policy is on every page, strict and without inline scripts."""

import pytest

from tests.wabp.test_pages import URLS

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/zoeken/?postcode=1234AB",
    "/zoeken/?postcode=onzin",
    *URLS.values(),
    "/account/inloggen/",
    "/account/aanmaken/",
    "/account/aanmaken/verzonden/",
    "/account/wachtwoord-vergeten/",
    "/account/wachtwoord-vergeten/verzonden/",
    "/account/wachtwoord-herstellen/MQ/ongeldig-token/",
    "/account/activeren/MQ/ongeldig-token/",
    "/deze-pagina-bestaat-niet/",
    "/admin/login/",
]


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response) -> None:
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])


@pytest.mark.parametrize("url", PAGES)
def test_page_sends_a_strict_content_security_policy(client, content_pages, url):
    response = client.get(url)

    assert response.status_code in {200, 404}, url
    assert_strict_csp(response)


def test_account_page_sends_a_strict_content_security_policy(client, learner):
    client.force_login(learner)

    response = client.get("/account/")

    assert response.status_code == 200
    assert_strict_csp(response)


def test_lockout_and_rate_limit_pages_send_the_policy_too(client, learner, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post(
        "/account/inloggen/",
        {"username": learner.email, "password": "fout"},
        REMOTE_ADDR="10.9.9.9",
    )

    assert response.status_code == 429
    assert_strict_csp(response)


def test_pages_have_no_inline_scripts_or_styles(client, content_pages):
    for url in PAGES:
        html = client.get(url).text
        if url.startswith("/admin/"):
            continue  # Django's own templates; the policy above still applies
        assert "<style" not in html, url
        assert " style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert " src=" in chunk.split(">", 1)[0], f"inline script on {url}"

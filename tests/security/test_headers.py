"""Security headers on every kind of page, production cookies, and no caching of personal data.

The second half (strict Content Security Policy on every page, no inline scripts or styles)
was tests/wabp/test_security_headers.py.
"""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.conftest import PASSWORD
from tests.security.urls import concrete_url
from tests.wabp.test_pages import URLS

# (persona, URL pattern): public pages, pages behind a login, the admin, the embeddable map.
REPRESENTATIVE = [
    ("anonymous", "home"),
    ("anonymous", "groups:search"),
    ("anonymous", "groups:detail"),
    ("anonymous", "groups:map"),
    ("anonymous", "groups:map_geojson"),
    ("anonymous", "login"),
    ("resident", "groups:join_status"),
    ("admin_a", "account"),
    ("admin_a", "groups:requests"),
    ("staff_x", "groups:municipality_signs"),
    ("member", "panels:round"),
    ("board", "admin:index"),
    ("board", "admin:groups_group_changelist"),
    ("anonymous", "page"),
]

# Pages that show personal data: never stored by a browser or proxy cache.
PERSONAL = [
    ("admin_a", "account"),
    ("admin_a", "my_data"),
    ("admin_a", "groups:dashboard"),
    ("admin_a", "groups:manage"),
    ("admin_a", "groups:edit"),
    ("admin_a", "groups:coverage"),
    ("admin_a", "groups:requests"),
    ("admin_a", "groups:admins"),
    ("admin_a", "groups:neighbours"),
    ("admin_a", "groups:relay"),
    ("admin_a", "groups:sign_request"),
    ("admin_a", "elearning:certificate"),
    ("admin_a", "elearning:result"),
    ("resident", "groups:join_status"),
    ("resident", "groups:join_confirm"),
    ("resident", "groups:invitation"),
    ("resident", "groups:waitinglist_confirm"),
    ("resident", "groups:waitinglist_delete"),
    ("resident", "panels:invitation"),
    ("resident", "activate"),
    ("staff_x", "groups:municipality_relay"),
    ("staff_x", "groups:municipality_signs"),
    ("staff_x", "groups:municipality_export"),
    ("member", "panels:index"),
    ("member", "panels:round"),
    ("board", "panels:results"),
    ("board", "panels:results_csv"),
    ("board", "admin:wabp_user_change"),
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            parsed[name] = values
    return parsed


def get(world, persona: str, name: str):
    response = world.client(persona).get(concrete_url(name, world, persona))
    assert response.status_code == 200, name
    return response


def security_header_problems(response) -> list[str]:
    csp = directives(response.get("Content-Security-Policy", ""))
    checks = {
        "default-src 'self'": csp.get("default-src") == ["'self'"],
        "object-src 'none'": csp.get("object-src") == ["'none'"],
        "base-uri 'none'": csp.get("base-uri") == ["'none'"],
        "frame-ancestors 'none'": csp.get("frame-ancestors") == ["'none'"],
        "X-Frame-Options DENY": response.get("X-Frame-Options") == "DENY",
        "nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": response.get("Referrer-Policy")
        in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"),
        "COOP same-origin": response.get("Cross-Origin-Opener-Policy") == "same-origin",
    }
    return [check for check, ok in checks.items() if not ok]


def test_every_kind_of_page_sends_the_security_headers(world):
    problems = {}
    for persona, name in REPRESENTATIVE:
        missing = security_header_problems(get(world, persona, name))
        if missing:
            problems[f"{persona} {name}"] = missing

    assert problems == {}


def test_only_the_embeddable_map_may_be_framed(world):
    response = get(world, "anonymous", "groups:map_embed")

    csp = directives(response["Content-Security-Policy"])
    assert "'none'" not in csp["frame-ancestors"]
    assert "X-Frame-Options" not in response
    # Still strict otherwise.
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_tiles_host_is_allowed_for_images_only(world):
    csp = directives(get(world, "anonymous", "groups:map")["Content-Security-Policy"])

    for name, values in csp.items():
        if name != "img-src":
            assert all(v.startswith("'") or v in ("data:", "https:") for v in values), name


def test_pages_with_personal_data_are_never_cached(world):
    cached = [
        f"{persona} {name}"
        for persona, name in PERSONAL
        if "no-store" not in get(world, persona, name).get("Cache-Control", "")
    ]

    assert cached == []


def test_hsts_is_sent_over_https(world, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False

    response = world.client("anonymous").get("/", secure=True)

    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_hsts_is_not_sent_over_plain_http(world, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False

    response = world.client("anonymous").get("/")

    assert "Strict-Transport-Security" not in response


@pytest.fixture
def production_cookies(settings, monkeypatch):
    """The cookie settings wabp/settings.py makes with DEBUG off and nothing overridden."""
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    production = runpy.run_path(str(Path(django_settings.BASE_DIR) / "wabp" / "settings.py"))
    for name in (
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
    ):
        setattr(settings, name, production[name])
    return production


def test_production_cookies_are_host_only_secure_and_same_site(world, production_cookies):
    client = world.client("anonymous")

    login_page = client.get("/account/inloggen/", secure=True)
    csrf = login_page.cookies["__Host-csrftoken"]
    response = client.post(
        "/account/inloggen/",
        {"username": world.users["admin_b"].email, "password": PASSWORD},
        secure=True,
    )

    assert response.status_code == 302  # logged in
    session = response.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]  # __Host- cookies may not name a domain
    assert session["httponly"] is True


# Content Security Policy on every page --------------------------------------------------------

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

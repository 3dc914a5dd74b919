"""axe-core (WCAG 2.1 A and AA) finds nothing on any page, as each persona sees it.

The pages and their data come from tests/html/pages.py, the same list the HTML-validity
suite checks. Each persona logs in through the login form; forms with errors are posted
from the page that holds them, as a visitor would.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.html.pages import (
    ADMIN,
    ANONYMOUS,
    BOARD,
    CODE_STEP,
    LEARNER,
    MEMBER,
    OTHER_ADMIN,
    PASSWORD_ONLY,
    POLICE,
    STAFF,
    build_world,
    pages,
)
from tests.support import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Error pages no request in a test can reach on the live server: served from their templates.
ERROR_PAGES = {
    f"/__fout/{template.removesuffix('.html')}/": template
    for template in ["400.html", "403.html", "403_csrf.html", "429.html", "500.html", "503.html"]
}

# Post `data` as a form from the current page, with the page's CSRF token.
POST_FORM = """
([action, data]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const fields = {
    // The page's own token, else the CSRF cookie (pages without a form carry no token).
    csrfmiddlewaretoken:
      document.querySelector("input[name=csrfmiddlewaretoken]")?.value ??
      document.cookie.match(/(?:^|; )(?:__Host-)?csrftoken=([^;]+)/)[1],
    ...data,
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}
"""


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def visitor(page):
    """The shared `page` fixture: a live-server context that blocks anything off the machine."""
    return page


def log_in(page, email: str, password: str) -> None:
    """Log in through the form, with the code from the app where the account has one.

    The PASSWORD_ONLY persona stops at the code step.
    """
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/account/inloggen/")
    if urlsplit(page.url).path == "/account/inloggen/code/" and email not in PASSWORD_ONLY:
        page.get_by_label("Code uit de app").fill(
            app_code(TOTPDevice.objects.get(user__email=email))
        )
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(lambda url: "/inloggen/" not in url)


def describe(violations: list) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]


def visit(page, target) -> None:
    """Open the page (or post its form) and check we landed on it, not on a redirect."""
    if target.data is None:
        response = page.goto(target.path)
    else:
        page.goto(target.via or target.path)
        if page.locator("input[name=csrfmiddlewaretoken]").count() == 0:
            # A page without a form sets no CSRF cookie (public pages are cookieless): a page
            # with one sets it first, as a visitor who filled in a form before would have it.
            page.goto("/account/inloggen/")
            page.goto(target.via or target.path)
        with page.expect_navigation() as navigation:
            page.evaluate(POST_FORM, [target.path, target.data])
        response = navigation.value
    assert response.status < 500, f"{target.label}: {response.status}"
    assert urlsplit(page.url).path == urlsplit(target.path).path, (
        f"{target.label}: {target.path} ended on {page.url}"
    )


@pytest.mark.parametrize(
    "persona",
    [ANONYMOUS, ADMIN, OTHER_ADMIN, LEARNER, MEMBER, STAFF, POLICE, BOARD, CODE_STEP],
    ids=lambda p: p.split("@")[0] or "anonymous",
)
def test_every_page_passes_axe(visitor, axe, world, persona):
    if persona:
        log_in(visitor, persona, world.password)
    found = {}
    checked = 0
    for target in pages(world):
        if target.persona != persona:
            continue
        visit(visitor, target)
        checked += 1
        if violations := axe(visitor):
            found[f"{target.label} ({target.path})"] = describe(violations)
    assert checked, "no pages for this persona"
    assert not found, "\n".join(
        f"{label}:\n  " + "\n  ".join(lines) for label, lines in found.items()
    )


def test_error_pages_pass_axe(visitor, axe, live_server):
    request = RequestFactory().get("/")

    def serve(route):
        path = re.sub(r"^https?://[^/]+", "", route.request.url)
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=render_to_string(ERROR_PAGES[path], request=request),
        )

    found = {}
    for path in ERROR_PAGES:
        visitor.route(live_server.url + path, serve)
        visitor.goto(path)
        if violations := axe(visitor):
            found[path] = describe(violations)
    assert not found, found

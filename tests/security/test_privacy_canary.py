"""The canary crawl: unique personal values never show up where a persona may not see them.

tests/security/world.py seeds a unique e-mail address, phone number, last name (and, for
residents, street) for every kind of person the portal stores. Each persona then opens every
URL of the permission matrix and every data endpoint, follows the links on those pages two
levels deep, and every response (body and redirect target) is searched for every canary.
`may_see` below is the complete list of what each persona is allowed to find, and where.
"""

import html
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.security.matrix import MATRIX
from tests.security.urls import concrete_url
from tests.security.world import PERSONAS, Canary, World

MAX_DEPTH = 2
MAX_PAGES = 400

# Canaries whose owner hands the link holder their mailed link (see world.tokens).
LINK_HOLDER_OWNS = {
    "join_unconfirmed_a",
    "join_pending_a",
    "waiting_confirmed",
    "waiting_unconfirmed",
    "invitee",
    "panel_invitee",
    "newcomer",
    "registrant",
}
# People a group's admins work with: residents who asked to join, co-admins, invitees.
GROUP_A_PEOPLE = {
    "join_unconfirmed_a",
    "join_pending_a",
    "join_accepted_a",
    "join_declined_a",
    "co_admin_a",
    "invitee",
}
GROUP_B_PEOPLE = {"join_pending_b"}
# People without an account: residents who asked to join a group, or to be told of one.
RESIDENTS = {
    "join_unconfirmed_a",
    "join_pending_a",
    "join_accepted_a",
    "join_declined_a",
    "join_pending_b",
    "join_pending_s",
    "waiting_confirmed",
    "waiting_unconfirmed",
}

HREF = re.compile(r"""href=["']([^"'#]+)""")
ADMIN_SKIP = ("/admin/postcodes/", "/admin/jsi18n/", "/admin/r/")
NEVER_FOLLOW = ("/static/", "/media/", "/account/uitloggen/", "/admin/logout/")


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def is_public(path: str) -> bool:
    """Anyone can open this page: it must never carry anybody's personal data."""
    name = url_name(urlsplit(path).path)
    return name in MATRIX and MATRIX[name].split()[0] in ("200", "R")


def may_see(world: World, persona: str, canary: Canary, url: str) -> bool:
    """Whether `persona` may find `canary` in the response to `url` (in either language: the
    English page under /en/ is the same page)."""
    path = urlsplit(url).path
    path = path.removeprefix("/en") if path.startswith("/en/") else path
    owner = canary.owner
    if owner == persona and path == "/admin/login/":
        return True  # Django's admin login page says whom you are logged in as, to you
    if persona == "resident" and owner in LINK_HOLDER_OWNS and "adres=" in urlsplit(url).query:
        # The sign-up form an invitation leads to, prefilled with the invited address (signed).
        return True
    if is_public(url):
        return False
    a, b, x = world.groups["a"].slug, world.groups["b"].slug, world.municipalities["x"].slug
    if owner == persona:
        return True  # your own data, on a page for you alone
    if persona == "board" and path.startswith("/admin/"):
        # The board manages accounts in the admin; residents' contact details stay with the
        # group's admins (groups/admin.py shows join requests without them).
        return owner not in RESIDENTS
    if persona == "resident" and owner in LINK_HOLDER_OWNS:
        return True  # behind the mailed link of the person it belongs to
    if persona == "admin_a" and owner in GROUP_A_PEOPLE:
        return path.startswith(f"/beheer/groep/{a}/")
    if persona == "admin_b" and owner in GROUP_B_PEOPLE:
        return path.startswith(f"/beheer/groep/{b}/")
    # Admins of X's groups who opted in to share their e-mail address with the municipality.
    if persona in ("staff_x", "board") and canary.key == "admin_b.email":
        return path.startswith(f"/gemeenten/{x}/")
    if persona == "board" and owner == "member":
        return path.startswith("/panels/resultaten/")  # answers in a round on name
    return False


def seeds(world: World, persona: str) -> list[str]:
    """Every URL of the matrix as this persona opens it, plus data endpoints and variants."""
    urls = [
        concrete_url(name, world, persona)
        for name, row in MATRIX.items()
        if row.split()[PERSONAS.index(persona)] != "405"
    ]
    b = world.groups["b"]
    urls += [
        "/kaart/groepen.geojson",
        "/kaart/dekking.json",
        "/kaart/gebied.json?postcode=1011",
        "/kaart/gebied.json?postcode=1012",
        "/kaart/gebied.json?postcode=3511",
        "/kaart/?postcode=1011AB",
        "/kaart/embed/",
        "/zoeken/?q=Buurt",
        "/zoeken/?postcode=1012AB",
        "/zoeken/?postcode=3511AA",
        f"/groepen/{b.slug}/",
        f"/beheer/groep/{b.slug}/",
        f"/beheer/groep/{b.slug}/aanmeldingen/",
        f"/gemeenten/{world.municipalities['y'].slug}/",
        f"/gemeenten/{world.municipalities['y'].slug}/export.csv",
        f"/gemeenten/{world.municipalities['x'].slug}/contact/{b.slug}/",
        world.objects["certificate_learner"].get_absolute_url(),
        # Issue #16, part 4: the open data API, whole and filtered, in both languages.
        "/api/v1/groepen.geojson",
        "/api/v1/groepen.csv",
        "/api/v1/gemeenten.json",
        "/api/v1/gemeenten.csv",
        f"/api/v1/groepen.geojson?gemeente={world.municipalities['x'].slug}",
        f"/api/v1/groepen.csv?gemeente={world.municipalities['y'].slug}",
        "/en/api/v1/groepen.geojson",
        # Issue 16: the workspace's other group (B's admin shares their address with X's
        # staff, never with the police) and its filtered list.
        f"/politie/groepen/{b.slug}/contact/",
        "/politie/?unconfirmed=on&sort=bevestigd",
    ]
    return urls


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def links(page_url: str, text: str) -> list[str]:
    found = []
    for href in HREF.findall(text):
        absolute = urljoin(page_url, html.unescape(href))
        parts = urlsplit(absolute)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url.startswith(NEVER_FOLLOW):
            continue
        found.append(url)
    return found


def follows(persona: str, url: str) -> bool:
    """Follow a link unless it leads to a POST-only action, or deeper into the admin."""
    path = urlsplit(url).path
    if path.startswith("/admin/"):
        # The board looks around its admin (changelists and their rows); the postcode tables
        # are thousands of rows of open data. Nobody else gets past the admin's login.
        return (
            persona == "board"
            and not path.startswith(ADMIN_SKIP)
            and "?" not in url  # filters and sort orders show the same rows again
            and re.fullmatch(r"/admin/\w+/\w+/(\d+/change/)?", path) is not None
        )
    name = url_name(path)
    if name is None:
        return True  # a 404 is worth a look too
    row = MATRIX.get(name)
    return row is None or row.split()[PERSONAS.index(persona)] != "405"


def crawl(world: World, persona: str):
    """Yield (url, response text) for every page reached, breadth first."""
    client = world.client(persona)
    queue = deque((url, 0) for url in seeds(world, persona))
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        text = body(response) + "\n" + response.get("Location", "")
        yield url, text
        if depth < MAX_DEPTH and "html" in response.get("Content-Type", ""):
            for link in links(url, text):
                if link not in seen and follows(persona, link):
                    queue.append((link, depth + 1))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_canary_appears_where_the_persona_may_not_see_it(world, persona):
    leaks, sightings, pages = [], set(), 0
    for url, text in crawl(world, persona):
        pages += 1
        lowered = text.lower()
        for canary in world.canaries:
            if canary.value.lower() in lowered:
                sightings.add((canary.key, url))
                if not may_see(world, persona, canary, url):
                    leaks.append(f"{canary.key} ({canary.value}) on {url}")

    assert pages > 60  # the crawl really went round
    assert not leaks, "\n".join(leaks)
    # The crawl can see a canary where it is allowed, so silence above means something.
    for key, path in EXPECTED_SIGHTINGS.get(persona, []):
        expected_path = path(world)
        assert any(k == key and u.startswith(expected_path) for k, u in sightings), (
            f"{persona} should see {key} on {expected_path}"
        )


EXPECTED_SIGHTINGS = {
    "resident": [
        ("panel_invitee.email", lambda w: "/panels/uitnodiging/"),
    ],
    "admin_a": [
        ("admin_a.email", lambda w: "/account/"),
        ("join_pending_a.email", lambda w: f"/beheer/groep/{w.groups['a'].slug}/aanmeldingen/"),
        ("join_pending_a.street", lambda w: f"/beheer/groep/{w.groups['a'].slug}/aanmeldingen/"),
        ("join_accepted_a.name", lambda w: f"/beheer/groep/{w.groups['a'].slug}/aanmeldingen/"),
        ("invitee.email", lambda w: f"/beheer/groep/{w.groups['a'].slug}/beheerders/"),
        ("admin_a.last_name", lambda w: "/e-learning/veilig-appen/certificaat/"),
    ],
    "admin_b": [
        ("admin_b.phone", lambda w: "/account/"),
        ("join_pending_b.email", lambda w: f"/beheer/groep/{w.groups['b'].slug}/aanmeldingen/"),
    ],
    "staff_x": [
        ("admin_b.email", lambda w: f"/gemeenten/{w.municipalities['x'].slug}/contact/"),
        ("staff_x.email", lambda w: "/account/"),
    ],
    "staff_y": [("staff_y.last_name", lambda w: "/account/")],
    "member": [
        ("member.answer", lambda w: "/panels/ronde/"),
        ("member.phone", lambda w: "/account/"),
    ],
    # The suspended group's admin sees their own account, never their group's join request.
    "admin_s": [("admin_s.phone", lambda w: "/account/")],
    "board": [
        ("learner.email", lambda w: "/admin/"),
        ("admin_a.phone", lambda w: "/admin/wabp/user/"),
        ("member.answer", lambda w: "/panels/resultaten/"),
    ],
}

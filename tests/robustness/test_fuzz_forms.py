"""Hostile input against every public form, query parameter and link token: never a 500.

Hypothesis generates the input (see garbage.py): any Unicode, NUL bytes, 10,000-character
strings, numbers, repeated keys, missing and unknown fields. Each example must answer
below 500 (a 429 from a rate limit is fine), and a request that is not accepted (no
redirect) must not have written a single row. Rate-limit counters are cleared between
examples so the input reaches the form instead of the limit.

More examples: FUZZ_EXAMPLES=500 pytest tests/robustness
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.conftest import reset_limits, rows_written
from tests.robustness.garbage import TEXT, TOKEN, VALUE, any_data

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
NEW_PASSWORD = "Nieuw-wachtwoord-2026!"


def is_redirect(response) -> bool:
    return response.status_code in (301, 302, 303)


@dataclass(frozen=True)
class Form:
    """A form (POST) or a page with query parameters (GET), and input it accepts."""

    name: str
    path: Callable  # world -> path
    valid: Callable  # world -> a valid dict of fields or parameters
    persona: str = "anonymous"
    accepted: Callable = is_redirect  # response -> was the input taken?

    def __str__(self) -> str:
        return self.name


def quiz_answers(world) -> dict:
    from tests.elearning.conftest import as_post, right_answers

    return {**as_post(right_answers(world.course)), "started": ""}


def panel_answers(world) -> dict:
    from tests.panels.conftest import answer_data

    return answer_data(world.named_round, multiple=["E-learning"], other="x", text="Prima")


def registration(world) -> dict:
    return {
        "first_name": "Fenna",
        "last_name": "Fuzz",
        "email": "fenna@example.test",
        "phone": "06 12345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "name": "Buurtpreventie Fuzzstraat",
        "platform": "whatsapp",
        "postcode": "1012AB",
        "street": "Fuzzstraat",
        "coverage": "1012AB-1012AD, 1012",
        "registered_with_municipality": "on",
        "registered_with_police": "on",
        "member_count": "12",
        "consent_privacy": "on",
        "consent_house_rules": "on",
        "confirm_overlap": "on",
        "website": "",
    }


def join(world) -> dict:
    return {
        "name": "Rob Bewoner",
        "email": "rob@example.test",
        "phone": "06 11122233",
        "street": "Nieuwmarkt 4",
        "postcode": "1011AB",
        "consent": "on",
        "outside_ok": "",
        "website": "",
    }


POST_FORMS = [
    Form("group registration", lambda w: "/groep-registreren/", registration),
    Form("join request", lambda w: f"/groepen/{w.group.slug}/aanmelden/", join),
    Form(
        "waiting list",
        lambda w: "/wachtlijst/",
        lambda w: {"postcode": "1012", "email": "wacht.nieuw@example.test"},
    ),
    Form(
        "login",
        lambda w: "/account/inloggen/?next=/beheer/",
        lambda w: {"username": w.admin.email, "password": w.password},
    ),
    Form(
        "sign-up",
        lambda w: "/account/aanmaken/",
        lambda w: {
            "first_name": "Sam",
            "last_name": "Nieuw",
            "email": "sam@example.test",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_privacy": "on",
        },
    ),
    Form(
        "password reset",
        lambda w: "/account/wachtwoord-vergeten/",
        lambda w: {"email": w.admin.email},
    ),
    Form(
        "panel invitation (new member)",
        lambda w: f"/panels/uitnodiging/{w.panel_token}/",
        lambda w: {
            "first_name": "Nina",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_privacy": "on",
        },
    ),
    Form(
        "e-learning quiz",
        lambda w: f"/e-learning/{w.course.slug}/toets/",
        quiz_answers,
        "learner",
    ),
    Form(
        "panel answers",
        lambda w: f"/panels/ronde/{w.named_round.slug}/",
        panel_answers,
        "member",
    ),
    Form(
        "panel edit key",
        lambda w: f"/panels/ronde/{w.anonymous_round.slug}/wijzigen/",
        lambda w: {"edit_key": w.edit_key},
        "member",
        # The right key opens the answers for changing; it writes nothing either way.
        accepted=lambda response: response.status_code == 200,
    ),
    Form(
        "panel volunteer",
        lambda w: "/panels/aanmelden/",
        lambda w: {"panel": w.panel.slug},
        "admin",
    ),
    Form(
        "my account",
        lambda w: "/account/",
        lambda w: {
            "first_name": "Anna",
            "last_name": "Beheerder",
            "email": "anna.nieuw@example.test",
            "phone": "06 12345678",
            "current_password": w.password,
        },
        "admin",
    ),
    Form(
        "password change",
        lambda w: "/account/wachtwoord-wijzigen/",
        lambda w: {
            "old_password": w.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        "admin",
    ),
    Form(
        "group details",
        lambda w: f"/beheer/groep/{w.group.slug}/gegevens/",
        lambda w: {
            "name": "Buurtpreventie Nieuwmarkt",
            "platform": "signal",
            "description": "Wij letten op.",
            "street": "Nieuwmarkt",
            "member_count": "40",
            "registered_with_municipality": "on",
        },
        "admin",
    ),
    # Before "coverage add", which changes the ranges this valid input names.
    Form(
        "coverage remove",
        lambda w: f"/beheer/groep/{w.group.slug}/postcodes/verwijderen/",
        # Confirmed: the first post only shows what would be removed (and stores nothing).
        lambda w: {"ranges": "1011AB–1011AC", "postcodes": "1011AB", "confirmed": "yes"},
        "admin",
        accepted=lambda response: response.context.get("report") is not None,
    ),
    Form(
        "coverage add",
        lambda w: f"/beheer/groep/{w.group.slug}/postcodes/",
        lambda w: {"postcodes": "1011AD-1011AG"},
        "admin",
        accepted=lambda response: response.context["report"] is not None,
    ),
    Form(
        "admin invitation",
        lambda w: f"/beheer/groep/{w.group.slug}/beheerders/",
        lambda w: {"email": "nog.een@example.test", "handover": ""},
        "admin",
    ),
    Form(
        "group status",
        lambda w: f"/beheer/groep/{w.group.slug}/status/",
        lambda w: {"action": "reconfirm"},
        "admin",
    ),
    Form(
        "message to neighbours",
        lambda w: f"/beheer/groep/{w.group.slug}/buren/{w.neighbour.slug}/",
        lambda w: {"message": "Hallo buren, zullen we samen een avond houden?"},
        "admin",
    ),
    Form(
        "sign request",
        lambda w: f"/borden/aanvragen/{w.group.slug}/",
        lambda w: {"street": "Nieuwmarkt", "reason": "Bij de ingang van de buurt."},
        "admin",
    ),
    Form(
        "join request decision",
        lambda w: f"/beheer/aanmeldingen/{w.join_request.pk}/accepteren/",
        lambda w: {},
        "admin",
    ),
    Form(
        "municipality message",
        lambda w: f"/gemeenten/amsterdam/contact/{w.group.slug}/",
        lambda w: {"subject": "Buurtavond", "message": "Komt u ook naar de buurtavond?"},
        "staff",
    ),
    Form(
        "municipality sign decision",
        lambda w: f"/gemeenten/amsterdam/borden/{w.sign_request.pk}/",
        lambda w: {
            f"sign-{w.sign_request.pk}-status": "approved",
            f"sign-{w.sign_request.pk}-note": "Komt eraan.",
        },
        "staff",
    ),
]

QUERY_PAGES = [
    Form("home", lambda w: "/", lambda w: {}),
    Form("search by postcode", lambda w: "/zoeken/", lambda w: {"postcode": "1011 AB"}),
    Form("search by name", lambda w: "/zoeken/", lambda w: {"q": "Nieuwmarkt"}),
    Form("registration prefill", lambda w: "/groep-registreren/", lambda w: {"postcode": "1011"}),
    Form(
        "map filters",
        lambda w: "/kaart/",
        lambda w: {
            "postcode": "1011",
            "province": "Noord-Holland",
            "municipality": "amsterdam",
            "platform": "whatsapp",
            "registered_with_municipality": "on",
            "registered_with_police": "on",
            "trained": "on",
            "page": "2",
        },
    ),
    Form("map area", lambda w: "/kaart/gebied.json", lambda w: {"postcode": "1011AB"}),
    Form("map data", lambda w: "/kaart/groepen.geojson", lambda w: {"v": "1"}),
    Form("map embed", lambda w: "/kaart/embed/", lambda w: {"gemeente": "amsterdam"}),
    Form("municipalities", lambda w: "/gemeenten/", lambda w: {"provincie": "Utrecht"}),
    Form("municipality", lambda w: "/gemeenten/amsterdam/", lambda w: {"page": "1"}),
    Form("figures", lambda w: "/cijfers/", lambda w: {"jaar": "2026"}),
    Form("login next", lambda w: "/account/inloggen/", lambda w: {"next": "/beheer/"}),
    Form("e-learning", lambda w: "/e-learning/", lambda w: {"cursus": "x"}),
    Form(
        "certificate check",
        lambda w: f"/e-learning/certificaat/{w.certificate.code}/",
        lambda w: {"code": "x"},
    ),
    Form("map filters (staff)", lambda w: "/kaart/", lambda w: {"postcode": "1011"}, "staff"),
]

# Links with a token or a slug in them, mailed or public.
TOKEN_LINKS = [
    "/aanmelding/{}/",
    "/aanmelding/{}/bevestigen/",
    "/groep-registreren/bevestigen/{}/",
    "/wachtlijst/bevestigen/{}/",
    "/wachtlijst/afmelden/{}/",
    "/beheer/nog-actief/{}/",
    "/beheer/uitnodiging/{}/",
    "/panels/uitnodiging/{}/",
    "/account/activeren/{}/{}/",
    "/account/activeren/MQ/{}/",
    "/account/wachtwoord-herstellen/{}/{}/",
    "/account/wachtwoord-herstellen/MQ/{}/",
    "/e-learning/certificaat/{}/",
    "/e-learning/{}/",
    "/groepen/{}/",
    "/groepen/{}/aanmelden/",
    "/gemeenten/{}/",
    "/borden/aanvragen/{}/",
    "/panels/ronde/{}/",
    "/{}/",
]


def send(client, method: str, path: str, data: dict, multipart: bool):
    if method == "GET":
        separator = "&" if "?" in path else "?"
        return client.get(f"{path}{separator}{urlencode(data, doseq=True)}")
    if multipart:
        return client.post(path, data)
    return client.post(
        path, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def assert_handled(response, written: int, label: str, accepted=is_redirect) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if not accepted(response):
        assert written == 0, f"{label}: rejected ({response.status_code}) but wrote {written} rows"


def form_errors(response) -> str:
    form = (response.context or {}).get("form") if response.context else None
    return form.errors.as_text() if form is not None else ""


@pytest.mark.parametrize("form", POST_FORMS, ids=str)
@FUZZ
@given(data=st.data())
def test_form_rejects_garbage_cleanly_and_stores_nothing(world, clients, form, data):
    fields = data.draw(any_data(form.valid(world)), label="fields")
    multipart = data.draw(st.booleans(), label="multipart")
    reset_limits()
    before = rows_written()
    response = send(clients(form.persona), "POST", form.path(world), fields, multipart)
    assert_handled(response, rows_written() - before, form.name, form.accepted)


def test_the_valid_input_of_every_form_is_accepted(world, clients):
    """The fuzz starts from this input: it must really pass, or the fuzz stays shallow."""
    refused = []
    for form in POST_FORMS:
        response = send(clients(form.persona), "POST", form.path(world), form.valid(world), False)
        if not form.accepted(response):
            refused.append(f"{form.name}: {response.status_code} {form_errors(response)}")
    assert not refused


def test_nul_bytes_and_long_values_in_every_field_are_refused(world, clients):
    """Not left to chance: each field of each form, and each token in each link, once with a
    NUL byte (PostgreSQL refuses it in text) and once with 10,000 characters."""
    for value in ("a\x00b", "7" * 10_000):
        for form in POST_FORMS:
            for name in form.valid(world):
                fields = {**form.valid(world), name: value}
                reset_limits()
                before = rows_written()
                response = send(clients(form.persona), "POST", form.path(world), fields, False)
                assert_handled(
                    response, rows_written() - before, f"{form.name} {name}", form.accepted
                )
        for page in QUERY_PAGES:
            for name in page.valid(world):
                response = send(
                    clients(page.persona), "GET", page.path(world), {name: value}, False
                )
                assert response.status_code < 500, f"{page.name} {name}"
        for link in TOKEN_LINKS:
            path = link.format(*[quote(value)] * link.count("{}"))
            for method in ("GET", "POST"):
                reset_limits()
                before = rows_written()
                response = send(clients("anonymous"), method, path, {}, False)
                assert_handled(response, rows_written() - before, f"{method} {link}")


@settings(FUZZ, max_examples=EXAMPLES * 4)
@given(page=st.sampled_from(QUERY_PAGES), data=st.data())
def test_query_parameters_never_break_a_page(world, clients, page, data):
    params = data.draw(any_data(page.valid(world)), label="params")
    headers = data.draw(
        st.dictionaries(
            st.sampled_from(
                ["HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_ACCEPT_ENCODING"]
            ),
            st.one_of(TEXT, st.sampled_from(["gzip;q=0", "gzip;q=x", "*", '"abc", W/"x"'])),
        ),
        label="headers",
    )
    before = rows_written()
    separator = "&" if "?" in page.path(world) else "?"
    response = clients(page.persona).get(
        f"{page.path(world)}{separator}{urlencode(params, doseq=True)}", **headers
    )
    assert response.status_code < 500, f"{page.name}: {response.status_code}"
    assert rows_written() - before == 0, f"{page.name}: a GET wrote rows"


@settings(FUZZ, max_examples=EXAMPLES * 6)
@given(link=st.sampled_from(TOKEN_LINKS), data=st.data())
def test_garbage_tokens_in_links_answer_without_error(world, clients, link, data):
    tokens = [data.draw(TOKEN, label="token") for _ in range(link.count("{}"))]
    path = link.format(*(quote(token, safe="") for token in tokens))
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    persona = data.draw(st.sampled_from(["anonymous", "admin"]), label="persona")
    fields = data.draw(st.dictionaries(st.sampled_from(["action", "password"]), VALUE))
    reset_limits()
    before = rows_written()
    response = send(clients(persona), method, path, fields, multipart=False)
    assert_handled(response, rows_written() - before, path[:200])

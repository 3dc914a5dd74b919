"""Every URL of the portal, opened by every persona, answers what tests/security/matrix.py says.

A URL pattern without a matrix entry fails `test_every_url_pattern_has_a_matrix_entry`, so a
new page cannot ship without someone deciding who may open it.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tests.security.matrix import ADMIN_REPRESENTATIVES, MATRIX, PASSWORD_ONLY_MATRIX
from tests.security.urls import concrete_url, project_patterns
from tests.security.world import PASSWORD_ONLY, PERSONAS

LOGIN_PATHS = ("/account/inloggen/", "/admin/login/")
SECOND_FACTOR_PATHS = ("/account/inloggen/code/", "/account/tweestapsverificatie/instellen/")


def expected(name: str, persona: str) -> str:
    if persona in PASSWORD_ONLY:
        row = PASSWORD_ONLY_MATRIX.get(name)
        return row.split()[list(PASSWORD_ONLY).index(persona)] if row else "2"
    return MATRIX[name].split()[PERSONAS.index(persona)]


def outcome(response) -> str:
    """The response as a matrix code: the status, or L / 2 / R for redirects."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path in LOGIN_PATHS:
            return "L"
        return "2" if path in SECOND_FACTOR_PATHS else "R"
    return str(response.status_code)


def test_every_url_pattern_has_a_matrix_entry():
    patterns = project_patterns()
    entries = set(MATRIX) - ADMIN_REPRESENTATIVES

    assert sorted(patterns - entries) == [], "URL patterns without a matrix entry"
    assert sorted(entries - patterns) == [], "matrix entries for URL patterns that are gone"


def test_the_admin_representatives_exist():
    for name in ADMIN_REPRESENTATIVES:
        try:
            reverse(name, kwargs={"object_id": 1} if name.endswith("_change") else None)
        except NoReverseMatch:
            pytest.fail(f"{name} is no longer an admin URL")


def test_every_matrix_row_has_a_code_for_each_persona():
    for name, row in MATRIX.items():
        codes = row.split()
        assert len(codes) == len(PERSONAS), name
        assert all(code in {"L", "R", "2"} or code.isdigit() for code in codes), name
    for name, row in PASSWORD_ONLY_MATRIX.items():
        assert name in MATRIX, name
        assert len(row.split()) == len(PASSWORD_ONLY), name


@pytest.mark.parametrize("persona", [*PERSONAS, *PASSWORD_ONLY])
def test_every_url_answers_as_the_matrix_says(world, persona):
    client = world.client(persona)
    client.raise_request_exception = False  # a 500 is a mismatch to list, not a crash
    wrong = []
    for name in sorted(MATRIX):
        url = concrete_url(name, world, persona)
        got = outcome(client.get(url))
        if got != expected(name, persona):
            wrong.append(f"{name} {url}: expected {expected(name, persona)}, got {got}")

    assert wrong == []


# POST-only actions (and forms) refuse other groups' admins and other municipalities' staff ----

# Models whose rows must not change when an action is refused (sessions, rate-limit windows
# and login records are not the action's business).
UNTOUCHED_APPS = ("wabp", "groups", "elearning", "panels", "django_tasks_database")
IGNORED_MODELS = {"wabp.ratelimitwindow"}


def database_state() -> dict[str, list]:
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in UNTOUCHED_APPS and label not in IGNORED_MODELS:
            state[label] = sorted(map(repr, model.objects.order_by().values_list()))
    return state


def _post_data(world) -> dict[str, dict]:
    sign = world.objects["sign_request"].pk
    round_ = world.objects["round"]
    from tests.panels.conftest import answer_data

    return {
        "groups:request_accept": {},
        # The confirmation page's POST: the one that would act.
        "groups:request_decline": {"confirmed": "yes"},
        "groups:request_undo_decline": {},
        "groups:police_request_verify": {},
        "groups:edit": {"name": "Overgenomen groep", "platform": "whatsapp"},
        "groups:coverage": {"postcodes": "1011AE"},
        "groups:coverage_remove": {"postcodes": "1011AB", "confirmed": "yes"},
        "groups:status": {"action": "deactivate", "confirmed": "yes"},
        "groups:admins": {"email": "kaper@example.test", "handover": "on"},
        "groups:invitation_revoke": {},
        "groups:admin_remove": {},
        "groups:step_down": {},
        # The real token, posted by someone logged in with another address.
        "groups:invitation_accept": {"token": world.tokens["groups:invitation"]},
        "groups:relay": {"message": "Dit bericht mag niet verstuurd worden."},
        "groups:sign_request": {"street": "Dam 1", "reason": "Omdat het kan."},
        "groups:municipality_relay": {"subject": "Hallo", "message": "Dit mag niet."},
        "groups:municipality_sign_decide": {f"sign-{sign}-status": "approved"},
        "panels:round": answer_data(round_, text="Ingevuld door een buitenstaander"),
        "panels:round_edit": {"edit_key": "ABCD-EFGH-IJKL"},
        "panels:leave": {},
        "elearning:lesson_done": {},
        "account_delete": {"password": "Buurt-preventie-2026!", "confirm": "on"},
        "admin:groups_broadcast_send": {"confirmed": "yes", "recipient_count": "1"},
        "admin:groups_broadcast_test_send": {},
        # Send, with the preview of a message X's officer made (for X's areas 1011 and 1012).
        "groups:area_message_new": _area_message_preview(world),
        # Issue 16, the wijkagent's workspace.
        "groups:police_group_confirm": {},
        "groups:police_group_unconfirm": {},
        "groups:police_group_contact": {"subject": "Hallo", "message": "Dit mag niet."},
        # Issue 17, part 5: the confirmation page's POST, which would split group A.
        "groups:split": {
            "name": "Gekaapte groep",
            "platform": "whatsapp",
            "postcodes": ["1011AB"],
            "admins": [str(world.users["admin_a"].pk)],
            "confirmed": "yes",
        },
        # Issue 17 part 4, the monthly test.
        "groups:monthly_test": {"action": "on"},
        "groups:monthly_test_confirm": {},
        "groups:monthly_test_stop": {"action": "off"},
    }


def _area_message_preview(world) -> dict:
    from django.utils import timezone

    from wabp.signed import AREA_MESSAGE_PREVIEW

    data = {
        "subject": "Nooit verstuurd",
        "body": "Dit bericht mag alleen de agent van X versturen.",
        "reason": "Test",
        "reference": "BVH/2026/999999",
        "validity": "6",
        "area_mode": "areas",
        "areas": "1011, 1012",
        "centre_postcode": "",
        "radius_km": "",
    }
    valid_until = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=6)
    token = AREA_MESSAGE_PREVIEW.make(
        {"sender": world.users["police_x"].pk, "data": data, "valid_until": valid_until.isoformat()}
    )
    return {"action": "send", "preview": token}


NOT_GROUP_A = ("admin_b", "staff_x", "staff_y", "member", "board", "not_invitee")
NOT_STAFF_OF_X = ("admin_a", "admin_b", "staff_y", "member")
NOT_BOARD = ("admin_a", "admin_b", "staff_x", "staff_y", "member")
NOT_POLICE = ("admin_a", "staff_x", "member", "board")
POLICE_ACTIONS = (
    "groups:police_group_confirm",
    "groups:police_group_unconfirm",
    "groups:police_group_contact",
)

REFUSED_POSTS = [
    *[
        (name, persona, "404")
        for name in (
            "groups:request_accept",
            "groups:request_decline",
            "groups:request_undo_decline",
            "groups:edit",
            "groups:coverage",
            "groups:coverage_remove",
            "groups:status",
            "groups:admins",
            "groups:invitation_revoke",
            "groups:admin_remove",
            "groups:step_down",
            "groups:relay",
            "groups:sign_request",
            "groups:split",
            "groups:monthly_test",
        )
        for persona in NOT_GROUP_A
    ],
    # The monthly test's mailed links, forged: nothing confirmed, nothing switched off.
    *[
        (name, persona, "404")
        for name in ("groups:monthly_test_confirm", "groups:monthly_test_stop")
        for persona in ("anonymous", "admin_a", "admin_b", "board")
    ],
    ("groups:invitation_accept", "not_invitee", "403"),
    # A forged police verification link verifies nothing (the real one: the link holder's).
    *[
        ("groups:police_request_verify", persona, "404")
        for persona in ("anonymous", "admin_a", "staff_x", "police_x", "police_y", "board")
    ],
    # The admin of the suspended group S, on S's own URLs: nothing is theirs to change.
    *[
        (name, "admin_s", "404")
        for name in (
            "groups:request_accept",
            "groups:request_decline",
            "groups:request_undo_decline",
            "groups:edit",
            "groups:coverage",
            "groups:coverage_remove",
            "groups:status",
            "groups:admins",
            "groups:relay",
            "groups:sign_request",
            "groups:split",
            "groups:monthly_test",
        )
    ],
    *[
        (name, persona, "403")
        for name in ("groups:municipality_relay", "groups:municipality_sign_decide")
        for persona in NOT_STAFF_OF_X
    ],
    *[
        (name, persona, "404")
        for name in ("panels:round", "panels:round_edit", "panels:leave")
        for persona in ("admin_a", "admin_b", "staff_x", "staff_y")
    ],
    *[
        (name, persona, "L")
        for name in ("admin:groups_broadcast_send", "admin:groups_broadcast_test_send")
        for persona in NOT_BOARD
    ],
    # Issue 16: the officer of Y does not learn of X's groups; nobody else is an officer.
    *[(name, "police_y", "404") for name in POLICE_ACTIONS],
    *[(name, persona, "403") for name in POLICE_ACTIONS for persona in NOT_POLICE],
    *[(name, "anonymous", "L") for name in POLICE_ACTIONS],
    # Without their second factor, staff and the board act nowhere.
    *[
        (name, persona, "2")
        for name in (
            "groups:municipality_relay",
            "groups:municipality_sign_decide",
            "admin:groups_broadcast_send",
            "admin:groups_broadcast_test_send",
            *POLICE_ACTIONS,
        )
        for persona in PASSWORD_ONLY
    ],
    # Area messages: only officers and municipality staff send; another sender cannot send
    # X's officer's previewed message (it goes back to an empty form).
    *[
        ("groups:area_message_new", persona, "403")
        for persona in ("admin_a", "admin_b", "member", "board", "admin_s")
    ],
    *[("groups:area_message_new", persona, "R") for persona in ("police_y", "staff_y", "staff_x")],
    *[("groups:area_message_new", persona, "2") for persona in PASSWORD_ONLY],
    *[
        (name, "anonymous", "L")
        for name in (
            "groups:request_accept",
            "groups:edit",
            "groups:status",
            "groups:municipality_sign_decide",
            "groups:municipality_relay",
            "panels:round",
            "panels:leave",
            "elearning:lesson_done",
            "account_delete",
            "admin:groups_broadcast_send",
            "groups:area_message_new",
        )
    ],
]


@pytest.mark.parametrize("persona", sorted({persona for _n, persona, _s in REFUSED_POSTS}))
def test_refused_posts_change_nothing(world, persona):
    client = world.client(persona)
    client.raise_request_exception = False
    data = _post_data(world)
    wrong = []
    for name, who, status in REFUSED_POSTS:
        if who != persona or name not in MATRIX:
            continue
        url = concrete_url(name, world, persona)
        before = database_state()
        got = outcome(client.post(url, data[name]))
        if got != status:
            wrong.append(f"POST {name} {url}: expected {status}, got {got}")
        if database_state() != before:
            wrong.append(f"POST {name} {url} changed the database")

    assert wrong == []


def test_the_refused_posts_can_succeed_for_the_right_persona(world):
    """The same POSTs do change the database for group A's admin and X's staff, so the
    refusals above are not refusals of a broken request."""
    data = _post_data(world)
    for name, persona in [
        ("groups:request_accept", "admin_a"),
        ("groups:coverage", "admin_a"),
        ("groups:municipality_sign_decide", "staff_x"),
        ("groups:municipality_relay", "staff_x"),
        ("panels:leave", "member"),
        ("groups:invitation_revoke", "admin_a"),
        ("groups:area_message_new", "police_x"),
        ("groups:police_group_confirm", "police_x"),
        ("groups:police_group_contact", "police_x"),
        ("groups:split", "admin_a"),
    ]:
        before = database_state()
        response = world.client(persona).post(concrete_url(name, world, persona), data[name])
        assert response.status_code in (200, 302), name
        assert database_state() != before, name

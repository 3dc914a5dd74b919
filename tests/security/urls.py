"""Every URL pattern of the project, and a concrete URL for each, per persona."""

import re
from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ALSO_HOLDS_THE_LINK, World

# The admin site's own patterns, made by AdminSite and ModelAdmin for every registered model.
# They are covered by a few representative matrix entries; any other admin pattern (a custom
# admin view) needs its own entry.
ADMIN_GENERATED = re.compile(
    r"^admin:("
    r"index|login|logout|password_change|password_change_done|autocomplete|jsi18n"
    r"|view_on_site|app_list|auth_user_password_change"
    r"|\w+_(changelist|add|history|delete|change)"
    r")$"
)


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Yield (name, route) for every pattern; unnamed patterns get their route as name."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route


def project_patterns() -> set[str]:
    """Every pattern name that needs a matrix entry (admin internals left out)."""
    names = set()
    for name, route in walk():
        if route.startswith(("static/", "media/")):
            continue
        if route.startswith("admin/") and (ADMIN_GENERATED.match(name) or name == route):
            continue  # Django's admin internals, and its unnamed redirects and catch-all
        names.add(name)
    return names


# Forged credentials for everyone who does not hold the mailed link: the right shape, never
# issued.
FORGED_TOKEN = "nooit-uitgegeven-token-0123456789abcdef"
FORGED_UIDB64 = "OTk5OTk5"  # user 999999

TOKEN_KWARGS: dict[str, Callable[[object], dict]] = {
    "activate": lambda t: {"uidb64": t[0], "token": t[1]},
    "confirm_email": lambda t: {"uidb64": t[0], "token": t[1]},
    "password_reset_confirm": lambda t: {"uidb64": t[0], "token": t[1]},
}


# The admin area's URLs of one group. The admin of the suspended group S opens them for S, so
# their matrix column says what a suspended group's admin gets for their own group; everyone
# else opens them for group A.
OWN_GROUP_URLS = {
    "groups:manage",
    "groups:edit",
    "groups:coverage",
    "groups:coverage_remove",
    "groups:requests",
    "groups:request_accept",
    "groups:request_decline",
    "groups:request_undo_decline",
    "groups:admins",
    "groups:status",
    "groups:neighbours",
    "groups:relay",
    "groups:sign_request",
    "groups:recruitment_kit",
    "groups:recruitment_material",
    # Issue 17, part 5.
    "groups:split",
    "groups:monthly_test",
}


def _object_kwargs(world: World, name: str, persona: str) -> dict:
    own = persona == "admin_s" and name in OWN_GROUP_URLS
    a, b = world.groups["s" if own else "a"], world.groups["b"]
    x = world.municipalities["x"]
    course, round_ = world.objects["course"], world.objects["round"]
    pending = world.join_requests["join_pending_s" if own else "join_pending_a"]
    return {
        "groups:detail": {"slug": a.slug},
        "groups:request_accept": {"pk": pending.pk},
        "groups:request_decline": {"pk": pending.pk},
        "groups:request_undo_decline": {"pk": pending.pk},
        "groups:manage": {"slug": a.slug},
        "groups:edit": {"slug": a.slug},
        "groups:coverage": {"slug": a.slug},
        "groups:coverage_remove": {"slug": a.slug},
        "groups:requests": {"slug": a.slug},
        "groups:admins": {"slug": a.slug},
        "groups:step_down": {"slug": a.slug},
        "groups:admin_remove": {"slug": a.slug, "pk": world.objects["co_admin_a_membership"].pk},
        "groups:invitation_revoke": {"slug": a.slug, "pk": world.objects["invitation"].pk},
        "groups:status": {"slug": a.slug},
        "groups:neighbours": {"slug": a.slug},
        "groups:relay": {"slug": a.slug, "neighbour_slug": b.slug},
        "groups:join": {"slug": a.slug},
        "groups:join_sent": {"slug": a.slug},
        "groups:municipality": {"slug": x.slug},
        "groups:municipality_export": {"slug": x.slug},
        "groups:municipality_relay": {"slug": x.slug, "group_slug": a.slug},
        "groups:municipality_signs": {"slug": x.slug},
        "groups:municipality_sign_decide": {"slug": x.slug, "pk": world.objects["sign_request"].pk},
        "groups:sign_request": {"slug": a.slug},
        # Issue 16, the wijkagent's workspace.
        "groups:police_group_confirm": {"slug": a.slug},
        "groups:police_group_unconfirm": {"slug": a.slug},
        "groups:police_group_contact": {"slug": a.slug},
        "groups:recruitment_kit": {"slug": a.slug},
        "groups:recruitment_material": {"slug": a.slug, "material": "brief"},
        # Issue 17, part 5.
        "groups:split": {"slug": a.slug},
        "groups:monthly_test": {"slug": a.slug},
        "groups:tip": {"slug": "licht-aan"},  # Prevention tips (issue #17, part 3)
        "elearning:verify": {"code": world.objects["certificate_a"].code},
        "elearning:course": {"slug": course.slug},
        "elearning:lesson": {"slug": course.slug, "number": 1},
        "elearning:lesson_done": {"slug": course.slug, "number": 1},
        "elearning:quiz": {"slug": course.slug},
        "elearning:result": {"slug": course.slug, "pk": world.objects["attempt_a"].pk},
        "elearning:certificate": {"slug": course.slug},
        "panels:round": {"slug": round_.slug},
        "panels:round_edit": {"slug": round_.slug},
        "panels:attachment": {"slug": round_.slug},
        "panels:results": {"slug": round_.slug},
        "panels:results_csv": {"slug": round_.slug},
        "panels:leave": {"slug": world.objects["panel"].slug},
        "page": {"slug": "privacy"},
        "admin:groups_group_change": {"object_id": a.pk},
        "admin:groups_joinrequest_change": {"object_id": pending.pk},
        "admin:wabp_user_change": {"object_id": world.users["admin_a"].pk},
        "admin:groups_broadcast_preview": {"pk": getattr(world.objects["broadcast"], "pk", 0)},
        "admin:groups_broadcast_test_send": {"pk": getattr(world.objects["broadcast"], "pk", 0)},
        "admin:groups_broadcast_send": {"pk": getattr(world.objects["broadcast"], "pk", 0)},
    }.get(name, {})


QUERIES = {
    "groups:search": "postcode=1011AB",
    "groups:map_area": "postcode=1011",
    "groups:map_embed": f"gemeente={'amsterdam'}",
}


def concrete_url(name: str, world: World, persona: str) -> str:
    """The URL a persona opens for this pattern: real objects, real tokens for the link holder."""
    if name in world.tokens:
        holds = persona == "resident" or persona in ALSO_HOLDS_THE_LINK.get(name, ())
        token = world.tokens[name] if holds else None
        if callable(token):
            token = token()
        if name in TOKEN_KWARGS:
            kwargs = TOKEN_KWARGS[name](token or (FORGED_UIDB64, FORGED_TOKEN))
        else:
            kwargs = {"token": token or FORGED_TOKEN}
    else:
        kwargs = _object_kwargs(world, name, persona)
    url = reverse(name, kwargs=kwargs)
    if name in QUERIES:
        url += "?" + QUERIES[name]
    return url

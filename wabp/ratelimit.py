"""Rate limits on PostgreSQL alone: one atomic upsert per hit, no cache server.

    if is_limited("join-request:ip", client_ip(request), limit=10, window=3600): ...

or, on a view, `@rate_limit("register", limit=5, window=3600)` (POSTs per IP),
which answers 429 with a Dutch page.
"""

import hashlib
import hmac
import ipaddress
from functools import wraps

from django.conf import settings
from django.db import connection
from django.shortcuts import render

from wabp.models import RateLimitWindow


def _key(scope: str, identity: str) -> str:
    # HMAC so the table never holds a raw IP address or e-mail address.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{identity}".encode(), hashlib.sha256)
    return digest.hexdigest()


def client_ip(request) -> str:
    """The client's IP address, for the rate limits and django-axes (AXES_CLIENT_IP_CALLABLE).

    Each of the PROXY_COUNT reverse proxies in front appends the address it was reached from
    to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; entries
    further left are whatever the client sent and are never trusted. Without a usable entry
    (no proxy configured, header missing or malformed) it is the peer, REMOTE_ADDR.
    """
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")
        if len(forwarded) >= proxies and _is_ip_address(forwarded[-proxies].strip()):
            return forwarded[-proxies].strip()
    return request.META.get("REMOTE_ADDR", "")


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def hit(scope: str, identity: str, window: int) -> int:
    """Count one hit for (scope, identity) in the current window; return the window's total."""
    table = RateLimitWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (key, window_start, hits)
            VALUES (%s, to_timestamp(floor(extract(epoch FROM now()) / %s) * %s), 1)
            ON CONFLICT (key, window_start) DO UPDATE SET hits = {table}.hits + 1
            RETURNING hits
            """,  # noqa: S608 - the table name is ours, the values are parameters
            [_key(scope, identity), window, window],
        )
        return cursor.fetchone()[0]


def is_limited(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count a hit and say whether it went over `limit` hits per `window` seconds."""
    return hit(scope, identity, window) > limit


def rate_limit(scope: str, *, limit: int, window: int = 3600):
    """Limit POSTs to a view per client IP address; over the limit: 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and is_limited(
                scope, client_ip(request), limit=limit, window=window
            ):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response

"""Rate limits on PostgreSQL alone: one atomic upsert per hit, no cache server.

    if is_limited("join-request:ip", client_ip(request), limit=10, window=3600): ...

or, on a view, `@rate_limit("register", limit=5, window=3600)` (POSTs per IP),
which answers 429 with a Dutch page.
"""

import hashlib
import hmac
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
    """The client's address; behind PROXY_COUNT proxies, taken from X-Forwarded-For."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


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

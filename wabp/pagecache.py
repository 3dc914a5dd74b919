"""Whole-page caching of public pages for anonymous visitors.

    @public_page(version=groups_version, params=("postcode", "q"))
    def search(request): ...

A page is stored under (path, its whitelisted query parameters, the active language, the
version of the data it shows); `version(request, **view_kwargs)` returns that version and
when it last changed, from one cheap query (for pages derived from groups: the map's
counter, `groups.MapVersion`, which database triggers bump on every change). So a change
is seen by every worker on its very next request, with nothing to invalidate: the old
entries are simply never asked for again and age out of the `pages` cache.

Only what is the same for every anonymous visitor is stored:

- the request: GET or HEAD, no session cookie (so no logged-in user; and no session data
  such as a half-filled form), no pending messages, no query parameter outside `params`
  and a query string of at most MAX_QUERY_LENGTH characters (the key space stays bounded);
- the response: a 200, not streamed, that sets no cookie, is not marked private/no-store,
  and whose rendering used neither a CSRF token (tied to the visitor's cookie) nor a CSP
  nonce (which must never be replayed) and showed no message.

Stored and replayed pages carry a strong ETag (a hash of the body, so the same in every
worker), `Last-Modified` (when the data changed) and `Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE`, so a proxy or CDN may hold them briefly; `If-None-Match` and
`If-Modified-Since` get a 304. Responses to anything else are left as the view made them
(and NeverCacheForLoggedInMiddleware marks a logged-in person's `no-store`).
"""

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

# Longer query strings are served, never stored: a bound on what a visitor can make us keep.
MAX_QUERY_LENGTH = 200
# A page's Last-Modified is never before this process started: a deploy may change a page
# whose data did not change, and If-Modified-Since must not answer 304 for the old one.
_STARTED = datetime.now(UTC).replace(microsecond=0)
# Set on every answer from the cache; not replayed from the stored response.
_OWN_HEADERS = {"etag", "last-modified", "cache-control"}

Version = Callable[..., tuple[str, datetime]]


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: datetime
    # ETag, Last-Modified and Cache-Control: on every answer from the cache, 200 or 304.
    validators: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, response: HttpResponse, changed_at: datetime) -> "CachedPage":
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        last_modified = max(changed_at.replace(microsecond=0), _STARTED)
        return cls(
            content=response.content,
            # What the view set (middleware adds its headers to every answer again).
            headers=tuple((h, v) for h, v in response.items() if h.lower() not in _OWN_HEADERS),
            etag=etag,
            last_modified=last_modified,
            validators=(
                ("ETag", etag),
                ("Last-Modified", http_date(last_modified.timestamp())),
                ("Cache-Control", f"public, max-age={settings.PAGE_CACHE_MAX_AGE}"),
            ),
        )


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def is_candidate(request: HttpRequest, params: Iterable[str]) -> bool:
    """Whether this request may be answered from, and stored in, the page cache."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        and all(name in params for name in request.GET)
    )


def page_key(request: HttpRequest, version: str) -> str:
    """The cache key: path, sorted query, language and data version, hashed to a fixed size."""
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    raw = repr((request.path, query, get_language(), version))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the view's response is the same for every anonymous visitor."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
    if directives & {"private", "no-store", "no-cache"}:
        return False
    # A CSRF token in the page is masked with the visitor's own cookie secret.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # A nonce is good for one response only.
    if getattr(request, "_csp_nonce", None):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or getattr(storage, "_queued_messages", None)):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _not_modified(request: HttpRequest, page: CachedPage) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.etag in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(page.last_modified.timestamp()) <= since


def _respond(request: HttpRequest, page: CachedPage) -> HttpResponse:
    if _not_modified(request, page):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(page.content, headers=dict(page.headers))
    for name, value in page.validators:
        response[name] = value
    return response


def public_page(*, version: Version, params: Iterable[str] = ()):
    """Serve the view's page from the page cache to anonymous visitors (see the module)."""
    params = frozenset(params)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not is_candidate(request, params):
                return view(request, *args, **kwargs)
            tag, changed_at = version(request, *args, **kwargs)
            key = page_key(request, tag)
            cache = _cache()
            page = cache.get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if not is_storable(request, response):
                    return response
                page = CachedPage.of(response, changed_at)
                cache.set(key, page, settings.PAGE_CACHE_TIMEOUT)
            return _respond(request, page)

        wrapped.public_page = True
        return wrapped

    return decorator

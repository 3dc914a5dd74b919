"""Request middleware of the portal itself."""

import time

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as message_middleware
from django.contrib.messages.storage import default_storage
from django.middleware import csp as csp_middleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP, build_policy
from django.utils.functional import SimpleLazyObject, empty


class UrlLanguageMiddleware:
    """The URL alone decides the language: English under /en/, Dutch everywhere else.

    No cookie and no Accept-Language (Dutch first: a Dutch resident with an English browser
    still gets Dutch pages), so a page's address names exactly one response and public pages
    need neither a cookie nor `Vary`. Django's LocaleMiddleware would also add
    `Vary: Accept-Language` and look at the cookie; this only reads the path's first segment.
    Links to the other language come from wabp.templatetags.languages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = {
            f"/{code}/": code
            for code, _name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        }

    def __call__(self, request):
        path = request.path_info
        language = self.prefixes.get(path[: path.find("/", 1) + 1], settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = language
        # Restored afterwards, so code running after the request in this thread (a test, a
        # task) is not left in the page's language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that a request without a session cookie is anonymous at once.

    Asking a lazy request.user whether it is authenticated reads the session, and a read
    session makes SessionMiddleware add `Vary: Cookie` -- to every page, since the header,
    the second-factor check and NeverCacheForLoggedInMiddleware all ask. Nobody is logged in
    without a session key, so the answer needs no session; a logged-in visitor's pages
    still read it (and vary on Cookie, and are never stored).
    """

    def process_request(self, request):
        super().process_request(request)
        if request.session.session_key is None:  # reads no session data
            request.user = request._cached_user = AnonymousUser()


class NeverCacheForLoggedInMiddleware:
    """No browser or proxy may store a response to a logged-in person.

    Every page names who is logged in, and most hold their data or progress (rounds,
    courses, /beheer/, /account/), so this is the default for every response, new
    pages included, rather than a decorator each view must remember. A response that
    is the same for everyone and says `Cache-Control: public` is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
        user = getattr(request, "user", None)
        if "public" not in directives and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class MessageMiddleware(message_middleware.MessageMiddleware):
    """Django's, with the message storage made only when something uses it.

    Most requests (/ping, data, redirects) never touch messages; Django's builds a cookie
    and a session storage for each anyway, and updates them on the way out.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)


class ContentSecurityPolicyMiddleware(csp_middleware.ContentSecurityPolicyMiddleware):
    """Django's, with the policy of a response without a nonce built once, not per response.

    The policy is the same strict SECURE_CSP; only a page that used its nonce (the map pages'
    Leaflet script) gets a policy of its own. A view's own config (csp_override) is built as
    before.
    """

    def process_response(self, request, response):
        nonce = csp_middleware.get_nonce(request)
        if (
            nonce
            or hasattr(response, "_csp_config")
            or hasattr(response, "_csp_ro_config")
            or settings.SECURE_CSP_REPORT_ONLY
        ):
            return super().process_response(request, response)
        if settings.SECURE_CSP and CSP.HEADER_ENFORCE not in response:
            response.headers[str(CSP.HEADER_ENFORCE)] = _policy_without_nonce()
        return response


_built_policy: tuple[dict, str] | None = None


def _policy_without_nonce() -> str:
    global _built_policy
    # Rebuilt when the setting is another object (a test's override_settings).
    if _built_policy is None or _built_policy[0] is not settings.SECURE_CSP:
        _built_policy = (settings.SECURE_CSP, build_policy(settings.SECURE_CSP))
    return _built_policy[1]


class RequestLogMiddleware:
    """One log line per request (wabp.logs.log_request); first in MIDDLEWARE, so the
    duration covers the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from wabp.logs import log_request

        start = time.monotonic()
        response = self.get_response(request)
        log_request(request, response, time.monotonic() - start)
        return response

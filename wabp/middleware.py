"""Request middleware of the portal itself."""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch first: English only for visitors who chose it with the language switch.

    Django's LocaleMiddleware would also follow the browser's Accept-Language, so a
    Dutch resident with an English browser would get English pages; here only the
    language cookie set by the switch counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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

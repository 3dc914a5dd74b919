"""Absolute links to the portal, for mail, exports and embed codes.

    absolute_url("groups:join_confirm", token=join_request.token)
    absolute_url("groups:search", query={"postcode": "1234"})
    absolute(round.get_absolute_url())

A mail or a CSV file is read away from the site, so its links start with SITE_URL
(the portal's public address, without a trailing slash) instead of the address of
the request that happened to cause them.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from wabp.signed import SIGNUP_EMAIL


def signup_link(next_path: str, email: str = "") -> str:
    """The sign-up form, coming back to `next_path` once the account is activated, with
    `email` filled in (signed: the address itself never appears in a URL or a log)."""
    query = {"next": next_path}
    if email:
        query["adres"] = SIGNUP_EMAIL.make(email)
    return reverse("signup", query=query)


def site_url() -> str:
    """The portal's public address, e.g. `https://portaal.wabp.nl` (no trailing slash)."""
    return settings.SITE_URL


def absolute(path: str) -> str:
    """An already reversed path (`/groep/…/`) as an absolute URL."""
    return settings.SITE_URL + path


def absolute_url(viewname: str, *args, query: dict | None = None, **kwargs) -> str:
    """reverse(viewname) as an absolute URL; positional arguments are the URL's args,
    keyword arguments its kwargs, `query` an optional query string."""
    return absolute(reverse(viewname, args=args or None, kwargs=kwargs or None, query=query))


def page_in_languages(request) -> dict[str, str]:
    """The request's page in each language, query string kept.

        {"nl": "/zoeken/?postcode=1234", "en": "/en/zoeken/?postcode=1234"}


    Empty for a page that has one address for all languages (outside the language prefix)
    or none (an error page). Worked out once per request.
    """
    if not hasattr(request, "_page_in_languages"):
        request._page_in_languages = _page_in_languages(request)
    return request._page_in_languages


def _page_in_languages(request) -> dict[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return {}
    query = request.META.get("QUERY_STRING", "")
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return {}
        urls[code] = f"{path}?{query}" if query else path
    if len(set(urls.values())) < len(urls):
        return {}
    return urls


def home_in(language: str) -> str:
    with translation.override(language):
        return reverse("home")

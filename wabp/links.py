"""Absolute links to the portal, for mail, exports and embed codes.

    absolute_url("groups:join_confirm", token=join_request.token)
    absolute_url("groups:search", query={"postcode": "1234"})
    absolute(round.get_absolute_url())

A mail or a CSV file is read away from the site, so its links start with SITE_URL
(the portal's public address, without a trailing slash) instead of the address of
the request that happened to cause them.
"""

from django.conf import settings
from django.urls import reverse


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

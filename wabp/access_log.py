"""gunicorn's access log without the secrets in mailed links.

    gunicorn wabp.wsgi --logger-class wabp.access_log.TokenMaskingLogger

A mailed link carries its key in the path (`/beheer/uitnodiging/<token>/`,
`/aanmelding/<token>/`, `/account/activeren/<uid>/<token>/`, …). Whoever can read the
access log must not be able to follow them, so every URL argument named in
SECRET_ARGUMENTS is replaced by `[token]` in the logged request line, path and referrer.
The URL patterns themselves decide what is secret: a new link with a `token` argument
is masked without a change here.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

SECRET_ARGUMENTS = frozenset({"token", "uidb64"})
MASK = "[token]"


def mask_path(path: str) -> str:
    """`path` with the values of its secret URL arguments replaced by MASK."""
    try:
        match = resolve(path)
    except (Resolver404, ValueError):
        return path
    for name, value in match.kwargs.items():
        if name in SECRET_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(value, MASK)
    return path


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO") or ""
        masked = mask_path(path)
        if masked != path:
            atoms["U"] = masked
            atoms["r"] = atoms["r"].replace(path, masked)
        referrer = atoms.get("f") or "-"
        if referrer != "-":
            referred_path = urlsplit(referrer).path
            masked_referrer_path = mask_path(referred_path)
            if masked_referrer_path != referred_path:
                atoms["f"] = referrer.replace(referred_path, masked_referrer_path)
                atoms["{referer}i"] = atoms["f"]
        return atoms

"""What each middleware costs, in-process: the project's stack built up one middleware at a time.

    DATABASE_URL=... python bench/middleware.py [--requests 2000] [--rounds 7]

For `/ping` (no database) and the home page (its figures cached in the worker), every
prefix of settings.MIDDLEWARE is loaded into its own WSGIHandler and timed on anonymous
GETs; the difference between one prefix and the next is that middleware's cost. The
first row (no middleware at all, the same URLconf and view) is the floor a bare Django
view sets. Rounds interleave the stacks so drift in the machine's speed hits all alike;
each figure is the best round's mean per request (the least disturbed by other
work on the machine). Production settings over
plain HTTP (as bench/lib.production_env); nothing is written to the database.
"""

import argparse
import io
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for name, value in {
    "DJANGO_SETTINGS_MODULE": "wabp.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# The stack before issue #12, for the before/after ratio in the same run: Django's own
# LocaleMiddleware stands in for the cookie-reading ChosenLanguageMiddleware it subclassed.
BEFORE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wabp.two_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wabp.middleware.NeverCacheForLoggedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Path -> share of --requests (a page costs far more than /ping).
PATHS = {"/ping": 1, "/": 0.1}


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def handler_for(middleware: list[str]) -> WSGIHandler:
    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


def one_request(handler: WSGIHandler, base: dict) -> str:
    status = []
    env = dict(base, **{"wsgi.input": io.BytesIO(b"")})
    response = handler(env, lambda s, headers, exc_info=None: status.append(s))
    for _chunk in response:
        pass
    response.close()  # request_finished, as a real server calls it
    return status[0]


def time_stack(handler: WSGIHandler, base: dict, requests: int) -> float:
    """Mean microseconds per request."""
    start = time.perf_counter_ns()
    for _ in range(requests):
        one_request(handler, base)
    return (time.perf_counter_ns() - start) / requests / 1000


def measure(requests: int, rounds: int) -> dict[str, list[tuple[str, float]]]:
    stack = list(settings.MIDDLEWARE)
    prefixes = [stack[:n] for n in range(len(stack) + 1)] + [BEFORE]
    handlers = [handler_for(prefix) for prefix in prefixes]
    results = {}
    for path in PATHS:
        base = environ(path)
        for handler in handlers:  # warm up: imports, caches, the database connection
            for _ in range(50):
                status = one_request(handler, base)
            if not status.startswith("200"):
                sys.exit(f"{path} answered {status} with a part of the stack")
        samples = [[] for _ in handlers]
        for _ in range(rounds):
            for i, handler in enumerate(handlers):
                samples[i].append(time_stack(handler, base, max(10, int(requests * PATHS[path]))))
        labels = ["(none: the bare view)", *stack, "BEFORE: the whole stack before #12"]
        results[path] = [(label, min(times)) for label, times in zip(labels, samples, strict=True)]
    return results


def report(results: dict[str, list[tuple[str, float]]]) -> str:
    lines = []
    for path, rows in results.items():
        floor, full, before = rows[0][1], rows[-2][1], rows[-1][1]
        lines += [
            f"`{path}`: bare view {floor:.1f} µs; stack before {before:.1f} µs "
            f"(bare/stack {floor / before:.2f}); stack now {full:.1f} µs "
            f"(bare/stack {floor / full:.2f})",
            "",
            "| middleware added | µs per request | its own cost (µs) |",
            "|---|---:|---:|",
        ]
        previous = None
        for label, micros in rows[:-1]:
            cost = "" if previous is None else f"{micros - previous:+.1f}"
            lines.append(
                f"| {label.rsplit('.', 1)[-1] if '.' in label else label} | {micros:.1f} | {cost} |"
            )
            previous = micros
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per stack and round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(report(measure(args.requests, args.rounds)))


if __name__ == "__main__":
    main()

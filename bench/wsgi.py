"""The portal's WSGI app plus the benchmark's floor: `/__bare`, Django with no middleware.

    gunicorn bench.wsgi:application   (what bench/run.py starts)

`/__bare` goes through Django's own WSGI handler (request object, URL resolving, an
HttpResponse) with an empty middleware chain and a one-URL URLconf: what any Django view
costs on this machine before the project adds anything. Every other path goes to the
portal's application unchanged, so both run in the same gunicorn workers.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wabp.settings")

from wabp.wsgi import application as portal

BARE_PATH = "/__bare"


def bare(request):
    return HttpResponse("pong", content_type="text/plain")


urlpatterns = [path(BARE_PATH.lstrip("/"), bare)]


class BareHandler(WSGIHandler):
    """Django's WSGI handler without middleware, resolving against this module's URLconf."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = self._get_response

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


_bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return _bare(environ, start_response)
    return portal(environ, start_response)

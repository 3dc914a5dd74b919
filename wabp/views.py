"""Site pages, health check, error pages and accounts."""

import sys

from django.contrib.auth import views as auth_views
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache

from groups.forms import SearchForm
from wabp.models import Page

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = 30


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "wabp/home.html", {"form": SearchForm()})


def page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "wabp/page.html", {"page": page})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page, or the 503 page with Retry-After when the database is unreachable.

    Django calls this from inside its exception handler, for an error in any view
    or middleware, so sys.exception() is the error being handled. Neither page
    touches the database.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


PasswordResetView = auth_views.PasswordResetView


def signup(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

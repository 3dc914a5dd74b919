"""Tiny operational endpoints."""

from django.http import HttpRequest, HttpResponse


def ping(request: HttpRequest) -> HttpResponse:
    """No database, full middleware: the ceiling the benchmarks compare every page with."""
    return HttpResponse("pong", content_type="text/plain")

"""Addresses of municipalities that merged into another keep working (301 to the successor)."""

from functools import wraps

from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse

from postcodes.models import FormerMunicipality, Municipality


def redirect_former_parameter(
    request: HttpRequest, name: str, known: set[str] | None = None
) -> HttpResponsePermanentRedirect | None:
    """A 301 to this page with a former municipality's slug in GET parameter `name` replaced
    by its successor's (a filter or embed link from before a merger), else None.

    `known` is the slugs of today's municipalities, when the caller has them already.
    """
    slug = request.GET.get(name, "")
    # Not a slug (e.g. a NUL byte, which PostgreSQL cannot compare): not a former one either.
    if not slug_re.fullmatch(slug) or request.method not in ("GET", "HEAD"):
        return None
    if known is not None and slug in known:
        return None
    if known is None and Municipality.objects.filter(slug=slug).exists():
        return None
    former = FormerMunicipality.objects.select_related("successor").filter(slug=slug).first()
    if former is None:
        return None
    query = request.GET.copy()
    query[name] = former.successor.slug
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def follows_former_municipalities(view):
    """Wrap a view taking a municipality `slug`: where it finds none (404) and the slug is a
    former municipality's, redirect a GET to the same page of its successor.

    The lookup happens only after a 404, so pages of today's municipalities pay nothing.
    """

    @wraps(view)
    def wrapper(request, *args, slug: str, **kwargs):
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            if request.method not in ("GET", "HEAD"):
                raise
            former = (
                FormerMunicipality.objects.select_related("successor").filter(slug=slug).first()
            )
            if former is None:
                raise
            match = request.resolver_match
            url = reverse(
                f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name,
                kwargs={**kwargs, "slug": former.successor.slug},
            )
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper

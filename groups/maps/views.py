"""The overview map, its GeoJSON data, the gap layer's data and the embeddable map."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from groups.maps.forms import MapFilterForm
from groups.maps.geojson import data_version, encode, map_payload
from groups.models import Coverage, Group
from groups.municipalities.gaps import country_coverage, gap_config
from groups.municipalities.redirects import redirect_former_parameter
from postcodes.models import Area, Municipality
from postcodes.parsing import parse_postcode

LIST_PAGE_SIZE = 25
SLUG_PLACEHOLDER = "__slug__"


def group_url_template(name: str) -> str:
    """A URL with `__slug__` in place of the group's slug, for JS and list rows."""
    return reverse(name, kwargs={"slug": SLUG_PLACEHOLDER})


def with_links(groups):
    """Attach `detail_url` and `join_url` to each group of a list."""
    detail, join = group_url_template("groups:detail"), group_url_template("groups:join")
    for group in groups:
        group.detail_url = detail.replace(SLUG_PLACEHOLDER, group.slug)
        group.join_url = join.replace(SLUG_PLACEHOLDER, group.slug)
    return groups


def _dutch_reverse(name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name)


# CBS's 2025 borders (postcodes/static/postcodes/boundaries/README.md): hashed static files,
# cached for a year by the browser. The map decodes them with topojson-client.
MUNICIPALITY_BORDERS = "postcodes/boundaries/gemeente_2025.topojson"
PROVINCE_BORDERS = "postcodes/boundaries/provincie_2025.topojson"
BORDERS_ATTRIBUTION = "Grenzen © CBS, Kadaster (PDOK)"


def map_config(municipality: Municipality | None = None, **extra) -> dict:
    """What map.js needs, passed through json_script (never as script built in a template).

    With a municipality (its page, the embed) the map shows only its groups and fits its
    border; the overview passes `municipalityCodes` (slug: CBS code) for the filter.
    """
    return {
        # Language-neutral data: one address (the Dutch one) for both languages' pages.
        "geojson": _dutch_reverse("groups:map_geojson"),
        "area": reverse("groups:map_area"),
        # The borders are the base map; with a tile server they are drawn as lines on it.
        "borders": {
            "municipalities": static(MUNICIPALITY_BORDERS),
            "provinces": static(PROVINCE_BORDERS),
            "attribution": BORDERS_ATTRIBUTION,
        },
        "tiles": bool(settings.MAP_TILES_URL),
        # Leaflet guesses its marker images' folder from its CSS, which fails with hashed
        # static names (the markers' images 404ed): their own hashed addresses instead.
        "icons": {
            "iconUrl": static("leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("leaflet/images/marker-shadow.png"),
        },
        "municipality": municipality.slug if municipality else "",
        "municipalityCode": (municipality.code or "") if municipality else "",
        "detailUrl": group_url_template("groups:detail"),
        "joinUrl": group_url_template("groups:join"),
        "pageSize": LIST_PAGE_SIZE,
        "labels": {
            "group": _("groep"),
            "groups": _("groepen"),
            "cluster": _("%(count)s groepen in dit gebied, klik om in te zoomen"),
            "view": _("Bekijk de groep"),
            "join": _("Vraag om lid te worden"),
            "lastConfirmed": _("Laatst bevestigd"),
            "postcodes": _("Aantal postcodes"),
            "registeredMunicipality": _("Aangemeld bij de gemeente"),
            "registeredPolice": _("Aangemeld bij de politie"),
            "trained": _("Getrainde beheerder"),
            "verified": _("Geverifieerd"),
            "found": _("%(count)s groepen gevonden"),
            "foundOne": _("1 groep gevonden"),
            "none": _("Geen groepen gevonden met deze keuzes."),
            "areaNotFound": _("Deze postcode kennen we niet."),
            "previous": _("Vorige"),
            "next": _("Volgende"),
            "page": _("Pagina %(page)s van %(pages)s"),
            "pages": _("Pagina’s met groepen"),
            "layers": _("Kaartlagen"),
            "bordersLayer": _("Gemeentegrenzen"),
        },
        "platforms": {"whatsapp": "WhatsApp", "signal": "Signal", "telegram": "Telegram"},
        **extra,
    }


@require_safe
def map_page(request):
    """The overview map with filters and a plain, paginated list of the same groups."""
    municipalities = list(
        Municipality.objects.order_by("name").values_list("slug", "name", "province", "code")
    )
    moved = redirect_former_parameter(request, "municipality", {row[0] for row in municipalities})
    if moved is not None:
        return moved
    form = MapFilterForm(request.GET or None, municipalities=[row[:3] for row in municipalities])
    groups = Group.objects.active().for_listing()
    area = None
    if form.is_bound and form.is_valid():
        groups = form.filter(groups)
        if form.cleaned_data.get("postcode"):
            area = Area.objects.located().filter(code=form.cleaned_data["postcode"][:4]).first()
    page = Paginator(groups.order_by("name", "pk"), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    with_links(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    focus = {"lat": area.latitude, "lon": area.longitude, "code": area.code} if area else None
    return render(
        request,
        "groups/maps/map.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "area": area,
            "map_config": map_config(
                focus=focus,
                # The filter's choice zooms to that municipality's border.
                municipalityCodes={slug: code for slug, _n, _p, code in municipalities if code},
            ),
            "gap_config": gap_config(toggle=True),
        },
    )


@require_safe
def map_geojson(request):
    """All active groups as an RFC 7946 FeatureCollection; pre-compressed and revalidatable.

    The bytes are built and compressed once per data version (brotli, gzip or plain, by
    Accept-Encoding), so a request costs the version lookup and sending them, as a static
    file would.
    """
    payload = map_payload()
    if _not_modified(request, payload):
        response = HttpResponseNotModified()
    else:
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(payload.body(encoding), content_type="application/geo+json")
        if encoding != "identity":
            # Set here, so GZipMiddleware (if ever added) leaves the body alone.
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(payload.sizes[encoding])
    response["ETag"] = payload.etag
    response["Last-Modified"] = http_date(payload.last_modified.timestamp())
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Encoding"
    # Open data: a municipality's GIS or website may load it directly.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_modified(request, payload) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or payload.etag in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(payload.last_modified.timestamp()) <= since


def choose_encoding(header: str) -> str:
    """The accepted coding ("br", "gzip" or "identity") with the highest q; brotli on a tie."""
    weights: dict[str, float] = {}
    for part in header.split(","):
        coding, _sep, params = part.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[coding] = q
    best, best_q = "identity", 0.0
    for coding in ("br", "gzip"):
        q = weights.get(coding, weights.get("*", 0.0))
        if q > best_q:
            best, best_q = coding, q
    return best


COVERAGE_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class CoveragePayload:
    etag: str
    last_modified: datetime
    bodies: dict[str, bytes]


def coverage_payload() -> CoveragePayload:
    """The country's coverage per area, encoded once per data version in each worker.

    One entry under one key: a worker keeps the current version only (~230 KB), however
    often the data change.
    """
    version, last_modified = data_version()
    etag = f'"gaps-{version}"'
    payload = cache.get("map-coverage")
    if payload is None or payload.etag != etag:
        raw = json.dumps(country_coverage(), ensure_ascii=False, separators=(",", ":"))
        payload = CoveragePayload(etag, last_modified, encode(raw.encode()))
        cache.set("map-coverage", payload, COVERAGE_CACHE_SECONDS)
    return payload


@require_safe
def map_coverage(request):
    """Every postcode area's coverage status and share, for the gap layer of the maps.

    Public facts only (no waiting list), the same for everyone: revalidated by its ETag,
    brotli or gzip as the client accepts. Format: groups.municipalities.gaps.country_coverage.
    """
    payload = coverage_payload()
    if _not_modified(request, payload):
        response = HttpResponseNotModified()
    else:
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(payload.bodies[encoding], content_type="application/json")
        if encoding != "identity":
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(payload.bodies[encoding]))
    response["ETag"] = payload.etag
    response["Last-Modified"] = http_date(payload.last_modified.timestamp())
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Encoding"
    return response


@require_safe
def map_area(request):
    """A PC4 area's centroid and the active groups found there, for the postcode box."""
    try:
        code = parse_postcode(request.GET.get("postcode", ""), allow_area=True).area
    except ValidationError:
        return JsonResponse({"error": _("Deze postcode kennen we niet.")}, status=404)
    area = Area.objects.located().select_related("municipality").filter(code=code).first()
    if area is None:
        return JsonResponse({"error": _("Deze postcode kennen we niet.")}, status=404)
    slugs = list(
        Group.objects.active()
        .filter(
            Q(area_id=code) | Q(Exists(Coverage.objects.filter(group=OuterRef("pk"), area_id=code)))
        )
        .values_list("slug", flat=True)
    )
    return JsonResponse(
        {
            "code": area.code,
            "place": area.place,
            "lat": round(area.latitude, 3),
            "lon": round(area.longitude, 3),
            # The map outlines the area's municipality (its slug; the page knows its code).
            "municipality": area.municipality.slug if area.municipality else "",
            "groups": slugs,
        }
    )


EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF, "https:"]}


@require_safe
@xframe_options_exempt
@csp_override(EMBED_CSP)
def map_embed(request):
    """A minimal map of one municipality's groups for an iframe on its own site.

    The only page that may be framed; every other page keeps frame-ancestors 'none'.
    """
    municipality = None
    slug = request.GET.get("gemeente", "")
    if slug:
        if not slug_re.fullmatch(slug):  # e.g. a NUL byte, which PostgreSQL cannot compare
            raise Http404
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            # An embed code from before a merger shows the successor's map.
            moved = redirect_former_parameter(request, "gemeente", set())
            if moved is None:
                raise Http404
            return moved
    return render(
        request,
        "groups/maps/embed.html",
        {
            "municipality": municipality,
            "map_config": map_config(municipality=municipality, embedded=True),
        },
    )

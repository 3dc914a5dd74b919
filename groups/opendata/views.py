"""Open data API v1 (groups and municipality figures as GeoJSON, JSON and CSV) and its docs.

Every endpoint answers GET and HEAD, revalidates with an ETag made from the data version
(groups.models.MapVersion, one primary-key lookup), the query and the language, so a
matching If-None-Match gets a 304 before any group is read. CORS (GET, HEAD, OPTIONS, any
origin, no credentials) comes from django-cors-headers, for /api/ only (settings).
"""

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import brotli
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from groups.maps.geojson import data_version
from groups.maps.views import choose_encoding
from groups.opendata.data import (
    API_VERSION,
    ATTRIBUTION,
    GROUP_FIELDS,
    LICENCE,
    MUNICIPALITY_FIELDS,
    SCHEMA_REVISION,
    FilterError,
    Scope,
    UnknownPlace,
    group_rows,
    municipality_rows,
    parse_filters,
    resolve,
)
from postcodes.models import Municipality
from wabp.links import absolute_url
from wabp.text import csv_cell

# Long enough for a CDN to absorb a municipality's website loading the data on every visit,
# short enough that a new group shows within minutes; clients revalidate with the ETag.
API_MAX_AGE = 300
# Compressing per response: cheaper levels than the map's, which are built once per version.
GZIP_LEVEL = 6
BROTLI_QUALITY = 5


def _data_version(request: HttpRequest):
    """The data version, read once per request (the ETag and the body both need it)."""
    if not hasattr(request, "_opendata_version"):
        request._opendata_version = data_version()
    return request._opendata_version


def api_etag(request: HttpRequest) -> str | None:
    """The ETag of this answer, without reading a group; None for a query that is refused."""
    try:
        filters = parse_filters(request.GET)
    except FilterError:
        return None
    tag, _changed_at = _data_version(request)
    raw = ":".join(
        (SCHEMA_REVISION, request.resolver_match.view_name, filters.key(), get_language(), tag)
    )
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def licence_links() -> str:
    """The Link header of every API answer: the licence and the documentation."""
    return (
        f'<{LICENCE["url"]}>; rel="license", <{absolute_url("groups:opendata")}>; rel="describedby"'
    )


def envelope(request: HttpRequest) -> dict:
    """The top-level members of every JSON answer: version, licence, attribution, docs."""
    _tag, changed_at = _data_version(request)
    return {
        "api_version": API_VERSION,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "documentation": absolute_url("groups:opendata"),
        "data_changed_at": changed_at.isoformat(),
    }


@dataclass(frozen=True)
class Format:
    content_type: str
    filename: str = ""  # set for CSV: a browser saves it under this name

    def error(self, message: str, status: int) -> HttpResponse:
        if self.filename:
            return HttpResponse(message + "\n", status=status, content_type="text/plain")
        return JsonResponse({"error": message}, status=status)


JSON = Format("application/json")
GEOJSON = Format("application/geo+json")


def api_endpoint(fmt: Format):
    """An API v1 view: `build(request, scope)` returns the body, only for a GET that is not
    answered with 304 (or refused: 400 for a bad query, 404 for an unknown place)."""

    def decorator(build: Callable[[HttpRequest, Scope], bytes]):
        @wraps(build)
        @cache_control(public=True, max_age=API_MAX_AGE)
        @require_safe
        @condition(etag_func=api_etag)
        def view(request: HttpRequest) -> HttpResponse:
            try:
                scope = resolve(parse_filters(request.GET))
            except FilterError as error:
                response = fmt.error(str(error), 400)
            except UnknownPlace as error:
                response = fmt.error(str(error), 404)
            else:
                response = HttpResponse(content_type=fmt.content_type)
                if request.method == "GET":
                    raw = build(request, scope)
                    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
                    if encoding == "br":
                        raw = brotli.compress(raw, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
                    elif encoding == "gzip":
                        raw = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
                    if encoding != "identity":
                        response["Content-Encoding"] = encoding
                    response.content = raw
                if fmt.filename:
                    response["Content-Disposition"] = f'attachment; filename="{fmt.filename}"'
            response["Link"] = licence_links()
            response["Vary"] = "Accept-Encoding"
            return response

        return view

    return decorator


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _csv(rows: list[dict], fields: tuple[str, ...]) -> bytes:
    """RFC 4180 CSV in UTF-8, a header row first; booleans as 1/0, no value as empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(
            [int(row[f]) if isinstance(row[f], bool) else csv_cell(row[f]) for f in fields]
        )
    return out.getvalue().encode()


@api_endpoint(GEOJSON)
def groups_geojson(request: HttpRequest, scope: Scope) -> bytes:
    """Active groups as an RFC 7946 FeatureCollection of PC4 centroids."""
    features = []
    for row in group_rows(scope):
        latitude, longitude = row.pop("latitude"), row.pop("longitude")
        located = latitude is not None and longitude is not None
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]}
                if located
                else None,
                "properties": row,
            }
        )
    return _json({"type": "FeatureCollection", **envelope(request), "features": features})


@api_endpoint(Format("text/csv; charset=utf-8", "wabp-groepen-v1.csv"))
def groups_csv(request: HttpRequest, scope: Scope) -> bytes:
    """Active groups, one row each, with the centroid as latitude and longitude columns."""
    return _csv(group_rows(scope), GROUP_FIELDS)


@api_endpoint(JSON)
def municipalities_json(request: HttpRequest, scope: Scope) -> bytes:
    """Every municipality's figures."""
    return _json({**envelope(request), "municipalities": municipality_rows(scope)})


@api_endpoint(Format("text/csv; charset=utf-8", "wabp-gemeenten-v1.csv"))
def municipalities_csv(request: HttpRequest, scope: Scope) -> bytes:
    """Every municipality's figures, one row each."""
    return _csv(municipality_rows(scope), MUNICIPALITY_FIELDS)


ENDPOINTS = (
    "groups:opendata_groups_geojson",
    "groups:opendata_groups_csv",
    "groups:opendata_municipalities_json",
    "groups:opendata_municipalities_csv",
)


def examples() -> dict[str, str]:
    """The absolute example URLs the docs page shows (a test fetches every one)."""
    example = Municipality.objects.filter(code__isnull=False).order_by("name").first()
    slug = example.slug if example else "amsterdam"
    code = (example.code if example else "") or "GM0363"
    province = example.province if example else "Noord-Holland"
    geojson = absolute_url("groups:opendata_groups_geojson")
    return {
        "groups_geojson": geojson,
        "groups_csv": absolute_url("groups:opendata_groups_csv"),
        "municipalities_json": absolute_url("groups:opendata_municipalities_json"),
        "municipalities_csv": absolute_url("groups:opendata_municipalities_csv"),
        "by_municipality": absolute_url("groups:opendata_groups_geojson", query={"gemeente": slug}),
        "by_code": absolute_url("groups:opendata_groups_csv", query={"gemeente": code}),
        "by_province": absolute_url(
            "groups:opendata_municipalities_json", query={"provincie": province}
        ),
        "slug": slug,
        "code": code,
        "province": province,
    }


@require_safe
def opendata_page(request: HttpRequest) -> HttpResponse:
    """The API's documentation: endpoints, fields, filters, licence, caching, examples."""
    return render(
        request,
        "groups/opendata/docs.html",
        {
            "examples": examples(),
            "api_version": API_VERSION,
            "attribution": ATTRIBUTION,
            "licence": LICENCE,
            "group_fields": GROUP_FIELDS,
            "municipality_fields": MUNICIPALITY_FIELDS,
            "max_age": API_MAX_AGE,
        },
    )

"""The open data of API v1: public facts about active groups and municipalities, as rows.

    filters = parse_filters(request.GET)      # ApiFilters, or raises FilterError (a 400)
    scope = resolve(filters)                   # Scope, or raises UnknownPlace (a 404)
    rows = group_rows(scope)                   # one dict per active group (one query)
    figures = municipality_rows(scope)         # one dict per municipality (three queries)

Only what the public group page and the public map already show goes out: never an
admin, a description, a street, a waiting list or anything a login guards. Locations are
the PC4 area's centroid, rounded like the map's (groups.maps.geojson); every group of an
area gets the same point. Field names are part of API v1: add fields, never rename or
remove them (that is a v2).
"""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.figures.stats import _share
from groups.maps.geojson import COORDINATE_DECIMALS
from groups.maps.views import SLUG_PLACEHOLDER, group_url_template
from groups.models import Coverage, Group, GroupStatus, MapVersion
from postcodes.models import Municipality, Postcode
from wabp.links import absolute

API_VERSION = "1"
# Raised whenever the output of v1 changes (a new field): part of every ETag, so a client
# holding an older body gets the new one after a deploy.
SCHEMA_REVISION = "1.0"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.nl"}
ATTRIBUTION = (
    "© Stichting WABP, CC BY 4.0; postcodes © GeoNames (CC BY 4.0); grenzen © CBS, Kadaster (PDOK)"
)
FILTERS = ("gemeente", "provincie")
CBS_CODE = re.compile(r"GM\d{4}", re.IGNORECASE)
MAX_FILTER_LENGTH = 100
FIGURES_CACHE_SECONDS = 60 * 60

# The columns of groepen.csv, in order (the GeoJSON properties are the same but for the two
# coordinates, which are its geometry).
GROUP_FIELDS = (
    "id",
    "name",
    "url",
    "platform",
    "postcode_area",
    "place",
    "municipality",
    "municipality_code",
    "municipality_slug",
    "province",
    "latitude",
    "longitude",
    "covered_postcodes",
    "member_count_approx",
    "registered_with_municipality",
    "registered_with_police",
    "police_confirmed_on",
    "trained_admin",
    "verified",
    "last_confirmed",
)
MUNICIPALITY_FIELDS = (
    "code",
    "name",
    "slug",
    "province",
    "url",
    "active_groups",
    "postcodes",
    "covered_postcodes",
    "coverage_share",
    "groups_with_trained_admin",
    "trained_admin_share",
    "registered_with_municipality",
    "registered_with_municipality_share",
    "registered_with_police",
    "registered_with_police_share",
    "police_confirmed",
    "police_confirmed_share",
)


class FilterError(ValueError):
    """A query string the API does not understand: answered with 400 and this message."""


class UnknownPlace(LookupError):
    """A well-formed filter naming no municipality or province: answered with 404."""


@dataclass(frozen=True)
class ApiFilters:
    gemeente: str = ""
    provincie: str = ""

    def key(self) -> str:
        return f"gemeente={self.gemeente.lower()}&provincie={self.provincie.lower()}"


@dataclass(frozen=True)
class Scope:
    """The municipalities a request is about: None is the whole country."""

    municipality: Municipality | None = None
    province: str = ""


def parse_filters(query: QueryDict) -> ApiFilters:
    """The filters of a query string; FilterError for an unknown parameter or a bad value."""
    unknown = sorted(set(query) - set(FILTERS))
    if unknown:
        raise FilterError(
            _("Onbekende parameter: %(names)s. Mogelijk zijn: gemeente, provincie.")
            % {"names": ", ".join(unknown)}
        )
    values = {}
    for name in FILTERS:
        given = query.getlist(name)
        if len(given) > 1:
            raise FilterError(_("Geef %(name)s maar één keer op.") % {"name": name})
        value = given[0].strip() if given else ""
        if len(value) > MAX_FILTER_LENGTH or "\x00" in value:
            raise FilterError(_("De waarde van %(name)s is ongeldig.") % {"name": name})
        values[name] = value
    gemeente = values["gemeente"]
    if gemeente and not (slug_re.fullmatch(gemeente) or CBS_CODE.fullmatch(gemeente)):
        raise FilterError(
            _("gemeente moet het adres (zoals 'amsterdam') of de CBS-code (zoals 'GM0363') zijn.")
        )
    return ApiFilters(gemeente=gemeente, provincie=values["provincie"])


def resolve(filters: ApiFilters) -> Scope:
    """The municipality and province the filters name (at most one query)."""
    municipality = None
    if filters.gemeente:
        field = "code" if CBS_CODE.fullmatch(filters.gemeente) else "slug"
        municipality = Municipality.objects.filter(
            **{field: filters.gemeente.upper() if field == "code" else filters.gemeente.lower()}
        ).first()
        if municipality is None:
            raise UnknownPlace(_("Deze gemeente kennen we niet: %(v)s.") % {"v": filters.gemeente})
    province = ""
    if filters.provincie:
        province = next((p for p in provinces() if p.lower() == filters.provincie.lower()), None)
        if province is None:
            raise UnknownPlace(
                _("Deze provincie kennen we niet: %(v)s. Mogelijk zijn: %(all)s.")
                % {"v": filters.provincie, "all": ", ".join(provinces())}
            )
    return Scope(municipality=municipality, province=province)


def provinces() -> list[str]:
    """The twelve provinces, by name (cached: reference data)."""
    return cache.get_or_set(
        "opendata:provinces",
        lambda: list(
            Municipality.objects.order_by("province").values_list("province", flat=True).distinct()
        ),
        FIGURES_CACHE_SECONDS,
    )


# Groups ---------------------------------------------------------------------------------------


def api_groups(scope: Scope):
    """The active groups in scope with what their rows need (one query)."""
    groups = (
        Group.objects.active()
        .for_listing()
        .annotate(coverage_count=Count("coverage", distinct=True))
        .order_by("name", "pk")
    )
    if scope.municipality is not None:
        groups = groups.filter(municipality=scope.municipality)
    if scope.province:
        groups = groups.filter(
            Q(municipality__province=scope.province)
            | Q(municipality__isnull=True, area__province=scope.province)
        )
    return groups


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def group_row(group: Group, page: str) -> dict:
    """A group's public facts under their v1 names (see the docs page for each field);
    `page` is the address of a group's page with SLUG_PLACEHOLDER for its slug."""
    area, municipality = group.area, group.municipality
    last, police = group.last_confirmed_at, group.police_confirmed_at
    return {
        "id": group.slug,
        "name": group.name,
        "url": absolute(page.replace(SLUG_PLACEHOLDER, group.slug)),
        "platform": group.platform,
        "postcode_area": area.code,
        "place": area.place,
        "municipality": municipality.name if municipality else None,
        "municipality_code": municipality.code if municipality else None,
        "municipality_slug": municipality.slug if municipality else None,
        "province": (municipality.province if municipality else "") or area.province or None,
        "latitude": _coordinate(area.latitude),
        "longitude": _coordinate(area.longitude),
        "covered_postcodes": group.coverage_count,
        # The admin's own rough count, as the group's page shows it ("about 40 members").
        "member_count_approx": group.member_count,
        "registered_with_municipality": group.registered_with_municipality,
        "registered_with_police": group.registered_with_police,
        # The day only: who confirmed it and when exactly stays with the police.
        "police_confirmed_on": timezone.localdate(police).isoformat() if police else None,
        "trained_admin": group.has_trained_admin,
        "verified": group.is_verified,
        # The month, as the group's page and the map show it.
        "last_confirmed": timezone.localtime(last).strftime("%Y-%m") if last else None,
    }


def group_rows(scope: Scope) -> list[dict]:
    # One reverse() for all rows, as the map's list does (groups.maps.views.with_links).
    page = group_url_template("groups:detail")
    return [group_row(group, page) for group in api_groups(scope).iterator(chunk_size=2000)]


# Municipalities -------------------------------------------------------------------------------


def _postcode_counts() -> dict[int, tuple[int, int]]:
    """Per municipality: (PC6 postcodes, those an active group covers) (one query, cached per
    data version: it reads all 460,000 postcodes)."""

    def count():
        covered = Coverage.objects.filter(group__status=GroupStatus.ACTIVE).values("postcode")
        rows = (
            Postcode.objects.filter(municipality__isnull=False)
            .order_by()
            .values("municipality")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(pk__in=covered)))
            .values_list("municipality", "total", "covered")
        )
        return {pk: (total, covered) for pk, total, covered in rows}

    return cache.get_or_set(
        MapVersion.cache_key("opendata-postcodes"), count, FIGURES_CACHE_SECONDS
    )


def _group_counts() -> dict[int, dict[str, int]]:
    """Per municipality: its active groups and how many of them have each mark (one query)."""
    rows = (
        Group.objects.active()
        .filter(municipality__isnull=False)
        .with_trained_admin()
        .order_by()
        .values("municipality")
        .annotate(
            groups=Count("pk"),
            trained=Count("pk", filter=Q(has_trained_admin=True)),
            municipality_registered=Count("pk", filter=Q(registered_with_municipality=True)),
            police_registered=Count("pk", filter=Q(registered_with_police=True)),
            police_confirmed=Count("pk", filter=Q(police_confirmed_at__isnull=False)),
        )
    )
    return {row.pop("municipality"): row for row in rows}


def municipality_rows(scope: Scope) -> list[dict]:
    """Every municipality in scope with its figures, shares in whole percent (three queries)."""
    municipalities = Municipality.objects.order_by("name")
    if scope.municipality is not None:
        municipalities = municipalities.filter(pk=scope.municipality.pk)
    if scope.province:
        municipalities = municipalities.filter(province=scope.province)
    postcodes, groups = _postcode_counts(), _group_counts()
    none = {
        "groups": 0,
        "trained": 0,
        "municipality_registered": 0,
        "police_registered": 0,
        "police_confirmed": 0,
    }
    page = reverse("groups:municipality", kwargs={"slug": SLUG_PLACEHOLDER})
    rows = []
    for municipality in municipalities:
        total, covered = postcodes.get(municipality.pk, (0, 0))
        counts = groups.get(municipality.pk, none)
        active = counts["groups"]
        rows.append(
            {
                "code": municipality.code,
                "name": municipality.name,
                "slug": municipality.slug,
                "province": municipality.province,
                "url": absolute(page.replace(SLUG_PLACEHOLDER, municipality.slug)),
                "active_groups": active,
                "postcodes": total,
                "covered_postcodes": covered,
                "coverage_share": _share(covered, total),
                "groups_with_trained_admin": counts["trained"],
                "trained_admin_share": _share(counts["trained"], active),
                "registered_with_municipality": counts["municipality_registered"],
                "registered_with_municipality_share": _share(
                    counts["municipality_registered"], active
                ),
                "registered_with_police": counts["police_registered"],
                "registered_with_police_share": _share(counts["police_registered"], active),
                "police_confirmed": counts["police_confirmed"],
                "police_confirmed_share": _share(counts["police_confirmed"], active),
            }
        )
    return rows

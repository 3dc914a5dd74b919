"""Coverage per postcode area (PC4): the facts behind the gap map and its table.

    areas = coverage_areas().filter(municipality=m)
    areas.coverage_counts()     -> {"2611": (354, 72), ...}: postcodes, covered (one query)
    municipality_area_facts(m)  -> [AreaFacts, ...], gaps first (two queries)
    waiting_by_area(m)          -> {"2611": 2, ...} (one query; staff only, never public)
    country_coverage()          -> the compact data of /kaart/dekking.json (two queries)

An area's status:

- "covered": an active group covers at least one of its postcodes (PC6);
- "located": an active group is located in the area but none of its postcodes is covered;
- "none": neither, a gap.

Everything but the waiting list changes only with groups and their coverage (MapVersion),
so callers cache it per data version. Waiting-list counts are personal data: they are read
apart, for the municipality's staff and the board only, and never put in a public response.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import WAITING_LIST_KEEP, Coverage, Group, GroupStatus, WaitingListEntry
from postcodes.models import Area, AreaQuerySet, Municipality, Postcode

COVERED, LOCATED, NONE = "covered", "located", "none"
# Gaps first: the order of the table and of the JSON's status numbers.
STATUSES = (NONE, LOCATED, COVERED)
STATUS_LABELS = {
    NONE: gettext_lazy("Geen groep"),
    LOCATED: gettext_lazy("Groep aanwezig, geen postcodes gedekt"),
    COVERED: gettext_lazy("Gedekt door een groep"),
}
# Three decimals is about 100 m: plenty for an area's centroid.
COORDINATE_DECIMALS = 3
# The PC4 polygons the browser draws (postcodes/static/postcodes/boundaries/README.md).
TOPOLOGY = Path(settings.BASE_DIR) / "postcodes/static/postcodes/boundaries/postcode4_2024.topojson"
TOPOLOGY_STATIC = "postcodes/boundaries/postcode4_2024.topojson"
TOPOLOGY_OBJECT = "postcode4_2024"


class AreaCoverageQuerySet(AreaQuerySet):
    """Postcode areas with the reads of the gap map (postcodes knows nothing of groups)."""

    def with_located_group(self):
        """Annotate `has_group`: an active group is located in the area."""
        return self.annotate(has_group=Exists(Group.objects.active().filter(area=OuterRef("pk"))))

    def coverage_counts(self) -> dict[str, tuple[int, int]]:
        """Per area of this queryset: (PC6 postcodes, those an active group covers) (one query).

        Grouped over the postcodes against one hashed set of the covered ones, not counted
        in a subquery per area: for the whole country (4,087 areas, 460,000 postcodes,
        110,000 covered) that is 0.4 s, where correlated subqueries cost more and, by their
        estimate, pull in PostgreSQL's JIT compiler (another second).
        """
        covered = Coverage.objects.filter(group__status=GroupStatus.ACTIVE).values("postcode")
        rows = (
            Postcode.objects.filter(area__in=self.values("pk"))
            .order_by()
            .values("area")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(pk__in=covered)))
            .values_list("area", "total", "covered")
        )
        return {area: (total, covered) for area, total, covered in rows}


def coverage_areas() -> AreaCoverageQuerySet:
    """Every postcode area, as a queryset with the gap map's reads."""
    return AreaCoverageQuerySet(model=Area)


def status_of(covered: int, has_group: bool) -> str:
    if covered:
        return COVERED
    return LOCATED if has_group else NONE


def share_of(covered: int, total: int) -> int:
    """The covered share in whole percent, rounded, but never 0 unless none is covered and
    never 100 unless every postcode is."""
    if not total:
        return 0
    return min(
        max(round(100 * covered / total), 1 if covered else 0), 99 if covered < total else 100
    )


@functools.cache
def polygon_codes() -> frozenset[str]:
    """The PC4 codes the bundled TopoJSON has a polygon for (read once per process)."""
    with TOPOLOGY.open(encoding="utf-8") as f:
        geometries = json.load(f)["objects"][TOPOLOGY_OBJECT]["geometries"]
    return frozenset(f"{g['properties']['postcode']:04d}" for g in geometries)


@dataclass(frozen=True)
class AreaFacts:
    """The gap map's facts about one postcode area (public: no waiting list)."""

    code: str
    place: str
    postcodes: int
    covered: int
    has_group: bool
    latitude: float | None
    longitude: float | None

    @property
    def status(self) -> str:
        return status_of(self.covered, self.has_group)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def share(self) -> int:
        return share_of(self.covered, self.postcodes)

    @property
    def has_polygon(self) -> bool:
        return self.code in polygon_codes()

    def as_json(self) -> dict:
        """For gaps.js: the centroid only where no polygon is drawn (the circle's centre)."""
        data = {
            "code": self.code,
            "place": self.place,
            "status": self.status,
            "postcodes": self.postcodes,
            "covered": self.covered,
            "share": self.share,
        }
        if not self.has_polygon and self.latitude is not None and self.longitude is not None:
            data["lat"] = round(self.latitude, COORDINATE_DECIMALS)
            data["lon"] = round(self.longitude, COORDINATE_DECIMALS)
        return data


def _sort_key(facts: AreaFacts) -> tuple:
    return (STATUSES.index(facts.status), facts.share, facts.code)


def area_facts(areas: AreaCoverageQuerySet, *fields: str) -> list[tuple[AreaFacts, tuple]]:
    """Each area's facts, with the values of `fields` of the area (two queries)."""
    counts = areas.coverage_counts()
    rows = areas.with_located_group().values_list(
        "code", "place", "has_group", "latitude", "longitude", *fields
    )
    return [
        (
            AreaFacts(
                code=code,
                place=place,
                postcodes=counts.get(code, (0, 0))[0],
                covered=counts.get(code, (0, 0))[1],
                has_group=has_group,
                latitude=latitude,
                longitude=longitude,
            ),
            extra,
        )
        for code, place, has_group, latitude, longitude, *extra in rows
    ]


def municipality_area_facts(municipality: Municipality) -> list[AreaFacts]:
    """The municipality's postcode areas with their coverage: gaps first, then areas with
    only a group located there, then the covered ones, least covered first (two queries)."""
    facts = [f for f, _extra in area_facts(coverage_areas().filter(municipality=municipality))]
    return sorted(facts, key=_sort_key)


def waiting_by_area(municipality: Municipality) -> dict[str, int]:
    """Residents waiting per postcode area of the municipality: confirmed entries within
    their retention that were not told about a group yet (one query). Personal data: for
    the municipality's staff and the board only."""
    rows = (
        WaitingListEntry.objects.confirmed()
        .filter(
            area__municipality=municipality,
            notified_at__isnull=True,
            created_at__gte=timezone.now() - WAITING_LIST_KEEP,
        )
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values_list("area", "n")
    )
    return dict(rows)


def country_coverage() -> dict:
    """Every postcode area's coverage, compact, for the country-wide gap layer (two queries).

        {"statuses": ["none", "located", "covered"],
         "municipalities": [["delft", "Delft", "Zuid-Holland"], ...],
         "areas": [[2611, status, postcodes, covered, share, "Delft", municipality], ...],
         "points": {"1099": [52.3, 4.9], ...}}

    `status` and `municipality` index the lists above (municipality -1: none); `points`
    holds the centroids of the areas that have no polygon, drawn as circles.
    """
    municipalities: dict[str, int] = {}
    municipality_rows: list[list[str]] = []
    areas, points = [], {}
    polygons = polygon_codes()
    rows = area_facts(
        coverage_areas().order_by("code"),
        "municipality__slug",
        "municipality__name",
        "municipality__province",
    )
    for facts, (slug, name, province) in rows:
        if slug is None:
            index = -1
        elif slug in municipalities:
            index = municipalities[slug]
        else:
            index = municipalities[slug] = len(municipality_rows)
            municipality_rows.append([slug, name, province])
        code = facts.code
        status = STATUSES.index(facts.status)
        row = [int(code), status, facts.postcodes, facts.covered, facts.share, facts.place, index]
        areas.append(row)
        if code not in polygons and facts.latitude is not None and facts.longitude is not None:
            points[code] = [
                round(facts.latitude, COORDINATE_DECIMALS),
                round(facts.longitude, COORDINATE_DECIMALS),
            ]
    return {
        "statuses": list(STATUSES),
        "municipalities": municipality_rows,
        "areas": areas,
        "points": points,
    }


# For gaps.js ---------------------------------------------------------------------------------

# CBS asks for this wherever postcode-area boundaries are shown (see the boundaries README).
ATTRIBUTION = "Postcodegebieden © CBS, © ESRI Nederland"


def gap_config(*, areas: list[dict] | None = None, toggle: bool = False) -> dict:
    """What gaps.js needs, through json_script: the polygons' address and either this page's
    areas (`AreaFacts.as_json`) or the address of the country's data, with the labels."""
    return {
        "topology": static(TOPOLOGY_STATIC),
        "object": TOPOLOGY_OBJECT,
        "areas": areas,
        # Language-neutral data: one address for both languages' pages.
        "data": "" if areas is not None else _dutch_reverse("groups:map_coverage"),
        "toggle": toggle,
        # The municipality page's table of the same facts, for the chosen municipality.
        "tableUrl": reverse("groups:municipality", kwargs={"slug": "__slug__"})
        + "#dekking-gebieden",
        "attribution": ATTRIBUTION,
        "labels": {
            "statuses": {status: str(label) for status, label in STATUS_LABELS.items()},
            "postcodes": _("Postcodes"),
            "covered": _("Postcodes met een groep"),
            "share": _("Aandeel gedekt"),
            "approximate": _("ligging bij benadering"),
        },
    }


def _dutch_reverse(name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name)

"""Reading coverage input, and summarising coverage as ranges.

    parse_coverage("1011AB-1011AD, 1012\\n1013 XY")
        -> CoverageParse(postcodes=["1011AB", "1011AC", ..., "1012AA", ...],
                         ignored=[("1013 XY", "Deze postcode kennen we niet.")])

Input may hold ranges (`1234AB-1234AZ`, `1234AB - AZ`, `1234AB t/m 1234AZ`), whole areas (`1234`),
single postcodes (`1234AB`, `1234 ab`) and anything separated by commas, semicolons, spaces or
new lines (a pasted list). Every postcode is checked against the known postcodes; what is left
out comes back with the reason, in Dutch, for the admin to read.

    summarise_ranges(covered, known) -> ["1234AB–1234AZ", "1235"]

Coverage stays near the group: plan_coverage() splits new postcodes into those a group may
cover at once and those the board decides on (groups.models.CoverageClaim).

    plan_coverage(group.area, ["1011AB", "3511AA"], covered=3)
        -> CoveragePlan(accepted=["1011AB"], too_far=["3511AA"], over_limit=[], farthest_km=35.4)
"""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from postcodes.models import Area, Postcode, haversine_km
from postcodes.parsing import parse_postcode

# More than this many postcodes in one go is almost certainly a mistake (a few whole towns).
MAX_POSTCODES = 5000
# Ranges and areas cost one query each; a pasted list of single postcodes costs one in all.
MAX_RANGES = 100

# How far and how much a group may cover without the board, measured on the real postcode data
# (GeoNames: 4,068 PC4 areas that hold PC6 postcodes; distances between area centroids):
#
#   PC6 postcodes per PC4 area          median 82, 90th percentile 271, largest 395
#   distance to the nearest other area  median 1.4 km; 99% of areas have one within 5 km
#   ... to the 3rd nearest              median 2.5 km; 94% within 5 km
#   ... to the 6th nearest (an area's   median 3.6 km; 80% within 5 km (the rest is rural,
#       usual ring of neighbours)       where the neighbouring village has its own group)
#   an area with its six nearest        median 781 PC6 postcodes, 90th percentile 1,433
#
# So within 5 km of the group's area centroid a town group reaches its own area and every
# neighbouring one (Amsterdam 1011: all six within 1.8 km; Assen 9401: within 2.8 km); farther
# is another town. 1,200 postcodes are three whole areas of even the largest size, or about
# fourteen of the median one: more than any neighbourhood needs. Beyond either limit the
# board decides (a CoverageClaim).
MAX_COVERAGE_KM = 5.0
MAX_COVERAGE_POSTCODES = 1200

_PC6 = r"\d{4}\s?[A-Z]{2}(?![A-Z])"
_TOKEN = re.compile(
    rf"""
      (?P<range>(?P<start>{_PC6})\s*(?:-|–|—|T/M|TOT\s+EN\s+MET)\s*(?P<end>(?:\d{{4}}\s?)?[A-Z]{{2}})(?![A-Z]))
    | (?P<pc6>{_PC6})
    | (?P<pc4>\d{{4}})(?![\dA-Z])
    | (?P<other>[^\s,;]+)
    """,
    re.VERBOSE | re.ASCII,
)


class CoverageParse(NamedTuple):
    """Known PC6 codes (sorted, unique) and the input left out, each with a Dutch reason."""

    postcodes: list[str]
    ignored: list[tuple[str, str]]


def parse_coverage(text: str) -> CoverageParse:
    """Read coverage input and check it against the known postcodes."""
    text = (text or "").upper()
    found: set[str] = set()
    ignored: list[tuple[str, str]] = []
    singles: dict[str, str] = {}  # code -> the input as typed
    ranges = 0

    for match in _TOKEN.finditer(text):
        raw = " ".join(match.group(0).split())
        if match.group("other"):
            ignored.append((raw, _("Dit is geen postcode.")))
            continue
        try:
            if match.group("range"):
                start = parse_postcode(match.group("start")).code
                end_text = match.group("end").replace(" ", "")
                end = parse_postcode(end_text if len(end_text) == 6 else start[:4] + end_text).code
            else:
                code = parse_postcode(match.group(0), allow_area=True).code
        except ValidationError as error:
            ignored.append((raw, error.messages[0]))
            continue

        if match.group("pc6"):
            singles[code] = raw
            continue
        ranges += 1
        if ranges > MAX_RANGES:
            ignored.append((raw, _("Te veel reeksen in één keer; voeg de rest daarna apart toe.")))
            continue
        if match.group("range"):
            if start > end:
                ignored.append((raw, _("De eerste postcode komt na de laatste.")))
                continue
            codes = Postcode.objects.filter(code__gte=start, code__lte=end)
            empty = _("In deze reeks liggen geen bekende postcodes.")
        else:
            codes = Postcode.objects.filter(area_id=code)
            empty = _("Dit postcodegebied kennen we niet.")
        codes = list(codes.order_by("code").values_list("code", flat=True)[: MAX_POSTCODES + 1])
        if not codes:
            ignored.append((raw, empty))
        elif len(found) + len(codes) > MAX_POSTCODES:
            ignored.append((raw, _("Te veel postcodes in één keer.")))
        else:
            found.update(codes)

    if singles:
        known = set(Postcode.objects.filter(code__in=list(singles)).values_list("code", flat=True))
        for code, raw in singles.items():
            if code not in known:
                ignored.append((raw, _("Deze postcode kennen we niet.")))
            elif code not in found and len(found) >= MAX_POSTCODES:
                ignored.append((raw, _("Te veel postcodes in één keer.")))
            else:
                found.add(code)

    return CoverageParse(postcodes=sorted(found), ignored=ignored)


def summarise_ranges(covered: list[str], known: list[str]) -> list[str]:
    """Covered PC6 codes as ranges of consecutive known postcodes; a whole area as its PC4.

    `known` is every known postcode of the areas involved. A run of covered postcodes
    with no known postcode missing in between is one range (`1234AB–1234AZ`); an area
    whose known postcodes are all covered is just `1234`.
    """
    covered_set = set(covered)
    by_area: dict[str, list[str]] = {}
    for code in sorted(set(known) | covered_set):
        by_area.setdefault(code[:4], []).append(code)

    parts: list[str] = []
    for area, codes in sorted(by_area.items()):
        if not any(code in covered_set for code in codes):
            continue
        if all(code in covered_set for code in codes):
            parts.append(area)
            continue
        run: list[str] = []
        for code in [*codes, None]:
            if code is not None and code in covered_set:
                run.append(code)
                continue
            if run:
                parts.append(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}")
                run = []
    return parts


def ranges_of(codes) -> list[str]:
    """PC6 codes for display as ranges and whole areas (summarise_ranges; one query)."""
    codes = sorted(set(codes))
    if not codes:
        return []
    areas = {code[:4] for code in codes}
    known = Postcode.objects.filter(area_id__in=areas).values_list("code", flat=True)
    return summarise_ranges(codes, list(known))


class CoveragePlan(NamedTuple):
    """New PC6 codes split: covered at once, or for the board (too far, or too many)."""

    accepted: list[str]
    too_far: list[str]
    over_limit: list[str]
    # The distance of the farthest postcode area in `too_far`, when known.
    farthest_km: float | None


def plan_coverage(area: Area, postcodes, *, covered: int = 0) -> CoveragePlan:
    """Split new PC6 codes for a group located in `area` that already covers `covered`.

    A postcode in the group's own area, or in an area whose centroid lies within
    MAX_COVERAGE_KM of the group's, is near; farther, or of unknown location, is too far.
    The near ones are accepted if the total stays within MAX_COVERAGE_POSTCODES; otherwise
    they all go to the board (half an area would be a strange result).
    """
    codes = sorted(set(postcodes))
    centroids = {
        code: (lat, lon)
        for code, lat, lon in Area.objects.located()
        .filter(code__in={c[:4] for c in codes})
        .values_list("code", "latitude", "longitude")
    }
    located = area.latitude is not None and area.longitude is not None
    near, too_far, farthest = [], [], None
    for code in codes:
        pc4 = code[:4]
        if pc4 == area.code:
            near.append(code)
            continue
        if not located or pc4 not in centroids:
            too_far.append(code)
            continue
        km = haversine_km(area.latitude, area.longitude, *centroids[pc4])
        if km <= MAX_COVERAGE_KM:
            near.append(code)
        else:
            too_far.append(code)
            farthest = km if farthest is None else max(farthest, km)
    if covered + len(near) > MAX_COVERAGE_POSTCODES:
        return CoveragePlan([], too_far, near, farthest)
    return CoveragePlan(near, too_far, [], farthest)


def coverage_for_the_board(plan) -> list[tuple[str, str]]:
    """What of a CoveragePlan or CoverageOutcome waits for the board, as (postcodes as ranges,
    the reason in Dutch) for the admin to read."""
    from django.utils.formats import number_format

    rows = []
    if plan.too_far:
        if plan.farthest_km is None:
            reason = _(
                "Ligt verder dan %(km)s km van het postcodegebied van de groep, of we weten niet "
                "waar. Het bestuur beslist of de groep hier komt."
            ) % {"km": number_format(round(MAX_COVERAGE_KM))}
        else:
            reason = _(
                "Ligt verder dan %(km)s km van het postcodegebied van de groep (tot %(farthest)s "
                "km). Het bestuur beslist of de groep hier komt."
            ) % {
                "km": number_format(round(MAX_COVERAGE_KM)),
                "farthest": number_format(round(plan.farthest_km)),
            }
        rows.append((", ".join(ranges_of(plan.too_far)), reason))
    if plan.over_limit:
        reason = _(
            "Daarmee zou de groep meer dan %(max)s postcodes dekken. Het bestuur beslist of dat "
            "nodig is."
        ) % {"max": number_format(MAX_COVERAGE_POSTCODES, 0, force_grouping=True)}
        rows.append((", ".join(ranges_of(plan.over_limit)), reason))
    if getattr(plan, "waiting", None):
        rows.append((", ".join(ranges_of(plan.waiting)), _("Ligt al bij het bestuur.")))
    return rows

"""Reading coverage input, and summarising coverage as ranges.

    parse_coverage("1011AB-1011AD, 1012\\n1013 XY")
        -> CoverageParse(postcodes=["1011AB", "1011AC", ..., "1012AA", ...],
                         ignored=[("1013 XY", "Deze postcode kennen we niet.")])

Input may hold ranges (`1234AB-1234AZ`, `1234AB - AZ`, `1234AB t/m 1234AZ`), whole areas (`1234`),
single postcodes (`1234AB`, `1234 ab`) and anything separated by commas, semicolons, spaces or
new lines (a pasted list). Every postcode is checked against the known postcodes; what is left
out comes back with the reason, in Dutch, for the admin to read.

    summarise_ranges(covered, known) -> ["1234AB–1234AZ", "1235"]
"""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from postcodes.models import Postcode
from postcodes.parsing import parse_postcode

# More than this many postcodes in one go is almost certainly a mistake (a few whole towns).
MAX_POSTCODES = 5000
# Ranges and areas cost one query each; a pasted list of single postcodes costs one in all.
MAX_RANGES = 100

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

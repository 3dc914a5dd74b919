"""Bulk import of GeoNames postal-code files into municipalities, PC4 areas and PC6 postcodes.

    report = import_files(["postcodes/data/NL.txt", "postcodes/data/NL_full.txt.gz"])

The files are tab-separated without a header (GeoNames' `export/zip` format, 12 columns):
country, postal code, place, province (admin name1), admin code1, municipality (admin name2),
admin code2, admin name3, admin code3, latitude, longitude, accuracy. Each row is a PC4 area
(`9401`) or a PC6 postcode (`9401 AB`), decided per row, so one file may hold both.

The rows are parsed and checked in Python, copied into a temporary staging table (COPY), and
then upserted in a few set-based statements. The import is idempotent: an upsert only writes a
row whose values differ, so a re-run of the same files reports nothing inserted or updated.
Rows that are no longer in the data are left alone (groups may still refer to them).

How the real quirks are handled:
- A PC4 code with several rows (an area spanning places): the main place is the first row with
  accuracy 6 (a centroid), else the first row; `places` lists every place, the main one first.
  The coordinates are the mean of the accuracy-6 rows, else the mean of all rows.
- A PC6 code that appears twice (once per place it spans): one postcode, the first row's place.
- An area without coordinates keeps null coordinates (area 5028 in the PC6 file).
- Municipalities are today's (CBS 2025, with their codes), not GeoNames' names of years ago:
  postcodes.municipalities gives each area and postcode its 2025 municipality (GeoNames' name
  where that municipality still exists, else the CBS border that holds the area) and records
  each vanished municipality as a FormerMunicipality of its successor.
- PC6 rows of an area that has no PC4 row: the area is created from the PC6 rows. The PC6 data
  decide its municipality; its place and coordinates are only filled in where still empty,
  because the PC4 file is the better source for those.
- Province names in English ("North Holland", "Guelders") become the Dutch names.
"""

import gzip
import io
import re
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from postcodes import boundaries
from postcodes.models import Area, Municipality, Postcode
from postcodes.municipalities import Catalogue, record_former, save_municipalities
from postcodes.parsing import UNUSED_LETTERS, ParsedPostcode, parse_postcode
from postcodes.signals import municipalities_assigned

# GeoNames writes some province names in English; the PC6 file and Dutch users use these.
PROVINCES = {
    "Drenthe": "Drenthe",
    "Flevoland": "Flevoland",
    "Friesland": "Friesland",
    "Fryslân": "Friesland",
    "Frisia": "Friesland",
    "Gelderland": "Gelderland",
    "Guelders": "Gelderland",
    "Groningen": "Groningen",
    "Limburg": "Limburg",
    "Noord-Brabant": "Noord-Brabant",
    "North Brabant": "Noord-Brabant",
    "Noord-Holland": "Noord-Holland",
    "North Holland": "Noord-Holland",
    "Overijssel": "Overijssel",
    "Utrecht": "Utrecht",
    "Zeeland": "Zeeland",
    "Zealand": "Zeeland",
    "Zuid-Holland": "Zuid-Holland",
    "South Holland": "Zuid-Holland",
}

# Why a row was skipped, by code (the codes are what tests and scripts compare).
SKIP_REASONS = {
    "columns": _("verkeerd aantal kolommen (verwacht: 12, gescheiden door tabs)"),
    "country": _("ander land dan NL"),
    "postcode": _("geen geldige postcode"),
    "place": _("plaatsnaam ontbreekt"),
    "too_long": _("naam langer dan 100 tekens (provincie: 50)"),
    "coordinates": _("ongeldige of onvolledige coördinaten"),
    "accuracy": _("ongeldige nauwkeurigheid"),
}

NAME_MAX = 100  # Area.place, Postcode.place, Municipality.name
PROVINCE_MAX = 50
COPY_ROWS = (
    "COPY postcode_import_row "
    "(seq, code, area, place, province, municipality, latitude, longitude, accuracy) FROM STDIN"
)


@dataclass
class ImportReport:
    """What an import read, changed and skipped."""

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_outside_selection: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason code -> rows
    pc4_rows: int = 0
    pc6_rows: int = 0
    pc4_areas: int = 0  # distinct codes in PC4 rows
    pc6_postcodes: int = 0  # distinct codes in PC6 rows
    pc6_duplicates: int = 0  # PC6 rows whose code was already seen (a code spanning places)
    areas_only_in_pc6: int = 0  # areas created or completed from PC6 rows alone
    municipalities_inserted: int = 0
    municipalities_updated: int = 0
    municipalities_merged: int = 0  # stored municipalities of before 2025, merged
    areas_inserted: int = 0
    areas_updated: int = 0
    postcodes_inserted: int = 0
    postcodes_updated: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def changed(self) -> int:
        return (
            self.municipalities_inserted
            + self.municipalities_updated
            + self.municipalities_merged
            + self.areas_inserted
            + self.areas_updated
            + self.postcodes_inserted
            + self.postcodes_updated
        )

    def lines(self) -> list[str]:
        """The report as Dutch lines for the command's output."""
        out = [
            _("Gelezen: %(rows)d regels uit %(files)d bestand(en).")
            % {"rows": self.rows_read, "files": len(self.files)},
            _(
                "  PC4-regels: %(rows)d (%(codes)d postcodegebieden); "
                "PC6-regels: %(pc6rows)d (%(pc6)d postcodes)."
            )
            % {
                "rows": self.pc4_rows,
                "codes": self.pc4_areas,
                "pc6rows": self.pc6_rows,
                "pc6": self.pc6_postcodes,
            },
        ]
        if self.pc6_duplicates:
            out.append(
                _(
                    "  %(count)d PC6-regels herhalen een postcode die in meer plaatsen ligt; "
                    "de eerste plaats is gebruikt."
                )
                % {"count": self.pc6_duplicates}
            )
        if self.areas_only_in_pc6:
            out.append(
                _("  %(count)d postcodegebied(en) staan alleen in de PC6-gegevens.")
                % {"count": self.areas_only_in_pc6}
            )
        if self.rows_outside_selection:
            out.append(
                _("  %(count)d regels vallen buiten de gekozen postcodegebieden.")
                % {"count": self.rows_outside_selection}
            )
        for label, inserted, updated in [
            (_("Gemeenten"), self.municipalities_inserted, self.municipalities_updated),
            (_("Postcodegebieden (PC4)"), self.areas_inserted, self.areas_updated),
            (_("Postcodes (PC6)"), self.postcodes_inserted, self.postcodes_updated),
        ]:
            out.append(
                _("%(label)s: %(inserted)d nieuw, %(updated)d bijgewerkt.")
                % {"label": label, "inserted": inserted, "updated": updated}
            )
        out.append(_("Overgeslagen: %(count)d regels.") % {"count": self.rows_skipped})
        if self.municipalities_merged:
            out.append(
                _("  %(count)d gemeente(n) van voor 2025 samengevoegd met hun opvolger.")
                % {"count": self.municipalities_merged}
            )
        for reason, count in sorted(self.skipped.items()):
            out.append(f"  {count} × {SKIP_REASONS[reason]}")
        if self.dry_run:
            out.append(_("Proefdraai: er is niets opgeslagen."))
        out.append(_("Klaar in %(seconds).1f seconden.") % {"seconds": self.seconds})
        return [str(line) for line in out]


def import_files(
    paths: Iterable[str | Path], *, areas: set[str] | None = None, dry_run: bool = False
) -> ImportReport:
    """Import GeoNames postal-code files (.txt, .txt.gz or .zip) in one transaction.

    `areas` limits the import to rows of these PC4 codes (tests load a small real subset).
    With `dry_run` everything runs and is counted, then rolled back.
    """
    started = time.perf_counter()
    report = ImportReport(files=[str(p) for p in paths], dry_run=dry_run)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The aggregates sort a few hundred thousand rows: keep them in memory.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("DROP TABLE IF EXISTS postcode_import_row")
            cursor.execute(
                """
                CREATE TEMP TABLE postcode_import_row (
                    seq integer NOT NULL,
                    code text NOT NULL,
                    area text NOT NULL,
                    place text NOT NULL,
                    province text NOT NULL,
                    municipality text NOT NULL,
                    latitude float8,
                    longitude float8,
                    accuracy smallint
                ) ON COMMIT DROP
                """
            )
            rows = _parse_rows(report, areas)
            with cursor.copy(COPY_ROWS) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("ANALYZE postcode_import_row")
            _count_staged(cursor, report)
            _upsert_areas(cursor, report)
            _upsert_postcodes(cursor, report)
            # Fresh planner statistics: without them the next queries after a large
            # import (before autovacuum runs) pick nested loops over 460k rows.
            for model in (Municipality, Area, Postcode):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
            _record_former_municipalities(cursor, report)
            municipalities_assigned.send(sender=Area)
            cursor.execute("DROP TABLE postcode_import_row")
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = time.perf_counter() - started
    return report


def _open_lines(path: Path) -> Iterator[str]:
    """The text lines of a .txt, .txt.gz or .zip (every data .txt inside it) file."""
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(".txt") and not Path(m).name.lower().startswith("readme")
            ]
            if not members:
                raise ValueError(_("%(file)s bevat geen .txt-bestand.") % {"file": path})
            for member in members:
                with archive.open(member) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    elif name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as f:
            yield from f
    else:
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from f


# GeoNames writes codes as `1234` or `1234 AB`: those skip the general parser (same result).
_CANONICAL_CODE = re.compile(r"[1-9]\d{3}(?: ([A-Z]{2}))?", re.ASCII)


def _parse_code(raw_code: str) -> ParsedPostcode:
    match = _CANONICAL_CODE.fullmatch(raw_code)
    if match is not None and match.group(1) not in UNUSED_LETTERS:
        return ParsedPostcode(raw_code[:4], match.group(1) or "")
    return parse_postcode(raw_code, allow_area=True)


def _parse_rows(report: ImportReport, areas: set[str] | None) -> Iterator[tuple]:
    """Checked staging rows from every file; counts and skips as it goes."""
    seq = 0
    skipped = report.skipped
    # A PC6 row repeats its area's coordinates: parse each pair once.
    coordinates_of: dict[tuple[str, str], tuple | None] = {}
    for path in report.files:
        for line in _open_lines(Path(path)):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            report.rows_read += 1
            fields = line.split("\t")
            # Some tools drop the trailing empty accuracy column.
            if len(fields) == 11:
                fields.append("")
            if len(fields) != 12:
                skipped["columns"] += 1
                continue
            country, raw_code, place, province = fields[0], fields[1], fields[2], fields[3]
            if country.strip().upper() != "NL":
                skipped["country"] += 1
                continue
            try:
                parsed = _parse_code(raw_code)
            except ValidationError:
                skipped["postcode"] += 1
                continue
            if areas is not None and parsed.area not in areas:
                report.rows_outside_selection += 1
                continue
            place = place.strip()
            municipality = fields[5].strip()
            province = province.strip()
            province = PROVINCES.get(province, province)
            if not place:
                skipped["place"] += 1
                continue
            if (
                len(place) > NAME_MAX
                or len(municipality) > NAME_MAX
                or len(province) > PROVINCE_MAX
            ):
                skipped["too_long"] += 1
                continue
            key = (fields[9], fields[10])
            if key in coordinates_of:
                coordinates = coordinates_of[key]
            else:
                coordinates = coordinates_of[key] = _coordinates(*key)
            if coordinates is None:
                skipped["coordinates"] += 1
                continue
            accuracy = fields[11].strip()
            if accuracy and not (accuracy.isascii() and accuracy.isdigit() and len(accuracy) < 3):
                skipped["accuracy"] += 1
                continue
            if parsed.is_area:
                report.pc4_rows += 1
            else:
                report.pc6_rows += 1
            seq += 1
            yield (
                seq,
                parsed.code,
                parsed.area,
                place,
                province,
                municipality,
                coordinates[0],
                coordinates[1],
                int(accuracy) if accuracy else None,
            )


def _coordinates(latitude: str, longitude: str) -> tuple[float | None, float | None] | None:
    """(lat, lon), (None, None) when both are empty, or None when they are not usable."""
    latitude, longitude = latitude.strip(), longitude.strip()
    if not latitude and not longitude:
        return (None, None)
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None
    # The comparisons are False for nan and inf too.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return (lat, lon)


def _count_staged(cursor, report: ImportReport) -> None:
    cursor.execute(
        """
        SELECT count(DISTINCT code) FILTER (WHERE length(code) = 4),
               count(DISTINCT code) FILTER (WHERE length(code) = 6)
        FROM postcode_import_row
        """
    )
    report.pc4_areas, report.pc6_postcodes = cursor.fetchone()
    report.pc6_duplicates = report.pc6_rows - report.pc6_postcodes


def _assign_municipalities(cursor, report: ImportReport) -> None:
    """Each area's 2025 municipality (postcodes.municipalities), the municipalities saved.

    Leaves two temporary tables: postcode_import_area_municipality (area → municipality) and
    postcode_import_municipality_name (a GeoNames name of 2025 → its municipality).
    """
    catalogue = Catalogue()
    points = boundaries.area_points()
    cursor.execute(
        "SELECT code, coalesce(pc6_municipality, pc4_municipality), longitude, latitude "
        "FROM postcode_import_area"
    )
    chosen, used = {}, {}
    for code, name, lon, lat in cursor.fetchall():
        point = points.get(code) or ((lon, lat) if lat is not None else None)
        region = catalogue.for_area(name, point)
        if region is not None:
            chosen[code] = region
            used.setdefault(region, [])
            if point is not None:
                used[region].append(point)
    cursor.execute("SELECT DISTINCT municipality FROM postcode_import_row WHERE municipality <> ''")
    named = {}
    for (name,) in cursor.fetchall():
        region = catalogue.named(name)
        if region is not None:
            named[name] = region
            used.setdefault(region, [])
    ids, report.municipalities_inserted, report.municipalities_updated = save_municipalities(
        catalogue, used, PROVINCES
    )
    cursor.execute(
        "CREATE TEMP TABLE postcode_import_area_municipality "
        "(code text PRIMARY KEY, municipality_id bigint) ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO postcode_import_area_municipality VALUES (%s, %s)",
        [(code, ids[region.code]) for code, region in chosen.items()],
    )
    cursor.execute(
        "CREATE TEMP TABLE postcode_import_municipality_name "
        "(name text PRIMARY KEY, municipality_id bigint) ON COMMIT DROP"
    )
    cursor.executemany(
        "INSERT INTO postcode_import_municipality_name VALUES (%s, %s)",
        [(name, ids[region.code]) for name, region in named.items()],
    )


def _record_former_municipalities(cursor, report: ImportReport) -> None:
    """GeoNames names of municipalities that no longer exist: each redirects (and a stored
    one is merged) to the municipality most of its postcodes are in now."""
    cursor.execute(
        """
        SELECT DISTINCT municipality FROM postcode_import_row
        WHERE municipality <> ''
          AND municipality NOT IN (SELECT name FROM postcode_import_municipality_name)
        """
    )
    vanished = [name for (name,) in cursor.fetchall()]
    successors = {}
    if vanished:
        cursor.execute(
            """
            SELECT r.municipality, mode() WITHIN GROUP (ORDER BY p.municipality_id)
            FROM postcode_import_row r
            JOIN postcodes_postcode p ON p.code = r.code
            WHERE r.municipality = ANY(%s) AND length(r.code) = 6
              AND p.municipality_id IS NOT NULL
            GROUP BY r.municipality
            """,
            [vanished],
        )
        successors = dict(cursor.fetchall())
    report.municipalities_merged = record_former(successors)
    cursor.execute(
        "DROP TABLE postcode_import_area_municipality, postcode_import_municipality_name"
    )


# One row per area in this import. PC4 rows decide place, places and coordinates; PC6 rows
# those of areas without a PC4 row, and the municipality of every area they cover.
_AREA_SOURCE = """
CREATE TEMP TABLE postcode_import_area ON COMMIT DROP AS
WITH pc4 AS (
    SELECT *, row_number() OVER (
        PARTITION BY area ORDER BY (accuracy = 6) IS NOT TRUE, seq
    ) AS rank
    FROM postcode_import_row WHERE length(code) = 4
),
pc4_places AS (
    SELECT area, array_agg(place ORDER BY first_rank) AS places
    FROM (SELECT area, place, min(rank) AS first_rank FROM pc4 GROUP BY area, place) p
    GROUP BY area
),
pc4_area AS (
    SELECT area,
        min(place) FILTER (WHERE rank = 1) AS place,
        min(province) FILTER (WHERE rank = 1) AS province,
        mode() WITHIN GROUP (ORDER BY municipality) FILTER (WHERE municipality <> '')
            AS municipality,
        round(coalesce(avg(latitude::numeric) FILTER (WHERE accuracy = 6),
                       avg(latitude::numeric)), 6)::float8 AS latitude,
        round(coalesce(avg(longitude::numeric) FILTER (WHERE accuracy = 6),
                       avg(longitude::numeric)), 6)::float8 AS longitude
    FROM pc4 GROUP BY area
),
pc6 AS (
    SELECT * FROM postcode_import_row WHERE length(code) = 6
),
pc6_places AS (
    SELECT area, place, count(*) AS n, min(seq) AS first_seq FROM pc6 GROUP BY area, place
),
pc6_area AS (
    SELECT a.area, a.municipality, a.province, a.latitude, a.longitude,
           p.places, p.places[1] AS place
    FROM (
        SELECT area,
            mode() WITHIN GROUP (ORDER BY municipality) FILTER (WHERE municipality <> '')
                AS municipality,
            mode() WITHIN GROUP (ORDER BY province) AS province,
            round(avg(latitude::numeric), 6)::float8 AS latitude,
            round(avg(longitude::numeric), 6)::float8 AS longitude
        FROM pc6 GROUP BY area
    ) a
    JOIN (
        SELECT area, array_agg(place ORDER BY n DESC, first_seq) AS places
        FROM pc6_places GROUP BY area
    ) p USING (area)
)
SELECT area AS code,
    a4.area IS NOT NULL AS from_pc4,
    coalesce(a4.place, a6.place) AS place,
    coalesce(p4.places, a6.places) AS places,
    coalesce(a4.province, a6.province) AS province,
    a6.municipality AS pc6_municipality,
    a4.municipality AS pc4_municipality,
    coalesce(a4.latitude, a6.latitude) AS latitude,
    coalesce(a4.longitude, a6.longitude) AS longitude
FROM pc4_area a4
LEFT JOIN pc4_places p4 USING (area)
FULL JOIN pc6_area a6 USING (area)
"""

# The values to store. The municipality is the most common one among the area's PC6 rows in
# this import, else among its postcodes already stored, else the PC4 row's name: GeoNames names
# a few areas on the PC4 row after a municipality that holds only one of their postcodes
# (2451 Uithoorn: 123 of its postcodes lie in Kaag en Braassem). The province follows the
# municipality when there is one.
_AREA_VALUES = """
CREATE TEMP TABLE postcode_import_area_values ON COMMIT DROP AS
SELECT s.code, s.from_pc4, s.place, s.places, s.latitude, s.longitude, m.id AS municipality_id,
       coalesce(m.province, s.province) AS province
FROM postcode_import_area s
LEFT JOIN postcode_import_area_municipality am ON am.code = s.code
LEFT JOIN postcodes_municipality m ON m.id = am.municipality_id
"""


# Each upsert returns the keys it wrote. Its outer SELECT sees the table as it was before the
# statement, so a returned key that was already there is an update, any other an insert.


def _upsert_areas(cursor, report: ImportReport) -> None:
    cursor.execute(_AREA_SOURCE)
    _assign_municipalities(cursor, report)
    cursor.execute(_AREA_VALUES)
    cursor.execute("SELECT count(*) FROM postcode_import_area WHERE NOT from_pc4")
    report.areas_only_in_pc6 = cursor.fetchone()[0]
    # Areas with PC4 rows: the PC4 data are the source, but an unknown municipality or
    # missing coordinates never erase a value stored earlier.
    cursor.execute(
        """
        WITH up AS (
            INSERT INTO postcodes_area AS a
                (code, place, places, municipality_id, province, latitude, longitude)
            SELECT code, place, places, municipality_id, province, latitude, longitude
            FROM postcode_import_area_values WHERE from_pc4
            ON CONFLICT (code) DO UPDATE SET
                place = EXCLUDED.place,
                places = EXCLUDED.places,
                municipality_id = coalesce(EXCLUDED.municipality_id, a.municipality_id),
                province = EXCLUDED.province,
                latitude = coalesce(EXCLUDED.latitude, a.latitude),
                longitude = coalesce(EXCLUDED.longitude, a.longitude)
            WHERE (a.place, a.places, a.municipality_id, a.province, a.latitude, a.longitude)
                IS DISTINCT FROM (
                    EXCLUDED.place, EXCLUDED.places,
                    coalesce(EXCLUDED.municipality_id, a.municipality_id), EXCLUDED.province,
                    coalesce(EXCLUDED.latitude, a.latitude),
                    coalesce(EXCLUDED.longitude, a.longitude))
            RETURNING code
        )
        SELECT count(*) FILTER (WHERE old.code IS NULL), count(*) FILTER (WHERE old.code IS NOT NULL)
        FROM up LEFT JOIN postcodes_area old ON old.code = up.code
        """
    )
    inserted, updated = cursor.fetchone()
    # Areas known only from PC6 rows: the PC6 data decide the municipality; place and
    # coordinates are filled in only where empty (the PC4 file is the better source).
    cursor.execute(
        """
        WITH up AS (
            INSERT INTO postcodes_area AS a
                (code, place, places, municipality_id, province, latitude, longitude)
            SELECT code, place, places, municipality_id, province, latitude, longitude
            FROM postcode_import_area_values WHERE NOT from_pc4
            ON CONFLICT (code) DO UPDATE SET
                place = coalesce(nullif(a.place, ''), EXCLUDED.place),
                places = CASE WHEN cardinality(a.places) > 0 THEN a.places
                              ELSE EXCLUDED.places END,
                municipality_id = coalesce(EXCLUDED.municipality_id, a.municipality_id),
                province = CASE WHEN EXCLUDED.municipality_id IS NOT NULL
                                  OR a.province = '' THEN EXCLUDED.province
                                ELSE a.province END,
                latitude = coalesce(a.latitude, EXCLUDED.latitude),
                longitude = coalesce(a.longitude, EXCLUDED.longitude)
            WHERE (a.place, a.places, a.municipality_id, a.province, a.latitude, a.longitude)
                IS DISTINCT FROM (
                    coalesce(nullif(a.place, ''), EXCLUDED.place),
                    CASE WHEN cardinality(a.places) > 0 THEN a.places ELSE EXCLUDED.places END,
                    coalesce(EXCLUDED.municipality_id, a.municipality_id),
                    CASE WHEN EXCLUDED.municipality_id IS NOT NULL
                           OR a.province = '' THEN EXCLUDED.province
                         ELSE a.province END,
                    coalesce(a.latitude, EXCLUDED.latitude),
                    coalesce(a.longitude, EXCLUDED.longitude))
            RETURNING code
        )
        SELECT count(*) FILTER (WHERE old.code IS NULL), count(*) FILTER (WHERE old.code IS NOT NULL)
        FROM up LEFT JOIN postcodes_area old ON old.code = up.code
        """
    )
    more_inserted, more_updated = cursor.fetchone()
    report.areas_inserted = inserted + more_inserted
    report.areas_updated = updated + more_updated
    cursor.execute("DROP TABLE postcode_import_area, postcode_import_area_values")


def _upsert_postcodes(cursor, report: ImportReport) -> None:
    """One postcode per PC6 code (its first row), in its area and municipality."""
    cursor.execute(
        """
        WITH src AS (
            SELECT DISTINCT ON (code) code, area, place, municipality
            FROM postcode_import_row WHERE length(code) = 6
            ORDER BY code, seq
        ),
        v AS (
            SELECT src.code, src.area AS area_id, src.place,
                   coalesce(n.municipality_id, a.municipality_id) AS municipality_id
            FROM src
            JOIN postcodes_area a ON a.code = src.area
            LEFT JOIN postcode_import_municipality_name n ON n.name = src.municipality
        ),
        changed AS (
            -- Leave unchanged rows alone instead of letting ON CONFLICT lock every one.
            SELECT v.* FROM v LEFT JOIN postcodes_postcode p ON p.code = v.code
            WHERE (p.area_id, p.place, p.municipality_id)
                IS DISTINCT FROM (v.area_id, v.place, v.municipality_id)
        ),
        up AS (
            INSERT INTO postcodes_postcode AS p (code, area_id, place, municipality_id)
            SELECT code, area_id, place, municipality_id FROM changed
            ON CONFLICT (code) DO UPDATE SET
                area_id = EXCLUDED.area_id,
                place = EXCLUDED.place,
                municipality_id = EXCLUDED.municipality_id
            WHERE (p.area_id, p.place, p.municipality_id)
                IS DISTINCT FROM (EXCLUDED.area_id, EXCLUDED.place, EXCLUDED.municipality_id)
            RETURNING code
        )
        SELECT count(*) FILTER (WHERE old.code IS NULL), count(*) FILTER (WHERE old.code IS NOT NULL)
        FROM up LEFT JOIN postcodes_postcode old ON old.code = up.code
        """
    )
    report.postcodes_inserted, report.postcodes_updated = cursor.fetchone()

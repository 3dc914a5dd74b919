"""Groups fixtures: real postcodes, group factories and personas.

Personas read like sentences in tests:
    group_admin   -- admin of `group_a` (Amsterdam 1011), with distinctive private details
    other_admin   -- admin of `group_b` (Amsterdam 1012), another group's admin
    anonymous     -- a test client that is not logged in
    board         -- from tests/conftest.py
Clients logged in as a persona: `group_admin_client`, `other_admin_client`, `board_client`.
"""

import csv
import gzip
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.text import slugify

from groups.models import Group
from postcodes.models import Area, Municipality, Postcode
from tests.factories import add_coverage, make_group, make_join_request, make_user
from tests.support import log_in

# Re-exported: other suites import the factories from here.
__all__ = ["add_coverage", "make_group", "make_join_request", "make_user"]

DATA = Path(settings.BASE_DIR) / "postcodes" / "data"

# The areas most tests need: Amsterdam centre, Utrecht centre, Assen.
AMSTERDAM = [f"{n}" for n in range(1011, 1019) if n != 1014]
UTRECHT = [f"{n}" for n in range(3511, 3516)]
ASSEN = [f"{n}" for n in range(9401, 9408)]
DEFAULT_AREAS = AMSTERDAM + UTRECHT + ASSEN

PROVINCES = {
    "North Holland": "Noord-Holland",
    "South Holland": "Zuid-Holland",
    "North Brabant": "Noord-Brabant",
}

# Private details of the personas: a privacy canary asserts none appear on public pages.
CANARY = {
    "email": "anna.kanarie@example.test",
    "phone": "0612398745",
    "last_name": "Kanariepietersen",
}
OTHER_CANARY = {
    "email": "bert.geheim@example.test",
    "phone": "0687654123",
    "last_name": "Geheimhouder",
}


@cache
def _area_rows() -> dict[str, tuple[str, str, str, float, float]]:
    """PC4 -> (place, province, municipality, latitude, longitude), first row per code."""
    rows = {}
    with (DATA / "NL.txt").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if row[1] not in rows and row[9]:
                rows[row[1]] = (row[2], row[3], row[5], float(row[9]), float(row[10]))
    return rows


@cache
def _postcode_rows() -> dict[str, list[tuple[str, str]]]:
    """PC4 -> [(PC6, municipality), ...] from the full GeoNames file."""
    rows: dict[str, list[tuple[str, str]]] = {}
    with gzip.open(DATA / "NL_full.txt.gz", "rt", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            code = row[1].replace(" ", "")
            rows.setdefault(code[:4], []).append((code, row[5]))
    return rows


def load_areas(codes=DEFAULT_AREAS) -> dict[str, Area]:
    """Create real Municipality/Area/Postcode rows for these PC4 codes (idempotent)."""
    areas = {}
    for code in codes:
        place, province, municipality_name, lat, lon = _area_rows()[code]
        province = PROVINCES.get(province, province)
        municipality_name = municipality_name or place
        municipality, _ = Municipality.objects.get_or_create(
            name=municipality_name,
            defaults={"slug": slugify(municipality_name), "province": province},
        )
        area, _ = Area.objects.get_or_create(
            code=code,
            defaults={
                "place": place,
                "places": [place],
                "municipality": municipality,
                "province": province,
                "latitude": lat,
                "longitude": lon,
            },
        )
        seen = set()
        postcodes = []
        for pc6, _muni in _postcode_rows().get(code, []):
            if pc6 not in seen:
                seen.add(pc6)
                postcodes.append(
                    Postcode(code=pc6, area=area, place=place, municipality=municipality)
                )
        Postcode.objects.bulk_create(postcodes, ignore_conflicts=True)
        areas[code] = area
    return areas


@pytest.fixture
def areas(db) -> dict[str, Area]:
    """Real PC4 areas with all their PC6 postcodes: Amsterdam 1011-1018, Utrecht 3511-3515,
    Assen 9401-9407."""
    return load_areas()


@pytest.fixture
def group_admin(db):
    """The admin of group A, with distinctive private details (see CANARY)."""
    return make_user(
        CANARY["email"], first_name="Anna", **{k: CANARY[k] for k in ("phone", "last_name")}
    )


@pytest.fixture
def other_admin(db):
    """The admin of group B: another group's admin."""
    return make_user(
        OTHER_CANARY["email"],
        first_name="Bert",
        **{k: OTHER_CANARY[k] for k in ("phone", "last_name")},
    )


@pytest.fixture
def group_a(areas, group_admin) -> Group:
    """An active group in Amsterdam 1011 covering three of its postcodes."""
    return make_group(
        "Buurtpreventie Nieuwmarkt",
        areas["1011"],
        postcodes=["1011AB", "1011AC", "1011AD"],
        admins=[group_admin],
        description="Wij letten samen op rond de Nieuwmarkt.",
    )


@pytest.fixture
def group_b(areas, other_admin) -> Group:
    """An active group in Amsterdam 1012 (location only, no coverage)."""
    return make_group("Buurtwacht Dam", areas["1012"], admins=[other_admin])


@pytest.fixture
def anonymous() -> Client:
    """A visitor who is not logged in."""
    return Client()


def _client_for(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def group_admin_client(group_admin, group_a) -> Client:
    return _client_for(group_admin)


@pytest.fixture
def other_admin_client(other_admin, group_b) -> Client:
    return _client_for(other_admin)


@pytest.fixture
def board_client(board) -> Client:
    return _client_for(board)


# Join requests and the admin area (tests/groups/test_join*.py, test_beheer*.py) -------------


@pytest.fixture
def pending_request(group_a):
    """A confirmed join request for group A, waiting for its admin."""
    return make_join_request(group_a, name="Rita Bewoner", email="rita@example.test")

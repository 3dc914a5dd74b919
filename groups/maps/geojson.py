"""The public map data: every active group as a GeoJSON point, built once per data version.

    payload = map_payload()   # .raw, .gzipped, .etag, .last_modified

The version is read from the database on every request (one primary-key lookup
of the counter that database triggers bump on every change to what the map
shows, see MapVersion), so each gunicorn worker notices a change without a
shared cache and rebuilds its own copy. Locations are PC4 centroids rounded to three decimals
(about 100 m): never an admin's address.

Property keys are short to keep 9,300 groups under 200 KB gzipped:

    n name · p platform · pl place · pc PC4 area · m municipality slug
    mn municipality name · pr province · rm registered with the municipality
    rp registered with the police · t trained admin · v verified by the board
    lc last confirmed (YYYY-MM) · c number of covered postcodes
The feature's `id` is the group's slug.
"""

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from groups.models import Group, MapVersion

# Coordinates: three decimals is ~100 m, already finer than a PC4 centroid justifies.
COORDINATE_DECIMALS = 3

_lock = threading.Lock()
_cache: dict[str, "MapPayload"] = {}


@dataclass(frozen=True)
class MapPayload:
    version: str
    raw: bytes
    gzipped: bytes
    last_modified: datetime
    count: int

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def data_version() -> tuple[str, datetime]:
    """The version of everything the map shows, and when it last changed (one query)."""
    version, changed_at = MapVersion.current()
    # The database's own identity keeps versions from two databases (tests) apart.
    tag = hashlib.sha256(f"{connection.settings_dict['NAME']}:{version}".encode()).hexdigest()
    return tag[:20], changed_at.replace(microsecond=0)


def map_groups():
    """The active groups the map shows, with what their features need (one query)."""
    return (
        Group.objects.active()
        .for_listing()
        .filter(area__latitude__isnull=False, area__longitude__isnull=False)
        .annotate(coverage_count=Count("coverage", distinct=True))
        # Neighbours share coordinates, place and municipality: gzip compresses them away.
        .order_by("area_id", "name", "pk")
    )


def feature(group) -> dict:
    area, municipality = group.area, group.municipality
    last = group.last_confirmed_at
    return {
        "type": "Feature",
        "id": group.slug,
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(area.longitude, COORDINATE_DECIMALS),
                round(area.latitude, COORDINATE_DECIMALS),
            ],
        },
        "properties": {
            "n": group.name,
            "p": group.platform,
            "pl": area.place,
            "pc": area.code,
            "m": municipality.slug if municipality else "",
            "mn": municipality.name if municipality else "",
            "pr": (municipality.province if municipality else "") or area.province,
            "rm": int(group.registered_with_municipality),
            "rp": int(group.registered_with_police),
            "t": int(group.has_trained_admin),
            "v": int(group.is_verified),
            "lc": timezone.localtime(last).strftime("%Y-%m") if last else "",
            "c": group.coverage_count,
        },
    }


def build_payload(version: str, last_modified: datetime) -> MapPayload:
    features = [feature(group) for group in map_groups().iterator(chunk_size=2000)]
    collection = {"type": "FeatureCollection", "features": features}
    raw = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()
    return MapPayload(
        version=version,
        raw=raw,
        # mtime=0: the same data gives the same bytes in every worker.
        gzipped=gzip.compress(raw, compresslevel=9, mtime=0),
        last_modified=last_modified,
        count=len(features),
    )


def map_payload() -> MapPayload:
    """The FeatureCollection for the current data, rebuilt only when the data changed."""
    version, last_modified = data_version()
    payload = _cache.get(version)
    if payload is None:
        with _lock:
            payload = _cache.get(version)
            if payload is None:
                payload = build_payload(version, last_modified)
                _cache.clear()  # keep one version per worker
                _cache[version] = payload
    return payload


def clear_cache() -> None:
    _cache.clear()

"""The public map data: every active group as a GeoJSON point, built once per data version.

    payload = map_payload()   # .etag, .last_modified, .sizes[encoding]
    payload.body("br")        # the bytes to send; also "gzip" and "identity"

The version is read from the database on every request (one primary-key lookup
of the counter that database triggers bump on every change to what the map
shows, see MapVersion). The first worker to see a new version builds the
FeatureCollection, compresses it once with gzip and brotli, and writes the three
files to MAP_DATA_DIR under the version's name; the other workers (and a
restarted server) find them there. Each worker keeps the two compressed bodies
of the current version in memory (~350 KB at 9,300 groups) and reads the rare
uncompressed one from its file.

Locations are PC4 centroids, never an admin's address. The groups of one area are
spread around its centroid on a sunflower spiral (`spread`), so each marker stays
visible and clickable at every zoom and in the embed; the offsets depend only on the
centroid and the groups' order by id, and every point is rounded to three decimals
(about 100 m).

Why files and not the cache: CACHES is a per-worker LocMemCache, so the cache
would still mean one build and compression per worker (about 2 s of CPU each
at 9,300 groups, ~20 s at 100,000, four workers competing for two cores), and
each worker would hold every encoding in memory (~32 MB at 100,000 groups).

Property keys are short to keep 9,300 groups under 200 KB gzipped:

    n name · p platform · pl place · pc PC4 area · m municipality slug
    mn municipality name · pr province · rm registered with the municipality
    rp registered with the police · t trained admin · v verified by the board
    lc last confirmed (YYYY-MM) · c number of covered postcodes
The feature's `id` is the group's slug.
"""

import fcntl
import gzip
import hashlib
import itertools
import json
import math
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import brotli
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from groups.models import Group, MapVersion

# Coordinates: three decimals is ~100 m, already finer than a PC4 centroid justifies.
COORDINATE_DECIMALS = 3
# The spiral of groups sharing an area: the k-th group (by id) lies SPREAD_STEP_M * sqrt(k)
# metres from the centroid, turned by the golden angle from the one before. Neighbours end
# up ~175 m apart (more than the 111 x 69 m grid of three decimals) and 30 groups within
# 550 m: visibly apart from zoom 14, well inside a typical PC4 area.
SPREAD_STEP_M = 100
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
METRES_PER_DEGREE = 111_320
# Measured on the 2.7 MB of 9,300 groups (2 cores): quality 9 takes 0.2 s for 163 KB
# (gzip -9: 0.2 s, 185 KB); 10 takes 6 s for 142 KB, 11 takes 15 s for 136 KB. The build
# runs on the first request after a change, so it stays at 9.
BROTLI_QUALITY = 9
GZIP_LEVEL = 9
# The encodings served, best first when a client accepts several equally.
ENCODINGS = {"br": ".json.br", "gzip": ".json.gz", "identity": ".json"}
KEEP_VERSIONS = 3

_lock = threading.Lock()
_cache: dict[str, "MapPayload"] = {}


@dataclass(frozen=True)
class MapPayload:
    version: str
    last_modified: datetime
    files: dict[str, Path]
    sizes: dict[str, int]
    compressed: dict[str, bytes]

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def body(self, encoding: str = "identity") -> bytes:
        if encoding in self.compressed:
            return self.compressed[encoding]
        return self.files[encoding].read_bytes()


def data_version() -> tuple[str, datetime]:
    """The version of everything the map shows, and when it last changed (one query)."""
    version, changed_at = MapVersion.current()
    # The database's identity keeps versions from two databases (tests) apart, and the
    # exact time of the change those of a database restored from a backup.
    identity = f"{connection.settings_dict['NAME']}:{version}:{changed_at.isoformat()}"
    tag = hashlib.sha256(identity.encode()).hexdigest()
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


def spread(longitude: float, latitude: float, count: int) -> list[tuple[float, float]]:
    """`count` distinct (lon, lat) points around a centroid, the first on it; deterministic.

    A sunflower (Vogel) spiral: point k at SPREAD_STEP_M * sqrt(k) metres, angle k times the
    golden angle. Every point is rounded to COORDINATE_DECIMALS; a point that rounds onto
    one already taken is skipped, so the points stay distinct after rounding. Nothing but
    the centroid goes in: the points say where the area is, never where anyone lives.
    """
    points: list[tuple[float, float]] = []
    taken: set[tuple[float, float]] = set()
    metres_per_degree_lon = METRES_PER_DEGREE * math.cos(math.radians(latitude))
    k = 0
    while len(points) < count:
        distance, angle = SPREAD_STEP_M * math.sqrt(k), k * GOLDEN_ANGLE
        point = (
            round(
                longitude + distance * math.sin(angle) / metres_per_degree_lon, COORDINATE_DECIMALS
            ),
            round(latitude + distance * math.cos(angle) / METRES_PER_DEGREE, COORDINATE_DECIMALS),
        )
        if point not in taken:
            taken.add(point)
            points.append(point)
        k += 1
    return points


def feature(group, coordinates: tuple[float, float]) -> dict:
    area, municipality = group.area, group.municipality
    last = group.last_confirmed_at
    return {
        "type": "Feature",
        "id": group.slug,
        "geometry": {"type": "Point", "coordinates": list(coordinates)},
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


def area_features(groups: list) -> list[dict]:
    """The features of one area's groups, spread around its centroid in the order of their id.

    By id, not by name: a new group takes the next free place and the others stay put.
    """
    area = groups[0].area
    points = spread(area.longitude, area.latitude, len(groups))
    place = {
        group.pk: point
        for group, point in zip(sorted(groups, key=lambda g: g.pk), points, strict=True)
    }
    return [feature(group, place[group.pk]) for group in groups]


def build_geojson() -> bytes:
    """The FeatureCollection of the current data as compact UTF-8 JSON (one query)."""
    groups = map_groups().iterator(chunk_size=2000)
    features = [
        f
        for _area, in_area in itertools.groupby(groups, key=lambda group: group.area_id)
        for f in area_features(list(in_area))
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def encode(raw: bytes) -> dict[str, bytes]:
    """The data in every encoding served."""
    return {
        "br": brotli.compress(raw, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY),
        # mtime=0: the same data gives the same bytes whichever worker builds them.
        "gzip": gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0),
        "identity": raw,
    }


def _files(version: str) -> dict[str, Path]:
    directory = Path(settings.MAP_DATA_DIR)
    return {encoding: directory / f"{version}{suffix}" for encoding, suffix in ENCODINGS.items()}


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_old_versions(directory: Path, keep: str) -> None:
    """Keep the newest few versions: a worker may still be sending an older one."""
    plain = sorted(
        (p for p in directory.glob("*.json") if p.stem != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in plain[KEEP_VERSIONS - 1 :]:
        for suffix in ENCODINGS.values():
            (directory / f"{path.stem}{suffix}").unlink(missing_ok=True)


def build_files(version: str) -> dict[str, Path]:
    """The version's files, built and written by whichever worker gets there first."""
    files = _files(version)
    directory = files["identity"].parent
    directory.mkdir(parents=True, exist_ok=True)
    # One build per version for all workers: the others wait here, then find the files.
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not files["identity"].exists():
                encoded = encode(build_geojson())
                # The plain file last: once it is there, so are the others.
                for encoding in ("br", "gzip", "identity"):
                    _write_atomically(files[encoding], encoded[encoding])
                _remove_old_versions(directory, keep=version)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return files


def map_payload() -> MapPayload:
    """The map data of the current version, built only when the data changed."""
    version, last_modified = data_version()
    payload = _cache.get(version)
    if payload is None or not payload.files["identity"].exists():
        with _lock:
            payload = _cache.get(version)
            if payload is None or not payload.files["identity"].exists():
                files = build_files(version)
                sizes = {encoding: path.stat().st_size for encoding, path in files.items()}
                compressed = {e: files[e].read_bytes() for e in ("br", "gzip")}
                payload = MapPayload(version, last_modified, files, sizes, compressed)
                _cache.clear()  # remember one version per worker
                _cache[version] = payload
    return payload


def clear_cache() -> None:
    """Forget the remembered version (tests); the files stay."""
    _cache.clear()

"""CBS's 2025 municipality and province borders and 2024 PC4 areas (bundled TopoJSON).

The importer uses them to give every postcode area its 2025 municipality:

    municipalities = regions("gemeente_2025")
    code = locate(municipalities, longitude, latitude)

The rule for an area (documented in postcodes/README.md):
1. its point is the centroid of its own PC4 polygon, when that centroid lies inside the polygon;
   else GeoNames' centroid of the area;
2. it belongs to the municipality whose polygon contains that point;
3. a point in no polygon (the borders are generalised to about 100 m, so a point on the coast
   or on a border can fall just outside) belongs to the municipality whose border is nearest.

Only the standard library: decoding the three files and locating 4,086 points takes well under
a second.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

BOUNDARIES_DIR = Path(__file__).resolve().parent / "static" / "postcodes" / "boundaries"
FILES = {
    "gemeente_2025": "gemeente_2025.topojson",
    "provincie_2025": "provincie_2025.topojson",
    "postcode4_2024": "postcode4_2024.topojson",
}

Ring = list[tuple[float, float]]  # (longitude, latitude), closed
Polygon = list[Ring]  # the outer ring, then its holes


@dataclass(frozen=True, eq=False)
class Region:
    """One feature: its code (`GM0503`, `PV27` or `2611`), name and polygons."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        # Even-odd over every ring: a point in a hole (an enclave) is outside.
        inside = False
        for polygon in self.polygons:
            for ring in polygon:
                if _crosses(ring, lon, lat):
                    inside = not inside
        return inside

    def distance(self, lon: float, lat: float) -> float:
        """Distance to the nearest border point, in degrees scaled to local kilometres' shape."""
        scale = math.cos(math.radians(lat))
        best = math.inf
        for polygon in self.polygons:
            for ring in polygon:
                for (x1, y1), (x2, y2) in pairwise(ring):
                    best = min(best, _segment_distance(lon, lat, x1, y1, x2, y2, scale))
        return best

    def centroid(self) -> tuple[float, float] | None:
        """The area-weighted centroid of the outer rings (longitude, latitude)."""
        total = cx = cy = 0.0
        for polygon in self.polygons:
            area, x, y = _ring_moments(polygon[0])
            total, cx, cy = total + area, cx + x, cy + y
        if not total:
            return None
        return (cx / total, cy / total)

    def point_inside(self) -> tuple[float, float] | None:
        """The centroid when it lies inside the region, else None."""
        point = self.centroid()
        if point is not None and self.contains(*point):
            return point
        return None


def _crosses(ring: Ring, lon: float, lat: float) -> bool:
    """Whether the ring winds an odd number of times around the point (ray casting)."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
        x1, y1 = x2, y2
    return inside


def _segment_distance(px, py, x1, y1, x2, y2, scale) -> float:
    px, x1, x2 = px * scale, x1 * scale, x2 * scale
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if not length else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def _ring_moments(ring: Ring) -> tuple[float, float, float]:
    """(|area|, area·cx, area·cy) of a ring, by the shoelace formula."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return (0.0, 0.0, 0.0)
    area /= 2
    # cx / (6·area) is the centroid; weight it by |area| so rings of any orientation add up.
    return (abs(area), cx / (6 * area) * abs(area), cy / (6 * area) * abs(area))


def _decode_arcs(topology: dict) -> list[Ring]:
    """The topology's arcs in longitude/latitude (delta-decoded, transformed)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their end point.
        points.extend(arc if not points else arc[1:])
    return points


@cache
def regions(name: str) -> tuple[Region, ...]:
    """Every feature of one bundled file, decoded (cached per process)."""
    topology = json.loads((BOUNDARIES_DIR / FILES[name]).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    out = []
    for geometry in topology["objects"][name]["geometries"]:
        properties = geometry.get("properties", {})
        if geometry["type"] == "Polygon":
            shapes = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            shapes = geometry["arcs"]
        else:
            continue
        polygons = tuple([_ring(arcs, ring) for ring in shape] for shape in shapes)
        xs = [x for polygon in polygons for x, _y in polygon[0]]
        ys = [y for polygon in polygons for _x, y in polygon[0]]
        code = str(properties.get("statcode") or properties.get("postcode"))
        out.append(
            Region(
                code=code,
                name=properties.get("statnaam", code),
                polygons=polygons,
                bbox=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(out)


def locate(candidates: tuple[Region, ...], lon: float, lat: float) -> Region:
    """The region that contains the point, else the one whose border is nearest."""
    for region in candidates:
        if region.contains(lon, lat):
            return region
    return min(candidates, key=lambda region: region.distance(lon, lat))


def area_points() -> dict[str, tuple[float, float]]:
    """A point inside each PC4 polygon (its centroid, when inside), by four-digit code."""
    points = {}
    for region in regions("postcode4_2024"):
        point = region.point_inside()
        if point is not None:
            points[region.code.zfill(4)] = point
    return points

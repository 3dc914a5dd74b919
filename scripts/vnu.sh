#!/usr/bin/env bash
# The Nu HTML Checker (npm package vnu-jar, pinned in package.json) on the system's Java 17.
#
#   scripts/vnu.sh --errors-only page.html other.html
#
# Installs the checker first if node_modules/ lacks it. --ignore-scripts: the package's
# postinstall would download a Java runtime; we use the one on the machine instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund)
fi
exec java -jar "$jar" "$@"

#!/usr/bin/env bash
# Put the web page's front-end libraries (npm packages, pinned in package-lock.json) into
# src/marsad/web/static/vendor so that `marsad serve` needs no CDN. Idempotent; offline once
# node_modules is present (npm ci runs only when it is missing). The vendor folder is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
FE=src/marsad/web/frontend
OUT=src/marsad/web/static/vendor
NM=$FE/node_modules

if [ ! -f "$NM/leaflet/dist/leaflet.js" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "build_web_assets: npm not found; install Node.js (e.g. apt-get install nodejs npm) and rerun." >&2
        echo "build_web_assets: the JSON API works without these files; the map page does not." >&2
        exit 1
    fi
    (cd "$FE" && npm ci --no-audit --no-fund --ignore-scripts)
fi

mkdir -p "$OUT/images"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT/"
cp "$NM/leaflet/dist/images/"*.png "$OUT/images/"
cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" "$OUT/"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$OUT/"
# Natural Earth 1:50m country boundaries (public domain) as TopoJSON: the offline basemap
cp "$NM/world-atlas/countries-50m.json" "$OUT/"
cp "$NM/swagger-ui-dist/swagger-ui-bundle.js" "$NM/swagger-ui-dist/swagger-ui.css" "$OUT/"
for pkg in leaflet leaflet.markercluster topojson-client world-atlas swagger-ui-dist; do
    cp "$NM/$pkg/LICENSE"* "$OUT/LICENSE.$pkg" 2>/dev/null || true
done
printf '*\n!.gitignore\n' > "$OUT/.gitignore"
echo "build_web_assets: front-end files in $OUT"

/* The maps' base layer: CBS's 2025 province and municipality borders, decoded from the
 * bundled TopoJSON (hashed static files, cached for a year) with topojson-client.
 *
 * Without a tile server (config.tiles false) the land is filled in a light colour, so the
 * map never floats on nothing; with tiles the borders are lines on top of them. Names of
 * municipalities appear from zoom LABEL_MIN_ZOOM, at a point inside each municipality,
 * largest first and never overlapping; they repeat what the page says in text, so their
 * pane is hidden from assistive technology (decorative).
 *
 *   window.wabpBorders.add(map, config) -> Promise of {
 *     municipalities, provinces,   // GeoJSON FeatureCollection / MultiLineString
 *     layer,                       // the municipality layer (L.GeoJSON), for a layer control
 *     byCode(code),                // the municipality's feature, e.g. byCode("GM0503")
 *     highlight(code, {fit})       // outline one municipality (none: null) and zoom to it
 *   }   (null when the files could not be loaded: the map still works without them)
 */
(function () {
  "use strict";

  var LABEL_MIN_ZOOM = 10;
  var STYLE = {
    land: "#f7f5ef",
    municipality: "#a3aea8",
    province: "#5f6b73",
    highlight: "#0b5d3b",
  };

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function pane(map, name, zIndex, decorative) {
    var node = map.getPane(name) || map.createPane(name);
    node.style.zIndex = String(zIndex); // a DOM property, not an inline style attribute: CSP-safe
    if (decorative) {
      node.setAttribute("aria-hidden", "true");
      node.style.pointerEvents = "none";
    }
    return node;
  }

  // The rings of a (Multi)Polygon as arrays of [lon, lat], polygon by polygon.
  function polygons(geometry) {
    if (!geometry) return [];
    return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  }

  function ringArea(ring) {
    var sum = 0;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
    }
    return Math.abs(sum / 2);
  }

  // A point inside the municipality for its label: in its largest polygon, the middle of the
  // widest stretch of land along a few horizontal lines (a centroid can fall outside, or in
  // a lake). Returns [lat, lon].
  function labelPoint(feature) {
    var best = null;
    var bestArea = -1;
    polygons(feature.geometry).forEach(function (polygon) {
      var area = ringArea(polygon[0]);
      if (area > bestArea) {
        bestArea = area;
        best = polygon;
      }
    });
    if (!best) return null;
    var minY = Infinity;
    var maxY = -Infinity;
    best[0].forEach(function (p) {
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    });
    var widest = null;
    [0.5, 0.4, 0.6, 0.3, 0.7].forEach(function (share) {
      var y = minY + (maxY - minY) * share;
      var xs = [];
      best.forEach(function (ring) {
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          var a = ring[j];
          var b = ring[i];
          if ((a[1] > y) !== (b[1] > y)) {
            xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
          }
        }
      });
      xs.sort(function (p, q) { return p - q; });
      for (var k = 0; k + 1 < xs.length; k += 2) {
        var width = xs[k + 1] - xs[k];
        // Prefer the middle line unless another is clearly wider.
        if (!widest || width > widest.width * 1.25) {
          widest = { width: width, lat: y, lon: (xs[k] + xs[k + 1]) / 2 };
        }
      }
    });
    return widest ? [widest.lat, widest.lon] : null;
  }

  // The names go with the municipality layer: off in the layer control, off here too.
  function labelLayer(map, features, municipalityLayer) {
    var layer = L.layerGroup();
    var labels = [];
    features.forEach(function (feature) {
      var point = labelPoint(feature);
      if (!point) return;
      var text = document.createElement("span");
      text.textContent = feature.properties.statnaam;
      var marker = L.marker(point, {
        pane: "wabpLabels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "wabp-label", html: text, iconSize: null }),
      });
      labels.push({ marker: marker, name: feature.properties.statnaam, area: ringArea(polygons(feature.geometry)[0][0]) });
      layer.addLayer(marker);
    });
    labels.sort(function (a, b) { return b.area - a.area; });

    // Largest municipalities first; a label that would overlap one already shown is hidden.
    function declutter() {
      if (!map.hasLayer(layer)) return;
      var taken = [];
      labels.forEach(function (label) {
        var el = label.marker.getElement();
        if (!el) return;
        var p = map.latLngToLayerPoint(label.marker.getLatLng());
        var half = { x: label.name.length * 3.6 + 6, y: 10 };
        var box = { x0: p.x - half.x, x1: p.x + half.x, y0: p.y - half.y, y1: p.y + half.y };
        var free = taken.every(function (t) {
          return box.x1 < t.x0 || box.x0 > t.x1 || box.y1 < t.y0 || box.y0 > t.y1;
        });
        el.classList.toggle("wabp-label-hidden", !free);
        if (free) taken.push(box);
      });
    }

    function sync() {
      var show = map.getZoom() >= LABEL_MIN_ZOOM && map.hasLayer(municipalityLayer);
      if (show && !map.hasLayer(layer)) layer.addTo(map);
      if (!show && map.hasLayer(layer)) map.removeLayer(layer);
      declutter();
    }
    map.on("zoomend", sync);
    municipalityLayer.on("add remove", sync);
    sync();
    return layer;
  }

  function add(map, config) {
    var borders = config.borders;
    if (!borders || typeof topojson === "undefined") return Promise.resolve(null);
    var filled = !config.tiles;
    // Above the tiles (200), below the group markers (600) and popups.
    pane(map, "wabpBorders", 250, true);
    pane(map, "wabpHighlight", 390, true);
    pane(map, "wabpLabels", 450, true);
    if (filled) map.getContainer().classList.add("wabp-no-tiles");

    return Promise.all([getJson(borders.municipalities), getJson(borders.provinces)])
      .then(function (topologies) {
        var gm = topologies[0];
        var pv = topologies[1];
        var municipalities = topojson.feature(gm, gm.objects.gemeente_2025);
        var provinces = topojson.mesh(pv, pv.objects.provincie_2025);
        var byCode = {};
        municipalities.features.forEach(function (f) { byCode[f.properties.statcode] = f; });

        var layer = L.geoJSON(municipalities, {
          pane: "wabpBorders",
          interactive: false,
          attribution: borders.attribution,
          style: {
            className: "wabp-municipality",
            color: STYLE.municipality,
            weight: 0.8,
            fillColor: STYLE.land,
            fillOpacity: filled ? 1 : 0,
          },
        }).addTo(map);
        L.geoJSON(provinces, {
          pane: "wabpBorders",
          interactive: false,
          style: { color: STYLE.province, weight: 1.6, opacity: 0.9, fill: false },
        }).addTo(map);
        labelLayer(map, municipalities.features, layer);
        // Seen whole, the country's 342 borders are drawn lighter (map.css).
        var container = map.getContainer();
        function zoomClass() {
          container.classList.toggle("wabp-zoomed-out", map.getZoom() < 9);
        }
        map.on("zoomend", zoomClass);
        zoomClass();

        var highlighted = null;
        function highlight(code, options) {
          if (highlighted) {
            map.removeLayer(highlighted);
            highlighted = null;
          }
          var feature = code && byCode[code];
          if (!feature) return null;
          highlighted = L.geoJSON(feature, {
            pane: "wabpHighlight",
            interactive: false,
            style: { color: STYLE.highlight, weight: 3, fillColor: "#ffffff", fillOpacity: filled ? 0.55 : 0.15 },
          }).addTo(map);
          if (options && options.fit) {
            map.fitBounds(highlighted.getBounds(), { padding: [16, 16], animate: false });
          }
          return highlighted;
        }

        return {
          municipalities: municipalities,
          provinces: provinces,
          layer: layer,
          byCode: function (code) { return byCode[code] || null; },
          highlight: highlight,
        };
      })
      .catch(function () {
        return null;
      });
  }

  window.wabpBorders = { add: add, labelPoint: labelPoint };
})();

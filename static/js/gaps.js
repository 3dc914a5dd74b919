/* The gap map: postcode areas (PC4) coloured by how far active groups cover them, on the
 * municipality page and as a layer of /kaart/ that the visitor switches on.
 *
 * Loaded after map.js, it starts when map.js announces the map ("wabp:map-ready").
 * Configuration arrives as JSON in <script id="gap-config" type="application/json">
 * (groups.municipalities.gaps.gap_config): the address of the bundled TopoJSON and either
 * the page's own areas or the address of the country's data (/kaart/dekking.json). The
 * polygons are decoded with topojson-client (global `topojson`) and joined by code with
 * those facts; an area without a polygon is drawn as a circle at its centroid, sized by
 * its number of postcodes and labelled as approximate. The plain table on the page is the
 * accessible alternative. Text from the data is only ever set through textContent.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("gap-config");
  if (!configElement || !window.L || !window.topojson) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var labels = config.labels;
  var SVG = "http://www.w3.org/2000/svg";
  // Outline colours per status; the fills are patterns in map.css (solid for covered).
  var STROKE = { covered: "#0b5d3b", located: "#7a5b00", none: "#a4161a" };
  var FILL = { covered: "#1f8a5b", located: "#f5d37a", none: "#f4b5ab" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  // The hatching and dots that map.css fills "none" and "located" areas with, so status
  // is not told by colour alone. One hidden SVG in the page holds their definitions.
  function addPatterns() {
    if (document.getElementById("gap-patterns")) {
      return;
    }
    var root = svg("svg", { id: "gap-patterns", class: "gap-patterns", width: "0", height: "0", "aria-hidden": "true", focusable: "false" });
    var defs = svg("defs", {});
    var hatch = svg("pattern", { id: "gap-hatch", width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    hatch.appendChild(svg("rect", { width: "8", height: "8", fill: FILL.none }));
    hatch.appendChild(svg("line", { x1: "0", y1: "0", x2: "0", y2: "8", stroke: STROKE.none, "stroke-width": "3" }));
    var dots = svg("pattern", { id: "gap-dots", width: "8", height: "8", patternUnits: "userSpaceOnUse" });
    dots.appendChild(svg("rect", { width: "8", height: "8", fill: FILL.located }));
    dots.appendChild(svg("circle", { cx: "4", cy: "4", r: "1.8", fill: STROKE.located }));
    defs.appendChild(hatch);
    defs.appendChild(dots);
    root.appendChild(defs);
    document.body.appendChild(root);
  }

  // The facts, one record per area: {code, place, status, postcodes, covered, share,
  // lat, lon (circles only), municipality, province (the country's data only)}.
  function pageRecords(areas) {
    return areas.map(function (area) {
      return Object.assign({ lat: null, lon: null }, area);
    });
  }

  function countryRecords(data) {
    return data.areas.map(function (row) {
      var code = String(row[0]).padStart(4, "0");
      var municipality = row[6] >= 0 ? data.municipalities[row[6]] : null;
      var point = data.points[code];
      return {
        code: code,
        status: data.statuses[row[1]],
        postcodes: row[2],
        covered: row[3],
        share: row[4],
        place: row[5],
        municipality: municipality ? municipality[0] : "",
        province: municipality ? municipality[2] : "",
        lat: point ? point[0] : null,
        lon: point ? point[1] : null,
      };
    });
  }

  function style(record, approximate) {
    var covered = record.status === "covered";
    return {
      className: "gap-area gap-" + record.status + (approximate ? " gap-approx" : ""),
      color: STROKE[record.status],
      weight: approximate ? 2 : 1,
      dashArray: approximate ? "4 3" : null,
      fillColor: FILL[record.status],
      // Covered areas darken with their share; the patterns stay readable.
      fillOpacity: covered ? 0.25 + (0.55 * record.share) / 100 : 0.6,
    };
  }

  function title(record) {
    return record.code + " " + record.place;
  }

  function popupContent(record, approximate) {
    var box = el("div", "map-popup gap-popup");
    box.appendChild(el("p", "popup-title", title(record)));
    box.appendChild(el("p", "popup-meta", labels.statuses[record.status]));
    var facts = el("p", "popup-facts");
    facts.appendChild(document.createTextNode(labels.postcodes + ": " + record.postcodes));
    facts.appendChild(el("br"));
    facts.appendChild(document.createTextNode(labels.covered + ": " + record.covered));
    facts.appendChild(el("br"));
    facts.appendChild(document.createTextNode(labels.share + ": " + record.share + "%"));
    box.appendChild(facts);
    if (approximate) {
      box.appendChild(el("p", "popup-meta", "(" + labels.approximate + ")"));
    }
    return box;
  }

  function tooltipContent(record, approximate) {
    var text = title(record) + ": " + labels.statuses[record.status] + ", " + record.share + "%";
    return el("span", null, approximate ? text + " (" + labels.approximate + ")" : text);
  }

  function bind(layer, record, approximate) {
    layer.bindPopup(function () { return popupContent(record, approximate); });
    layer.bindTooltip(function () { return tooltipContent(record, approximate); }, { sticky: true });
  }

  // A circle's area grows with the number of postcodes: a town area of 100 is 600 m across.
  function radius(record) {
    return Math.max(150, 60 * Math.sqrt(record.postcodes || 1));
  }

  /* The layer of these records: their polygons, and circles for those without one. */
  function buildLayer(topology, records) {
    var byCode = {};
    records.forEach(function (record) {
      byCode[parseInt(record.code, 10)] = record;
    });
    var object = topology.objects[config.object];
    var wanted = {
      type: "GeometryCollection",
      geometries: object.geometries.filter(function (g) { return byCode[g.properties.postcode]; }),
    };
    var drawn = {};
    var polygons = L.geoJSON(topojson.feature(topology, wanted), {
      attribution: config.attribution,
      style: function (feature) { return style(byCode[feature.properties.postcode], false); },
      onEachFeature: function (feature, layer) {
        var record = byCode[feature.properties.postcode];
        drawn[record.code] = true;
        bind(layer, record, false);
      },
    });
    var layer = L.featureGroup([polygons]);
    var circles = 0;
    records.forEach(function (record) {
      if (drawn[record.code] || record.lat === null || record.lon === null) {
        return;
      }
      var circle = L.circle([record.lat, record.lon], Object.assign(style(record, true), { radius: radius(record) }));
      bind(circle, record, true);
      layer.addLayer(circle);
      circles += 1;
    });
    layer.circles = circles;
    layer.areas = records.length;
    return layer;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": " + response.status);
      }
      return response.json();
    });
  }

  function start(map) {
    var legend = document.getElementById("gap-legend");
    var key = legend && legend.querySelector(".gap-key");
    var approxKey = legend && legend.querySelector(".gap-key-approx");
    var container = map.getContainer();
    var state = { map: map, layer: null, drawn: 0, circles: 0 };
    window.wabpGaps = state;
    addPatterns();

    if (legend) {
      var Legend = L.Control.extend({
        options: { position: config.toggle ? "topright" : "bottomleft" },
        onAdd: function () {
          legend.hidden = false;
          L.DomEvent.disableClickPropagation(legend);
          L.DomEvent.disableScrollPropagation(legend);
          return legend;
        },
      });
      new Legend().addTo(map);
    }

    function show(layer) {
      if (state.layer) {
        map.removeLayer(state.layer);
      }
      state.layer = layer;
      state.drawn = layer.areas;
      state.circles = layer.circles;
      if (approxKey) {
        approxKey.hidden = !layer.circles;
      }
      // Under the group markers (marker pane) and above the base map's borders.
      layer.addTo(map);
      container.dataset.gapsReady = "1";
    }

    var topology = null;
    function loadTopology() {
      if (!topology) {
        topology = fetchJson(config.topology);
      }
      return topology;
    }

    if (!config.toggle) {
      // The municipality page: its own areas, always shown.
      loadTopology().then(function (topo) {
        var layer = buildLayer(topo, pageRecords(config.areas || []));
        show(layer);
        var bounds = layer.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { maxZoom: 14, padding: [10, 10] });
        }
      });
      return;
    }

    // /kaart/: off until switched on; then the areas of the chosen municipality or
    // province, or of the whole country, following the filter form.
    var toggle = document.getElementById("gap-toggle");
    var form = document.getElementById("map-filters");
    var tableLink = legend.querySelector(".gap-table-link");
    var data = null;

    // One municipality chosen: link to its page, where a table gives the same facts.
    function updateTableLink(municipality) {
      if (!tableLink) {
        return;
      }
      tableLink.hidden = !(toggle.checked && municipality);
      if (municipality) {
        tableLink.querySelector("a").href = config.tableUrl.replace("__slug__", encodeURIComponent(municipality));
      }
    }

    function filters() {
      if (!form) {
        return { municipality: "", province: "" };
      }
      var values = new FormData(form);
      return { municipality: values.get("municipality") || "", province: values.get("province") || "" };
    }

    function redraw() {
      if (!toggle.checked) {
        return Promise.resolve();
      }
      if (!data) {
        data = Promise.all([loadTopology(), fetchJson(config.data)]);
      }
      return data.then(function (loaded) {
        if (!toggle.checked) {
          return;
        }
        var f = filters();
        updateTableLink(f.municipality);
        var records = countryRecords(loaded[1]).filter(function (record) {
          return (
            (!f.municipality || record.municipality === f.municipality) &&
            (!f.province || record.province === f.province)
          );
        });
        show(buildLayer(loaded[0], records));
      });
    }

    toggle.addEventListener("change", function () {
      key.hidden = !toggle.checked;
      if (toggle.checked) {
        redraw();
      } else if (state.layer) {
        updateTableLink("");
        map.removeLayer(state.layer);
        state.layer = null;
        state.drawn = 0;
        delete container.dataset.gapsReady;
      }
    });
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name === "municipality" || event.target.name === "province") {
          redraw();
        }
      });
    }
  }

  document.addEventListener("wabp:map-ready", function (event) {
    start(event.detail.map);
  });
})();

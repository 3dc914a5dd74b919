/* The overview map: clustered group markers, filters that also drive the plain list,
 * and a postcode box. Loaded on map pages only; configuration arrives as JSON in
 * <script id="map-config" type="application/json">. django-leaflet creates the map
 * and calls window.wabpMapInit(map). Text from the data is only ever set through
 * textContent, never as HTML.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("map-config");
  if (!configElement) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var labels = config.labels;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_match, key) {
      return String(values[key]);
    });
  }

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

  function groupUrl(template, slug) {
    return template.replace("__slug__", encodeURIComponent(slug));
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.href = href;
    if (config.embedded) {
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  function badges(p) {
    var list = [];
    if (p.v) list.push(labels.verified);
    if (p.t) list.push(labels.trained);
    if (p.rm) list.push(labels.registeredMunicipality);
    if (p.rp) list.push(labels.registeredPolice);
    if (!list.length) return null;
    var wrap = el("span", "group-badges");
    list.forEach(function (text) {
      wrap.appendChild(el("span", "badge", text));
      wrap.appendChild(document.createTextNode(" "));
    });
    return wrap;
  }

  function platformName(code) {
    return config.platforms[code] || code;
  }

  // "2026-12" -> "december 2026" in the page's language; the data stay compact.
  var monthFormat = window.Intl
    ? new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      })
    : null;

  function monthName(yearMonth) {
    var parts = /^(\d{4})-(\d{2})$/.exec(yearMonth);
    if (!parts || !monthFormat) {
      return yearMonth;
    }
    return monthFormat.format(new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, 1)));
  }

  function popupContent(feature) {
    var p = feature.properties;
    var box = el("div", "map-popup");
    box.appendChild(el("p", "popup-title", p.n));
    box.appendChild(el("p", "popup-meta", platformName(p.p) + " · " + p.pc + " " + p.pl));
    var facts = el("p", "popup-facts");
    facts.appendChild(document.createTextNode(labels.postcodes + ": " + p.c));
    if (p.lc) {
      facts.appendChild(el("br"));
      facts.appendChild(document.createTextNode(labels.lastConfirmed + ": " + monthName(p.lc)));
    }
    box.appendChild(facts);
    var b = badges(p);
    if (b) {
      var row = el("p", "popup-badges");
      row.appendChild(b);
      box.appendChild(row);
    }
    var links = el("p", "popup-links");
    links.appendChild(link(groupUrl(config.detailUrl, feature.id), labels.view));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(link(groupUrl(config.joinUrl, feature.id), labels.join));
    box.appendChild(links);
    return box;
  }

  // Cluster icons carry their count as an accessible name (aria-label and title).
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      var label = format(labels.cluster, { count: this.options.count });
      div.textContent = "";
      var span = el("span", null, String(this.options.count));
      span.setAttribute("aria-hidden", "true");
      div.appendChild(span);
      div.setAttribute("aria-label", label);
      div.title = label;
      return div;
    },
  });

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return new ClusterIcon({
      count: count,
      className: "wabp-cluster wabp-cluster-" + size,
      iconSize: L.point(40, 40),
    });
  }

  function renderList(visible, pageNumber, heading) {
    var results = document.getElementById("map-results");
    if (!results) return;
    var pages = Math.max(1, Math.ceil(visible.length / config.pageSize));
    var page = Math.min(Math.max(1, pageNumber), pages);
    results.textContent = "";
    var found = visible.length === 1 ? labels.foundOne : format(labels.found, { count: visible.length });
    var title = el("h2", "map-count", found + (heading ? " " + heading : ""));
    title.id = "map-results-title";
    results.appendChild(title);
    if (!visible.length) {
      results.appendChild(el("p", null, labels.none));
      return;
    }
    var ul = el("ul", "group-list");
    visible.slice((page - 1) * config.pageSize, page * config.pageSize).forEach(function (feature) {
      var p = feature.properties;
      var li = el("li", "group-item");
      li.appendChild(link(groupUrl(config.detailUrl, feature.id), p.n, "group-name"));
      li.appendChild(el("span", "group-meta", platformName(p.p) + " · " + p.pl));
      var b = badges(p);
      if (b) li.appendChild(b);
      var join = link(groupUrl(config.joinUrl, feature.id), labels.join, "group-join");
      join.appendChild(el("span", "visually-hidden", " " + p.n));
      li.appendChild(join);
      ul.appendChild(li);
    });
    results.appendChild(ul);
    if (pages > 1) {
      var nav = el("nav");
      nav.setAttribute("aria-label", labels.pages);
      var list = el("ul", "pagination");
      if (page > 1) {
        var prev = el("button", "link-button", labels.previous);
        prev.type = "button";
        prev.addEventListener("click", function () {
          renderList(visible, page - 1, heading);
          title.focus();
        });
        list.appendChild(el("li")).appendChild(prev);
      }
      list.appendChild(el("li", null, format(labels.page, { page: page, pages: pages })));
      if (page < pages) {
        var next = el("button", "link-button", labels.next);
        next.type = "button";
        next.addEventListener("click", function () {
          renderList(visible, page + 1, heading);
          document.getElementById("map-results-title").focus();
        });
        list.appendChild(el("li")).appendChild(next);
      }
      nav.appendChild(list);
      results.appendChild(nav);
    }
    title.tabIndex = -1;
  }

  window.wabpMapInit = function (map) {
    // The marker images by their own (hashed) addresses; an empty imagePath keeps them
    // whole and stops Leaflet guessing a folder from its CSS.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions(config.icons);
    var container = map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", labels.groups);

    // The borders are the base map (map-borders.js); the groups load at the same time.
    var borders = window.wabpBorders ? window.wabpBorders.add(map, config) : Promise.resolve(null);
    // The layer control: django-leaflet's when it made one (several tile layers), else ours,
    // with the municipality borders; other scripts add theirs (see "wabp:map-ready" below).
    var layers = map.layerscontrol || L.control.layers(null, null, { collapsed: true }).addTo(map);
    var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = labels.layers;
      toggle.setAttribute("aria-label", labels.layers);
    }
    borders.then(function (b) {
      if (b) layers.addOverlay(b.layer, labels.bordersLayer);
    });

    // Added to the map before any marker, so chunked loading can work in the background.
    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      spiderfyOnMaxZoom: true,
      // From zoom 15 every group has its own marker: those sharing an area are spread
      // ~175 m apart by the server (groups/maps/geojson.py), 60 px or more at this zoom.
      disableClusteringAtZoom: 15,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon,
    }).addTo(map);

    var features = [];
    var areaGroups = null; // slugs found by the postcode box, or null
    var areaHeading = "";
    var form = document.getElementById("map-filters");
    var state = { map: map, cluster: cluster, ready: false, visible: 0, borders: null };
    window.wabpMap = state;

    function filters() {
      if (!form) {
        // A fixed area: one municipality, or several (the police workspace's area).
        return { municipality: config.municipality || "", municipalities: config.municipalities || null };
      }
      var data = new FormData(form);
      return {
        province: data.get("province") || "",
        municipality: data.get("municipality") || "",
        platform: data.get("platform") || "",
        rm: data.get("registered_with_municipality") === "on",
        rp: data.get("registered_with_police") === "on",
        t: data.get("trained") === "on",
      };
    }

    function matches(feature, f) {
      var p = feature.properties;
      return (
        (!f.province || p.pr === f.province) &&
        (!f.municipality || p.m === f.municipality) &&
        (!f.municipalities || f.municipalities.indexOf(p.m) !== -1) &&
        (!f.platform || p.p === f.platform) &&
        (!f.rm || p.rm) &&
        (!f.rp || p.rp) &&
        (!f.t || p.t) &&
        (!areaGroups || areaGroups.has(feature.id))
      );
    }

    function syncUrl() {
      if (!form || !window.history.replaceState) return;
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (key) {
        if (!params.get(key)) params.delete(key);
      });
      params.delete("zoek");
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }

    function apply(options) {
      var f = filters();
      var visible = features.filter(function (feature) { return matches(feature, f); });
      cluster.clearLayers();
      cluster.addLayers(visible.map(function (feature) { return feature.marker; }));
      state.visible = visible.length;
      if (options && options.list) {
        renderList(visible, 1, areaHeading);
        syncUrl();
      }
      return visible;
    }

    function lookupArea(postcode, options) {
      return fetch(config.area + "?postcode=" + encodeURIComponent(postcode), { credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
        .then(function (result) {
          if (!result.ok) {
            areaGroups = null;
            areaHeading = "";
            var results = document.getElementById("map-results");
            if (results && !(options && options.initial)) {
              results.textContent = "";
              results.appendChild(el("p", "errors", labels.areaNotFound));
            }
            return;
          }
          var area = result.body;
          areaGroups = new Set(area.groups);
          areaHeading = "(" + area.code + " " + area.place + ")";
          map.setView([area.lat, area.lon], 14);
          // Where you are: the area's municipality outlined, unless the filter chose one.
          if (!filters().municipality) showMunicipality(area.municipality, false);
          apply({ list: !(options && options.initial) });
        });
    }

    // The chosen municipality's border, outlined; fitted when `fit` (a choice in the filter).
    function showMunicipality(slug, fit) {
      var code = slug ? config.municipalityCode || (config.municipalityCodes || {})[slug] : "";
      return borders.then(function (b) {
        if (b) b.highlight(code, { fit: fit && !!code });
      });
    }

    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name === "postcode") return;
        apply({ list: true });
        if (event.target.name === "municipality") showMunicipality(event.target.value, true);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var postcode = form.elements.postcode.value.trim();
        if (postcode) {
          lookupArea(postcode);
        } else {
          areaGroups = null;
          areaHeading = "";
          apply({ list: true });
          showMunicipality(filters().municipality, false);
        }
      });
    }

    var groupsLoaded = fetch(config.geojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); });
    Promise.all([groupsLoaded, borders])
      .then(function (loaded) {
        var collection = loaded[0];
        state.borders = loaded[1];
        features = collection.features;
        features.sort(function (a, b) { return a.properties.n.localeCompare(b.properties.n, "nl"); });
        features.forEach(function (feature) {
          var c = feature.geometry.coordinates; // [longitude, latitude]
          feature.marker = L.marker([c[1], c[0]], { title: feature.properties.n, alt: feature.properties.n, keyboard: true });
          feature.marker.bindPopup(function () { return popupContent(feature); });
        });
        var visible = apply();
        var chosen = filters().municipality;
        var outlined = chosen && state.borders && state.borders.highlight(
          config.municipalityCode || (config.municipalityCodes || {})[chosen], { fit: true });
        if ((chosen || config.municipalities) && !outlined && visible.length) {
          // No border for it (no CBS code yet), or an area of several: fit its groups instead.
          map.fitBounds(L.latLngBounds(visible.map(function (f) { return f.marker.getLatLng(); })), { maxZoom: 14, padding: [20, 20] });
        }
        var postcode = form && form.elements.postcode.value.trim();
        var done = postcode ? lookupArea(postcode, { initial: true }) : Promise.resolve();
        return done.then(function () {
          state.ready = true;
          container.dataset.ready = "1";
        });
      });

    // For other scripts on the page (the gap map): the map, this config, the layer control
    // (L.Control.Layers: addOverlay) and a promise of the borders (see map-borders.js).
    document.dispatchEvent(new CustomEvent("wabp:map-ready", { detail: { map: map, config: config, layers: layers, borders: borders } }));
  };
})();

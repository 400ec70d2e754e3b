/* Atlas PVD web maps: draws a map description (pvd_geo/webmap.py) on a Leaflet map.
 *
 * Used by the dashboard (inside streamlit-folium) and by the static site (publish). Needs Leaflet
 * and topojson-client, both served by the atlas itself. Every name from the data is put in the page
 * as text (textContent), never as HTML. No inline style or script is needed: the pages that load
 * this file can forbid both (Content Security Policy).
 */
(function (global) {
  "use strict";
  var L = global.L;
  var topojson = global.topojson;
  var PVD = 1, ACV = 2;
  var LABEL_FONT = "600 11px sans-serif";

  function el(tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fr(n) {
    return n === null || n === undefined ? "–" : n.toLocaleString("fr-FR");
  }

  /* Integers written as text (pvd_geo/topo.py encode_ints), five bits a character. */
  function decodeInts(text) {
    var values = [], value = 0, shift = 0;
    for (var i = 0; i < text.length; i++) {
      var chunk = text.charCodeAt(i) - 63;
      value |= (chunk & 31) << shift;
      shift += 5;
      if (chunk < 32) {
        values.push(value & 1 ? ~(value >> 1) : value >> 1);
        value = 0;
        shift = 0;
      }
    }
    return values;
  }

  /* An arc: x, y steps. */
  function decodeArc(text) {
    var values = decodeInts(text), out = [];
    for (var j = 0; j < values.length; j += 2) { out.push([values[j], values[j + 1]]); }
    return out;
  }

  /* A ring: its arcs' numbers, the first then differences. */
  function decodeRing(text) {
    var values = decodeInts(text), sum = 0;
    return values.map(function (v) { sum += v; return sum; });
  }

  /* The compact topology of a description back as TopoJSON, each feature with its row. */
  function topology(spec) {
    var t = spec.topo, keys = Object.keys(spec.rows), objects = {};
    Object.keys(t.objects).forEach(function (name) {
      objects[name] = { type: "GeometryCollection", geometries: t.objects[name].map(function (rings, i) {
        var props = {};
        if (name === spec.kind) { keys.forEach(function (k) { props[k] = spec.rows[k][i]; }); }
        if (!rings) { return { type: null, properties: props }; }
        if (typeof rings[0] === "string") { return { type: "Polygon", arcs: rings.map(decodeRing), properties: props }; }
        return { type: "MultiPolygon", properties: props,
          arcs: rings.map(function (poly) { return poly.map(decodeRing); }) };
      }) };
    });
    return { type: "Topology", transform: t.transform, arcs: t.arcs.map(decodeArc), objects: objects };
  }

  function small(map) {
    var size = map.getSize();
    return size.x < 560 || size.y < 440;
  }

  function control(map, position, build) {
    var ctl = L.control({ position: position });
    ctl.onAdd = function () {
      var div = build();
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    return ctl.getContainer();
  }

  /* The legend: a <details> box, open on a large map, closed (title only) on a small one. */
  function legend(map, spec) {
    return control(map, "topright", function () {
      var box = el("details", "pvd-legend");
      box.open = !small(map);
      el("summary", null, spec.legend.title, box);
      spec.legend.items.forEach(function (item) {
        var row = el("div", null, null, box);
        if (item.fill || item.line) {
          var key = el("i", item.shape === "circle" ? "circle" : "", null, row);
          key.style.background = item.fill || "none";
          if (item.line) { key.style.border = "2px " + item.dash + " " + item.line; }
          else if (item.dash) { key.style.border = "1px " + item.dash + " #9a9a9a"; }
        }
        row.appendChild(document.createTextNode(item.label || item.text));
      });
      return box;
    });
  }

  /* Sources and the list's date: in full on a large map; on a small one, the first source (the
     list and its date) and the rest on demand. */
  function sources(map, spec) {
    return control(map, "bottomright", function () {
      var box = el("details", "pvd-sources");
      var first = spec.sources.split(" ; ")[0];
      if (small(map) && first !== spec.sources) {
        el("summary", null, first + " ; …", box);
        el("div", null, spec.sources, box);
      } else {
        box.open = true;
        el("summary", null, spec.sources, box);
        box.addEventListener("toggle", function () { box.open = true; });
      }
      return box;
    });
  }

  function icon(d) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "#222");
    path.setAttribute("stroke-width", "1.8");
    svg.appendChild(path);
    return svg;
  }

  /* Full-screen and print buttons (no plugin: works offline). */
  function tools(map) {
    control(map, "topleft", function () {
      var bar = el("div", "leaflet-bar pvd-tools");
      function button(d, label, action) {
        var a = el("a", null, null, bar);
        a.href = "#";
        a.title = label;
        a.setAttribute("role", "button");
        a.setAttribute("aria-label", label);
        a.appendChild(icon(d));
        L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); action(); });
      }
      button("M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4", "Plein écran", function () {
        var box = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (box.requestFullscreen) { box.requestFullscreen().then(function () { map.invalidateSize(); }); }
      });
      button("M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z", "Imprimer la carte", function () { global.print(); });
      return bar;
    });
  }

  /* Fit the territory in the part of the map that the legend and the sources leave free: the
     legend beside it or above it, whichever gives the larger zoom. */
  function fit(map, spec, boxes) {
    if (spec.zoom !== null && spec.zoom !== undefined) {
      map.setView(L.latLngBounds(spec.fit).getCenter(), spec.zoom, { animate: false });
      return;
    }
    var bounds = L.latLngBounds(spec.fit);
    var size = map.getSize();
    var leg = boxes.legend.getBoundingClientRect(), src = boxes.sources.getBoundingClientRect();
    var left = 44, bottom = Math.min(src.height + 14, size.y / 3);
    var options = [
      { paddingTopLeft: [left, 10], paddingBottomRight: [Math.min(leg.width + 16, size.x / 2), bottom] },
      { paddingTopLeft: [left, Math.min(leg.height + 16, size.y / 2)], paddingBottomRight: [10, bottom] }
    ];
    var best = options[0], bestZoom = -1;
    options.forEach(function (o) {
      var pad = L.point(o.paddingTopLeft).add(o.paddingBottomRight);
      var z = map.getBoundsZoom(bounds, false, pad);
      if (z > bestZoom) { best = o; bestZoom = z; }
    });
    best.animate = false;  /* the zoom is final at once: the labels' threshold depends on it */
    map.fitBounds(bounds, best);
  }

  /* PVD names, largest communes first; a name goes right, left, above or below its point,
     whichever is free, or is left out: names never overlap each other or the legend. */
  function labels(map, items, threshold, boxes) {
    var layer = L.layerGroup().addTo(map);
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = LABEL_FONT;
    items.forEach(function (it) { it.w = ctx.measureText(it.name).width + 2; });
    items.sort(function (a, b) { return (b.pop || 0) - (a.pop || 0); });
    function overlaps(a, b) {
      return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }
    function place() {
      layer.clearLayers();
      if (map.getZoom() < threshold) { return; }
      var origin = map.getContainer().getBoundingClientRect();
      var size = map.getSize();
      var taken = [boxes.legend, boxes.sources].map(function (b) {
        var r = b.getBoundingClientRect();
        return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
      });
      items.forEach(function (it) {
        var p = map.latLngToContainerPoint(it.ll);
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { return; }
        var h = 13, w = it.w;
        var spots = [[7, -h / 2], [-7 - w, -h / 2], [-w / 2, -h - 4], [-w / 2, 4]];
        for (var i = 0; i < spots.length; i++) {
          var x = p.x + spots[i][0], y = p.y + spots[i][1];
          var box = [x, y, x + w, y + h];
          if (x < 0 || y < 0 || x + w > size.x || y + h > size.y) { continue; }
          if (taken.some(function (t) { return overlaps(box, t); })) { continue; }
          taken.push(box);
          var span = el("span", null, it.name);
          L.marker(it.ll, {
            icon: L.divIcon({ className: "pvd-label", html: span, iconSize: null,
              iconAnchor: [-spots[i][0], -spots[i][1]] }),
            interactive: false, keyboard: false
          }).addTo(layer);
          return;
        }
      });
    }
    map.on("zoomend moveend resize", place);
    place();
  }

  /* Panels (distant départements side by side, laid out by the server for a wide map): on a tall
     map (a phone), stacked in one column when that shows them larger. Everything drawn inside a
     panel moves with it, in Web-Mercator metres (shapes and scale unchanged); clicks send codes,
     so nothing needs mapping back. Sets ``spec.move`` (a function of a LatLng) and the new frames. */
  function restack(map, spec) {
    var list = spec.panels || [];
    if (spec.kind !== "communes" || list.length < 2) { return; }
    var crs = L.CRS.EPSG3857, size = map.getSize();
    var boxes = list.map(function (p) {
      var a = crs.project(L.latLng(p[2], p[1])), b = crs.project(L.latLng(p[4], p[3]));
      return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
    });
    var ext = boxes.reduce(function (e, b) {
      return { x0: Math.min(e.x0, b.x0), y0: Math.min(e.y0, b.y0), x1: Math.max(e.x1, b.x1), y1: Math.max(e.y1, b.y1) };
    });
    var gutter = 0.04 * Math.max.apply(null, boxes.map(function (b) { return b.x1 - b.x0; }));
    var colWidth = Math.max.apply(null, boxes.map(function (b) { return b.x1 - b.x0; }));
    var colHeight = boxes.reduce(function (h, b) { return h + (b.y1 - b.y0); }, 0) + gutter * (boxes.length - 1);
    var now = Math.min(size.x / (ext.x1 - ext.x0), size.y / (ext.y1 - ext.y0));
    var stacked = Math.min(size.x / colWidth, size.y / colHeight);
    if (stacked <= now * 1.1) { return; }  /* the server's layout shows them as large */
    var top = ext.y1, shifts = boxes.map(function (b) {
      var d = { x: ext.x0 - b.x0, y: top - b.y1 };
      top -= (b.y1 - b.y0) + gutter;
      return d;
    });
    spec.move = function (ll) {
      var pt = crs.project(ll);
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (pt.x >= b.x0 - 1 && pt.x <= b.x1 + 1 && pt.y >= b.y0 - 1 && pt.y <= b.y1 + 1) {
          return crs.unproject(L.point(pt.x + shifts[i].x, pt.y + shifts[i].y));
        }
      }
      return ll;
    };
    spec.panels = list.map(function (p) {
      var sw = spec.move(L.latLng(p[2], p[1])), ne = spec.move(L.latLng(p[4], p[3]));
      return [p[0], sw.lng, sw.lat, ne.lng, ne.lat];
    });
    var all = spec.panels.map(function (p) { return [[p[2], p[1]], [p[4], p[3]]]; });
    var bounds = L.latLngBounds(all[0]);
    all.forEach(function (b) { bounds.extend(b); });
    spec.fit = [[bounds.getSouth(), bounds.getWest()], [bounds.getNorth(), bounds.getEast()]];
  }

  /* Where a point of the data is drawn (moved with its panel when the panels were restacked). */
  function at(spec, latlng) {
    var ll = L.latLng(latlng);
    return spec.move ? spec.move(ll) : ll;
  }

  function geo(spec, options) {
    if (spec.move) { options.coordsToLatLng = function (c) { return spec.move(L.latLng(c[1], c[0])); }; }
    return options;
  }

  function panels(map, spec) {
    (spec.panels || []).forEach(function (p) {
      var bounds = [[p[2], p[1]], [p[4], p[3]]];
      L.rectangle(bounds, { color: "#777777", weight: 1, fill: false, interactive: false }).addTo(map);
      L.circleMarker([p[4], p[1]], { radius: 0, opacity: 0, interactive: false })
        .bindTooltip(p[0], { permanent: true, direction: "right", offset: [-4, -7], className: "pvd-inset" })
        .addTo(map);
    });
  }

  /* In the dashboard, a click hands the code to ``onClick``; on the static site, it opens the page
     of the territory or commune, when it has one. */
  function open(spec, code) {
    if (spec.onClick) { spec.onClick(code); return; }
    if (!spec.link || !spec.linkable || spec.linkable.indexOf(code) < 0) { return; }
    global.location.href = spec.link.replace("{c}", encodeURIComponent(code));
  }

  /* The shape of a territory or commune carries its code (see clicks()). */
  function linked(layer, spec, code) {
    layer.on("add", function () {
      var shape = layer.getElement();
      if (shape) { shape.pvdCode = code; }
    });
  }

  /* A click is a press and a release at the same place, on a shape: the code of the shape pressed.
     (Not the browser's click event: when the tooltip under the pointer closes on the press, the
     browser may give the release and the click to the map instead of the shape.) Mouse, pen and
     touch alike; a drag (the map panned) is not a click. */
  function clicks(map, spec) {
    var box = map.getContainer(), down = null;
    /* Leaflet focuses the map on a press (for the arrow keys); focus() scrolls a map that is partly
       out of view — inside the dashboard's frame, the whole page jumps under the pointer and the
       press and release land on different places. Focus without scrolling (Leaflet 1.9's keyboard
       handler, its press listener replaced). */
    if (map.keyboard && map.keyboard.enabled()) {
      map.keyboard.disable();
      map.keyboard._onMouseDown = function () {
        if (!this._focused) { this._map.getContainer().focus({ preventScroll: true }); }
      };
      map.keyboard.enable();
    }
    box.addEventListener("pointerdown", function (e) {
      down = e.target && e.target.pvdCode ? { code: e.target.pvdCode, x: e.clientX, y: e.clientY } : null;
    }, true);
    box.addEventListener("pointerup", function (e) {
      if (down && Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y) < 6) { open(spec, down.code); }
      down = null;
    }, true);
  }

  function hover(layer) {
    layer.on("mouseover", function () { layer.setStyle({ weight: 3, color: "#000000" }); });
  }

  function communeTip(spec) {
    return function (layer) {
      var p = layer.feature.properties;
      var box = el("div", "pvd-tip");
      el("b", null, p.n + " (" + p.c + ")", box);
      el("div", null, fr(p.h) + " hab. (" + spec.population + ")", box);
      el("div", null, p.e >= 0 ? spec.epci[p.e] : "sans EPCI", box);
      var status = [];
      if (p.s & PVD) { status.push("PVD"); }
      if (p.s & ACV) { status.push("ACV"); }
      el("div", null, status.length ? status.join(", ") : "hors programme", box);
      return box;
    };
  }

  function drawCommunes(map, spec) {
    var topo = topology(spec), c = spec.colours;
    L.geoJSON(topojson.feature(topo, topo.objects.fond), geo(spec, {
      style: { fillColor: c.fond, fillOpacity: 1, color: "#FFFFFF", weight: 1 }, interactive: false
    })).addTo(map);
    var shaded = {};
    topo.objects.communes.geometries.forEach(function (g) {
      if (g.properties.s & PVD) { shaded[g.properties.e] = true; }
    });
    (spec.epciPvd || []).forEach(function (e) { shaded[e] = true; });
    function style(p) {
      var s = { color: c.commune, weight: 0.6, fillColor: "#FFFFFF", fillOpacity: 0 };
      if (p.s & PVD) { s.fillColor = c.pvd; s.fillOpacity = 0.9; }
      else if (p.s & ACV) { s.fillColor = c.acv; s.fillOpacity = 0.85; }
      else if (p.e >= 0 && shaded[p.e]) { s.fillColor = c.epci_pvd; s.fillOpacity = 1; }
      return s;
    }
    var communes = topojson.feature(topo, topo.objects.communes);
    L.geoJSON(communes, geo(spec, {
      style: function (f) { return style(f.properties); },
      onEachFeature: function (f, layer) {
        hover(layer);
        layer.on("mouseout", function () { layer.setStyle(style(f.properties)); });
        linked(layer, spec, f.properties.c);
      }
    })).bindTooltip(communeTip(spec), { sticky: true }).addTo(map);  /* one tooltip for all */
    if (spec.focus) {  /* the commune of the page, outlined */
      var own = communes.features.filter(function (f) { return f.properties.c === spec.focus; });
      L.geoJSON({ type: "FeatureCollection", features: own },
        geo(spec, { style: { fill: false, color: "#000000", weight: 3.5 }, interactive: false })).addTo(map);
    }
    function outline(bit, style) {
      var part = communes.features.filter(function (f) { return f.properties.s & bit; });
      if (part.length) {
        L.geoJSON({ type: "FeatureCollection", features: part }, geo(spec, { style: style, interactive: false }))
          .addTo(map);
      }
    }
    if (spec.ort) { outline(spec.ort[0], { fill: false, color: spec.ort[1], weight: 2.4, dashArray: "2 3" }); }
    (spec.extras || []).forEach(function (x) {
      outline(x[0], { fill: false, color: x[1], weight: 3, dashArray: "6 4" });
    });
    var obj = topo.objects.communes;
    L.geoJSON(topojson.mesh(topo, obj, function (a, b) {
      return a === b ? spec.outline === "epci" : a.properties.e !== b.properties.e;
    }), geo(spec, { style: { fill: false, color: c.epci, weight: 1.6 }, interactive: false })).addTo(map);
    L.geoJSON(topojson.mesh(topo, obj, function (a, b) {
      return a === b ? spec.outline !== "epci" : a.properties.d !== b.properties.d;
    }), geo(spec, { style: { fill: false, color: c.departement, weight: 2.6 }, interactive: false })).addTo(map);
    var names = [];
    obj.geometries.forEach(function (g) {
      var p = g.properties;
      if (!p.p) { return; }
      if (p.s & ACV) {
        L.circleMarker(at(spec, p.p), { radius: 5, color: "#FFFFFF", weight: 1.5, fill: true, fillColor: c.acv,
          fillOpacity: 1, interactive: false }).addTo(map);
      }
      if (p.s & PVD) { names.push({ ll: at(spec, p.p), name: p.n, pop: p.h }); }
    });
    return names;
  }

  function drawTerritories(map, spec) {
    var topo = topology(spec);
    L.geoJSON(topojson.feature(topo, topo.objects.territoires), {
      style: function (f) {
        var p = f.properties;
        if (p.v === null) {
          return { fillColor: p.f, fillOpacity: 0.6, color: "#9a9a9a", weight: 1, dashArray: "3 3" };
        }
        return { fillColor: p.f, fillOpacity: 0.95, color: "#444444", weight: 1 };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        hover(layer);
        layer.on("mouseout", function () { layer.setStyle({ weight: 1, color: p.v === null ? "#9a9a9a" : "#444444" }); });
        linked(layer, spec, p.c);
      }
    }).bindTooltip(function (layer) {
          var p = layer.feature.properties;
          var box = el("div", "pvd-tip");
          el("b", null, p.n + " (" + p.c + ")", box);
          el("div", null, spec.level, box);
          if (p.v === null) { el("div", null, "Hors de la liste chargée : nombre inconnu", box); }
          else {
            el("div", null, "Communes PVD : " + fr(p.v), box);
            el("div", null, "Communes ACV : " + fr(p.a), box);
          }
          return box;
        }, { sticky: true }).addTo(map);  /* one tooltip for all */
    var radius = spec.insets ? 1.8 : 2.5;
    spec.points.forEach(function (ll) {
      L.circleMarker(ll, { radius: radius, weight: 0, fill: true, fillColor: "#5A1E00", fillOpacity: 0.9,
        interactive: false }).addTo(map);
    });
    return [];
  }

  /* Draw ``spec`` on ``map`` (a Leaflet map); ``options.onClick(code)``: called on a click on a
     territory or commune (the dashboard). Returns the map. */
  function draw(map, spec, options) {
    if (options && options.onClick) { spec.onClick = options.onClick; }
    restack(map, spec);
    clicks(map, spec);
    var names = spec.kind === "communes" ? drawCommunes(map, spec) : drawTerritories(map, spec);
    panels(map, spec);
    var boxes = { legend: legend(map, spec), sources: sources(map, spec) };
    tools(map);
    fit(map, spec, boxes);
    var threshold = spec.labels ? spec.labels.min : 99;
    if (spec.labels && spec.labels.atFit) { threshold = Math.min(threshold, map.getZoom() - 0.01); }
    if (names.length) { labels(map, names, threshold, boxes); }
    return map;
  }

  global.pvdAtlas = { draw: draw };
})(window);

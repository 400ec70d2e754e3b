/* Atlas PVD map plugin — compact TopoJSON layers whose features carry their codes.
 *
 * The geometry arrives as quantized TopoJSON with arcs written as text (pvd_geo/webmap/topo.py),
 * one short record per feature. Each drawn feature answers ``toGeoJSON()`` with its code and level
 * only: a click seen by streamlit-folium (``last_active_drawing``) carries the code, not the shape.
 * On the static site a click opens the page of the feature. Tooltips are built as text.
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas, el = atlas.el, fr = atlas.fr;
  var FILLED = 1, RINGED = 2;  /* status bits: the filled programme (PVD), the ringed one (ACV) */

  /* Integers written as text (topo.encode_ints), five bits a character. */
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

  function decodeArc(text) {
    var values = decodeInts(text), out = [];
    for (var j = 0; j < values.length; j += 2) { out.push([values[j], values[j + 1]]); }
    return out;
  }

  /* A ring: its arcs' numbers, the first then differences. */
  function decodeRing(text) {
    var sum = 0;
    return decodeInts(text).map(function (v) { sum += v; return sum; });
  }

  /* The compact topology back as TopoJSON; the features of ``main`` get their row as properties. */
  function topology(data, main) {
    var t = data.topo, keys = Object.keys(data.rows), objects = {};
    Object.keys(t.objects).forEach(function (name) {
      objects[name] = { type: "GeometryCollection", geometries: t.objects[name].map(function (rings, i) {
        var props = {};
        if (name === main) { keys.forEach(function (k) { props[k] = data.rows[k][i]; }); }
        if (!rings) { return { type: null, properties: props }; }
        if (typeof rings[0] === "string") { return { type: "Polygon", arcs: rings.map(decodeRing), properties: props }; }
        return { type: "MultiPolygon", properties: props,
          arcs: rings.map(function (poly) { return poly.map(decodeRing); }) };
      }) };
    });
    return { type: "Topology", transform: t.transform, arcs: t.arcs.map(decodeArc), objects: objects };
  }

  /* A feature's layer: its code on its shape (for clicks) and as its GeoJSON (for streamlit-folium). */
  function coded(layer, code, level) {
    layer.toGeoJSON = function () { return { type: "Feature", geometry: null, properties: { code: code, level: level } }; };
    layer.on("add", function () {
      var shape = layer.getElement();
      if (shape) { shape.pvdLayer = layer; }
    });
  }

  /* A click is a press and a release at the same place on a shape. When the browser gives the
     release to something else (a tooltip closing under the pointer), the shape's click is fired
     here, once. Leaflet's keyboard handler focuses the map without scrolling the page. */
  function clicks(map, group, data) {
    var box = map.getContainer(), down = null, fired = null;
    if (map.keyboard && map.keyboard.enabled()) {
      map.keyboard.disable();
      map.keyboard._onMouseDown = function () {
        if (!this._focused) { this._map.getContainer().focus({ preventScroll: true }); }
      };
      map.keyboard.enable();
    }
    group.on("click", function (e) {
      fired = e.layer;
      if (data.link && data.linkable && data.linkable.indexOf(e.layer.pvdCode) >= 0) {
        global.location.href = data.link.replace("{c}", encodeURIComponent(e.layer.pvdCode));
      }
    });
    box.addEventListener("pointerdown", function (e) {
      var layer = e.target && e.target.pvdLayer;
      down = layer ? { layer: layer, x: e.clientX, y: e.clientY } : null;
      fired = null;
    }, true);
    box.addEventListener("pointerup", function (e) {
      var d = down;
      down = null;
      if (!d || Math.abs(e.clientX - d.x) + Math.abs(e.clientY - d.y) >= 6) { return; }
      setTimeout(function () {
        if (fired !== d.layer) {
          d.layer.fire("click", { latlng: map.mouseEventToLatLng(e), originalEvent: e }, true);
        }
      }, 0);
    }, true);
  }

  /* Tooltips stay inside the map: pulled back in when the pointer is near an edge. */
  function inside(map, group) {
    function adjust() {
      var tip = group.getTooltip && group.getTooltip();
      var node = tip && tip.getElement && tip.getElement();
      if (!node || !tip.isOpen()) { return; }
      node.style.marginLeft = "0px";
      node.style.marginTop = "0px";
      var r = node.getBoundingClientRect(), c = map.getContainer().getBoundingClientRect();
      var dx = r.left < c.left ? c.left - r.left + 2 : (r.right > c.right ? c.right - r.right - 2 : 0);
      var dy = r.top < c.top ? c.top - r.top + 2 : (r.bottom > c.bottom ? c.bottom - r.bottom - 2 : 0);
      node.style.marginLeft = dx + "px";
      node.style.marginTop = dy + "px";
    }
    group.on("tooltipopen mousemove", adjust);
  }

  function hover(layer, restyle) {
    layer.on("mouseover", function () { layer.setStyle({ weight: 3, color: "#000000" }); });
    layer.on("mouseout", restyle);
  }

  /* The hatching of territories the loaded list does not cover (an SVG pattern of the renderer). */
  function hatch(map, layer) {
    var svg = map.getRenderer(layer)._container;
    if (!svg || svg.querySelector("#pvd-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs"), pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "pvd-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "6"); bg.setAttribute("height", "6"); bg.setAttribute("fill", "#f4f4f4");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0"); line.setAttribute("x2", "0"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#9a9a9a"); line.setAttribute("stroke-width", "2");
    pattern.appendChild(bg); pattern.appendChild(line); defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function communeTip(data) {
    return function (layer) {
      var p = layer.feature.properties, box = el("div", "pvd-tip");
      el("b", null, p.n + " (" + p.c + ")", box);
      el("div", null, fr(p.h) + " hab. (" + data.population + ")", box);
      el("div", null, p.e >= 0 ? data.epci[p.e] : "sans EPCI", box);
      var status = [];  /* what each status bit says: the registry's words, sent with the map */
      (data.statuses || []).forEach(function (x) { if (p.s & x[0]) { status.push(x[1]); } });
      el("div", null, status.length ? status.join(", ") : "hors programme", box);
      return box;
    };
  }

  function drawCommunes(map, data) {
    var topo = topology(data, "communes"), c = data.colours, shared = atlas.of(map);
    if (topo.objects.fond.geometries.length) {
      L.geoJSON(topojson.feature(topo, topo.objects.fond), atlas.geo(map, {
        style: { fillColor: c.fond, fillOpacity: 1, color: "#FFFFFF", weight: 1 }, interactive: false
      })).addTo(map);
    }
    var shaded = {};
    topo.objects.communes.geometries.forEach(function (g) { if (g.properties.s & FILLED) { shaded[g.properties.e] = true; } });
    (data.epciPvd || []).forEach(function (e) { shaded[e] = true; });
    function style(p) {
      var s = { color: c.commune, weight: 0.6, fillColor: "#FFFFFF", fillOpacity: 0 };
      if (p.s & FILLED) { s.fillColor = c.aplat; s.fillOpacity = 0.9; }
      else if (p.s & RINGED) { s.fillColor = c.cercle; s.fillOpacity = 0.85; }
      else if (p.e >= 0 && shaded[p.e]) { s.fillColor = c.epci_pvd; s.fillOpacity = 1; }
      return s;
    }
    var communes = topojson.feature(topo, topo.objects.communes);
    var group = L.geoJSON(communes, atlas.geo(map, {
      style: function (f) { return style(f.properties); },
      onEachFeature: function (f, layer) {
        layer.pvdCode = f.properties.c;
        coded(layer, f.properties.c, "commune");
        hover(layer, function () { layer.setStyle(style(f.properties)); });
      }
    })).bindTooltip(communeTip(data), { sticky: true }).addTo(map);
    function outline(filter, style) {
      var part = communes.features.filter(filter);
      if (part.length) {
        L.geoJSON({ type: "FeatureCollection", features: part }, atlas.geo(map, { style: style, interactive: false })).addTo(map);
      }
    }
    if (data.ort) { outline(function (f) { return f.properties.s & data.ort[0]; }, { fill: false, color: data.ort[1], weight: 2.4, dashArray: "2 3" }); }
    (data.extras || []).forEach(function (x) {
      outline(function (f) { return f.properties.s & x[0]; }, { fill: false, color: x[1], weight: 3, dashArray: "6 4" });
    });
    var obj = topo.objects.communes;
    L.geoJSON(topojson.mesh(topo, obj, function (a, b) {
      return a === b ? data.outline === "epci" : a.properties.e !== b.properties.e;
    }), atlas.geo(map, { style: { fill: false, color: c.epci, weight: 1.6 }, interactive: false })).addTo(map);
    L.geoJSON(topojson.mesh(topo, obj, function (a, b) {
      return a === b ? data.outline !== "epci" : a.properties.d !== b.properties.d;
    }), atlas.geo(map, { style: { fill: false, color: c.departement, weight: 2.6 }, interactive: false })).addTo(map);
    if (data.focus) {  /* the commune of the page */
      outline(function (f) { return f.properties.c === data.focus; }, { fill: false, color: "#000000", weight: 4 });
    }
    obj.geometries.forEach(function (g) {
      var p = g.properties;
      if (!p.p) { return; }
      /* ACV: a ring, so that a commune both ACV and PVD keeps its PVD colour */
      if (p.s & RINGED) {
        L.circleMarker(atlas.at(map, p.p), { radius: 5, color: c.cercle, weight: 2.2, fill: false, interactive: false }).addTo(map);
      }
      if (p.s & FILLED) { shared.names.push({ ll: atlas.at(map, p.p), name: p.n, rank: p.h || 0 }); }
    });
    return group;
  }

  function drawTerritories(map, data) {
    var topo = topology(data, "territoires"), shared = atlas.of(map), layers = [];
    function style(p) {
      if (p.v === null) { return { fillColor: "url(#pvd-hatch)", fillOpacity: 1, color: "#9a9a9a", weight: 1 }; }
      return { fillColor: p.f, fillOpacity: 0.95, color: "#444444", weight: 1 };
    }
    var group = L.geoJSON(topojson.feature(topo, topo.objects.territoires), atlas.geo(map, {
      style: function (f) { return style(f.properties); },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.pvdCode = p.c;
        coded(layer, p.c, data.levelKey);
        hover(layer, function () { layer.setStyle(style(p)); });
        layers.push(layer);
      }
    })).bindTooltip(function (layer) {
      var p = layer.feature.properties, box = el("div", "pvd-tip");
      el("b", null, p.n + " (" + p.c + ")", box);
      el("div", null, data.level, box);
      if (p.v === null) { el("div", null, "Hors de la liste chargée : nombre inconnu", box); }
      else {
        el("div", null, "Petites villes de demain : " + fr(p.v), box);
        if (p.r !== null) { el("div", null, "Habitants vivant dans une PVD : " + p.r.toLocaleString("fr-FR") + " %", box); }
        (data.counted || []).forEach(function (label, k) {  /* the other programmes' counts */
          var n = p.o ? p.o[k] : null;
          el("div", null, label + " : " + (n === null ? "hors de la liste chargée" : fr(n)), box);
        });
      }
      return box;
    }, { sticky: true }).addTo(map);
    hatch(map, group);
    /* PVD per territory as proportional symbols (area ∝ count), not clickable: the territory is */
    var sym = data.symbols;
    if (sym && sym.max > 0) {
      var rmax = atlas.symbolRadius(map);
      shared.symbolRadius = rmax;
      shared.symbolMax = sym.max;
      sym.points.forEach(function (s) {
        L.circleMarker(atlas.at(map, [s[0], s[1]]), { radius: rmax * Math.sqrt(s[2] / sym.max), color: "#FFFFFF", weight: 1,
          fill: true, fillColor: data.symbolColour, fillOpacity: 0.85, interactive: false }).addTo(map);
      });
    }
    (data.names || []).forEach(function (n) {  /* [name, lat, lng, west, south, east, north, rank, symbol] */
      var r = n[8] && shared.symbolMax ? shared.symbolRadius * Math.sqrt(n[8] / shared.symbolMax) : 0;
      shared.names.push({ ll: atlas.at(map, [n[1], n[2]]), name: n[0], rank: n[7], centred: true, below: r,
        bounds: L.latLngBounds(atlas.at(map, [n[4], n[3]]), atlas.at(map, [n[6], n[5]])) });
    });
    return group;
  }

  /* Draw a layer description (pvd_geo/webmap/spec.py) on ``map``. */
  atlas.layer = function (map, data) {
    var group = data.kind === "communes" ? drawCommunes(map, data) : drawTerritories(map, data);
    clicks(map, group, data);
    inside(map, group);
    atlas.of(map).group = group;
    return group;
  };
})(window);

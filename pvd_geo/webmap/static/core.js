/* Atlas PVD map plugins — shared helpers (loaded first by every plugin of pvd_geo/webmap).
 *
 * Each plugin is a folium element whose script calls one function of ``pvdAtlas`` with its data
 * (one JSON value). Plugins of one map share a small state (``pvdAtlas.of(map)``): where panels
 * moved things, the boxes the controls take, the names to place, the opening view.
 * Every name from the data goes into the page as text (textContent), never as HTML.
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas = global.pvdAtlas || {};

  atlas.el = function (tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  };

  atlas.fr = function (n) {
    return n === null || n === undefined ? "–" : n.toLocaleString("fr-FR");
  };

  /* The state the plugins of one map share. */
  atlas.of = function (map) {
    if (!map._pvd) { map._pvd = { move: null, names: [], boxes: [], view: null }; }
    return map._pvd;
  };

  /* A small map (a phone, a side-by-side panel): legend closed, sources shortened. */
  atlas.small = function (map) {
    var size = map.getSize();
    return size.x < 560 || size.y < 440;
  };

  /* A Leaflet control built by ``build`` (clicks and wheel stay in it). */
  atlas.control = function (map, position, build) {
    var ctl = L.control({ position: position });
    ctl.onAdd = function () {
      var div = build();
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    return ctl.getContainer();
  };

  /* The radius (px) of the largest proportional symbol on this map. */
  atlas.symbolRadius = function (map) {
    var size = map.getSize();
    return Math.max(9, Math.min(22, Math.min(size.x, size.y) / 28));
  };

  /* Where a point of the data is drawn (moved with its panel when the panels were restacked). */
  atlas.at = function (map, latlng) {
    var ll = L.latLng(latlng), move = atlas.of(map).move;
    return move ? move(ll) : ll;
  };

  /* Options of an L.geoJSON layer whose coordinates follow the panels. */
  atlas.geo = function (map, options) {
    var move = atlas.of(map).move;
    if (move) { options.coordsToLatLng = function (c) { return move(L.latLng(c[1], c[0])); }; }
    return options;
  };

  /* The boxes (container pixels) that names must not cover: the map's controls. */
  atlas.taken = function (map) {
    var origin = map.getContainer().getBoundingClientRect();
    return atlas.of(map).boxes.map(function (b) {
      var r = b.getBoundingClientRect();
      return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
    });
  };

  atlas.overlaps = function (a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  };
})(window);

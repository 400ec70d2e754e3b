/* Atlas PVD map plugin — names without overlap.
 *
 * Names registered by the layers (PVD communes; territories on France and région maps), the
 * highest ranked first. A commune's name goes right, left, above or below its point, whichever is
 * free, or is left out; a territory's name is centred and shown only where it fits inside the
 * territory. Names never overlap each other or the map's controls. Shown from a zoom threshold
 * (or from the opening view when the map asks for names at once).
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas, el = atlas.el;
  var FONT = "600 11px sans-serif", HEIGHT = 13;

  /* ``data``: {min: zoom from which names show, atOpening: bool}; ``options.scale``: font factor. */
  atlas.labels = function (map, data, options) {
    var shared = atlas.of(map), items = shared.names;
    if (!items.length) { return; }
    var scale = (options && options.scale) || 1, h = HEIGHT * scale;
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = FONT.replace("11px", Math.round(11 * scale) + "px");
    items.forEach(function (it) { it.w = ctx.measureText(it.name).width + 2; });
    items.sort(function (a, b) { return b.rank - a.rank; });
    var threshold = data.min;
    if (data.atOpening) { threshold = Math.min(threshold, map.getZoom() - 0.01); }
    var layer = L.layerGroup().addTo(map);

    function spotsOf(it, p) {
      if (it.centred) {
        var a = map.latLngToContainerPoint(it.bounds.getNorthWest()), b = map.latLngToContainerPoint(it.bounds.getSouthEast());
        if (it.w > 0.9 * (b.x - a.x) || h > 0.6 * (b.y - a.y)) { return []; }
        return [[-it.w / 2, it.below ? it.below + 2 : -h / 2]];  /* below its symbol, if any */
      }
      return [[7, -h / 2], [-7 - it.w, -h / 2], [-it.w / 2, -h - 4], [-it.w / 2, 4]];
    }

    function place() {
      layer.clearLayers();
      if (map.getZoom() < threshold) { return; }
      var size = map.getSize(), taken = atlas.taken(map);
      items.forEach(function (it) {
        var p = map.latLngToContainerPoint(it.ll);
        if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { return; }
        var spots = spotsOf(it, p);
        for (var i = 0; i < spots.length; i++) {
          var x = p.x + spots[i][0], y = p.y + spots[i][1], box = [x, y, x + it.w, y + h];
          if (x < 0 || y < 0 || x + it.w > size.x || y + h > size.y) { continue; }
          if (taken.some(function (t) { return atlas.overlaps(box, t); })) { continue; }
          taken.push(box);
          var span = el("span", null, it.name);
          if (scale !== 1) { span.style.fontSize = Math.round(11 * scale) + "px"; }
          L.marker(it.ll, {
            icon: L.divIcon({ className: it.centred ? "pvd-label pvd-label-territoire" : "pvd-label", html: span, iconSize: null,
              iconAnchor: [-spots[i][0], -spots[i][1]] }),
            interactive: false, keyboard: false
          }).addTo(layer);
          return;
        }
      });
    }
    map.on("zoomend moveend resize", place);
    place();
  };
})(window);

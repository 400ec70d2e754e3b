/* Atlas PVD map plugin — panels and insets: distant territories drawn side by side at one scale
 * (laid out by the server for a wide map), framed and named.
 *
 * On a tall map (a phone), communes panels are stacked in one column when that shows them larger:
 * everything drawn inside a panel moves with it, in Web-Mercator metres (shapes and scale
 * unchanged). Clicks carry codes, so nothing needs mapping back. Runs before the layers.
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas;

  function restack(map, data) {
    var list = data.panels, crs = L.CRS.EPSG3857, size = map.getSize();
    var boxes = list.map(function (p) {
      var a = crs.project(L.latLng(p[2], p[1])), b = crs.project(L.latLng(p[4], p[3]));
      return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
    });
    var ext = boxes.reduce(function (e, b) {
      return { x0: Math.min(e.x0, b.x0), y0: Math.min(e.y0, b.y0), x1: Math.max(e.x1, b.x1), y1: Math.max(e.y1, b.y1) };
    });
    var colWidth = Math.max.apply(null, boxes.map(function (b) { return b.x1 - b.x0; }));
    var gutter = 0.04 * colWidth;
    var colHeight = boxes.reduce(function (h, b) { return h + (b.y1 - b.y0); }, 0) + gutter * (boxes.length - 1);
    var now = Math.min(size.x / (ext.x1 - ext.x0), size.y / (ext.y1 - ext.y0));
    var stacked = Math.min(size.x / colWidth, size.y / colHeight);
    if (stacked <= now * 1.1) { return null; }  /* the server's layout shows them as large */
    var top = ext.y1, shifts = boxes.map(function (b) {
      var d = { x: ext.x0 - b.x0, y: top - b.y1 };
      top -= (b.y1 - b.y0) + gutter;
      return d;
    });
    return function (ll) {
      var pt = crs.project(ll);
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (pt.x >= b.x0 - 1 && pt.x <= b.x1 + 1 && pt.y >= b.y0 - 1 && pt.y <= b.y1 + 1) {
          return crs.unproject(L.point(pt.x + shifts[i].x, pt.y + shifts[i].y));
        }
      }
      return ll;
    };
  }

  /* Insets of a national map on a tall map: in a row below ``data.main`` (metropolitan France,
     [west, south, east, north]) instead of a column beside it, so that France fills a phone. */
  function insetsBelow(map, data) {
    var size = map.getSize(), crs = L.CRS.EPSG3857, list = data.panels;
    if (size.y < size.x * 1.15 || !data.main) { return null; }
    var m0 = crs.project(L.latLng(data.main[1], data.main[0])), m1 = crs.project(L.latLng(data.main[3], data.main[2]));
    var boxes = list.map(function (p) {
      var a = crs.project(L.latLng(p[2], p[1])), b = crs.project(L.latLng(p[4], p[3]));
      return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
    });
    var width = m1.x - m0.x, gap = 0.02 * width;
    var each = (width - gap * (boxes.length - 1)) / boxes.length;
    var scales = boxes.map(function (b) { return Math.min(1, each / (b.x1 - b.x0)); });
    var top = m0.y - gap;  /* projected y grows northwards */
    var placed = boxes.map(function (b, i) {
      var x = m0.x + i * (each + gap);
      return { x: x, y: top - (b.y1 - b.y0) * scales[i], s: scales[i] };
    });
    return function (ll) {
      var pt = crs.project(ll);
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (pt.x >= b.x0 - 1 && pt.x <= b.x1 + 1 && pt.y >= b.y0 - 1 && pt.y <= b.y1 + 1) {
          var q = placed[i];
          return crs.unproject(L.point(q.x + (pt.x - b.x0) * q.s, q.y + (pt.y - b.y0) * q.s));
        }
      }
      return ll;
    };
  }

  /* ``data``: {panels: [[name, west, south, east, north], ...], restack: bool, main}. Returns the
     frames as drawn (after restacking), for the opening view. */
  atlas.panels = function (map, data) {
    var shared = atlas.of(map), list = data.panels || [];
    if (data.restack && list.length > 1) { shared.move = restack(map, data); }
    else if (data.main && list.length) { shared.move = insetsBelow(map, data); }
    var frames = list.map(function (p) {
      var sw = atlas.at(map, [p[2], p[1]]), ne = atlas.at(map, [p[4], p[3]]);
      return { name: p[0], bounds: L.latLngBounds(sw, ne) };
    });
    frames.forEach(function (f) {
      L.rectangle(f.bounds, { color: "#777777", weight: 1, fill: false, interactive: false }).addTo(map);
      var name = L.tooltip({ permanent: true, direction: "right", offset: [-4, -7], className: "pvd-inset",
        interactive: false }).setLatLng(L.latLng(f.bounds.getNorth(), f.bounds.getWest()));
      name.setContent(document.createTextNode(f.name));  /* a text node: never parsed as HTML */
      name.addTo(map);
    });
    if (frames.length && shared.move) {
      var all = L.latLngBounds(frames[0].bounds.getSouthWest(), frames[0].bounds.getNorthEast());
      frames.forEach(function (f) { all.extend(f.bounds); });
      if (data.main) { all.extend(L.latLngBounds([data.main[1], data.main[0]], [data.main[3], data.main[2]])); }
      shared.frame = all;
    }
    return frames;
  };
})(window);

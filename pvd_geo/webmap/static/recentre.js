/* Atlas PVD map plugin — the opening view and « Recentrer ».
 *
 * The territory is framed in the part of the map that the legend and the sources leave free (the
 * legend beside it or above it, whichever gives the larger zoom), or at a given zoom (maps side by
 * side at one scale). A « Recentrer » button brings the reader back to that view.
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas;

  function framing(map, bounds, shared) {
    var size = map.getSize();
    var leg = shared.legend ? shared.legend.getBoundingClientRect() : { width: 0, height: 0 };
    var src = shared.sources ? shared.sources.getBoundingClientRect() : { width: 0, height: 0 };
    var left = 44, bottom = Math.min(src.height + 14, size.y / 3);
    var options = [
      { paddingTopLeft: [left, 10], paddingBottomRight: [Math.min(leg.width + 16, size.x / 2), bottom] },
      { paddingTopLeft: [left, Math.min(leg.height + 16, size.y / 2)], paddingBottomRight: [10, bottom] }
    ];
    var best = options[0], bestZoom = -1;
    options.forEach(function (o) {
      var z = map.getBoundsZoom(bounds, false, L.point(o.paddingTopLeft).add(o.paddingBottomRight));
      if (z > bestZoom) { best = o; bestZoom = z; }
    });
    return { center: null, options: best, zoom: bestZoom };
  }

  /* ``data``: {fit: [[south, west], [north, east]], zoom: number|null}. */
  atlas.recentre = function (map, data) {
    var shared = atlas.of(map);
    var bounds = shared.frame || L.latLngBounds(data.fit);
    function open() {
      if (data.zoom !== null && data.zoom !== undefined) {
        map.setView(bounds.getCenter(), data.zoom, { animate: false });
      } else {
        var f = framing(map, bounds, shared);
        f.options.animate = false;  /* final at once: the labels' threshold depends on the zoom */
        map.fitBounds(bounds, f.options);
      }
      shared.view = { center: map.getCenter(), zoom: map.getZoom() };
    }
    open();
    var bar = shared.tools || atlas.control(map, "topleft", function () { return atlas.el("div", "leaflet-bar pvd-tools"); });
    var button = atlas.button(bar, "M8 1v4M8 11v4M1 8h4M11 8h4M8 5a3 3 0 1 0 0.01 0", "Recentrer", function () {
      map.setView(shared.view.center, shared.view.zoom, { animate: false });
    });
    button.classList.add("pvd-recentrer");
    bar.insertBefore(button, bar.firstChild);
    map.on("resize", function () { if (shared.view && map.getZoom() === shared.view.zoom) { open(); } });
  };
})(window);

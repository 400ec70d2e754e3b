/* Atlas PVD map plugin — cooperative gestures (leaflet-gesture-handling, npm, MIT): the wheel
 * scrolls the page unless Ctrl/⌘ is held; on a touch screen one finger scrolls the page and two
 * fingers pan the map; a short French hint says so.
 */
(function (global) {
  "use strict";
  /* ``data``: {touch, scroll, scrollMac, duration}. */
  global.pvdAtlas.gestures = function (map, data) {
    map.options.gestureHandlingOptions = { text: { touch: data.touch, scroll: data.scroll, scrollMac: data.scrollMac },
      duration: data.duration || 1200 };
    if (map.gestureHandling) { map.gestureHandling.enable(); }
  };
})(window);

/* A page of the static atlas, before its map: inside an article's iframe the page is marked
   « intégrée » (title, figures, map with its legend and sources; the rest one click away). When
   the article runs the atlas's integration.js, the page takes its content's height: the map gets a
   height of its own (not the frame's), and the page reports its height to that article only. */
(function () {
  "use strict";
  if (window.self === window.top) { return; }
  var root = document.documentElement;
  root.classList.add("integree");
  var to = null, last = 0;
  function report() {  /* the content's height (the body's bottom), not the frame's */
    var body = document.body, margin = parseFloat(getComputedStyle(body).marginBottom) || 0;
    var h = Math.ceil(body.getBoundingClientRect().bottom + window.scrollY + margin);
    if (to && h !== last) { last = h; window.parent.postMessage({ atlasPvd: "hauteur", h: h }, to); }
  }
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || !e.data || e.data.atlasPvd !== "auto" || to) { return; }
    to = e.origin;
    root.classList.add("auto-hauteur");
    window.dispatchEvent(new Event("resize"));  /* the map's height changed: Leaflet redraws it */
    if (window.ResizeObserver) { new ResizeObserver(report).observe(document.body); }
    window.addEventListener("load", report);
    report();
  });
})();

/* A page of the static atlas: draws its map from the JSON block of the page (no inline script). */
(function () {
  "use strict";
  if (window.self !== window.top) { document.documentElement.classList.add("integree"); }
  var data = document.getElementById("carte-donnees");
  if (!data || !window.pvdAtlas || !window.L) { return; }
  var map = L.map("carte", { zoomSnap: 0.25, attributionControl: false });
  L.control.scale({ imperial: false }).addTo(map);
  var spec = JSON.parse(data.textContent);
  map.fitBounds(spec.fit);  /* a first view; draw() frames it again around the legend */
  window.pvdAtlas.draw(map, spec);
})();

/* A page of the static atlas, before its map: inside an article's iframe the page is marked
   « intégrée » (title, figures, map with its legend and sources; the rest one click away). */
(function () {
  "use strict";
  if (window.self !== window.top) { document.documentElement.classList.add("integree"); }
})();

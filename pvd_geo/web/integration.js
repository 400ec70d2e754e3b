/* Atlas PVD — in the article that embeds a page of the atlas (the « Intégrer » snippet): each
   iframe marked data-atlas-pvd is told it may take its content's height, then follows the height
   its page reports (postMessage, from that iframe's own origin only). Without this script, or
   without JavaScript, the iframe keeps its fixed height and the page fits inside it. */
(function () {
  "use strict";
  function origin(frame) { try { return new URL(frame.src, location.href).origin; } catch (e) { return null; } }
  function frames() { return Array.prototype.slice.call(document.querySelectorAll("iframe[data-atlas-pvd]")); }
  function hello(frame) {
    var to = origin(frame);
    if (to && frame.contentWindow) { frame.contentWindow.postMessage({ atlasPvd: "auto" }, to); }
  }
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.atlasPvd !== "hauteur" || typeof d.h !== "number") { return; }
    frames().forEach(function (frame) {
      if (frame.contentWindow === e.source && origin(frame) === e.origin) {
        frame.style.height = Math.round(Math.min(Math.max(d.h, 240), 4000)) + "px";
      }
    });
  });
  function start() {
    frames().forEach(function (frame) {
      if (frame.dataset.atlasPvdVu) { return; }
      frame.dataset.atlasPvdVu = "1";
      frame.addEventListener("load", function () { hello(frame); });
      hello(frame);  /* already loaded */
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

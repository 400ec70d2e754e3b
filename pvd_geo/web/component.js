/* The dashboard's map: a Streamlit component of our own (Streamlit's component messages, no
 * framework). It draws the map description it receives (atlasmap.js) and sends back the code of
 * the territory or commune clicked, with a counter (two clicks on the same commune are two clicks).
 * A rerun that sends the same map (same digest) redraws nothing: the reader's zoom is kept.
 */
(function () {
  "use strict";
  var map = null, drawn = null, clicks = 0, height = 0;

  function send(type, extra) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    window.parent.postMessage(message, "*");
  }

  function clicked(code) {
    clicks += 1;
    send("streamlit:setComponentValue", { value: { code: code, n: clicks }, dataType: "json" });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "streamlit:render" || event.source !== window.parent) { return; }
    var args = data.args;
    if (args.height !== height) {
      height = args.height;
      document.getElementById("carte").style.height = height + "px";
      send("streamlit:setFrameHeight", { height: height });
      if (map) { map.invalidateSize(); }
    }
    if (args.digest === drawn) { return; }
    drawn = args.digest;
    if (map) { map.remove(); }
    var spec = JSON.parse(args.spec);
    map = L.map("carte", { zoomSnap: 0.25, attributionControl: !!spec.tiles });
    L.control.scale({ imperial: false }).addTo(map);
    if (spec.tiles) { L.tileLayer(spec.tiles[0], { attribution: spec.tiles[1] }).addTo(map); }
    map.fitBounds(spec.fit, { animate: false });
    window.pvdAtlas.draw(map, spec, { onClick: clicked });
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();

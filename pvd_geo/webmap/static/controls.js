/* Atlas PVD map plugin — legend, sources and tools as Leaflet controls.
 *
 * The legend is a <details> box: open on a large map, closed (title only) on a small one unless
 * the page asks for it open (an embed). Sources name the list and its date: in full on a large
 * map; on a small one the first source and the rest on demand. A metric scale; full screen and
 * print buttons. Every text is set with textContent.
 */
(function (global) {
  "use strict";
  var atlas = global.pvdAtlas, el = atlas.el;

  function key(item, row) {
    var cls = item.shape === "circle" ? "circle" : (item.shape === "ring" ? "circle ring" : "");
    if (item.hatch) { cls += " hatch"; }
    var swatch = el("i", cls, null, row);
    if (item.fill) { swatch.style.background = item.fill; }
    if (item.line) { swatch.style.border = "2px " + (item.dash || "solid") + " " + item.line; }
    if (item.size) { swatch.style.width = swatch.style.height = item.size + "px"; }
  }

  function legend(map, data) {
    return atlas.control(map, "topright", function () {
      var box = el("details", "pvd-legend");
      box.open = data.open || data.legendOpen || !atlas.small(map);
      el("summary", null, data.legend.title, box);
      data.legend.items.forEach(function (item) {
        var row = el("div", item.symbol ? "pvd-symbols" : null, null, box);
        if (item.symbol) {  /* proportional symbols: a few sizes and their counts */
          var r = atlas.symbolRadius(map);
          item.symbol.forEach(function (s) {
            var cell = el("span", null, null, row);
            var dot = el("i", "circle", null, cell);
            var d = Math.max(4, Math.round(2 * r * Math.sqrt(s / item.max)));
            dot.style.width = dot.style.height = d + "px";
            dot.style.background = item.fill;
            cell.appendChild(document.createTextNode(atlas.fr(s)));
          });
          el("div", "pvd-caption", item.label, box);
          return;
        }
        if (item.fill || item.line || item.hatch) { key(item, row); }
        row.appendChild(document.createTextNode(item.label || item.text));
      });
      return box;
    });
  }

  function sources(map, data) {
    return atlas.control(map, "bottomright", function () {
      var box = el("details", "pvd-sources");
      var first = data.sources.split(" ; ")[0];
      if (atlas.small(map) && first !== data.sources && !data.open) {
        el("summary", null, first + " ; …", box);
        el("div", null, data.sources, box);
      } else {
        box.open = true;
        el("summary", null, data.sources, box);
        box.addEventListener("toggle", function () { box.open = true; });
      }
      return box;
    });
  }

  function icon(d) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16"); svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d); path.setAttribute("fill", "none");
    path.setAttribute("stroke", "#222"); path.setAttribute("stroke-width", "1.8");
    svg.appendChild(path);
    return svg;
  }

  /* A bar of buttons (icon, French label, action): also used by the « Recentrer » plugin. */
  atlas.button = function (bar, d, label, action) {
    var a = el("a", null, null, bar);
    a.href = "#";
    a.title = label;
    a.setAttribute("role", "button");
    a.setAttribute("aria-label", label);
    a.appendChild(icon(d));
    L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); action(); });
    return a;
  };

  function tools(map) {
    var bar = atlas.control(map, "topleft", function () { return el("div", "leaflet-bar pvd-tools"); });
    atlas.button(bar, "M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4", "Plein écran", function () {
      var box = map.getContainer();
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (box.requestFullscreen) { box.requestFullscreen().then(function () { map.invalidateSize(); }); }
    });
    atlas.button(bar, "M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z", "Imprimer la carte", function () { global.print(); });
    atlas.of(map).tools = bar;
  }

  /* ``data``: {legend: {title, items}, sources: "..."}; ``options.open``: legend and sources open
     on a small map too (as in an article's iframe: the site's page marked « intégrée »);
     ``options.legend``: the legend alone open (a projector);
     ``options.scale``: every control (legend, sources, buttons, scale bar) that much larger, and
     the tooltips' type (a projector). */
  atlas.controls = function (map, data, options) {
    data.open = !!(options && options.open) || document.documentElement.classList.contains("integree");
    data.legendOpen = !!(options && options.legend);
    var scale = (options && options.scale) || 1;
    if (scale !== 1) {
      map.getContainer().classList.add("pvd-grand");
      map.getContainer().style.setProperty("--pvd-zoom", String(scale));
    }
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    tools(map);
    var shared = atlas.of(map);
    shared.legend = legend(map, data);
    shared.sources = sources(map, data);
    shared.boxes.push(shared.legend, shared.sources);
    /* the boxes never cover the buttons: the legend leaves the left column of buttons free, the
       sources line the scale bar (≤ 100 px); in the controls' own pixels (``scale``) */
    function fit() {
      var width = map.getSize().x / scale;
      shared.legend.style.maxWidth = Math.max(120, Math.min(300, width - 84)) + "px";
      shared.sources.style.maxWidth = Math.max(120, Math.min(420, width - 132)) + "px";
    }
    fit();
    map.on("resize", fit);
  };
})(window);

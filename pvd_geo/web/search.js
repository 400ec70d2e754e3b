/* The index's search: régions, départements, EPCI and PVD communes (recherche.json), as links.
   Without JavaScript the index lists every région and département. */
(function () {
  "use strict";
  var input = document.getElementById("q"), list = document.getElementById("resultats");
  if (!input || !list || !window.fetch) { return; }
  var entries = [];
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[-'’]/g, " ");
  }
  function show() {
    var words = key(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { return; }
    var found = entries.filter(function (e) {
      return words.every(function (w) { return e.k.indexOf(w) >= 0; });
    }).slice(0, 30);
    if (!found.length) { var none = document.createElement("li"); none.textContent = "Aucun résultat."; list.appendChild(none); }
    found.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      li.appendChild(a);
      list.appendChild(li);
    });
  }
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  fetch("recherche.json").then(function (r) { return r.json(); }).then(function (data) {
    entries = data.map(function (d) { return { t: d[0], u: d[1], k: key(d[0] + " " + d[1]) }; });
    input.addEventListener("input", show);
    show();
  });
})();

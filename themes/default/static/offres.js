// Instant filtering of the offers on /offres/ (progressive enhancement). Without JavaScript the
// form stays hidden and the static filter pages (/offres/type/…, /offres/profession/…,
// /offres/commune/…) do the same job.
(function () {
  "use strict";
  var form = document.getElementById("filtre-offres");
  var list = document.getElementById("liste-offres");
  var status = document.getElementById("filtre-resultat");
  if (!form || !list || !status) return;
  var selects = form.querySelectorAll("select");
  var items = list.children;
  function apply() {
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      var ok = true;
      for (var j = 0; j < selects.length; j++) {
        var wanted = selects[j].value;
        if (!wanted) continue;
        var values = (li.getAttribute("data-" + selects[j].getAttribute("data-attr")) || "").split(" ");
        if (values.indexOf(wanted) < 0) ok = false;
      }
      li.hidden = !ok;
      if (ok) shown++;
    }
    status.textContent = shown === 0 ? "Aucune offre ne correspond à ces critères."
      : shown === 1 ? "1 offre correspond à ces critères."
      : shown + " offres correspondent à ces critères.";
  }
  form.hidden = false;
  var links = document.querySelector("[data-sans-js]");
  if (links) links.hidden = true;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();

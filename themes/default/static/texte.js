// Text helpers shared by annuaire.js and recherche.js: the same folding and stemming as
// src/render/search.rs (fold, stem) — keep them identical — and a member's whole search text.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae").toLowerCase();
  }
  function stem(w) {
    if (w.length <= 3) return w;
    if (/aux$/.test(w)) w = w.slice(0, -3) + "al";
    else if (/[sx]$/.test(w) && !/ss$/.test(w)) w = w.slice(0, -1);
    var ends = [["euse", "eur"], ["trice", "teur"], ["ienne", "ien"], ["ere", "er"], ["ive", "if"], ["elle", "el"]];
    for (var i = 0; i < ends.length; i++) {
      var f = ends[i][0];
      if (w.length > f.length + 2 && w.slice(-f.length) === f) return w.slice(0, -f.length) + ends[i][1];
    }
    if (w.length > 4 && w.charAt(w.length - 1) === "e") w = w.slice(0, -1);
    return w;
  }
  function words(q) {
    return fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (w) { return " " + stem(w); });
  }

  // A member's whole search text: the index leaves out its name and the texts of its kind and
  // communes, given once in the tables (see src/render/search.rs).
  function fullText(m, dir) {
    var t = " " + m[8] + words(m[0]).join("") + " " + dir.kinds[m[2]][3];
    for (var i = 0; i < m[3].length; i++) t += " " + dir.communes[m[3][i]][3];
    return t;
  }

  window.MaillageTexte = { fold: fold, stem: stem, words: words, fullText: fullText };
})();

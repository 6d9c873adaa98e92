// Site-wide search on /recherche/ (progressive enhancement): reads /recherche/index.json (pages,
// actions, offers, news) and /annuaire/index.json (members), both built by src/render/search.rs,
// and answers in the browser; nothing is sent anywhere. Without JavaScript the page shows links
// to the directory and the site map instead.
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  var status = document.getElementById("recherche-resultat");
  var out = document.getElementById("recherche-resultats");
  var noJs = document.getElementById("recherche-sans-js");
  if (!form || !status || !out || !window.fetch || !window.MaillageTexte) return;
  var MAX = 50;
  var docs = null;

  var words = window.MaillageTexte.words;
  var fullText = window.MaillageTexte.fullText;

  // One list of [title, url, kind, summary, all text, title, profession, places, keywords] for
  // pages and members alike; each text is " "-separated stems with a leading space.
  function load(site, dir) {
    var list = site.p.map(function (p) {
      return [p[0], p[1], p[2], p[3], " " + p[4], words(p[0]).join(""), "", " " + p[5], " " + p[6]];
    });
    dir.m.forEach(function (m) {
      var places = m[3].map(function (i) { return dir.communes[i][1]; }).join(", ");
      var placeText = m[3].map(function (i) { return " " + dir.communes[i][3]; }).join("");
      var kind = dir.kinds[m[2]][1];
      var summary = (m[6] ? m[6] + " · " : "") + places;
      list.push([m[0], dir.base + m[1] + "/", kind, summary, fullText(m, dir), words(m[0]).join(""), " " + dir.kinds[m[2]][3], placeText, ""]);
    });
    return list;
  }

  // Words that say nothing alone (« dentiste au Luc », « médecin de garde »): left out of a
  // query that has others.
  var SMALL = { " le": 1, " la": 1, " les": 1, " l": 1, " de": 1, " du": 1, " des": 1, " d": 1, " a": 1, " au": 1, " aux": 1, " en": 1, " et": 1, " pour": 1, " sur": 1 };

  // Weight of a query word by where an entry has it: a profession first, then the words a
  // section is known by (« garde » for /soins/), a title, a commune, and last the body; 0 if
  // the entry lacks it.
  function weight(d, w) {
    if (d[6].indexOf(w) >= 0) return 10;
    if (d[8].indexOf(w) >= 0) return 9;
    if (d[5].indexOf(w) >= 0) return 8;
    if (d[7].indexOf(w) >= 0) return 5;
    return d[4].indexOf(w) >= 0 ? 1 : 0;
  }

  // The entries that have every word of `q`, best first (ties in index order).
  function rank(q) {
    var meaningful = q.filter(function (w) { return !SMALL[w]; });
    if (meaningful.length) q = meaningful;
    var found = [];
    for (var i = 0; i < docs.length; i++) {
      var score = 0;
      for (var j = 0; j < q.length; j++) {
        var s = weight(docs[i], q[j]);
        if (!s) { score = -1; break; }
        score += s;
      }
      if (score > 0) found.push([score, i]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return found;
  }

  function search() {
    var q = words(form.q.value);
    history.replaceState(null, "", location.pathname + (form.q.value ? "?q=" + encodeURIComponent(form.q.value) : ""));
    out.textContent = "";
    if (!q.length) {
      status.textContent = "";
      return;
    }
    var found = rank(q);
    var n = found.length;
    status.textContent = n === 0 ? "Aucun résultat pour «\u00a0" + form.q.value + "\u00a0»."
      : n === 1 ? "1 résultat pour «\u00a0" + form.q.value + "\u00a0»."
      : n + " résultats pour «\u00a0" + form.q.value + "\u00a0»" + (n > MAX ? ", les " + MAX + " premiers ci-dessous." : ".");
    var frag = document.createDocumentFragment();
    found.slice(0, MAX).forEach(function (f) {
      var d = docs[f[1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d[1];
      a.textContent = d[0];
      var kind = document.createElement("span");
      kind.className = "row-meta";
      kind.textContent = " – " + d[2];
      li.appendChild(a);
      li.appendChild(kind);
      if (d[3]) {
        var p = document.createElement("p");
        p.className = "small";
        p.textContent = d[3];
        li.appendChild(p);
      }
      frag.appendChild(li);
    });
    out.appendChild(frag);
  }

  var get = function (url) { return fetch(url).then(function (r) { return r.json(); }); };
  get(form.getAttribute("data-index"))
    .then(function (site) { return get(site.annuaire).then(function (dir) { return load(site, dir); }); })
    .then(function (list) {
      docs = list;
      if (noJs) noJs.hidden = true;
      var q = new URLSearchParams(location.search).get("q");
      if (q) form.q.value = q;
      form.q.addEventListener("input", search);
      form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
      search();
    })
    .catch(function () { /* the links stay */ });
})();

// Instant filtering of the directory on /annuaire/ (progressive enhancement). Without JavaScript
// the form stays hidden and the static pages by profession and by commune do the job. With it,
// the script reads /annuaire/index.json (built by src/render/search.rs), shows the form, and lists
// the members that match; the count is announced through an aria-live region. The filters are
// kept in the address (?profession=…&commune=…&q=…), so a filtered list can be shared or bookmarked.
(function () {
  "use strict";
  var form = document.getElementById("filtre-annuaire");
  var status = document.getElementById("annuaire-resultat");
  var out = document.getElementById("annuaire-resultats");
  var staticPart = document.getElementById("annuaire-statique");
  if (!form || !status || !out || !window.fetch) return;
  var PAGE = 50;
  var idx = null;
  var shown = 0;
  var matches = [];

  // Same folding and stemming as src/render/search.rs (fold, stem): keep them identical.
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

  function pos(list, key) {
    for (var i = 0; i < list.length; i++) if (list[i][0] === key || list[i] === key) return i;
    return -1;
  }

  function criteria() {
    var c = { q: words(form.q.value), kind: -1, commune: -1, langue: -1, flags: 0, any: false };
    if (form.profession.value) c.kind = pos(idx.kinds, form.profession.value);
    if (form.commune.value) c.commune = pos(idx.communes, form.commune.value);
    if (form.langue && form.langue.value) c.langue = pos(idx.langues, form.langue.value);
    var boxes = form.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) c.flags |= +boxes[i].value;
    c.any = c.q.length > 0 || form.profession.value || form.commune.value || c.flags || (form.langue && form.langue.value);
    return c;
  }

  function keep(m, c) {
    if (form.profession.value && m[2] !== c.kind) return false;
    if (form.commune.value && m[3].indexOf(c.commune) < 0) return false;
    if ((m[4] & c.flags) !== c.flags) return false;
    if (form.langue && form.langue.value && m[5].indexOf(c.langue) < 0) return false;
    if (c.q.length) {
      var t = m[9];
      for (var i = 0; i < c.q.length; i++) if (t.indexOf(c.q[i]) < 0) return false;
    }
    return true;
  }

  function row(m) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = idx.base + m[1] + "/";
    a.textContent = m[0];
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "row-meta";
    var parts = [idx.kinds[m[2]][1]];
    if (m[6]) parts.push(m[6]);
    parts.push(m[3].map(function (i) { return idx.communes[i][1]; }).join(", "));
    meta.textContent = " " + parts.join(" · ");
    if (m[7]) {
      var digits = m[7].replace(/\D/g, "");
      var tel = document.createElement("a");
      tel.href = "tel:" + (digits.charAt(0) === "0" && digits.length === 10 ? "+33" + digits.slice(1) : digits);
      tel.textContent = m[7];
      tel.setAttribute("aria-label", "Appeler " + m[0] + ", " + m[7]);
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(tel);
    }
    if (m[4] & 1) {
      var ok = document.createElement("span");
      ok.className = "ok";
      ok.textContent = "nouveaux patients";
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(ok);
    }
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    return li;
  }

  function more() {
    var list = out.querySelector("ul");
    var end = Math.min(matches.length, shown + PAGE);
    var frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) frag.appendChild(row(matches[i]));
    list.appendChild(frag);
    var first = list.children[shown];
    shown = end;
    var button = out.querySelector("button");
    if (shown >= matches.length) {
      if (button) button.remove();
    } else if (button) {
      button.textContent = "Afficher " + Math.min(PAGE, matches.length - shown) + " de plus (" + shown + " sur " + matches.length + ")";
    }
    return first;
  }

  function apply() {
    var c = criteria();
    var params = new URLSearchParams(new FormData(form));
    var query = [];
    params.forEach(function (v, k) { if (v) query.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); });
    history.replaceState(null, "", location.pathname + (query.length ? "?" + query.join("&") : ""));
    out.textContent = "";
    if (!c.any) {
      staticPart.hidden = false;
      status.textContent = "";
      return;
    }
    matches = idx.m.filter(function (m) { return keep(m, c); });
    staticPart.hidden = true;
    shown = 0;
    var n = matches.length;
    status.textContent = n === 0 ? "Aucun professionnel ne correspond à ces critères."
      : n === 1 ? "1 professionnel ou structure correspond à ces critères."
      : n + " professionnels ou structures correspondent à ces critères.";
    if (!n) return;
    var list = document.createElement("ul");
    list.className = "rows";
    list.id = "annuaire-liste";
    out.appendChild(list);
    if (n > PAGE) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.addEventListener("click", function () {
        var first = more();
        var link = first && first.querySelector("a");
        if (link) link.focus();
      });
      out.appendChild(button);
    }
    more();
  }

  fetch(form.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      idx = data;
      for (var i = 0; i < idx.m.length; i++) idx.m[i][9] = fullText(idx.m[i], idx);
      var params = new URLSearchParams(location.search);
      params.forEach(function (v, k) {
        var el = form.elements[k];
        if (!el) return;
        if (el.type === "checkbox") el.checked = true;
        else el.value = v;
      });
      form.hidden = false;
      form.addEventListener("input", apply);
      form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
      apply();
    })
    .catch(function () { /* the static lists stay */ });
})();

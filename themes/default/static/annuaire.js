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
  if (!form || !status || !out || !window.fetch || !window.MaillageTexte) return;
  var PAGE = 50;
  var idx = null;
  var shown = 0;
  var matches = [];

  var words = window.MaillageTexte.words;
  var fullText = window.MaillageTexte.fullText;

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

  // A list of communes marked data-from-index (a region's département: up to hundreds of
  // communes) comes without its options; they are made here from the index, each with its count
  // of members, before the form is shown.
  function fillCommunes() {
    var select = form.commune;
    if (!select || !select.hasAttribute("data-from-index")) return;
    var counts = idx.communes.map(function () { return 0; });
    idx.m.forEach(function (m) { m[3].forEach(function (c) { counts[c]++; }); });
    var options = document.createDocumentFragment();
    idx.communes.forEach(function (c, i) {
      var option = document.createElement("option");
      option.value = c[0];
      option.textContent = c[1] + " (" + counts[i] + ")";
      options.appendChild(option);
    });
    select.appendChild(options);
  }

  fetch(form.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      idx = data;
      for (var i = 0; i < idx.m.length; i++) idx.m[i][9] = fullText(idx.m[i], idx);
      fillCommunes();
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

// Maillage's editor: enhancements only. Every page works without this script for reading and
// saving; with it, lists filter as one types, forms are checked while typing (the server runs the
// same checks as `maillage check`), items are added and removed without reloading, Markdown texts
// can be previewed, and images and documents can be uploaded.
(() => {
  "use strict";
  const token = document.querySelector('meta[name="maillage-jeton"]')?.content ?? "";
  const post = (url, body, headers = {}) =>
    fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "X-Maillage-Jeton": token, ...headers } });

  // One polite live region for short announcements.
  let announcer = document.getElementById("annonce");
  if (!announcer) {
    announcer = document.createElement("p");
    announcer.className = "visuellement-cache";
    announcer.setAttribute("aria-live", "polite");
    document.body.append(announcer);
  }
  const announce = (text) => {
    announcer.textContent = "";
    setTimeout(() => (announcer.textContent = text), 50);
  };

  // An error notice gets the focus, so that it is read first.
  document.querySelector(".avis-erreur")?.focus();

  // Lists: the search box filters the table as one types.
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const input of document.querySelectorAll("input[data-filtre]")) {
    const table = document.querySelector("table[data-filtrable]");
    if (!table) continue;
    input.addEventListener("input", () => {
      const q = fold(input.value.trim());
      let shown = 0;
      for (const row of table.tBodies[0].rows) {
        const visible = q === "" || fold(row.textContent).includes(q);
        row.hidden = !visible;
        if (visible) shown++;
      }
      announce(q === "" ? "" : shown > 1 ? `${shown} fiches affichées` : `${shown} fiche affichée`);
    });
  }

  // Controls that need this script are hidden in the page and shown here.
  const reveal = () => {
    for (const el of document.querySelectorAll(".apercu, .televersement")) el.hidden = false;
  };
  reveal();

  // Links of the summary move the focus to the field.
  document.addEventListener("click", (e) => {
    const link = e.target.closest?.('a[href^="#c-"]');
    if (!link) return;
    const box = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    const control = box?.querySelector("input:not([type=hidden]), select, textarea, button");
    if (control) {
      e.preventDefault();
      control.focus();
    }
  });

  // Markdown previews, rendered by the site's own pipeline.
  document.addEventListener("click", async (e) => {
    const button = e.target.closest?.("button.apercu");
    if (!button) return;
    const region = document.getElementById(button.getAttribute("aria-controls"));
    const source = document.getElementById(button.dataset.source);
    if (!region || !source) return;
    if (button.getAttribute("aria-expanded") === "true") {
      region.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.textContent = "Afficher l’aperçu";
      return;
    }
    const r = await post("/_edition/apercu", source.value, { "Content-Type": "text/plain; charset=utf-8" });
    region.innerHTML = r.ok ? await r.text() : "<p>Aperçu impossible.</p>";
    region.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Masquer l’aperçu";
  });

  // Uploads: the file is sent, and its name written in the field it belongs to.
  document.addEventListener("change", async (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.televersement) return;
    const file = input.files?.[0];
    const status = document.getElementById("s-" + input.id.slice(2));
    const target = document.getElementById(input.dataset.cible);
    if (!file || !target) return;
    if (status) status.textContent = "Envoi en cours…";
    try {
      const r = await post(`/_edition/televersement?dossier=${encodeURIComponent(input.dataset.televersement)}`, file, {
        "Content-Type": "application/octet-stream",
        "X-Nom-Fichier": encodeURIComponent(file.name),
      });
      const j = await r.json();
      if (r.ok && j.chemin) {
        target.value = j.chemin;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        if (status) status.textContent = `Fichier enregistré : ${j.chemin}.`;
      } else if (status) {
        status.textContent = `Fichier refusé : ${j.erreur ?? "erreur inconnue"}.`;
      }
    } catch {
      if (status) status.textContent = "Envoi impossible : le serveur ne répond pas.";
    }
    input.value = "";
  });

  // Forms: checks while typing, items added and removed in place.
  const form = document.querySelector("form[data-verifier]");
  if (!form) return;
  let timer = 0;
  let sequence = 0;
  let lastCount = null;
  let dirty = false;

  const apply = (answer) => {
    const summary = document.getElementById("resume");
    if (summary && summary.innerHTML !== answer.resume) summary.innerHTML = answer.resume;
    for (const box of form.querySelectorAll(".messages")) {
      const path = box.id.slice(2);
      const html = answer.champs?.[path] ?? "";
      if (box.innerHTML !== html) box.innerHTML = html;
      const control = document.getElementById("f-" + path);
      if (!control) continue;
      if (html.includes('class="erreur"')) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
    if (answer.erreurs !== lastCount) {
      if (lastCount !== null || answer.erreurs > 0) {
        announce(answer.erreurs === 0 ? "Plus aucune erreur." : answer.erreurs > 1 ? `${answer.erreurs} erreurs` : "1 erreur");
      }
      lastCount = answer.erreurs;
    }
  };

  // `data-verification` says whether the messages shown are those of the form as it is.
  const check = async () => {
    const mine = ++sequence;
    try {
      const r = await post(form.dataset.verifier, new URLSearchParams(new FormData(form)));
      if (!r.ok || mine !== sequence) return;
      apply(await r.json());
      form.dataset.verification = "faite";
    } catch {
      // The server stopped: the save will say so.
    }
  };
  const schedule = () => {
    dirty = true;
    // A check already on its way answers for the form as it was: its answer is dropped.
    sequence++;
    form.dataset.verification = "en-cours";
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  const act = async (action) => {
    const data = new URLSearchParams(new FormData(form));
    data.set("_action", action);
    const r = await post(form.action, data, { "X-Maillage-Fragment": "1" });
    if (!r.ok) return false;
    const answer = await r.json();
    form.querySelector(".champs").innerHTML = answer.champs;
    reveal();
    const adding = action.startsWith("ajouter:");
    const item = document.getElementById("i-" + answer.focus);
    const list = document.getElementById("c-" + answer.focus);
    const focus = adding
      ? item?.querySelector("input:not([type=hidden]), select, textarea")
      : list?.querySelector("button.ajouter");
    focus?.focus();
    announce(adding ? "Élément ajouté." : "Élément retiré.");
    schedule();
    return true;
  };

  form.addEventListener("submit", async (e) => {
    const button = e.submitter;
    if (button && button.name === "_action") {
      e.preventDefault();
      if (!(await act(button.value))) form.submit();
      return;
    }
    dirty = false;
  });
  window.addEventListener("beforeunload", (e) => {
    if (dirty) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();

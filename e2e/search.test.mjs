// End-to-end test of the directory filters (/annuaire/) and the site search (/recherche/) in
// headless Chromium (Debian's, driven by playwright-core), on the example site built by maillage
// and served from a tiny static server: filter by profession and commune and check the count,
// search a word and reach the action's page, check that the pages work without JavaScript, and
// that no request ever leaves the site's host; then a region made of the example, whose
// département directory gets its communes from the index. Every page on a 320 px screen is phone.test.mjs's.
//
// Usage: node search.test.mjs [path/to/maillage]            (default: ../target/debug/maillage)
//        node search.test.mjs path/to/maillage --bench ROOT  measures the filters' latency on the
//        site at ROOT (e.g. a territory made by bench/gen_site.py); prints figures, asserts nothing
//        about time.

import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildAndServe } from "./static-site.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const binary = path.resolve(process.argv[2] ?? path.join(repo, "target", "debug", "maillage"));
const benchAt = process.argv.indexOf("--bench");
const benchRoot = benchAt > 0 ? path.resolve(process.argv[benchAt + 1]) : null;
const TIMEOUT = 15000;

function fail(message) {
  throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const site = await buildAndServe(binary, benchRoot ?? repo, "maillage-search-");
const foreign = [];
try {
  const context = await browser.newContext();
  // Every request to another host is refused and recorded.
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.origin !== site.url) {
      foreign.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const index = JSON.parse(fs.readFileSync(path.join(site.pub, "annuaire", "index.json"), "utf8"));

  if (benchRoot) {
    await bench(page, index);
  } else {
    await directory(page, index);
    await search(page);
    await firstResults(page);
    await withoutJs(browser);
    await regionDirectory(browser);
  }
  if (errors.length) fail(`erreurs JavaScript : ${errors.join("\n")}`);
  if (foreign.length) fail(`requests to other hosts: ${foreign.join(", ")}`);
  console.log("ok - no request to another host");
} finally {
  await browser.close();
  site.server.close();
  fs.rmSync(site.out, { recursive: true, force: true });
}

// Filter by profession then commune: the announced count matches the index, the rows too.
async function directory(page, index) {
  await page.goto(`${site.url}/annuaire/`);
  await page.waitForSelector("#filtre-annuaire:not([hidden])");
  const kind = index.kinds.findIndex((k) => k[0] === "infirmier");
  const byKind = index.m.filter((m) => m[2] === kind);
  const communeCounts = new Map();
  for (const m of byKind) for (const c of m[3]) communeCounts.set(c, (communeCounts.get(c) ?? 0) + 1);
  const [commune, expected] = [...communeCounts].sort((a, b) => b[1] - a[1])[0];
  await page.selectOption("#f-profession", "infirmier");
  await page.waitForFunction((n) => document.getElementById("annuaire-resultat").textContent.startsWith(`${n} `), byKind.length);
  await page.selectOption("#f-commune", index.communes[commune][0]);
  const status = await page.waitForFunction(
    (n) => {
      const t = document.getElementById("annuaire-resultat").textContent;
      return t.startsWith(`${n} `) || (n === 1 && t.startsWith("1 ")) ? t : false;
    },
    expected,
  );
  const rows = await page.$$eval("#annuaire-liste > li", (lis) => lis.length);
  if (rows !== Math.min(expected, 50)) fail(`${rows} rows shown for ${expected} announced`);
  if (!(await page.isHidden("#annuaire-statique"))) fail("the static lists should be hidden");
  if (!page.url().includes("profession=infirmier")) fail(`filtres absents de l’adresse : ${page.url()}`);
  if ((await page.getAttribute("#annuaire-resultat", "aria-live")) !== "polite") fail("the count is not announced");
  console.log(`ok - nurses in ${index.communes[commune][1]}: ${await status.jsonValue()}`);

  // Free text without accents, in the plural, finds the accented singular.
  await page.selectOption("#f-profession", "");
  await page.selectOption("#f-commune", "");
  const first = index.m.find((m) => m[6] && /[éèê]/.test(m[6]));
  if (first) {
    const word = first[6].split(/\s+/).find((w) => /[éèê]/.test(w));
    const query = word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase().replace(/([^S])$/, "$1S");
    await page.fill("#f-texte", query);
    await page.waitForFunction((name) => [...document.querySelectorAll("#annuaire-liste a")].some((a) => a.textContent === name), first[0]);
    console.log(`ok - "${query}" finds ${first[0]} (${first[6]})`);
  }
  // A name without its accents, with the commune: the name and the commune come from the tables.
  const accented = index.m.find((m) => /[éèêëïîôç]/.test(m[0]) && m[3].length);
  const bare = (t) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const byName = `${bare(accented[0].split(" ").find((w) => /[éèêëïîôç]/.test(w)))} ${bare(index.communes[accented[3][0]][1])}`;
  await page.fill("#f-texte", byName);
  await page.waitForFunction((name) => [...document.querySelectorAll("#annuaire-liste a")].some((a) => a.textContent === name), accented[0]);
  console.log(`ok - "${byName}" finds ${accented[0]}`);
  // Back to no filter: the static lists come back.
  await page.fill("#f-texte", "");
  await page.waitForSelector("#annuaire-statique:not([hidden])");
}

// Search a word of an action's title, without its accent, and follow the first result.
async function search(page) {
  await page.goto(`${site.url}/`);
  await page.fill("#recherche-entete", "depistage diabete");
  await Promise.all([page.waitForURL(/\/recherche\/\?q=/), page.press("#recherche-entete", "Enter")]);
  await page.waitForFunction(() => /résultat/.test(document.getElementById("recherche-resultat").textContent));
  if (!(await page.isHidden("#recherche-sans-js"))) fail("the links for browsers without JavaScript should be hidden");
  const first = page.locator("#recherche-resultats li a").first();
  const title = await first.textContent();
  if (!/diabète/i.test(title)) fail(`unexpected first result: ${title}`);
  await Promise.all([page.waitForURL(/\/prevention\/[^/]+\/$/), first.click()]);
  const h1 = await page.textContent("h1");
  if (h1.trim() !== title.trim()) fail(`page atteinte : ${h1} au lieu de ${title}`);
  console.log(`ok - "depistage diabete" leads to ${page.url().replace(site.url, "")}`);
}

// Real queries and what must come first: a profession above a page that mentions it, a
// profession with a commune, an action by its theme, and the everyday word for same-day care.
async function firstResults(page) {
  const cases = [
    ["infirmier", (r) => r.kind === "Infirmiers"],
    ["infirmières", (r) => r.kind === "Infirmiers"],
    ["dentiste le luc", (r) => r.kind === "Chirurgiens-dentistes" && r.summary.includes("Le Luc")],
    ["vaccin grippe", (r) => r.url.endsWith("/prevention/vaccination-grippe-covid-2026/")],
    ["garde", (r) => r.url.endsWith("/soins/")],
    ["kine vidauban", (r) => r.kind === "Masseurs-kinésithérapeutes" && r.summary.includes("Vidauban")],
  ];
  for (const [query, expected] of cases) {
    await page.goto(`${site.url}/recherche/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /résultat/.test(document.getElementById("recherche-resultat").textContent));
    const first = await page.$eval("#recherche-resultats li", (li) => ({
      title: li.querySelector("a").textContent,
      url: li.querySelector("a").href,
      kind: li.querySelector(".row-meta").textContent.replace(/^ – /, ""),
      summary: li.querySelector("p")?.textContent ?? "",
    }));
    if (!expected(first)) fail(`« ${query} »: first result ${JSON.stringify(first)}`);
    console.log(`ok - « ${query} » → ${first.title} (${first.kind})`);
  }
}

// Without JavaScript: the filters stay hidden, the static lists and links stay.
async function withoutJs(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${site.url}/annuaire/`);
  if (!(await page.isHidden("#filtre-annuaire"))) fail("the form should be hidden without JavaScript");
  const links = await page.$$eval('nav[aria-label="Par profession"] a', (as) => as.length);
  if (links === 0) fail("no links by profession without JavaScript");
  await page.goto(`${site.url}/recherche/?q=diabete`);
  if (!(await page.isVisible("#recherche-sans-js"))) fail("without JavaScript the search page does not offer its links");
  await context.close();
  console.log("ok - without JavaScript, the directory and the search offer their links");
}

// A region's département directory (a region made of the example alone): the commune list comes
// without its options, the script makes them from the index with their counts, a commune in the
// address filters the list; without JavaScript, the communes' links.
async function regionDirectory(browser) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "maillage-region-src-"));
  fs.writeFileSync(
    path.join(root, "region.yaml"),
    "nom: CPTS du Var\ndescription: Les CPTS du Var, leurs professionnels et leurs actions.\nurl: https://portail.example.fr\ncpts:\n  - dossier: argens\n",
  );
  fs.cpSync(path.join(repo, "content"), path.join(root, "argens", "content"), { recursive: true });
  const region = await buildAndServe(binary, root, "maillage-region-");
  try {
    const html = fs.readFileSync(path.join(region.pub, "annuaire", "83", "index.html"), "utf8");
    const index = JSON.parse(fs.readFileSync(path.join(region.pub, "annuaire", "83", "index.json"), "utf8"));
    const select = html.match(/<select id="f-commune"[^>]*>([\s\S]*?)<\/select>/);
    if (!select || !/data-from-index/.test(select[0])) fail("the département's commune list is not marked data-from-index");
    if ((select[1].match(/<option/g) ?? []).length !== 1) fail(`the page itself should carry only « Toutes les communes »: ${select[1]}`);
    const counts = index.communes.map((_, i) => index.m.filter((m) => m[3].includes(i)).length);
    const at = counts.findIndex((n) => n > 0);
    if (at < 0) fail("no commune with members in the region's index");
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${region.url}/annuaire/83/?commune=${encodeURIComponent(index.communes[at][0])}`);
    await page.waitForSelector("#filtre-annuaire:not([hidden])");
    const options = await page.$$eval("#f-commune option", (os) => os.map((o) => [o.value, o.textContent]));
    const wanted = [["", "Toutes les communes"], ...index.communes.map((c, i) => [c[0], `${c[1]} (${counts[i]})`])];
    if (JSON.stringify(options) !== JSON.stringify(wanted)) fail(`commune options ${JSON.stringify(options)} instead of ${JSON.stringify(wanted)}`);
    if ((await page.inputValue("#f-commune")) !== index.communes[at][0]) fail("the commune of the address is not selected");
    await page.waitForFunction((n) => document.getElementById("annuaire-resultat").textContent.startsWith(n === 1 ? "1 " : `${n} `), counts[at]);
    if (errors.length) fail(`erreurs JavaScript : ${errors.join("\n")}`);
    await context.close();
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const still = await noJs.newPage();
    await still.goto(`${region.url}/annuaire/83/`);
    if (!(await still.isHidden("#filtre-annuaire"))) fail("the département's form should be hidden without JavaScript");
    const links = await still.$$eval("#annuaire-statique a[href^='/communes/']", (as) => as.length);
    if (links !== index.communes.length) fail(`${links} commune links without JavaScript, ${index.communes.length} communes`);
    await noJs.close();
    console.log(`ok - a region's département: ${index.communes.length} communes made from its index, « ${index.communes[at][1]} » filters ${counts[at]}`);
  } finally {
    region.server.close();
    fs.rmSync(region.out, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
}

// Latency of each filter on a big territory: from the input event to the list updated, then to
// the next frame painted. Medians of 15 runs.
async function bench(page, index) {
  const weights = ["annuaire/index.html", "annuaire/index.json", "recherche/index.json", "texte.js", "annuaire.js", "recherche.js"].map(
    (f) => `${f} ${fs.statSync(path.join(site.pub, f)).size} octets`,
  );
  console.log(`${index.m.length} members; ${weights.join(", ")}`);
  await page.goto(`${site.url}/annuaire/`);
  await page.waitForSelector("#filtre-annuaire:not([hidden])");
  const cases = [
    ["profession", "#f-profession", index.kinds[0][0]],
    ["commune", "#f-commune", index.communes[0][0]],
    ["texte « mar »", "#f-texte", "mar"],
    ["texte « infirmiere vidauban »", "#f-texte", "infirmiere vidauban"],
    ["nouveaux patients", "input[name=nouveaux]", true],
  ];
  for (const [label, selector, value] of cases) {
    const times = await page.evaluate(
      async ([selector, value]) => {
        const el = document.querySelector(selector);
        const runs = [];
        for (let i = 0; i < 16; i++) {
          const on = i % 2 === 0;
          const t0 = performance.now();
          if (el.type === "checkbox") el.checked = on;
          else el.value = on ? value : "";
          el.dispatchEvent(new Event("input", { bubbles: true }));
          const t1 = performance.now();
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          if (on) runs.push([t1 - t0, performance.now() - t0, document.getElementById("annuaire-resultat").textContent]);
        }
        return runs;
      },
      [selector, value],
    );
    const med = (k) => times.map((t) => t[k]).sort((a, b) => a - b)[Math.floor(times.length / 2)].toFixed(1);
    console.log(`${label}: filter ${med(0)} ms, until shown ${med(1)} ms — ${times[0][2]}`);
  }
  await page.goto(`${site.url}/recherche/`);
  await page.waitForFunction(() => document.getElementById("recherche-sans-js").hidden);
  const t = await page.evaluate(async () => {
    const el = document.getElementById("recherche-texte");
    const runs = [];
    for (const q of ["martin", "infirmiere", "vaccination grippe", "mar", "rue republique"]) {
      el.value = q;
      const t0 = performance.now();
      el.dispatchEvent(new Event("input", { bubbles: true }));
      runs.push(`${q} ${(performance.now() - t0).toFixed(1)} ms`);
    }
    return runs;
  });
  console.log(`search of the whole site: ${t.join(", ")}`);
}

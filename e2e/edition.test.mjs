// End-to-end test of the editor (/_edition/) in headless Chromium, as a coordinator uses it and
// with the keyboard alone: Tab to reach each field, typing, arrows for lists and choices, Space
// for check boxes, Enter for buttons. Adds a GP in a commune who accepts new patients and sees her
// on the directory page; changes a phone number; types an invalid RPPS and sees the message at the
// field with nothing written; creates an action with two sessions; uploads a poster with its
// alternative text; puts a member in the bin and restores her. axe-core checks the editor's pages
// (0 violations, WCAG 2.1 A/AA) at 360 px wide.
//
// Usage: node edition.test.mjs [path/to/maillage]  (default: ../target/debug/maillage)
// With SCREENSHOTS=DIR, screenshots of the list and of a member's form at 360 and 1280 px go there.

import { chromium } from "playwright-core";
import { startServer, waitFor as waitUntil } from "./dev-server.mjs";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const binary = path.resolve(process.argv[2] ?? path.join(repo, "target", "debug", "maillage"));
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TIMEOUT = 20000;
const shots = process.env.SCREENSHOTS;

function fail(message) {
  throw new Error(message);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "maillage-edition-"));
fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
const file = (rel) => path.join(root, "content", rel);

// Without a password: the editor answers this computer only.
const server = startServer(binary, root, [], { ...process.env, MAILLAGE_MOT_DE_PASSE: "" });
const waitFor = (what, test, ms = TIMEOUT) => waitUntil(what, test, ms, server.log);

// Moves the focus with Tab until it is on an element matching `selector`.
async function tabTo(page, selector, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  fail(`${selector} cannot be reached with Tab`);
}

// Types into the field reached with Tab, replacing what it holds.
async function fill(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  if (text) await page.keyboard.type(text);
}

// Chooses an option of a select with the arrow keys.
async function choose(page, selector, value) {
  await tabTo(page, selector);
  await page.keyboard.press("Home");
  for (let i = 0; i < 300; i++) {
    if ((await page.evaluate((s) => document.querySelector(s).value, selector)) === value) return;
    await page.keyboard.press("ArrowDown");
  }
  fail(`${value} not reached in ${selector}`);
}

// Chooses a radio button of a group with the arrow keys.
async function radio(page, name, value) {
  await tabTo(page, `input[type=radio][name="${name}"]`);
  for (let i = 0; i < 6; i++) {
    const checked = await page.evaluate((n) => document.querySelector(`input[name="${n}"]:checked`)?.value, name);
    if (checked === value) return;
    await page.keyboard.press("ArrowLeft");
  }
  fail(`${name}=${value} not reached`);
}

// Types a date (AAAA-MM-JJ) in a date field reached with Tab: day first as a French browser
// shows it, else month first (the browser's own order decides).
async function typeDate(page, selector, iso) {
  const [y, m, d] = iso.split("-");
  await tabTo(page, selector);
  await page.keyboard.type(`${d}${m}${y}`);
  if ((await page.inputValue(selector)) === iso) return;
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(`${m}${d}${y}`);
  if ((await page.inputValue(selector)) !== iso) fail(`date ${iso} typed as ${await page.inputValue(selector)}`);
}

// Presses a button or link reached with Tab.
async function press(page, selector) {
  await tabTo(page, selector);
  await page.keyboard.press("Enter");
}

// Waits for the check of the form as it is now, and for it to find no error.
async function checked(page) {
  await page.waitForSelector('form.fiche[data-verification="faite"]');
  const summary = await page.textContent("#resume");
  if (!summary.includes("Aucune erreur")) fail(`errors left: ${summary}`);
}

const css = (id) => `#${id.replace(/\./g, "\\.")}`;

async function axe(page, label) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }),
  );
  if (r.violations.length > 0) {
    const details = r.violations.map((v) => `${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.html.slice(0, 160)).join("\n  ")}`);
    fail(`axe: ${r.violations.length} violations on ${label}:\n${details.join("\n")}`);
  }
  // Nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) fail(`${label}: ${overflow} px wider than the screen`);
  console.log(`ok - axe: 0 violations on ${label}, nothing wider than the screen`);
}

let browser;
try {
  const url = await waitFor("the server's address", () => server.log().match(/Site servi sur (http:\/\/127\.0\.0\.1:\d+)\//)?.[1]);
  await waitFor("the editor's address", () => server.log().includes("/_edition/"));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    // A French coordinator's browser: dates typed day first.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=fr-FR"],
  });
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "fr-FR" });
  // Nothing leaves the computer.
  await context.route("**/*", (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("dialog", (d) => d.accept());

  // 1. A GP in Le Luc who accepts new patients, added with the keyboard; the directory page of Le
  // Luc shows her.
  const directory = await context.newPage();
  await directory.goto(`${url}/annuaire/commune/le-luc/`);
  await directory.waitForFunction(() => window.__maillageLive === true);
  if ((await directory.content()).includes("Élise Martinez")) fail("already in the directory");
  await page.goto(`${url}/_edition/`);
  await axe(page, "the editor's home");
  await press(page, 'a[href="/_edition/membre/"]');
  await page.waitForURL(/\/_edition\/membre\/$/);
  await axe(page, "the list of members");
  if (shots) await page.screenshot({ path: path.join(shots, "liste-360.png"), fullPage: true });
  // The search box filters as one types.
  await fill(page, "#q", "coste");
  await waitFor("the list filtered", async () => (await page.locator("table.fiches tbody tr:not([hidden])").count()) === 1);
  await page.goto(`${url}/_edition/membre/nouveau`);
  await choose(page, "#f-civilite", "Mme");
  await choose(page, "#f-titre", "Dr");
  await fill(page, "#f-prenom", "Élise");
  await fill(page, "#f-nom", "Martinez");
  await choose(page, "#f-profession", "medecin-generaliste");
  await fill(page, "#f-rpps", "10101010105");
  await choose(page, "#f-exercice", "liberal");
  await press(page, 'button[value="ajouter:lieux"]');
  await page.waitForSelector(css("f-lieux.0.adresse"));
  if (!(await page.evaluate(() => document.activeElement?.id?.startsWith("f-lieux.0.")))) fail("the focus did not go to the new place");
  await fill(page, css("f-lieux.0.adresse"), "3 place de la Liberté");
  await fill(page, css("f-lieux.0.code_postal"), "83340");
  await choose(page, css("f-lieux.0.commune"), "83073");
  await fill(page, css("f-lieux.0.telephone"), "04 65 71 30 30");
  await radio(page, "accepte_nouveaux_patients", "oui");
  await tabTo(page, "#f-publie");
  await page.keyboard.press("Space");
  await checked(page);
  await axe(page, "a new member's form");
  const saved = Date.now();
  await press(page, "button.principal");
  await page.waitForURL(/\/_edition\/membre\/elise-martinez\?enregistre$/).catch(async (e) => { console.log(await page.textContent("main")); throw e; });
  await waitFor("her name on the directory page", async () => (await directory.textContent("body")).includes("Élise Martinez"));
  const text = fs.readFileSync(file("membres/elise-martinez.yaml"), "utf8");
  for (const line of ["profession: medecin-generaliste", 'commune: "83073"', "accepte_nouveaux_patients: true", "publie: true"]) {
    if (!text.includes(line)) fail(`missing ${line}:\n${text}`);
  }
  console.log(`ok - a GP added with the keyboard is on the directory page ${Date.now() - saved} ms after the save`);

  // 2. A phone number changed: only that line of the file changes.
  const agnes = file("membres/agnes-coste.yaml");
  const before = fs.readFileSync(agnes, "utf8");
  await page.goto(`${url}/_edition/membre/agnes-coste`);
  await axe(page, "a member's form");
  if (shots) {
    await page.screenshot({ path: path.join(shots, "fiche-360.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(shots, "fiche-1280.png"), fullPage: true });
    await page.goto(`${url}/_edition/membre/`);
    await page.screenshot({ path: path.join(shots, "liste-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${url}/_edition/membre/agnes-coste`);
  }
  await fill(page, css("f-lieux.0.telephone"), "04 65 71 24 99");
  await press(page, "button.principal");
  await page.waitForURL(/agnes-coste\?enregistre$/);
  const after = fs.readFileSync(agnes, "utf8");
  const changed = after.split("\n").filter((l, i) => l !== before.split("\n")[i]);
  if (changed.length !== 1 || !changed[0].includes('telephone: "04 65 71 24 99"')) fail(`lines changed: ${changed.join(" | ")}`);
  console.log("ok - a phone number changed, one line of the file with it");

  // 3. An invalid RPPS: the message at the field while typing and after saving; nothing written.
  await page.goto(`${url}/_edition/membre/agnes-coste`);
  const good = fs.readFileSync(agnes, "utf8");
  await fill(page, "#f-rpps", "10594252124");
  await page.waitForSelector("#e-rpps .erreur");
  const message = await page.textContent("#e-rpps");
  if (!/RPPS/.test(message)) fail(`message: ${message}`);
  if ((await page.getAttribute("#f-rpps", "aria-invalid")) !== "true") fail("the field is not marked invalid");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".avis-erreur");
  if (!(await page.textContent("#e-rpps")).includes("RPPS")) fail("no message at the field after saving");
  if (fs.readFileSync(agnes, "utf8") !== good) fail("the file was written");
  await axe(page, "a form with an error");
  console.log(`ok - an invalid RPPS is refused at its field (${message.trim().slice(0, 80)}…), nothing written`);
  // The message and the form lead to the guide that `maillage serve` serves.
  const explained = await page.getAttribute("#e-rpps a.guide", "href");
  const code = /^\/_guide\/erreurs\/#(m\d{3})$/.exec(explained ?? "")?.[1] ?? fail(`guide link: ${explained}`);
  const section = await page.request.get(`${url}${explained}`);
  if (!section.ok() || !(await section.text()).includes(`id="${code}"`)) fail(`${explained} has no section ${code}`);
  const topic = await page.getAttribute(".liens-fiche a[href^='/_guide/']", "href");
  if (topic !== "/_guide/membres/" || !(await page.request.get(`${url}${topic}`)).ok()) fail(`topic link: ${topic}`);
  if (!(await page.request.get(`${url}${await page.getAttribute(".bandeau a[href^='/_guide/']", "href")}`)).ok()) {
    fail("the header's guide link leads nowhere");
  }
  console.log(`ok - the message links to the guide's section on ${code.toUpperCase()}, the form to /_guide/membres/`);

  // The file changed on disk while the form was open: both versions shown, nothing overwritten.
  await page.goto(`${url}/_edition/membre/agnes-coste`);
  await fill(page, css("f-lieux.0.horaires"), "Sur rendez-vous");
  const theirs = good.replace("9 rue Nationale", "11 rue Nationale");
  fs.writeFileSync(agnes, theirs);
  await press(page, "button.principal");
  await page.waitForSelector("text=Le fichier a changé entre-temps");
  if (fs.readFileSync(agnes, "utf8") !== theirs) fail("overwritten");
  const versions = await page.textContent(".versions");
  if (!versions.includes("Sur rendez-vous") || !versions.includes("11 rue Nationale")) fail(`versions: ${versions}`);
  await axe(page, "the conflict page");
  await page.goto(`${url}/_edition/membre/agnes-coste?texte`);
  await axe(page, "the text mode");
  console.log("ok - a file changed meanwhile is not overwritten; both versions are shown");

  // 4. An action with two sessions.
  await page.goto(`${url}/_edition/action/nouveau`);
  await fill(page, "#f-titre", "Forum santé des aidants");
  await fill(page, "#f-resume", "Deux après-midi pour les proches aidants.");
  for (const [i, day, place] of [[0, "2026-12-05", "Salle des fêtes du Luc"], [1, "2026-12-12", "Médiathèque de Vidauban"]]) {
    await press(page, 'button[value="ajouter:seances"]');
    await page.waitForSelector(css(`f-seances.${i}.date`));
    await typeDate(page, css(`f-seances.${i}.date`), day);
    await tabTo(page, css(`f-seances.${i}.debut`));
    await page.keyboard.type("1400");
    await fill(page, css(`f-seances.${i}.lieu`), place);
    await choose(page, css(`f-seances.${i}.commune`), i === 0 ? "83073" : "83148");
  }
  await checked(page);

  // 5. A poster uploaded, with its alternative text.
  const poster = path.join(root, "affiche forum.png");
  fs.copyFileSync(path.join(repo, "content", "static", "images", "octobre-rose-2026.png"), poster);
  await tabTo(page, css("u-image.src"));
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
  await chooser.setFiles(poster);
  await waitFor("the poster stored", async () => (await page.inputValue(css("f-image.src"))) === "images/affiche-forum.png");
  await fill(page, css("f-image.alt"), "Affiche du forum des aidants, 5 et 12 décembre");
  await checked(page);
  await press(page, "button.principal");
  await page.waitForURL(/\/_edition\/action\/forum-sante-des-aidants\?enregistre$/);
  const action = fs.readFileSync(file("actions/forum-sante-des-aidants.md"), "utf8");
  if ((action.match(/^  - date: 2026-12-/gm) ?? []).length !== 2) fail(`two sessions expected:\n${action}`);
  if (!action.includes("src: images/affiche-forum.png") || !action.includes("alt: Affiche du forum des aidants")) fail(action);
  if (!fs.readFileSync(file("static/images/affiche-forum.png")).equals(fs.readFileSync(poster))) fail("poster bytes");
  const actionPage = await context.newPage();
  await waitFor("the action's page", () => fs.existsSync(path.join(root, "public", "prevention", "forum-sante-des-aidants", "index.html")));
  await actionPage.goto(`${url}/prevention/forum-sante-des-aidants/`);
  // The live reload may navigate the page again while the site finishes building: wait for the
  // poster rather than read the page once.
  await actionPage
    .waitForSelector('img[alt^="Affiche du forum des aidants"]', { timeout: 15000 })
    .catch(() => fail("poster not on the action's page"));
  console.log("ok - an action with two sessions and a poster with its alternative text");

  // 6. A member to the bin, and back; one an action names stays.
  await page.goto(`${url}/_edition/membre/paul-giordano/supprimer`);
  await press(page, "button.danger");
  await page.waitForSelector("text=ne peut pas aller à la corbeille");
  if (!(await page.textContent("main")).includes("content/actions/mars-bleu-2027.md")) fail("the action naming him is not shown");
  if (!fs.existsSync(file("membres/paul-giordano.yaml"))) fail("a member named by an action went to the bin");
  const anaisPath = file("membres/anais-joly.yaml");
  const anais = fs.readFileSync(anaisPath, "utf8");
  await page.goto(`${url}/_edition/membre/anais-joly`);
  await press(page, 'a[href$="/supprimer"]');
  await page.waitForURL(/supprimer$/);
  await press(page, "button.danger");
  await page.waitForURL(/\/_edition\/membre\/\?avis=/);
  if (fs.existsSync(anaisPath)) fail("still there");
  await press(page, 'a[href="/_edition/corbeille/"]');
  await page.waitForURL(/corbeille\/$/);
  await axe(page, "the bin");
  await press(page, "table.fiches button");
  await page.waitForURL(/\/_edition\/membre\/anais-joly\?avis=/);
  if (fs.readFileSync(anaisPath, "utf8") !== anais) fail("not restored as it was");
  console.log("ok - a member put in the bin and restored, byte for byte; one an action names stays");

  // 7. The review round: whom to contact, and a member confirmed with one button, one line.
  const karimPath = file("membres/karim-haddad.yaml");
  const karim = fs.readFileSync(karimPath, "utf8");
  await page.goto(`${url}/_edition/relances`);
  await axe(page, "the review round");
  await press(page, 'form[action$="/karim-haddad/confirmer"] button');
  await page.waitForURL(/\/_edition\/relances\?avis=/);
  if (fs.readFileSync(karimPath, "utf8") !== karim.replace("verifie_le: 2026-03-17", "verifie_le: 2026-11-22")) {
    fail(`confirming changed more than the date line:\n${fs.readFileSync(karimPath, "utf8")}`);
  }
  if ((await page.textContent("main")).includes("Karim Haddad")) fail("a confirmed member is still listed");
  console.log("ok - a member confirmed from the review round, one line of the file with it");
} finally {
  await browser?.close();
  const { code } = await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
  if (code !== 0) {
    console.error(server.log());
    process.exitCode = 1;
  }
}

// The example site on a phone, in headless Chromium (Debian's, driven by playwright-core):
// - every page at 320 and 360 px wide: nothing scrolls sideways (WCAG 1.4.10; long addresses,
//   tables, the map), no script error, no request to another host, the header takes
//   at most a quarter of a 360 × 640 screen, and every link, button and field is a target of
//   24 × 24 px at least (44 × 44 for the header's and the menu's, checked on their own) or
//   spaced as WCAG 2.5.8 asks (24 px circles that do not overlap), with its exceptions: a link
//   inside a sentence, a target whose address another target of the page offers too;
// - the menu opens with its Menu button by keyboard, with and without JavaScript;
// - reader tasks from the home page, each within a number of taps: a GP who accepts new patients
//   in a commune, tonight's number, an Octobre rose session near a commune and its calendar
//   file, the contact for settling as a GP;
// - printed, a page keeps the CPTS's name, phone and the page's address;
// - the light and dark themes pass axe-core's colour contrast on a sample of pages.
//
// Usage: node phone.test.mjs [path/to/maillage]   (default: ../target/debug/maillage)

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { buildAndServe } from "./static-site.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const binary = path.resolve(process.argv[2] ?? path.join(repo, "target", "debug", "maillage"));
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TIMEOUT = 15000;

function fail(message) {
  throw new Error(message);
}

// Every HTML page of the built site, as a path from its root.
function pages(dir, prefix = "/") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return pages(path.join(dir, e.name), `${prefix}${e.name}/`);
    if (!e.name.endsWith(".html")) return [];
    return [e.name === "index.html" ? prefix : `${prefix}${e.name}`];
  });
}

// In the page: what a phone reader would trip on. Returns a list of problems (empty: none).
function layoutProblems() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest(".table-scroll, .sr-only"))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} px for ${width} (${wide.join(", ")})`);
  }
  // Shown: not hidden, not in a folded <details>, not screen-reader text.
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) && !e.closest(".sr-only");
  };
  const targets = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")].filter(visible);
  const boxes = targets.map((e) => e.getBoundingClientRect());
  // A link inside a sentence: inline, in a block that holds other text (WCAG 2.5.8 exception).
  const inline = (e) => {
    if (getComputedStyle(e).display !== "inline") return false;
    const block = e.parentElement.closest("p, li, dd, td, th, figcaption, caption, span, small, strong");
    return block && block.textContent.trim().length > e.textContent.trim().length;
  };
  const bigEnough = (r) => r.width >= 24 && r.height >= 24;
  // Undersized: a 24 px circle centred on it must not meet another target, nor its circle.
  const crowding = (i) => {
    const r = boxes[i];
    const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
    return targets.find((o, j) => {
      if (j === i) return false;
      const b = boxes[j];
      const dx = Math.max(b.left - cx, 0, cx - b.right);
      const dy = Math.max(b.top - cy, 0, cy - b.bottom);
      return Math.hypot(dx, dy) < 12 || (!bigEnough(b) && Math.hypot(b.left + b.width / 2 - cx, b.top + b.height / 2 - cy) < 24);
    });
  };
  const ok = targets.map((e, i) => bigEnough(boxes[i]) || inline(e) || !crowding(i));
  // The header's and the menu's targets, on every page: 44 × 44 at least.
  targets.forEach((e, i) => {
    const r = boxes[i];
    if (e.closest(".site-header") && (r.width < 44 || r.height < 44)) {
      problems.push(`header target under 44 × 44: « ${e.textContent.trim().slice(0, 40)} » ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  });
  // The "equivalent" exception: another target of the page that passes goes to the same
  // address (a map's communes and the list of communes under it).
  const address = (e) => (e.hasAttribute("href") ? new URL(e.getAttribute("href"), location.href).href : null);
  targets.forEach((e, i) => {
    if (ok[i] || (address(e) && targets.some((o, j) => ok[j] && o !== e && address(o) === address(e)))) return;
    const r = boxes[i];
    const other = crowding(i);
    problems.push(`target too small and crowded: ${e.tagName.toLowerCase()} « ${e.textContent.trim().slice(0, 40)} » ${Math.round(r.width)}×${Math.round(r.height)}, by « ${other?.textContent.trim().slice(0, 40)} »`);
  });
  return problems;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
// On Octobre rose's last day, when its month-long sessions in pharmacies still run: no earlier,
// since the example's members confirmed their facts up to that day (a confirmation after the
// day of the build is an error).
const site = await buildAndServe(binary, repo, "maillage-phone-", "2026-10-31");
try {
  const all = pages(site.pub).sort();
  if (all.length < 100) fail(`${all.length} pages only`);
  for (const width of [320, 360]) {
    const context = await browser.newContext({ viewport: { width, height: 640 }, hasTouch: true, isMobile: true });
    const problems = [];
    // Every request to another host is refused and recorded, every script error too.
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.origin !== site.url) {
        problems.push(`request to another host: ${u.href}`);
        return route.abort();
      }
      return route.continue();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on("pageerror", (e) => problems.push(`script error at ${width} px: ${e}`));
    let tallest = 0;
    for (const p of all) {
      await page.goto(`${site.url}${p}`);
      for (const problem of await page.evaluate(layoutProblems)) problems.push(`${p} (${width} px): ${problem}`);
      const header = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
      tallest = Math.max(tallest, header);
      if (width === 360 && header > 160) problems.push(`${p}: the header is ${header} px tall, more than a quarter of 640 px`);
    }
    await context.close();
    if (problems.length) fail(`${problems.length} problems on a phone:\n${problems.slice(0, 40).join("\n")}`);
    console.log(`ok - ${all.length} pages at ${width} px: no sideways scrolling, no script error nor request to another host, targets of 24 px or spaced (44 px in the header), header at most ${Math.round(tallest)} px`);
  }
  for (const javaScriptEnabled of [true, false]) await menuByKeyboard(javaScriptEnabled);
  await readerTasks();
  await printed();
  await contrast();
} finally {
  await browser.close();
  site.server.close();
  fs.rmSync(site.out, { recursive: true, force: true });
}

// The Menu button, reached with Tab and pressed with Enter, shows the menu; its links then come
// next in the focus order; "Fermer le menu" hides it again.
async function menuByKeyboard(javaScriptEnabled) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${site.url}/`);
  if (await page.isVisible(".main-nav a")) fail("the menu should be folded on a phone");
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.classList.contains("menu-button")))) {
    if (++tabs > 5) fail("the Menu button is not among the first five stops of the keyboard");
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await page.waitForSelector(".main-nav a", { state: "visible" });
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.closest(".menu-panel") !== null);
  if (!focused) fail("after opening the menu, Tab does not go into it");
  await page.click(".menu-close a");
  if (await page.isVisible(".main-nav a")) fail("« Fermer le menu » does not fold the menu");
  await context.close();
  console.log(`ok - the menu opens by keyboard ${javaScriptEnabled ? "with" : "without"} JavaScript (${tabs} Tab)`);
}

// Taps from the home page, on a phone without JavaScript (the harder case), each within a budget.
async function readerTasks() {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  let taps = 0;
  // Taps a link and waits for the address it leads to (another page, or #menu).
  const tap = async (locator) => {
    taps++;
    const before = page.url();
    await locator.first().tap();
    await page.waitForURL((u) => u.href !== before);
    await page.waitForLoadState();
  };
  const task = async (name, budget, run) => {
    taps = 0;
    await page.goto(`${site.url}/`);
    const found = await run();
    if (taps > budget) fail(`${name}: ${taps} taps, more than ${budget}`);
    console.log(`ok - ${name}: ${found} (${taps} taps, at most ${budget})`);
  };

  await task("a GP accepting new patients in Le Luc", 2, async () => {
    await tap(page.getByRole("link", { name: /acceptent? de nouveaux patients/ }));
    const row = page.locator("#medecin-traitant .rows > li", { hasText: "Le Luc" }).filter({ hasText: "nouveaux patients" });
    if (!(await row.first().isVisible())) fail("no GP accepting new patients shown in Le Luc");
    return await row.first().locator("a").first().textContent();
  });

  await task("tonight's number", 0, async () => {
    const link = page.locator('.urgent-box a[href="tel:116117"]');
    if (!(await link.first().isVisible())) fail("116 117 is not on the home page");
    const sameDay = page.locator(".urgent-box .same-day a.number");
    const first = await page.locator(".urgent-box a.number").first().getAttribute("href");
    if (first !== (await sameDay.getAttribute("href"))) fail("the CPTS's own same-day number is not the first under « Besoin de soins maintenant »");
    return `116 117, after the CPTS's line ${await sameDay.textContent()}`;
  });

  await task("an Octobre rose session near Le Luc (Le Cannet-des-Maures), into a calendar", 4, async () => {
    await tap(page.locator(".menu-button"));
    await tap(page.locator(".main-nav a", { hasText: "Prévention" }));
    await tap(page.getByRole("link", { name: /Octobre rose/ }));
    const session = page.locator(".session:not(.session-past)", { hasText: "Le Cannet-des-Maures" }).first();
    if (!(await session.isVisible())) fail("no running Octobre rose session in Le Cannet-des-Maures");
    const ics = page.locator('a[type="text/calendar"]').first();
    const href = await ics.getAttribute("href");
    const answer = await page.request.get(new URL(href, page.url()).href);
    if (!(await answer.text()).includes("BEGIN:VEVENT")) fail(`${href} is not a calendar`);
    taps++;
    return `${(await session.locator(".session-when").textContent()).trim()}, ${href}`;
  });

  await task("the contact for settling as a GP", 3, async () => {
    await tap(page.locator(".menu-button"));
    await tap(page.locator(".main-nav a", { hasText: "S’installer" }));
    const contact = page.locator('main a[href^="tel:"]').first();
    if (!(await contact.isVisible())) fail("no phone on /s-installer/");
    const top = await contact.evaluate((a) => a.getBoundingClientRect().top + scrollY);
    if (top > 640) fail(`the phone number of /s-installer/ is ${top} px down, below the first screen`);
    return `${await contact.textContent()}, ${Math.round(top)} px down`;
  });

  // 114 takes text only: an sms: link, with who it is for.
  await page.goto(`${site.url}/contacts/`);
  const sms = page.locator('a[href="sms:114"]').first();
  if (!(await sms.isVisible())) fail("114 is not an sms: link");
  if (await page.locator('a[href="tel:114"]').count()) fail("114 is still given as a tel: link");
  const line = await sms.locator("xpath=..").textContent();
  if (!/sourdes|malentendantes/.test(line)) fail(`114 does not say who it is for: ${line}`);
  console.log("ok - 114 is an sms: link that says who it is for");
  await context.close();
}

// Printed, a page keeps the CPTS's name, its phone and the page's address, and drops the menu.
async function printed() {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${site.url}/soins/`);
  await page.emulateMedia({ media: "print" });
  const header = page.locator(".print-only");
  if (!(await header.isVisible())) fail("nothing names the CPTS on a printed page");
  const text = await header.textContent();
  const canonical = await page.getAttribute('link[rel="canonical"]', "href");
  if (!text.includes(canonical) || !/\d\d \d\d \d\d \d\d \d\d/.test(text.replace(/\u00a0/g, " "))) fail(`printed header: ${text}`);
  if (await page.isVisible(".main-nav")) fail("the menu is printed");
  await context.close();
  console.log(`ok - printed: ${text.trim()}`);
}

// axe-core's colour contrast rule, in the light and the dark theme.
async function contrast() {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, colorScheme });
    const page = await context.newPage();
    for (const p of ["/", "/soins/", "/contacts/", "/annuaire/", "/s-installer/", "/prevention/", "/la-cpts/", "/la-cpts/resultats/"]) {
      await page.goto(`${site.url}${p}`);
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["color-contrast"] }));
      const bad = result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.any.map((a) => a.message).join("; ")}`));
      if (bad.length) fail(`${p} in the ${colorScheme} theme:\n${bad.slice(0, 10).join("\n")}`);
    }
    await context.close();
    console.log(`ok - AA contrast in the ${colorScheme} theme`);
  }
}

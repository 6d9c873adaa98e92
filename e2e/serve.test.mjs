// End-to-end test of `maillage serve` in headless Chromium (Debian's, driven by playwright-core):
// a member's page follows the edits of its YAML file without any action in the browser, shows
// the error (with its line) over the last good page while the file is wrong — a dialog that
// takes the focus, fits a 360 px screen, closes with Escape or its button and links to the
// guide's section — and clears it once fixed; a stylesheet change is applied without reloading;
// Ctrl-C stops the server cleanly. MAILLAGE_E2E_SCREENSHOTS=DIR keeps a screenshot of the overlay.
//
// Usage: node serve.test.mjs [path/to/maillage]  (default: ../target/debug/maillage)

import { chromium } from "playwright-core";
import { startServer, waitFor as waitUntil } from "./dev-server.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const binary = path.resolve(process.argv[2] ?? path.join(repo, "target", "debug", "maillage"));
const TIMEOUT = 15000;

function fail(message) {
  throw new Error(message);
}

// A small site: the example CPTS, copied into a temporary folder.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "maillage-e2e-"));
fs.cpSync(path.join(repo, "content"), path.join(root, "content"), { recursive: true });
const memberFile = path.join(root, "content", "membres", "agnes-coste.yaml");
const original = fs.readFileSync(memberFile, "utf8");
const phoneLine = original.match(/^(\s*telephone: )"(0\d(?: \d\d){4})"$/m) ?? fail("no phone number in the member file");
const oldPhone = phoneLine[2];
const newPhone = oldPhone === "04 65 71 00 42" ? "04 65 71 00 43" : "04 65 71 00 42";
const tel = (p) => `a[href="tel:+33${p.replace(/ /g, "").slice(1)}"]`;
const lineOfPhone = original.slice(0, original.indexOf(phoneLine[0])).split("\n").length;

const server = startServer(binary, root);
const waitFor = (what, test, ms = TIMEOUT) => waitUntil(what, test, ms, server.log);

let browser;
try {
  const url = await waitFor("the server's address", () => server.log().match(/Site servi sur (http:\/\/127\.0\.0\.1:\d+)\//)?.[1]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const response = await page.goto(`${url}/annuaire/agnes-coste/`);
  if (response.status() !== 200) fail(`statut ${response.status()}`);
  await page.waitForSelector(tel(oldPhone));
  // Wait until the live-reload stream is open before editing.
  await page.waitForFunction(() => window.__maillageLive === true);

  // 1. A new phone number appears without any action in the browser.
  fs.writeFileSync(memberFile, original.replace(phoneLine[0], `${phoneLine[1]}"${newPhone}"`));
  await page.waitForSelector(tel(newPhone));
  console.log(`ok - the new number ${newPhone} shows by itself`);

  // 2. Broken YAML: the error and its line show over the last good page.
  const good = fs.readFileSync(memberFile, "utf8");
  fs.writeFileSync(memberFile, good.replace(`"${newPhone}"`, `"${newPhone}`));
  const overlay = await page.waitForSelector("#maillage-erreurs", { state: "visible" });
  const text = await overlay.innerText();
  if (!text.includes("content/membres/agnes-coste.yaml")) fail(`fichier absent de l’erreur : ${text}`);
  const line = text.match(/ligne (\d+)/)?.[1] ?? fail(`ligne absente de l’erreur : ${text}`);
  if (Number(line) < lineOfPhone) fail(`line ${line} before the phone's (${lineOfPhone}): ${text}`);
  if ((await page.$(tel(newPhone))) === null) fail("the last good page must stay shown");
  console.log(`ok - the error shows with its line (${line})`);

  // 2b. The overlay is a dialog that takes the focus, links the message to the guide, and closes
  // with Escape, or from the keyboard with its button.
  if ((await overlay.getAttribute("role")) !== "alertdialog") fail("the overlay has no dialog role");
  await page.waitForFunction(() => document.activeElement?.id === "maillage-erreurs");
  const guideLink = await overlay.$("a[href^='/_guide/erreurs/#m']") ?? fail(`no link to the guide: ${text}`);
  const guideHref = await guideLink.getAttribute("href");
  await page.keyboard.press("Escape");
  await page.waitForSelector("#maillage-erreurs", { state: "detached" });
  console.log("ok - Escape closes the overlay");
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await page.waitForSelector("#maillage-erreurs", { state: "visible" });
  await page.waitForFunction(() => document.activeElement?.id === "maillage-erreurs");
  const fits = await page.evaluate(() => {
    const box = document.getElementById("maillage-erreurs").getBoundingClientRect();
    return { left: box.left, right: box.right, height: box.height, page: document.documentElement.scrollWidth };
  });
  if (fits.left < 0 || fits.right > 360 || fits.page > 360 || fits.height > 740) {
    fail(`the overlay does not fit a 360 px screen: ${JSON.stringify(fits)}`);
  }
  if (process.env.MAILLAGE_E2E_SCREENSHOTS) {
    await page.screenshot({ path: path.join(process.env.MAILLAGE_E2E_SCREENSHOTS, "overlay-360.png") });
  }
  console.log("ok - the overlay fits a 360 px screen");
  await page.keyboard.press("Tab");
  if (!(await page.evaluate(() => document.activeElement?.matches("[data-maillage-fermer]")))) {
    fail("Tab does not reach the close button");
  }
  await page.keyboard.press("Enter");
  await page.waitForSelector("#maillage-erreurs", { state: "detached" });
  console.log("ok - the close button works from the keyboard");
  const guide = await browser.newPage();
  const guideResponse = await guide.goto(`${url}${guideHref}`);
  if (guideResponse.status() !== 200) fail(`guide: status ${guideResponse.status()}`);
  const anchor = guideHref.split("#")[1];
  const heading = await guide.$eval(`#${anchor} + h2`, (h) => h.textContent).catch(() => "");
  if (!heading.startsWith(anchor.toUpperCase())) fail(`the guide has no section ${anchor}: ${heading}`);
  await guide.close();
  await page.setViewportSize({ width: 1280, height: 720 });
  console.log(`ok - the message links to its section of the guide (${heading})`);

  // 3. Fixed: the page shows the change by itself, without the overlay.
  await page.reload();
  await page.waitForSelector("#maillage-erreurs", { state: "visible" });
  await page.waitForFunction(() => window.__maillageLive === true);
  fs.writeFileSync(memberFile, good);
  await page.waitForSelector("#maillage-erreurs", { state: "detached" });
  await page.waitForSelector(tel(newPhone));
  console.log("ok - the error goes away once the file is fixed");

  // 4. A stylesheet change is applied without reloading the page.
  await page.evaluate(() => (window.__maillageSansRechargement = true));
  const css = fs.readFileSync(path.join(repo, "themes", "default", "static", "style.css"), "utf8");
  fs.mkdirSync(path.join(root, "content", "static"), { recursive: true });
  fs.writeFileSync(path.join(root, "content", "static", "style.css"), `${css}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)");
  if (!(await page.evaluate(() => window.__maillageSansRechargement === true))) fail("the page was reloaded");
  console.log("ok - the stylesheet changes without a reload");

  // 5. The output folder never holds the reload script.
  const written = fs.readFileSync(path.join(root, "public", "annuaire", "agnes-coste", "index.html"), "utf8");
  if (written.includes("__maillage")) fail("the reload script was written into public/");
  if (!written.includes(`+33${newPhone.replace(/ /g, "").slice(1)}`)) fail("public/ was not updated");
  console.log("ok - public/ is up to date and has no development script");
} finally {
  await browser?.close();
  const { code, signal } = await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
  if (code !== 0) {
    console.error(server.log());
    fail(`the server did not stop cleanly on Ctrl-C (code ${code}, signal ${signal})`);
  }
  console.log("ok - Ctrl-C stops the server cleanly");
}

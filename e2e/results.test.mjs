// The CPTS's results (/la-cpts/resultats/) in headless Chromium (Debian's, driven by
// playwright-core), on the example built by maillage and served as static files, in the light
// and the dark theme, at 320 and 360 px wide:
// - axe-core finds no WCAG 2.1 AA violation, and nothing scrolls sideways;
// - every chart is an image with a title and a description saying its figures, and its table is
//   right next to it, with one row per year drawn;
// - the bars and the target lines stand out from the page (3:1, WCAG 1.4.11) in both themes:
//   their colours come from the theme, not from the chart;
// - the key figures and the tables say the unknown result in words, never as 0.
//
// Usage: node results.test.mjs [path/to/maillage]   (default: ../target/debug/maillage)

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

function fail(message) {
  throw new Error(message);
}

const site = await buildAndServe(binary, repo, "maillage-results-");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  for (const colorScheme of ["light", "dark"]) {
    for (const width of [320, 360]) {
      const context = await browser.newContext({ viewport: { width, height: 640 }, colorScheme });
      const page = await context.newPage();
      await page.goto(`${site.url}/la-cpts/resultats/`);
      const label = `/la-cpts/resultats/ (${colorScheme}, ${width} px)`;
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] }),
      );
      const bad = result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
      if (bad.length) fail(`${label}: axe\n${bad.slice(0, 10).join("\n")}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) fail(`${label}: ${overflow} px wider than the screen`);

      const charts = await page.$$eval("svg[role=img]", (svgs) => {
        // Relative luminance and contrast ratio (WCAG 2.1) of computed `rgb(…)` colours.
        const lum = (c) => {
          const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((x) => {
            const v = Number(x) / 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
        const page = getComputedStyle(document.body).backgroundColor;
        return svgs.map((svg) => {
          const ids = (svg.getAttribute("aria-labelledby") ?? "").split(" ");
          const named = ids.map((id) => document.getElementById(id)?.textContent ?? "");
          const body = svg.closest(".indicator-body");
          const rows = body?.querySelectorAll("table tbody tr").length ?? 0;
          const years = svg.querySelectorAll(".chart-label text").length;
          const bar = svg.querySelector(".chart-done");
          const target = svg.querySelector(".chart-target");
          return {
            title: named[0],
            desc: named[1],
            rows,
            years,
            bar: bar ? ratio(getComputedStyle(bar).fill, page) : null,
            target: target ? ratio(getComputedStyle(target).stroke, page) : null,
          };
        });
      });
      if (charts.length < 5) fail(`${label}: ${charts.length} charts`);
      for (const c of charts) {
        if (!c.title || !/\d{4}\u00a0: /.test(c.desc)) fail(`${label}: a chart without its title or its figures in words: ${JSON.stringify(c)}`);
        if (c.rows !== c.years) fail(`${label}: « ${c.title} » draws ${c.years} years, its table has ${c.rows} rows`);
        if (c.bar !== null && c.bar < 3) fail(`${label}: the bars of « ${c.title} » have a contrast of ${c.bar.toFixed(2)}:1 with the page`);
        if (c.target !== null && c.target < 3) fail(`${label}: the target of « ${c.title} » has a contrast of ${c.target.toFixed(2)}:1 with the page`);
      }
      const text = await page.textContent("main");
      if (!text.includes("pas encore connu")) fail(`${label}: the unknown result is not said`);
      await context.close();
      console.log(`ok - ${label}: axe clean, ${charts.length} charts with their tables, bars and targets at 3:1`);
    }
  }
} finally {
  await browser.close();
  site.server.close();
  fs.rmSync(site.out, { recursive: true, force: true });
}

// Accessibility: no axe-core violation on any view (light, dark, projector, the lesson, an
// embed, a phone); the view tabs follow the ARIA tabs pattern; Play's contrast; every chart a
// described image with a data table; a live region that speaks on step and pause but not on
// every frame of Play; the reduced-motion branch of Play.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createRequire } from "node:module";
import { RESULTS, openPage, useBrowser } from "./harness.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const shared = useBrowser();

/** axe-core's violations on the page as it is, injected from node_modules (no CDN). */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
  });
  return result;
}

async function selectView(page, view) {
  await page.click(`[data-view="${view}"]`);
  await page.waitForFunction((v) => document.querySelector(`[data-view="${v}"]`).getAttribute("aria-selected") === "true", view);
  await page.waitForFunction(() => /^Simulated/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
}

test("no axe-core violation on any view, in every theme, in the lesson, embedded and on a phone", async () => {
  const cases = [
    { url: "", scheme: "light" },
    { url: "", scheme: "dark" },
    { url: "?theme=projector", scheme: "light" },
    { url: "?lesson=7", scheme: "light" },
    { url: "?embed=1&model=tokens", scheme: "dark" },
    { url: "", scheme: "light", width: 390, height: 844 },
  ];
  const found = [];
  for (const c of cases) {
    // axe is injected as a script of its own, which the page's policy (rightly) refuses: bypass
    // the policy for this test only (csp.test.mjs checks the policy).
    const page = await shared.browser.newPage({
      viewport: { width: c.width ?? 1280, height: c.height ?? 1000 },
      colorScheme: c.scheme,
      bypassCSP: true,
    });
    await page.goto(`${shared.server.base}${c.url}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
    const views = c.url.includes("embed") || c.url.includes("lesson") ? [null] : ["gaussian", "tokens", "text"];
    for (const view of views) {
      if (view) await selectView(page, view);
      // A data table opened, so its contents are checked too.
      await page.$eval("#metrics details.data-table", (d) => (d.open = true)).catch(() => {});
      for (const v of await violations(page)) found.push(`${c.url || "/"} ${c.scheme} ${view ?? ""} ${c.width ?? ""}: ${v}`);
    }
    await page.close();
  }
  assert.deepEqual(found, []);
});

test("the view tabs are an ARIA tabs widget inside a landmark, with arrow keys and roving focus", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base);
  const tabs = await page.$$eval("[role=tab]", (els) =>
    els.map((t) => ({
      id: t.id,
      controls: t.getAttribute("aria-controls"),
      selected: t.getAttribute("aria-selected"),
      tabindex: t.tabIndex,
      inList: t.parentElement.getAttribute("role") === "tablist",
      landmark: Boolean(t.closest("nav[aria-label], main, header, [role=region], aside")),
    })),
  );
  assert.equal(tabs.length, 3);
  for (const t of tabs) {
    assert.ok(t.inList && t.landmark && t.controls === "view-panel", JSON.stringify(t));
    assert.equal(t.tabindex, t.selected === "true" ? 0 : -1);
  }
  assert.equal(await page.getAttribute("#view-panel", "role"), "tabpanel");
  assert.equal(await page.getAttribute("#view-panel", "aria-labelledby"), "tab-gaussian");
  await page.focus("#tab-gaussian");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector("#tab-tokens").getAttribute("aria-selected") === "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-tokens");
  assert.equal(await page.getAttribute("#view-panel", "aria-labelledby"), "tab-tokens");
  assert.equal(await page.getAttribute("#tab-gaussian", "tabindex"), "-1");
  await page.keyboard.press("End");
  await page.waitForFunction(() => document.querySelector("#tab-text").getAttribute("aria-selected") === "true", null, { timeout: 15000 });
  await page.keyboard.press("ArrowRight"); // wraps around to the first
  await page.waitForFunction(() => document.querySelector("#tab-gaussian").getAttribute("aria-selected") === "true");
  assert.deepEqual(problems, []);
  await page.close();
});

test("Play's label has a contrast of at least 4.5:1 in every theme", async () => {
  for (const scheme of ["light", "dark"]) {
    for (const theme of ["", "?theme=projector"]) {
      const page = await shared.browser.newPage({ colorScheme: scheme });
      await page.goto(`${shared.server.base}${theme}`);
      await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
      const ratio = await page.$eval("#play", (el) => {
        const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
          const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const style = getComputedStyle(el);
        const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      });
      assert.ok(ratio >= 4.5, `${scheme} ${theme}: ${ratio.toFixed(2)}`);
      await page.close();
    }
  }
});

test("every chart is an image described by its data, with a data table", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?seed=20&generations=300`);
  const charts = await page.$$eval("#metrics canvas", (cs) =>
    cs.map((c) => ({ role: c.getAttribute("role"), label: c.getAttribute("aria-label"), rows: c.closest("figure").querySelectorAll(".data-table tbody tr").length })),
  );
  assert.ok(charts.length >= 6);
  for (const c of charts) {
    assert.equal(c.role, "img");
    assert.match(c.label, /(falls|rises|stays|moves|ends)/, c.label);
    assert.ok(c.rows >= 10 && c.rows <= 22, `${c.rows} rows`);
  }
  const variance = await page.getAttribute('#metrics canvas[data-metric="variance"]', "aria-label");
  assert.match(variance, /^Variance \(spread\) falls from 1 to 0\.00\d+ over 300 generations/);
  assert.match(variance, /the control \(fresh human data only\) moves between 0\.\d+ and 1\.\d+ without a trend/);
  assert.match(variance, /theory \(E\[variance\] = \(T\(M-1\)\/M\)\^t\) gives 0\.0490 at the end/);
  assert.equal(await page.getAttribute("#view", "role"), "img");
  assert.equal(await page.getAttribute("#view", "aria-describedby"), "view-caption");
  // The table is reachable by keyboard: its summary takes focus and opens with Enter.
  const summary = page.locator('#metrics figure:has(canvas[data-metric="variance"]) summary');
  await summary.focus();
  await page.keyboard.press("Enter");
  const cells = await page.$$eval('#metrics figure:has(canvas[data-metric="variance"]) table tbody tr:first-child > *', (els) => els.map((e) => e.textContent));
  assert.equal(cells[0], "0");
  await page.screenshot({ path: `${RESULTS}/a11y-data-table.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the live region speaks on step and pause, not on every frame of Play", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?generations=100`);
  await page.click("#step");
  await page.waitForFunction(() => /^Generation 1 of 100\. Distance to human \(W₂\): [\d.]+; fresh human data only: [\d.]+\.$/.test(document.querySelector("#announcer").textContent));
  await page.evaluate(() => {
    window.spoken = [];
    new MutationObserver(() => window.spoken.push(document.querySelector("#announcer").textContent)).observe(document.querySelector("#announcer"), {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.click("#play");
  await page.waitForFunction(() => Number(document.querySelector("#generation-label").textContent.split(" ")[0]) >= 30, null, { timeout: 10000 });
  await page.click("#play");
  await page.waitForFunction(() => /^Paused\. Generation \d+ of 100/.test(document.querySelector("#announcer").textContent));
  const spoken = await page.evaluate(() => window.spoken);
  assert.ok(spoken.length <= 2, `said ${spoken.length} times: ${spoken.join(" | ")}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("under prefers-reduced-motion Play moves in ten jumps and presets do not start by themselves", async () => {
  const page = await shared.browser.newPage({ reducedMotion: "reduce" });
  await page.goto(`${shared.server.base}?generations=100`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
  await page.click("#play");
  await page.waitForFunction(() => document.querySelector("#generation-label").textContent !== "0 of 100");
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    seen.add(await page.textContent("#generation-label"));
    await page.waitForTimeout(150);
  }
  for (const label of seen) assert.match(label, /^(0|10|20|30) of 100$/, [...seen].join(", "));
  await page.click("#play");
  await page.click('[data-preset="gaussian-refit"]');
  await page.waitForTimeout(600);
  assert.equal(await page.textContent("#generation-label"), "0 of 300");
  await page.close();
});

test("an analysis chart says what Compute will show, then its lines, with a data table", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?generations=20`);
  assert.match(await page.getAttribute("#stops-chart", "aria-label"), /not computed yet; press Compute/);
  await page.click("#stops-run");
  await page.waitForFunction(() => /^Computed/.test(document.querySelector("#status").textContent), null, { timeout: 60000 });
  const label = await page.getAttribute("#stops-chart", "aria-label");
  assert.match(label, /^Distance to human \(W₂\) at generation 20, against share of fresh human data\. 25 per generation: [\d.]+ at 0, [\d.]+ at 1; /, label);
  const rows = await page.$$eval("figure:has(#stops-chart) .data-table tbody tr", (trs) => trs.length);
  assert.ok(rows >= 5, `${rows} rows`);
  assert.deepEqual(problems, []);
  await page.close();
});

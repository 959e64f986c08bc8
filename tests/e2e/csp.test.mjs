// The page under its strict Content-Security-Policy (shipped in a <meta> tag): every view, in
// the served page and in the single offline file, draws with no policy violation at all (the
// charts measure text with the canvas, never with styled elements).

import assert from "node:assert/strict";
import { test } from "node:test";
import { ROOT, slide, useBrowser } from "./harness.mjs";

const shared = useBrowser();

async function visitEveryView(url) {
  const page = await shared.browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  for (const view of ["tokens", "text", "gaussian"]) {
    await page.click(`[data-view="${view}"]`);
    await page.waitForFunction((v) => document.querySelector(`[data-view="${v}"]`).getAttribute("aria-selected") === "true", view);
    await slide(page, "human_fraction", 0.2);
    await page.waitForFunction(() => location.search.includes("human_fraction=0.2") || location.protocol === "file:");
  }
  const violations = await page.evaluate(() => window.violations);
  await page.close();
  return { policy, violations, problems };
}

test("the served page draws every view under its strict policy with no violation", async () => {
  const { policy, violations, problems } = await visitEveryView(shared.server.base);
  assert.equal(policy, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'");
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
});

test("the single file draws every view under its hash-based policy with no violation", async () => {
  const { policy, violations, problems } = await visitEveryView(`file://${ROOT}dist/model-collapse-explorer.html`);
  assert.match(policy, /^default-src 'none'; script-src 'wasm-unsafe-eval' 'sha256-/);
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
});

// The page where readers meet it: embedded in an article's sandboxed iframe, and as one file
// opened from disk with no server (a classroom, offline).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { RESULTS, ROOT, inkedPixels, numbers, openPage, slide, useBrowser } from "./harness.mjs";

const SINGLE = `${ROOT}dist/model-collapse-explorer.html`;
const shared = useBrowser();

test("the single file works from file:// with no request at all, every view included", async () => {
  const url = pathToFileURL(SINGLE).href;
  const { page, problems } = await openPage(shared.browser, url);
  const requests = [];
  // The simulation worker starts from a Blob the page makes of its own inline script: no fetch.
  page.on("request", (r) => r.url().startsWith("blob:") || requests.push(r.url()));
  assert.ok(await inkedPixels(page, "#view") > 5000);
  await slide(page, "human_fraction", 0.3);
  await page.waitForFunction(() => document.querySelector('output[data-for="human_fraction"]').textContent === "30%");
  await page.click('[data-view="text"]');
  await page.waitForSelector("#passages .passage");
  assert.match(await page.textContent("#corpus-summary"), /Moby-Dick/);
  await page.click('[data-view="tokens"]');
  await page.waitForFunction(() => document.querySelector('[data-view="tokens"]').getAttribute("aria-selected") === "true");
  assert.ok((await numbers(page)).surviving_types > 0);
  // A vocabulary too big for the page to keep its views: the painter worker, also from a Blob,
  // draws it.
  await slide(page, "vocab", 4.7); // a log scale: 10^4.7 words
  await page.waitForFunction(() => /^5\d,\d{3}$/.test(document.querySelector('output[data-for="vocab"]').textContent));
  assert.ok((await numbers(page)).surviving_types > 32000);
  assert.ok(await inkedPixels(page, "#view") > 5000, "the painter's picture is on the canvas");
  assert.match(await page.textContent("#details"), /Generation 0 is human|Words lost at generation \d+/);
  assert.deepEqual(requests, [], "nothing is fetched, not even the corpus");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the single file decodes its module and book in a browser without Uint8Array.fromBase64", async () => {
  // Older browsers lack it; the page then decodes its two base64 payloads with a loop of its own.
  const { page, problems } = await openPage(shared.browser, `${pathToFileURL(SINGLE).href}?model=text`, {
    before: () => delete Uint8Array.fromBase64,
  });
  assert.equal(await page.evaluate(() => typeof Uint8Array.fromBase64), "undefined");
  await page.waitForSelector("#passages .passage");
  assert.match(await page.textContent("#corpus-summary"), /Moby-Dick.*209,554 words, 18,323 distinct/);
  assert.equal(await page.getAttribute("body", "data-charts"), "drawn");
  assert.deepEqual(problems, []);
  await page.close();
});

async function hostPage(url, iframe) {
  const page = await shared.browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.route(url, (route) =>
    route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><link rel="icon" href="data:,"><h1>An article</h1>${iframe}` }),
  );
  await page.goto(url);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-ready=true]").waitFor({ timeout: 20000 });
  await frame.locator("body[data-run=complete][data-charts=drawn]").waitFor({ state: "attached", timeout: 30000 });
  return { page, frame, problems };
}

test("the served page works inside a sandboxed iframe", async () => {
  const { page, frame, problems } = await hostPage(
    `${shared.server.base}article.html`,
    `<iframe sandbox="allow-scripts allow-same-origin" src="${shared.server.base}?samples=50" width="1250" height="900"></iframe>`,
  );
  await frame.locator('input[data-param="human_fraction"]').evaluate((el) => {
    el.value = "0.4";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await frame.locator('output[data-for="human_fraction"]', { hasText: "40%" }).waitFor();
  await frame.locator("#status", { hasText: "Simulated" }).waitFor({ timeout: 20000 });
  await page.screenshot({ path: `${RESULTS}/embedded.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the single file works in the strictest sandbox (scripts only, opaque origin)", async () => {
  const html = readFileSync(SINGLE, "utf8");
  const { page, frame, problems } = await hostPage(
    `${shared.server.base}strict.html`,
    `<iframe sandbox="allow-scripts" srcdoc="${html.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}" width="1250" height="900"></iframe>`,
  );
  await frame.locator('[data-view="text"]').click();
  await frame.locator("#passages .passage").first().waitFor();
  await frame.locator("#status", { hasText: "Simulated" }).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await page.close();
});

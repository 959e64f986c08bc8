// The embed kit: the page's own "Copy embed code" snippet, pasted into an article, shows just the
// figure and its player in a sandboxed iframe that takes the page's height from its namespaced
// postMessage; hide=, gen= and autoplay= do what they say; bad values are named.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RESULTS, ROOT, openPage, useBrowser } from "./harness.mjs";

const SINGLE = `${ROOT}dist/model-collapse-explorer.html`;
const shared = useBrowser();

async function embedCodeOf(url) {
  const { page, problems } = await openPage(shared.browser, url);
  await page.click("#embed-open");
  await page.waitForSelector("#embed-dialog[open]");
  const code = await page.inputValue("#embed-code");
  await page.click("#embed-copy");
  await page.waitForFunction(() => /Copied|selected/.test(document.querySelector("#embed-note").textContent));
  await page.screenshot({ path: `${RESULTS}/embed-dialog.png` });
  await page.click("#embed-close");
  assert.deepEqual(problems, []);
  await page.close();
  return code;
}

async function article(url, body) {
  const page = await shared.browser.newPage({ viewport: { width: 900, height: 1000 } });
  const problems = [];
  const foreign = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => !r.url().startsWith(shared.server.base) && !r.url().startsWith("data:") && foreign.push(r.url()));
  await page.route(url, (route) =>
    route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><link rel="icon" href="data:,"><h1>An article</h1><p>Some text.</p>${body}<p>More text.</p>` }),
  );
  await page.goto(url);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-ready=true]").waitFor({ timeout: 20000 });
  await frame.locator("body[data-run=complete][data-charts=drawn]").waitFor({ state: "attached", timeout: 30000 });
  return { page, frame, problems, foreign };
}

test("the page's embed code shows just the figure and its player in a sandboxed iframe sized by postMessage", async () => {
  const code = await embedCodeOf(`${shared.server.base}?model=tokens&top_p=0.9&theme=dark`);
  assert.match(code, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?model=tokens&amp;top_p=0\.9&amp;theme=dark&amp;embed=1"/);
  assert.match(code, / title="Model Collapse Explorer: Word frequencies"/);
  assert.match(code, / loading="lazy"/);
  assert.match(code, / sandbox="allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox"/);
  assert.match(code, /model-collapse-explorer:height/);
  const { page, frame, problems, foreign } = await article(`${shared.server.base}article.html`, code);
  for (const hidden of [".lede", ".toolbar", ".controls", ".presets", ".analyses", "#metrics", "footer", ".views-nav"]) {
    assert.equal(await frame.locator(hidden).first().isVisible(), false, `${hidden} is hidden in an embed`);
  }
  for (const shown of ["#view", "#play", "#scrubber", ".numbers"]) assert.equal(await frame.locator(shown).isVisible(), true, shown);
  const link = frame.locator("#open-full");
  assert.equal(await link.isVisible(), true);
  const href = await link.getAttribute("href");
  assert.match(href, /\?model=tokens&top_p=0\.9&theme=dark$/, "the full explorer, same scenario, without embed");
  // The frame takes the page's height (the default 640 would cut or pad it).
  await page.waitForFunction(() => Number(document.querySelector("iframe").height) !== 640, null, { timeout: 5000 });
  const height = Number(await page.getAttribute("iframe", "height"));
  const inner = await frame.locator("body").evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
  assert.ok(Math.abs(height - inner) <= 2, `iframe ${height} px for a page of ${inner} px`);
  await frame.locator("#step").click();
  await frame.locator("#generation-label", { hasText: "1 of 100" }).waitFor();
  await page.screenshot({ path: `${RESULTS}/embed-kit-article.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("the single file embeds in the strictest sandbox and still reports its height", async () => {
  const html = readFileSync(SINGLE, "utf8");
  const { page, frame, problems } = await article(
    `${shared.server.base}strict-embed.html`,
    `<iframe sandbox="allow-scripts" title="Model Collapse Explorer" width="100%" height="300" srcdoc="${html.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"></iframe>
     <script>window.heights = []; addEventListener("message", (e) => { if (e.data && e.data.type === "model-collapse-explorer:height") window.heights.push(e.data.height); });</script>`,
  );
  await page.waitForFunction(() => window.heights.length > 0);
  const heights = await page.evaluate(() => window.heights);
  assert.ok(heights.every((h) => Number.isInteger(h) && h > 300), JSON.stringify(heights));
  assert.equal(await frame.locator("#open-full").isVisible(), false, "an inline frame has no address to link to");
  assert.deepEqual(problems, []);
  await page.close();
});

test("hide= hides the named parts, gen= opens at that generation, autoplay=1 plays", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?generations=50&hide=controls,numbers,presets&gen=40`);
  for (const hidden of [".controls", ".numbers", ".presets"]) assert.equal(await page.isVisible(hidden), false, hidden);
  assert.equal(await page.isVisible(".analyses"), true);
  assert.equal(await page.textContent("#generation-label"), "40 of 50");
  await page.screenshot({ path: `${RESULTS}/embed-hide.png` });
  await page.close();
  const played = await openPage(shared.browser, `${shared.server.base}?generations=20&autoplay=1`);
  await played.page.waitForFunction(() => document.querySelector("#generation-label").textContent === "20 of 20", null, { timeout: 15000 });
  await played.page.close();
  assert.deepEqual([...problems, ...played.problems], []);
});

test("autoplay waits for the reader under prefers-reduced-motion", async () => {
  const page = await shared.browser.newPage({ reducedMotion: "reduce" });
  await page.goto(`${shared.server.base}?generations=20&autoplay=1`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
  await page.waitForTimeout(800);
  assert.equal(await page.textContent("#generation-label"), "0 of 20");
  assert.match(await page.textContent("#play"), /Play/);
  await page.close();
});

test("bad presentation values are named and the rest of the link applies", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?samples=50&embed=2&hide=menus&theme=neon&gen=999`);
  const text = await page.textContent("#status");
  for (const expected of [
    "embed: 2 is out of range: allowed 0 to 1",
    "hide: `menus` is not one of: controls, presets, analyses, numbers",
    "theme: `neon` is not one of: auto, light, dark, projector",
    "gen: 999 is beyond the last generation (100)",
  ]) {
    assert.ok(text.includes(expected), `${expected} in: ${text}`);
  }
  assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get("samples"), "50");
  assert.equal(await page.isVisible("header"), true);
  assert.deepEqual(problems, []);
  await page.close();
});

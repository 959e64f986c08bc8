// Themes: the page follows prefers-color-scheme (and the charts drawn by Rust with it), the
// `theme` key and its picker choose light, dark or projector, and the projector look is larger.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, useBrowser } from "./harness.mjs";

const shared = useBrowser();

async function open(query, scheme = "light") {
  const page = await shared.browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: scheme });
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${shared.server.base}${query}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  await page.waitForSelector("body[data-run=complete][data-charts=drawn]", { state: "attached", timeout: 30000 });
  return { page, problems };
}

/** The colour of a chart's corner pixel (its background) as [r, g, b]. */
const corner = (page, selector) =>
  page.$eval(selector, (c) => [...c.getContext("2d").getImageData(2, 2, 1, 1).data.slice(0, 3)]);

const brightness = ([r, g, b]) => r + g + b;

test("the page and its charts follow the system's dark setting, and light stays light", async () => {
  const dark = await open("?model=tokens", "dark");
  assert.equal(await dark.page.getAttribute("html", "data-theme"), "dark");
  assert.ok(brightness(await corner(dark.page, "#view")) < 150, "the main chart is dark");
  assert.ok(brightness(await corner(dark.page, '#metrics canvas[data-metric="surviving_types"]')) < 150, "so are the metric charts");
  const body = await dark.page.$eval("body", (b) => getComputedStyle(b).color);
  assert.match(body, /rgb\(2[0-9]{2}, 2[0-9]{2}, 2[0-9]{2}\)/, "light text");
  await dark.page.screenshot({ path: `${RESULTS}/theme-dark.png` });
  const light = await open("?model=tokens", "light");
  assert.equal(await light.page.getAttribute("html", "data-theme"), "light");
  assert.deepEqual(await corner(light.page, "#view"), [255, 255, 255]);
  assert.deepEqual([...dark.problems, ...light.problems], []);
  await dark.page.close();
  await light.page.close();
});

test("theme= and the picker choose a look that the share link keeps", async () => {
  const { page, problems } = await open("?theme=dark", "light");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.equal(await page.inputValue("#theme-choice"), "dark");
  const before = await page.$eval("#view", (c) => c.getContext("2d").getImageData(0, 0, c.width, c.height).data.length);
  await page.selectOption("#theme-choice", "projector");
  await page.waitForFunction(() => document.documentElement.dataset.theme === "projector");
  assert.match(await page.evaluate(() => location.search), /theme=projector/);
  assert.deepEqual(await corner(page, "#view"), [255, 255, 255], "the projector look is white");
  const size = await page.$eval("html", (h) => parseFloat(getComputedStyle(h).fontSize));
  assert.ok(size >= 19, `larger text: ${size}px`);
  assert.ok(before > 0);
  await page.screenshot({ path: `${RESULTS}/theme-projector.png` });
  await page.selectOption("#theme-choice", "auto");
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
  assert.doesNotMatch(await page.evaluate(() => location.search), /theme=/, "the default is left out of the link");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the projector draws thicker lines than the light look (more ink on the same chart)", async () => {
  const ink = async (query) => {
    const { page } = await open(query);
    const n = await page.$eval('#metrics canvas[data-metric="variance"]', (c) => {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 600) k++;
      return k;
    });
    await page.close();
    return n;
  };
  const [light, projector] = [await ink("?generations=50"), await ink("?generations=50&theme=projector")];
  // Both draw the band's median the same way, so the ratio is of the whole chart's ink.
  assert.ok(projector > 1.2 * light, `${projector} vs ${light} inked pixels`);
});

// The guided lesson: ?lesson=N opens chapter N with its scenario and highlights; "Start the tour",
// → and ← walk the eight chapters in order (each one's share link applied, its highlights found),
// Esc ends it; the same in the single offline file, with the teachers' page inside it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { RESULTS, ROOT, openPage, useBrowser } from "./harness.mjs";

const LESSON = JSON.parse(readFileSync(`${ROOT}www/lesson.json`, "utf8"));
const SINGLE = pathToFileURL(`${ROOT}dist/model-collapse-explorer.html`).href;
const shared = useBrowser();

async function waitForChapter(page, n) {
  const title = LESSON.chapters[n - 1].title;
  await page.waitForFunction((t) => document.querySelector("#lesson-title").textContent === t && !document.querySelector("#lesson").hidden, title, {
    timeout: 15000,
  });
  await page.waitForFunction(() => /^Simulated/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
}

/** The chapter's settings are all in the address (file:// pages have one too, via history). */
async function assertChapterApplied(page, n) {
  const search = new URLSearchParams(await page.evaluate(() => location.search));
  const wanted = new URLSearchParams(LESSON.chapters[n - 1].query);
  for (const [k, v] of wanted) assert.equal(search.get(k), v, `chapter ${n}: ${k}`);
  assert.equal(search.get("lesson"), String(n));
  const highlighted = await page.$$eval(".lesson-highlight", (els) => els.length);
  assert.equal(highlighted, LESSON.chapters[n - 1].highlight.length, `chapter ${n}: every highlight found on the page`);
}

test("?lesson=3 opens chapter 3 with its scenario, its text, its question and its highlights", async () => {
  const { page, problems, foreign } = await openPage(shared.browser, `${shared.server.base}?lesson=3`);
  await waitForChapter(page, 3);
  await assertChapterApplied(page, 3);
  const chapter = LESSON.chapters[2];
  assert.equal(await page.textContent("#lesson-question"), chapter.question);
  assert.equal(await page.textContent("#lesson-count"), "Chapter 3 of 8");
  assert.ok(await page.$('label.lesson-highlight input[data-param="top_p"]'), "the top-p control is highlighted");
  assert.ok(await page.$('figure.lesson-highlight canvas[data-metric="tail_mass"]'), "the tail-mass chart is highlighted");
  await page.screenshot({ path: `${RESULTS}/lesson-chapter-3.png` });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("Start the tour, then → walks all eight chapters in order, ← goes back, Esc ends the tour", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base);
  assert.equal(await page.isHidden("#lesson"), true);
  await page.click("#tour-start");
  await waitForChapter(page, 1);
  await assertChapterApplied(page, 1);
  assert.equal(await page.isDisabled("#lesson-prev"), true);
  for (let n = 2; n <= 8; n++) {
    await page.keyboard.press("ArrowRight");
    await waitForChapter(page, n);
    await assertChapterApplied(page, n);
    if (n === 4) await page.screenshot({ path: `${RESULTS}/lesson-chapter-4-text.png` });
  }
  assert.equal(await page.isDisabled("#lesson-next"), true);
  await page.keyboard.press("ArrowRight");
  await waitForChapter(page, 8);
  await page.keyboard.press("ArrowLeft");
  await waitForChapter(page, 7);
  // The lesson keeps the page's look: a theme chosen during the tour stays for the next chapter.
  await page.selectOption("#theme-choice", "projector");
  await page.waitForFunction(() => document.documentElement.dataset.theme === "projector");
  await page.click("#lesson-next");
  await waitForChapter(page, 8);
  assert.match(await page.evaluate(() => location.search), /theme=projector/);
  await page.screenshot({ path: `${RESULTS}/lesson-chapter-8-projector.png` });
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.querySelector("#lesson").hidden);
  assert.doesNotMatch(await page.evaluate(() => location.search), /lesson=/);
  assert.equal(await page.$$eval(".lesson-highlight", (els) => els.length), 0);
  // Without the lesson, the arrow keys step through generations again (focus is on "Start the
  // tour" now, and keys on a button stay the button's).
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector("#generation-label").textContent.startsWith("1 of"));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a chapter link with other settings keeps them; a bad chapter is named and the rest applies", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=tokens&top_p=0.8&lesson=3`);
  await page.waitForFunction(() => !document.querySelector("#lesson").hidden);
  assert.equal(new URLSearchParams(await page.evaluate(() => location.search)).get("top_p"), "0.8", "the reader's own change stays");
  await page.close();
  const bad = await openPage(shared.browser, `${shared.server.base}?lesson=12&samples=50`);
  assert.match(await bad.page.textContent("#status"), /lesson: 12 is out of range: allowed 0 to 8/);
  assert.equal(await bad.page.isHidden("#lesson"), true);
  assert.deepEqual(problems, []);
  await bad.page.close();
});

test("the single file runs the lesson offline, the text chapter included, and holds the teachers' page", async () => {
  const { page, problems } = await openPage(shared.browser, `${SINGLE}?lesson=4`);
  const requests = [];
  // The simulation worker starts from a Blob the page makes of its own inline script: no fetch.
  page.on("request", (r) => r.url().startsWith("blob:") || requests.push(r.url()));
  await waitForChapter(page, 4);
  await page.waitForSelector("#passages .passage");
  assert.ok(await page.$("figure.lesson-highlight canvas[data-confidence]"), "the confidently-wrong chart is highlighted");
  await page.keyboard.press("ArrowRight");
  await waitForChapter(page, 5);
  await page.click("#teachers-link");
  await page.waitForSelector("#teachers h1", { state: "visible" });
  assert.equal(await page.isVisible("main"), false, "the teachers' page is shown alone");
  assert.match(await page.textContent("#teachers"), /Without a network/);
  await page.screenshot({ path: `${RESULTS}/teachers-in-single-file.png` });
  await page.click("#teachers a.back");
  await page.waitForFunction(() => getComputedStyle(document.querySelector("main")).display !== "none");
  assert.deepEqual(requests, [], "nothing is fetched, not even the lesson");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the served teachers' page loads under its policy with no request beyond its own files", async () => {
  const { browser } = shared;
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.goto(`${shared.server.base}teachers.html`);
  assert.match(await page.textContent("h1"), /For teachers/);
  assert.equal(await page.getAttribute("a.back", "href"), "index.html");
  assert.deepEqual(problems, []);
  await page.close();
});

test("on a phone the chapter's text folds, so the chart and Play stay on the first screen", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?lesson=2`, { width: 390, height: 844 });
  await waitForChapter(page, 2);
  for (const selector of ["#play", "#view"]) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box.y + box.height <= 844, `${selector} ends at ${box.y + box.height}`);
  }
  await page.screenshot({ path: `${RESULTS}/lesson-phone.png` });
  await page.click("#lesson-read");
  assert.equal(await page.isVisible("#lesson-question"), true);
  assert.deepEqual(problems, []);
  await page.close();
});

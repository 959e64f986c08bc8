// The page end to end, Gaussian view: a reader moves the human-fraction slider and sees the
// numbers and the chart change; plays the animation; opens a malformed share link.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, canvasDigest, inkedPixels, numbers, openPage, scrub, slide, statusMatches, useBrowser } from "./harness.mjs";

const shared = useBrowser();

test("moving the human-fraction slider changes the numbers and the chart, with no errors", async () => {
  const { page, problems, foreign } = await openPage(shared.browser, shared.server.base);
  assert.equal(await page.getAttribute('[data-view="gaussian"]', "aria-selected"), "true");
  await scrub(page, 100);
  assert.equal(await page.textContent("#generation-label"), "100 of 100");
  const before = await numbers(page);
  const chartBefore = await canvasDigest(page, "#view");
  const varianceChartBefore = await canvasDigest(page, 'canvas[data-metric="variance"]');
  assert.ok(await inkedPixels(page, "#view") > 5000, "the distribution chart is drawn");
  // With no fresh data the theory line is offered and shown beside the number.
  assert.match(await page.textContent('.number[data-metric="variance"]'), /theory/);
  await page.screenshot({ path: `${RESULTS}/gaussian-pure.png`, fullPage: true });

  await slide(page, "human_fraction", 0.5);
  await page.waitForFunction(() => location.search.includes("human_fraction=0.5"));
  const afterSlide = await numbers(page);
  assert.equal(await page.textContent('output[data-for="human_fraction"]'), "50%");
  assert.notEqual(afterSlide.variance, before.variance, "the variance at generation 100 changes");
  assert.notEqual(afterSlide.w2_to_human, before.w2_to_human);
  // Half fresh human data keeps the model near the human distribution.
  assert.ok(afterSlide.w2_to_human < 0.6, `W2 with 50% human data: ${afterSlide.w2_to_human}`);
  assert.notEqual(await canvasDigest(page, "#view"), chartBefore, "the distribution chart changes");
  assert.notEqual(await canvasDigest(page, 'canvas[data-metric="variance"]'), varianceChartBefore);
  // Theory applies only without fresh data: its note goes away.
  assert.doesNotMatch(await page.textContent('.number[data-metric="variance"]'), /theory/);
  await page.screenshot({ path: `${RESULTS}/gaussian-half-human.png`, fullPage: true });

  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], "no request leaves the page's origin");
  await page.close();
});

test("play animates the generations and the same link reproduces the same numbers", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?samples=20&generations=40`);
  await page.click("#play");
  await page.waitForFunction(() => Number(document.querySelector("#scrubber").value) >= 5);
  await page.click("#play");
  const t = Number(await page.$eval("#scrubber", (el) => el.value));
  assert.ok(t >= 5, `paused at generation ${t}`);
  const frame = await numbers(page);
  const digest = await canvasDigest(page, "#view");

  const again = await openPage(shared.browser, page.url());
  await scrub(again.page, t);
  assert.deepEqual(await numbers(again.page), frame, "same link, same numbers");
  assert.equal(await canvasDigest(again.page, "#view"), digest, "same link, same picture");
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
  await page.close();
});

test("a malformed share link gets a clear message and the page still works", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?samples=abc&human_fraction=2&temperature=0.8`);
  const message = await statusMatches(page, /could not be used/);
  assert.match(message, /human_fraction: 2 is out of range: allowed 0 to 1/);
  assert.match(message, /samples: "abc" is not a whole number/);
  assert.equal(await page.inputValue('input[data-param="temperature"]'), "0.8", "the link's valid keys apply");
  assert.ok(!message.includes("expected u32"));
  assert.ok(await inkedPixels(page, "#view") > 5000, "the default chart is drawn");
  await page.close();

  for (const [query, expected] of [
    ["temperature=NaN", /temperature: `NaN` is not a finite number/],
    ["samples=abc", /samples: "abc" is not a whole number/],
    ["smaples=10", /smaples: unknown key/],
    ["samples=%E2%28", /is not a readable setting/],
  ]) {
    const other = await openPage(shared.browser, `${shared.server.base}?${query}`);
    assert.match(await statusMatches(other.page, /could not be used/), expected);
    assert.deepEqual(other.problems, []);
    await other.page.close();
  }
  assert.deepEqual(problems, []);
});

test("an out-of-range value typed into a control is refused and nothing on screen is lost", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base);
  await scrub(page, 30);
  const before = await numbers(page);
  const digest = await canvasDigest(page, "#view");
  await page.fill('input[data-param="seed"]', "99999999999");
  await page.press('input[data-param="seed"]', "Enter");
  assert.match(await statusMatches(page, /Not applied/), /seed: 99999999999 is out of range: allowed 0 to 4294967295/);
  assert.match(await page.textContent(".seed .control-error"), /seed: 99999999999 is out of range/, "the message is beside the control");
  assert.equal(await page.inputValue('input[data-param="seed"]'), "1", "the control snaps back");
  assert.deepEqual(await numbers(page), before);
  assert.equal(await canvasDigest(page, "#view"), digest);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a link's value beyond a slider's range is said under the slider, and moving the slider brings it back", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?generations=1000&samples=5`, { settle: true });
  const note = (key) => page.locator(`label:has(input[data-param="${key}"]) .slider-note`);
  assert.equal(await page.textContent('output[data-for="generations"]'), "1,000");
  assert.equal(
    await note("generations").textContent(),
    "Set to 1,000 by the link: beyond this slider (5 to 500), which shows its end. Moving it sets a value in its range.",
  );
  assert.match(await note("samples").textContent(), /^Set to 5 by the link: beyond this slider \(10 to 100,000\)/);
  assert.equal(await note("human_fraction").count(), 0, "a value inside its slider's range has no note");
  await slide(page, "generations", 200);
  await page.waitForFunction(() => location.search.includes("generations=200"));
  assert.equal(await note("generations").count(), 0, "the note goes once the value is in the slider's range");
  assert.equal(await note("samples").count(), 1, "the other link value keeps its note");
  await page.screenshot({ path: `${RESULTS}/gaussian-beyond-slider.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

// The page end to end, issue "Mixing": a reader moves the models and mixing sliders, turns on a
// contaminated web and a detector, picks each preset, and runs the on-demand analyses while the
// page stays responsive.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, canvasDigest, inkedPixels, numbers, openPage, scrub, slide, statusMatches, useBrowser } from "./harness.mjs";

const shared = useBrowser();

test("the models and mixing sliders change the pool, the lineages and the numbers", async () => {
  const { page, problems, foreign } = await openPage(shared.browser, `${shared.server.base}?model=tokens&vocab=2000&samples=2000`);
  await scrub(page, 100);
  const one = await numbers(page);
  const chart = await canvasDigest(page, 'canvas[data-metric="gini_simpson"]');
  assert.match(await page.textContent("#models-hint"), /One model/);

  await slide(page, "model_count", 4);
  await page.waitForFunction(() => location.search.includes("model_count=4"));
  assert.match(await page.textContent("#models-hint"), /4 models each train on 2,000 items, so together they see 4× the data/);
  assert.match(await page.textContent('canvas[data-metric="gini_simpson"] + figcaption'), /Thick orange: the pool; thin: each model/);
  const four = await numbers(page);
  assert.notEqual(four.surviving_types, one.surviving_types);
  assert.notEqual(await canvasDigest(page, 'canvas[data-metric="gini_simpson"]'), chart, "the lineages are drawn");
  // Independent lineages: the pool keeps more words than a single model.
  assert.ok(four.surviving_types > one.surviving_types, `pool ${four.surviving_types} vs one model ${one.surviving_types}`);

  await slide(page, "shared_pool", 1);
  await page.waitForFunction(() => location.search.includes("shared_pool=1"));
  const pooled = await numbers(page);
  assert.notEqual(pooled.surviving_types, four.surviving_types);

  // Blind spots: each model loses its own; the pool of distinct blind spots keeps more words
  // than the pool of models that share one.
  await slide(page, "shared_pool", 0);
  await page.waitForFunction(() => !location.search.includes("shared_pool"));
  await slide(page, "blind_spot", 0.2);
  await page.waitForFunction(() => location.search.includes("blind_spot=0.2") && !location.search.includes("shared_pool"));
  const distinct = await numbers(page);
  await slide(page, "blind_spot_overlap", 1);
  await page.waitForFunction(() => location.search.includes("blind_spot_overlap=1"));
  const same = await numbers(page);
  assert.ok(distinct.surviving_types > same.surviving_types, `distinct ${distinct.surviving_types} vs shared ${same.surviving_types}`);
  await page.screenshot({ path: `${RESULTS}/mixing-tokens.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("a contaminated web lowers the really-human share and a detector raises it", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?human_fraction=1&generations=40`);
  await slide(page, "contamination_rate", 0.8);
  await page.waitForFunction(() => location.search.includes("contamination_rate=0.8"));
  await scrub(page, 40);
  const dirty = await numbers(page);
  assert.ok(dirty.real_human_share < 0.35, `really human without a detector: ${dirty.real_human_share}`);
  assert.equal(dirty.training_size, 100);
  await slide(page, "detector_recall", 0.95);
  await page.waitForFunction(() => location.search.includes("detector_recall=0.95"));
  await slide(page, "detector_false_positive_rate", 0.1);
  await page.waitForFunction(() => location.search.includes("detector_false_positive_rate=0.1"));
  const filtered = await numbers(page);
  assert.ok(filtered.real_human_share > 0.7, `really human with a detector: ${filtered.real_human_share}`);
  assert.ok(filtered.training_size < 50, `training data kept: ${filtered.training_size}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("every preset sets up its published setting in one click and one URL", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base);
  const presets = await page.$$eval("#preset-buttons button", (bs) => bs.map((b) => b.dataset.preset));
  assert.ok(presets.length >= 7, `presets: ${presets}`);
  const links = {};
  for (const id of presets) {
    await page.click(`#preset-buttons button[data-preset="${id}"]`);
    await page.waitForFunction((id) => document.querySelector(`[data-preset="${id}"]`).getAttribute("aria-pressed") === "true", id);
    await page.click("#play"); // presets start playing; pause to read
    const note = await page.textContent("#preset-note");
    assert.ok(note.length > 40, `${id}: ${note}`);
    links[id] = page.url();
    const model = new URL(page.url()).searchParams.get("model") ?? "gaussian";
    assert.equal(await page.getAttribute(`[data-view="${model}"]`, "aria-selected"), "true", `${id} opens the ${model} view`);
  }
  assert.match(links["gaussian-refit"], /generations=300/);
  assert.match(links["sampling-bias"], /temperature=0\.7/);
  assert.match(links["fresh-data"], /human_fraction=0\.1/);
  assert.match(links["accumulate"], /data=accumulate/);
  assert.match(links["top-p"], /top_p=0\.9/);
  assert.match(links["pooled-models"], /model_count=4&blind_spot=0\.2/);
  assert.match(links["fixed-human-data"], /human_data=fixed/);
  assert.match(links["contaminated-web"], /contamination_rate=0\.8/);
  assert.match(await page.textContent("#preset-note"), /A web that fills with AI text/);
  // The preset's link, opened afresh, is the same setting.
  const again = await openPage(shared.browser, links["top-p"]);
  assert.equal(await again.page.inputValue('input[data-param="top_p"]'), "0.9");
  await again.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test("the analyses compute with progress while the page stays responsive", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?samples=20&generations=60`);
  // Record the longest gap between animation frames while the analyses run.
  await page.evaluate(() => {
    window.longestFrameGap = 0;
    let last = performance.now();
    const frame = (now) => {
      window.longestFrameGap = Math.max(window.longestFrameGap, now - last);
      last = now;
      if (!window.stopFrames) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const blank = await canvasDigest(page, "#stops-chart");
  await page.click("#stops-run");
  await page.click("#mixing-run");
  await page.waitForFunction(() => !document.querySelector("#stops-progress").hidden || document.querySelector("#stops-progress").value > 0);
  await page.waitForFunction(() => document.querySelector("#stops-progress").hidden && document.querySelector("#mixing-progress").hidden, null, { timeout: 30000 });
  const gap = await page.evaluate(() => {
    window.stopFrames = true;
    return window.longestFrameGap;
  });
  assert.ok(gap < 500, `the page froze for ${gap} ms`);
  assert.notEqual(await canvasDigest(page, "#stops-chart"), blank);
  assert.ok(await inkedPixels(page, "#stops-chart") > 3000);
  assert.ok(await inkedPixels(page, "#mixing-chart") > 3000);
  await statusMatches(page, /Computed|Compared/);
  await page.screenshot({ path: `${RESULTS}/analyses.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

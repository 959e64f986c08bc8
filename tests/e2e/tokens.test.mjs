// The page end to end, token view: a reader switches to word frequencies, lowers top-p and
// sees the tail shrink; switching views keeps each view's settings.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, canvasDigest, inkedPixels, numbers, openPage, scrub, settled, slide, statusMatches, useBrowser } from "./harness.mjs";

const shared = useBrowser();

test("lowering top-p in the token view cuts the tail", async () => {
  const { page, problems, foreign } = await openPage(shared.browser, shared.server.base);
  await page.click('[data-view="tokens"]');
  await page.waitForFunction(() => location.search.includes("model=tokens"));
  assert.equal(await page.getAttribute('[data-view="tokens"]', "aria-selected"), "true");
  assert.ok(await page.isVisible('input[data-param="top_p"]'), "top-p is shown for tokens");
  assert.ok(!(await page.isVisible('select[data-param="variance_estimator"]')), "Gaussian-only controls hide");
  await scrub(page, 1);
  const before = await numbers(page);
  const chart = await canvasDigest(page, "#view");
  assert.ok(await inkedPixels(page, "#view") > 5000);
  assert.match(await page.textContent("#details"), /Words lost at generation 1: [\d,]+ — the|Words lost at generation 1: [\d,]+ — \w+/);

  await slide(page, "top_p", 0.8);
  await page.waitForFunction(() => location.search.includes("top_p=0.8"));
  const after = await numbers(page);
  assert.ok(after.surviving_types < before.surviving_types / 2, `surviving words ${before.surviving_types} -> ${after.surviving_types}`);
  assert.ok(after.tail_mass < before.tail_mass / 10, `tail mass ${before.tail_mass} -> ${after.tail_mass}`);
  assert.ok(after.entropy_bits < before.entropy_bits);
  assert.notEqual(await canvasDigest(page, "#view"), chart, "the rank-frequency chart changes");
  await page.screenshot({ path: `${RESULTS}/tokens-top-p.png`, fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

test("each view keeps its own settings when switching back and forth", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?human_fraction=0.2`);
  await page.click('[data-view="tokens"]');
  await page.waitForFunction(() => location.search.includes("model=tokens"));
  assert.equal(await page.inputValue('input[data-param="human_fraction"]'), "0", "tokens start at their own defaults");
  await slide(page, "zipf_exponent", 1.5);
  await page.waitForFunction(() => location.search.includes("zipf_exponent=1.5"));
  await page.click('[data-view="gaussian"]');
  await page.waitForFunction(() => location.search === "?human_fraction=0.2");
  assert.equal(await page.inputValue('input[data-param="human_fraction"]'), "0.2");
  await page.click('[data-view="tokens"]');
  await page.waitForFunction(() => location.search === "?model=tokens&zipf_exponent=1.5");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a fast drag over the word view ends on the generation it stops at, drawn as when shown directly", async () => {
  const link = `${shared.server.base}?model=tokens&vocab=50000&samples=50000&generations=60`;
  const { page, problems } = await openPage(shared.browser, link);
  // The painter worker draws the view: a drag of twenty moves in one task is answered by the
  // last generation, with its own words lost, not by a queue of the ones passed over.
  const requests = () => page.evaluate(() => Number(document.body.dataset.viewRequests ?? 0));
  const before = await requests();
  await page.evaluate(() => {
    const scrubber = document.querySelector("#scrubber");
    for (let g = 3; g <= 60; g += 3) {
      scrubber.value = String(g);
      scrubber.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.body.dataset.charts === "drawn");
  assert.match(await page.textContent("#details"), /Words lost at generation 60: [\d,]+ — \w+/);
  // The painter was asked for the first move's picture and then the newest: two, not twenty.
  assert.ok((await requests()) - before <= 2, `${(await requests()) - before} pictures asked for a drag of 20 moves`);
  const dragged = await canvasDigest(page, "#view");
  // The same picture as generation 60 shown directly, on a fresh page.
  const again = await openPage(shared.browser, link);
  await scrub(again.page, 60);
  assert.equal(await canvasDigest(again.page, "#view"), dragged);
  assert.ok(await inkedPixels(again.page, "#view") > 5000);
  // To a small vocabulary (the page draws it) and back to a big one (the painter again).
  for (const [log10, words] of [[3, /^1,000$/], [4.7, /^50,119$/]]) {
    await slide(page, "vocab", log10);
    await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('output[data-for="vocab"]').textContent), words.source);
    await scrub(page, 60);
    await numbers(page);
    assert.ok(await inkedPixels(page, "#view") > 5000, `${words}: drawn`);
    assert.match(await page.textContent("#details"), /Words lost at generation 60: [\d,]+ — \w+/);
  }
  assert.deepEqual(problems, []);
  await page.close();
  await again.page.close();
});

// How many data messages the page had received from its workers when it started the painter
// (undefined: not started).
const dataBeforePainter = (page) =>
  page.evaluate(() => {
    const start = workerEvents.findIndex((e) => e.event === "sent" && e.type === "init" && e.role === "paint");
    return start < 0 ? undefined : workerEvents.slice(0, start).filter((e) => e.event === "received" && e.type === "data").length;
  });

test("the painter of a link with big views starts with its job, before generation 0 arrives", async () => {
  const link = `${shared.server.base}?model=tokens&vocab=50000&samples=50000&generations=20`;
  const { page, problems } = await openPage(shared.browser, link, { watchWorkers: true });
  assert.equal(await dataBeforePainter(page), 0);
  assert.ok(await inkedPixels(page, "#view") > 5000, "drawn by the painter");
  // A page of small views starts its painter only in the background, once its run is in.
  const small = await openPage(shared.browser, `${shared.server.base}?model=tokens`, { watchWorkers: true });
  await small.page.waitForFunction(() => workerEvents.some((e) => e.type === "init" && e.role === "paint"));
  assert.ok((await dataBeforePainter(small.page)) > 1);
  assert.deepEqual([...problems, ...small.problems], []);
  await page.close();
  await small.page.close();
});

test("a drawing worker that stops says so where the reader looks, and the next setting draws again", async () => {
  // The painter is stopped as a crash (out of memory) would stop it.
  const link = `${shared.server.base}?model=tokens&vocab=50000&samples=50000&generations=20`;
  const { page, problems } = await openPage(shared.browser, link, { watchWorkers: true });
  await page.evaluate(() => {
    const painter = pageWorkers.find((w) => w.role === "paint");
    painter.terminate();
    painter.dispatchEvent(new ErrorEvent("error", { message: "out of memory" }));
  });
  await scrub(page, 5);
  const said = await statusMatches(page, /the worker that draws this view stopped/);
  assert.doesNotMatch(said, /simulation/i, "not reported as the simulation stopping");
  // A changed setting computes the run again, and a new painter draws it.
  await page.evaluate(() => {
    const seed = document.querySelector('input[data-param="seed"]');
    seed.value = "7";
    seed.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settled(page);
  await scrub(page, 5);
  assert.ok(await inkedPixels(page, "#view") > 5000, "drawn again");
  assert.match(await page.textContent("#details"), /Words lost at generation 5: [\d,]+ — \w+/);
  assert.deepEqual(problems, []);
  await page.close();
});

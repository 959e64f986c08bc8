// The page end to end, honest pictures: every metric chart carries its control (fresh human data
// only), the family's "confidently wrong" chart, and a run that overflows says so instead of
// showing a perfect score.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, openPage, scrub, useBrowser } from "./harness.mjs";

const shared = useBrowser();

const controlValues = (page) =>
  page.$$eval(".number", (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.metric, r.querySelector(".control")?.textContent ?? null])),
  );

for (const view of ["gaussian", "tokens", "text"]) {
  test(`the ${view} view draws a control and a confidently-wrong chart`, async () => {
    const extra = view === "text" ? "&generations=6&samples=5000" : "";
    const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=${view}${extra}`);
    const captions = await page.$$eval("#metrics figcaption", (cs) => cs.map((c) => c.textContent));
    assert.ok(captions.filter((c) => /Blue: the control/.test(c)).length >= 3, captions.join("\n"));
    assert.match(captions[0], /more confident while it grows more wrong/);
    await scrub(page, 1);
    // Generation 1 of the bell curve and the word frequencies learns from the human distribution
    // either way, with the same draws: run and control coincide (the text model's generation 1
    // learns from the book's n-gram model instead of excerpts of it, so it only comes close).
    const controls = await controlValues(page);
    const shown = await page.$$eval(".number", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.metric, r.querySelector(".value").textContent])));
    const first = Object.keys(shown)[0];
    if (view === "text") assert.match(controls[first], /^fresh human data only [\d,.]+$/);
    else assert.equal(controls[first], `fresh human data only ${shown[first]}`, first);
    await page.screenshot({ path: `${RESULTS}/honest-${view}.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test("a run that overflows says so where the numbers are", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?temperature=5&generations=600`);
  await scrub(page, 600);
  assert.ok(await page.isVisible("#overflow"));
  assert.match(await page.textContent("#overflow"), /overflowed at generation \d+/);
  const shown = await page.$$eval(".number .value", (vs) => vs.map((v) => v.textContent));
  assert.ok(shown.includes("not finite"), shown.join(", "));
  assert.ok(!shown.includes("0"), "an overflowed run never reads as a perfect score");
  await scrub(page, 10);
  assert.ok(!(await page.isVisible("#overflow")), "before the overflow, no note");
  assert.deepEqual(problems, []);
  await page.close();
});

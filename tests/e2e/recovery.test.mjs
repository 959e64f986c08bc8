// The page end to end, recovering from an internal error: after a panic inside the simulation the
// page rebuilds it from the last good state, human text included, and every view works again.
// Also: the tabs and the controls shown come from what Rust reports of each family.

import assert from "node:assert/strict";
import { test } from "node:test";
import { numbers, openPage, scrub, slide, statusMatches, useBrowser } from "./harness.mjs";

const shared = useBrowser();

test("the view tabs and their controls come from the family registry", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base);
  const tabs = await page.$$eval('[role="tab"]', (ts) => ts.map((t) => [t.dataset.view, t.textContent]));
  assert.deepEqual(tabs, [["gaussian", "Bell curve"], ["tokens", "Word frequencies"], ["text", "Text"]]);
  assert.ok(await page.isVisible('select[data-param="human"]'), "the bell curve's own control is shown");
  assert.ok(!(await page.isVisible('select[data-param="ngram_order"]')), "the text model's is hidden");
  assert.ok(!(await page.isVisible("#own-text")), "no human text to replace in the bell-curve view");
  assert.match(await page.textContent('canvas[data-metric="mean"] + figcaption'), /Where the fitted bell curve is centred/);
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [view, check] of [
  ["gaussian", async (page) => assert.ok((await numbers(page)).variance > 0)],
  ["tokens", async (page) => assert.match(await page.textContent("#details"), /Words lost at generation \d+: [\d,]+ — [a-z]/, "real words label the types")],
  ["text", async (page) => assert.ok((await page.$$("#passages .passage")).length >= 2, "passages are written again")],
]) {
  test(`after an internal error the ${view} view works again, human text included`, async () => {
    const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=${view}&generations=6${view === "text" ? "&samples=3000" : ""}`);
    await page.evaluate(() => document.dispatchEvent(new Event("collapse-test-panic")));
    assert.match(await statusMatches(page, /Internal error/), /internal error/);
    await slide(page, "human_fraction", 0.3);
    await page.waitForFunction(() => location.search.includes("human_fraction=0.3"));
    await statusMatches(page, /Simulated/);
    await scrub(page, 6);
    await check(page);
    // The only console errors are the deliberate panic's.
    assert.ok(problems.every((p) => /panic_for_test|unreachable|panicked/.test(p)), problems.join("\n"));
    await page.close();
  });
}

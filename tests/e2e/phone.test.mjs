// Phone and tablet: at 390×844 the main chart and Play are on the first screen in every view,
// the settings follow below, touch targets are at least 44 px, nothing overflows sideways and the
// charts (their legends included) fit the screen.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RESULTS, openPage, useBrowser } from "./harness.mjs";

const shared = useBrowser();

test("on a phone the chart and Play come first, settings below, with 44 px targets and nothing clipped", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base, { width: 390, height: 844 });
  for (const view of ["gaussian", "tokens", "text"]) {
    await page.click(`[data-view="${view}"]`);
    await page.waitForFunction((v) => document.querySelector(`[data-view="${v}"]`).getAttribute("aria-selected") === "true", view);
    await page.waitForFunction(() => /^Simulated/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
    const main = view === "text" ? "#passages" : "#view";
    for (const selector of ["#play", main]) {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box && box.y >= 0 && box.y < 844, `${view}: ${selector} starts on the first screen (${box?.y})`);
      if (selector === "#play" || view !== "text") assert.ok(box.y + box.height <= 844, `${view}: ${selector} ends at ${box.y + box.height}`);
    }
    const play = await page.locator("#play").boundingBox();
    const controls = await page.locator(".controls").boundingBox();
    assert.ok(controls.y > play.y, "the settings follow the chart");
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `no sideways scrolling (${wide} px)`);
    const canvases = await page.$$eval("canvas:not([hidden])", (cs) => cs.map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => [r.left, r.right]));
    for (const [left, right] of canvases) assert.ok(left >= 0 && right <= 390, `a chart spans ${left}–${right}`);
    await page.screenshot({ path: `${RESULTS}/phone-${view}.png` });
  }
  // Every control on the page, in every part of it (the text view shows the most); a radio
  // button's target is its label. Links inside running text are exempt, as WCAG 2.5.8 allows.
  const small = await page.$$eval("button, select, input, summary, a[href], [role=tab]", (els) =>
    els
      .filter((e) => !e.closest("p, li, footer"))
      .map((e) => (e.type === "radio" || e.type === "checkbox" ? e.closest("label") ?? e : e))
      .filter((e) => e.getBoundingClientRect().width > 0)
      .map((e) => [e.id || e.dataset.param || e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height, e.getBoundingClientRect().width])
      .filter(([, h, w]) => h < 44 || w < 44),
  );
  assert.deepEqual(small, [], "touch targets of at least 44 × 44 px");
  await page.screenshot({ path: `${RESULTS}/phone-full.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("on a tablet the page keeps its two columns and fits the screen", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=tokens`, { width: 820, height: 1180 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 820, `${wide}`);
  const play = await page.locator("#play").boundingBox();
  const view = await page.locator("#view").boundingBox();
  assert.ok(play.y + play.height < 1180 && view.y + view.height < 1180);
  await page.screenshot({ path: `${RESULTS}/tablet-tokens.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

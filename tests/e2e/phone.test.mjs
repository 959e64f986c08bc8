// Phone and tablet: at 390×844 the main chart and Play are on the first screen in every view,
// the settings follow below, touch targets are at least 44 px, nothing overflows sideways and the
// charts (their legends included) fit the screen, and no legend covers the data.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RESULTS, openPage, scrub, settled, useBrowser } from "./harness.mjs";

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

/**
 * The chart saved by its "Save as SVG" `button`, as the page draws it (its SVG export: the same drawing, text measured by
 * the browser), and every dot or line vertex drawn before its legend's box that falls inside it.
 */
async function coveredByLegend(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const all = [...doc.documentElement.children];
    const at = all.findIndex((e) => e.localName === "rect" && e.getAttribute("fill-opacity") === "0.850");
    if (at < 0) return { legend: null, covered: [] };
    const [x, y, w, h] = ["x", "y", "width", "height"].map((a) => Number(all[at].getAttribute(a)));
    const inside = ([px, py]) => px > x && px < x + w && py > y && py < y + h;
    const covered = all.slice(0, at).flatMap((e) => {
      if (e.localName === "circle") return [[Number(e.getAttribute("cx")), Number(e.getAttribute("cy"))]].filter(inside);
      if (e.localName === "polyline") return e.getAttribute("points").split(" ").map((p) => p.split(",").map(Number)).filter(inside);
      return [];
    });
    return { legend: [x, y, w, h], covered };
  }, readFileSync(await file.path(), "utf8"));
}

test("on a phone no legend covers the data: the word view and confidently wrong, early and late", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=tokens&generations=30`, { width: 390, height: 844 });
  for (const t of [0, 30]) {
    await scrub(page, t);
    await settled(page);
    for (const button of ["#view-svg", "canvas[data-confidence] ~ button[data-svg]"]) {
      const { legend, covered } = await coveredByLegend(page, button);
      assert.ok(legend, `${button} at ${t}: a legend`);
      assert.deepEqual(covered, [], `${button} at generation ${t}: the legend ${legend} covers the data`);
    }
  }
  await page.locator("#view").screenshot({ path: `${RESULTS}/phone-tokens-legend.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

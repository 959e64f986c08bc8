// Exports: the run's numbers download as CSV and JSON lines, and after their header line they
// are byte for byte what the command line prints for the same scenario and seed, in the served
// page, the single file under file:// and a sandboxed embed (which needs allow-downloads); every
// chart saves as a PNG at print resolution and as a standalone SVG at its size on screen.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT, openPage, useBrowser } from "./harness.mjs";

const shared = useBrowser();
const BIN = process.env.COLLAPSE_BIN ?? `${process.env.CARGO_TARGET_DIR ?? `${ROOT}target`}/debug/collapse`;

function cli(query, format) {
  assert.ok(existsSync(BIN), `the command line is built by cargo test first (${BIN})`);
  const sets = query ? query.split("&").flatMap((kv) => ["--set", kv]) : [];
  return execFileSync(BIN, ["run", "--control", "--theory", "--format", format, "--quiet", ...sets], { encoding: "utf8" });
}

async function downloaded(page, selector, where = page) {
  const [file] = await Promise.all([page.waitForEvent("download"), where.locator(selector).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

/**
 * Saves the chart on `canvas` (a selector, in `where`) with its "Save as SVG" button `button`, and
 * checks the file in the page: well-formed XML (DOMParser finds no error), an <svg> root in the
 * SVG namespace of the canvas's size on screen with a matching viewBox, and `title` among its
 * texts. Returns the file's name and text.
 */
async function savedSvg(page, canvas, button, title, where = page) {
  const [w, h] = await where.locator(canvas).evaluate((c) => [c.clientWidth, c.clientHeight]);
  const { name, text } = await downloaded(page, button, where);
  assert.match(name, /\.svg$/);
  const parsed = await page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const root = doc.documentElement;
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      root: root.localName,
      ns: root.namespaceURI,
      size: [root.getAttribute("width"), root.getAttribute("height"), root.getAttribute("viewBox")],
      texts: [...doc.querySelectorAll("text")].map((t) => t.textContent),
      fonts: [...new Set([...doc.querySelectorAll("text")].map((t) => `${t.getAttribute("font-size")} ${t.getAttribute("font-family")}`))],
    };
  }, text);
  assert.equal(parsed.error, null, "well-formed XML");
  assert.equal(parsed.root, "svg");
  assert.equal(parsed.ns, "http://www.w3.org/2000/svg");
  assert.deepEqual(parsed.size, [String(w), String(h), `0 0 ${w} ${h}`], "the chart's size on screen");
  assert.ok(parsed.texts.some((t) => t.includes(title)), `${title} in ${parsed.texts.slice(0, 8)}`);
  assert.ok(parsed.fonts.every((f) => / sans-serif$/.test(f)) && parsed.fonts.includes("12.0 sans-serif"), `${parsed.fonts}`);
  return { name, text };
}

function split(text) {
  const newline = text.indexOf("\n");
  return [text.slice(0, newline), text.slice(newline + 1)];
}

test("the run's numbers download as CSV and JSON, the command line's bytes after one header line", async () => {
  const query = "model=tokens&generations=12&model_count=2&seed=3";
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?${query}`);
  for (const format of ["csv", "json"]) {
    const { name, text } = await downloaded(page, `#download-${format}`);
    assert.match(name, new RegExp(`model-collapse-tokens-seed-3\\.${format === "csv" ? "csv" : "jsonl"}`));
    const [header, rest] = split(text);
    assert.match(header, /Model Collapse Explorer|model_collapse_explorer/);
    const link = await page.evaluate(() => location.search);
    assert.ok(header.includes(link) && header.includes("--set model_count=2"), header);
    assert.equal(rest, cli(query, format), `${format}: byte for byte the command line's`);
  }
  assert.ok(split((await downloaded(page, "#download-csv")).text)[1].split("\n")[0].includes("model_2.surviving_types"));
  assert.deepEqual(problems, []);
  await page.close();
  // The text model with a sampling bias, and mixture-form models refit by EM with blind spots:
  // the same bits in the page (wasm) as natively.
  for (const other of ["model=text&generations=4&samples=3000&temperature=0.8&top_p=0.9", "model_count=3&model_spread=1&generations=10&blind_spot=0.2"]) {
    const opened = await openPage(shared.browser, `${shared.server.base}?${other}`);
    assert.equal(split((await downloaded(opened.page, "#download-csv")).text)[1], cli(other, "csv"), other);
    await opened.page.close();
  }
});

test("downloads work in the single file under file:// and in a sandboxed embed", async () => {
  const single = `${ROOT}dist/model-collapse-explorer.html`;
  const { page } = await openPage(shared.browser, `${pathToFileURL(single).href}?generations=8`);
  assert.equal(split((await downloaded(page, "#download-csv")).text)[1], cli("generations=8", "csv"));
  const [picture] = await Promise.all([page.waitForEvent("download"), page.click("#view-png")]);
  assert.match(picture.suggestedFilename(), /view-generation-\d+\.png$/);
  await savedSvg(page, "#view", "#view-svg", "value (in human standard deviations)");
  await savedSvg(page, 'canvas[data-metric="variance"]', 'canvas[data-metric="variance"] ~ button[data-svg]', "Variance (spread)");
  await page.close();

  const host = await shared.browser.newPage({ acceptDownloads: true });
  const url = `${shared.server.base}article.html`;
  const src = `${shared.server.base}?generations=8`;
  await host.route(url, (route) =>
    route.fulfill({
      contentType: "text/html; charset=utf-8",
      body: `<!doctype html><link rel="icon" href="data:,"><h1>An article</h1><iframe sandbox="allow-scripts allow-same-origin allow-downloads" src="${src}" width="1200" height="900"></iframe>`,
    }),
  );
  await host.goto(url);
  const frame = host.frameLocator("iframe");
  await frame.locator("body[data-run=complete]").waitFor({ state: "attached", timeout: 30000 });
  const { text } = await downloaded(host, "#download-json", frame);
  assert.equal(split(text)[1], cli("generations=8", "json"));
  const svg = await savedSvg(host, "#view", "#view-svg", "density", frame);
  assert.match(svg.name, /view-generation-\d+\.svg$/);
  await host.close();
});

/** [width, height] of a PNG file's bytes (from its IHDR chunk). */
function pngSize(path) {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString("latin1"), "PNG", "a PNG file");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("every chart saves as a PNG at print resolution, and the main view as a strip of generations", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?generations=30`);
  const chart = 'canvas[data-metric="variance"]';
  const width = await page.$eval(chart, (c) => c.clientWidth);
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(`${chart} ~ button[data-png]`)]);
  assert.match(file.suggestedFilename(), /variance-generation-\d+\.png$/);
  const [w, h] = pngSize(await file.path());
  assert.equal(w, Math.round(width * 3), "three times its width on screen");
  assert.ok(h > 300);
  const viewWidth = await page.$eval("#view", (c) => c.clientWidth);
  const [strip] = await Promise.all([page.waitForEvent("download"), page.click("#strip-png")]);
  assert.match(strip.suggestedFilename(), /generations-0-5-10-20\.png$/);
  assert.equal(pngSize(await strip.path())[0], 4 * Math.round(viewWidth * 2), "four panels side by side");
  assert.deepEqual(problems, []);
  await page.close();
});

test("every chart saves as an SVG at its size on screen, in the page's theme", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=tokens&generations=20&theme=dark`);
  const view = await savedSvg(page, "#view", "#view-svg", "rank of the word in human text (1 = most frequent)");
  assert.match(view.name, /model-collapse-tokens-seed-\d+-view-generation-\d+\.svg$/);
  assert.ok(view.text.includes('fill="#181A1F"'), "the dark theme's background");
  // Each chart's title, as its button names it ("Save as SVG: the chart “Title”").
  const metrics = await page.$$eval("#metrics button[data-svg]", (bs) =>
    bs.map((b) => [b.closest("figure").querySelector("canvas").dataset.metric ?? null, /“(.*)”/.exec(b.getAttribute("aria-label"))[1]]),
  );
  assert.ok(metrics.length >= 3, `${metrics}`);
  for (const [metric, title] of metrics) {
    const canvas = metric ? `canvas[data-metric="${metric}"]` : "canvas[data-confidence]";
    const { name } = await savedSvg(page, canvas, `${canvas} ~ button[data-svg]`, title);
    assert.match(name, new RegExp(`-${metric ?? "confidence"}-generation-\\d+\\.svg$`));
  }
  // The analyses: before Compute (their question) and after.
  await savedSvg(page, "#stops-chart", "#stops-svg", "press Compute");
  await page.click("#mixing-run");
  await page.waitForFunction(() => /^Computed/.test(document.querySelector("#status").textContent), null, { timeout: 60000 });
  const mixing = await savedSvg(page, "#mixing-chart", "#mixing-svg", "one model");
  assert.match(mixing.name, /-mixing\.svg$/);
  assert.ok((mixing.text.match(/<polyline/g) ?? []).length >= 2, "its lines");
  const [png] = await Promise.all([page.waitForEvent("download"), page.click("#mixing-png")]);
  assert.match(png.suggestedFilename(), /-mixing\.png$/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a big word view, drawn by the painter worker, saves as PNG, SVG and a strip too", async () => {
  // 50,000 words: 400 KB a view, more than the page keeps (PAGE_VIEW_BYTES): the painter draws it.
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=tokens&vocab=50000&samples=50000&generations=20&theme=dark`);
  const view = await savedSvg(page, "#view", "#view-svg", "rank of the word in human text (1 = most frequent)");
  assert.ok(view.text.includes('fill="#181A1F"'), "the dark theme's background");
  assert.ok(view.text.includes("<circle"), "the model's dots");
  const width = await page.$eval("#view", (c) => c.clientWidth);
  const [picture] = await Promise.all([page.waitForEvent("download"), page.click("#view-png")]);
  assert.match(picture.suggestedFilename(), /view-generation-\d+\.png$/);
  assert.equal(pngSize(await picture.path())[0], Math.round(width * 3), "three times its width on screen");
  const [strip] = await Promise.all([page.waitForEvent("download"), page.click("#strip-png")]);
  assert.equal(pngSize(await strip.path())[0], 4 * Math.round(width * 2), "four panels side by side");
  assert.deepEqual(problems, []);
  await page.close();
});

// Exports: the run's numbers download as CSV and JSON lines, and after their header line they
// are byte for byte what the command line prints for the same scenario and seed, in the served
// page, the single file under file:// and a sandboxed embed (which needs allow-downloads).

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
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(`${chart} ~ button.png`)]);
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

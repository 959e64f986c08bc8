// The page never freezes (issue "A page that never freezes"): the simulation runs in a worker,
// a hostile share link asks before it starts and the page answers while it computes, a newer
// input cancels older work, and the band of replicate runs is the command line's.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { RESULTS, ROOT, numbers, openPage, settled, slide, useBrowser } from "./harness.mjs";

const shared = useBrowser();
const HOSTILE = "model=text&samples=1000000&generations=2000&model_count=8";

test("a hostile link says how long it would take, and the page answers while it computes", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?${HOSTILE}`, { settle: false });
  // Asked first, with an estimate and a way out.
  await page.waitForSelector("#cost:not([hidden])");
  assert.match(await page.textContent("#cost-text"), /about [\d.]+ (hours|min)/);
  assert.ok(await page.isVisible("#cost-lighter"), "lighter settings are offered");
  await page.click("#cost-go");
  await page.waitForSelector("#work:not([hidden])");
  await page.waitForFunction(() => /Simulating generation/.test(document.querySelector("#work-text").textContent));
  await page.screenshot({ path: `${RESULTS}/hostile-link.png` });
  // While it computes, a click takes effect at once: the main thread is free.
  const latency = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const t0 = performance.now();
        document.querySelector('[data-view="gaussian"]').click();
        const check = () =>
          document.querySelector('[data-view="gaussian"]').getAttribute("aria-selected") === "true"
            ? resolve(performance.now() - t0)
            : requestAnimationFrame(check);
        check();
      }),
  );
  assert.ok(latency < 1000, `the tab took ${latency} ms to answer`);
  // The newer view's run replaces the hostile one (which was stopped, not queued).
  await settled(page);
  assert.ok((await numbers(page)).variance > 0);
  assert.ok(!(await page.isVisible("#cost")), "the question went with the settings it was about");
  assert.deepEqual(problems, []);
  await page.close();
});

test("lighter settings are one click away and run at once", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?${HOSTILE}`, { settle: false });
  await page.waitForSelector("#cost:not([hidden])");
  await page.click("#cost-lighter");
  await settled(page, 60000);
  const query = new URLSearchParams(await page.evaluate(() => location.search));
  assert.ok(Number(query.get("samples") ?? "20000") < 1000000, `lighter: ${query}`);
  await page.waitForFunction(() => /Simulated/.test(document.querySelector("#status").textContent), null, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a newer input cancels older work at once: no queue of stale runs", async () => {
  // About half a minute of work in this browser (8 models, half of them mixtures refit by EM).
  const heavy = "generations=500&model_count=8&model_spread=1&data=accumulate";
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?${heavy}`, { settle: false });
  await page.waitForSelector("#cost:not([hidden])");
  await page.click("#cost-go");
  await page.waitForFunction(() => /Simulating generation/.test(document.querySelector("#work-text").textContent));
  const heavyJob = Number(await page.evaluate(() => document.body.dataset.job));
  // Three quick changes; only the last one's run is computed, and soon.
  const t0 = Date.now();
  await slide(page, "model_count", 2);
  await page.waitForFunction(() => location.search.includes("model_count=2"));
  await slide(page, "model_count", 1);
  await page.waitForFunction(() => !location.search.includes("model_count"));
  await slide(page, "generations", 50);
  await settled(page);
  const waited = Date.now() - t0;
  assert.ok(waited < 15000, `the newest settings took ${waited} ms`);
  const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name));
  assert.ok(!marks.includes(`job ${heavyJob} complete`), "the heavy run was stopped, not finished");
  assert.ok((await numbers(page)).variance > 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the band of replicate runs appears, and agrees with the command line's p10, median and p90", async () => {
  const query = "generations=30&samples=50&seed=7";
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?${query}`);
  await page.waitForSelector("body[data-band=complete]", { timeout: 30000 });
  await page.$eval("#scrubber", (el) => {
    el.value = "30";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector("#generation-label").textContent.startsWith("30 "));
  const band = JSON.parse(await page.$eval('.number[data-metric="variance"] .band', (el) => el.dataset.band));
  const caption = await page.textContent('canvas[data-metric="variance"] + figcaption');
  const runs = Number(caption.match(/middle 80% of ([\d,]+) runs/)[1].replace(/,/g, ""));
  assert.ok(runs >= 100, `${runs} runs`);
  assert.match(caption, /One run is an anecdote; the band is what usually happens/);
  assert.match(caption, /the median run is [\d.e-]+, below it/, "the typical run collapses faster than the average");
  // The command line's summary of the same replicates (replicate 0 is the page's own run).
  const bin = process.env.COLLAPSE_BIN ?? `${process.env.CARGO_TARGET_DIR ?? `${ROOT}target`}/debug/collapse`;
  assert.ok(existsSync(bin), `the command line is built by cargo test first (${bin})`);
  const sets = query.split("&").flatMap((kv) => ["--set", kv]);
  const csv = execFileSync(bin, ["run", ...sets, "--runs", String(runs), "--format", "csv", "--quiet"], { encoding: "utf8" });
  const [header, ...rows] = csv.trim().split("\n").map((line) => line.split(","));
  const row = rows.find((r) => r[0] === "30");
  const cli = ["p10", "median", "p90"].map((s) => Number(row[header.indexOf(`variance.${s}`)]));
  assert.deepEqual(band, cli, "page and command line agree value for value");
  assert.ok(band[0] < band[1] && band[1] < band[2]);
  await page.screenshot({ path: `${RESULTS}/band.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("once the workers are idle, every view's defaults are rehearsed in a worker of its own, which any job ends", async () => {
  const { page, problems } = await openPage(shared.browser, shared.server.base, { watchWorkers: true });
  // A rehearsal starts once the run, its band and the human text are in; a new setting, while it
  // runs (the three views' defaults take a few hundred ms), ends it before its job is sent.
  await page.waitForFunction(() => workerEvents.some((e) => e.type === "rehearse"), null, { timeout: 20000 });
  await page.evaluate(() => {
    const seed = document.querySelector('input[data-param="seed"]');
    seed.value = "9";
    seed.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settled(page);
  // For each job sent, the rehearsals still running then; and whether a job went to one.
  const { jobs, toRehearsals } = await page.evaluate(() => {
    const rehearsals = new Set(workerEvents.filter((e) => e.type === "rehearse").map((e) => e.worker));
    const running = new Set();
    const jobs = [];
    for (const e of workerEvents) {
      if (e.event === "sent" && e.type === "rehearse") running.add(e.worker);
      if (e.event === "ended") running.delete(e.worker);
      if (e.event === "sent" && e.type === "run") jobs.push(running.size);
    }
    return { jobs, toRehearsals: workerEvents.filter((e) => rehearsals.has(e.worker) && e.type === "run").length };
  });
  assert.ok(jobs.length >= 2, `jobs sent: ${jobs.length}`);
  assert.deepEqual(jobs, jobs.map(() => 0), "no job was sent while a rehearsal ran");
  assert.equal(toRehearsals, 0, "no job went to a rehearsal");
  // After the new run, the rest is rehearsed: each view's defaults once.
  await page.waitForFunction(() => (document.body.dataset.rehearsed ?? "").split(" ").length >= 3, null, { timeout: 20000 });
  const rehearsed = (await page.getAttribute("body", "data-rehearsed")).split(" ").sort();
  assert.deepEqual(rehearsed, ["model=gaussian", "model=text", "model=tokens"]);
  await page.waitForFunction(() => {
    const rehearsals = new Set(workerEvents.filter((e) => e.type === "rehearse").map((e) => e.worker));
    return [...rehearsals].every((w) => workerEvents.some((e) => e.worker === w && e.event === "ended"));
  });
  assert.equal(await page.inputValue('input[data-param="seed"]'), "9", "the reader's setting stands");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a page fetches its module once, starts its first worker while it compiles, and reads the human text once before a first run of it", async () => {
  for (const url of [`${shared.server.base}?model=tokens`, `file://${ROOT}dist/model-collapse-explorer.html?model=text`]) {
    const { page, problems } = await openPage(shared.browser, url, { watchWorkers: true });
    const events = await page.evaluate(() => workerEvents);
    const compiled = events.findIndex((e) => e.event === "compiled");
    const created = events.findIndex((e) => e.event === "created");
    assert.ok(compiled > 0 && created >= 0 && created < compiled, `${url}: a worker was started before the module was compiled`);
    // The worker that read the bundled text (to check it) computes the first run: the text is
    // read once before it, not a second time by a new spare.
    const run = events.findIndex((e) => e.event === "sent" && e.type === "run");
    const readers = events.slice(0, run).filter((e) => e.type === "init" && e.corpus);
    assert.equal(readers.length, 1, `${url}: ${readers.length} workers read the text before the first run`);
    assert.equal(events[run].worker, readers[0].worker, `${url}: the first run went to the worker that read the text`);
    assert.ok(!events.some((e) => e.worker === readers[0].worker && e.event === "ended"), "that worker is still running");
    // The bundled book comes packed at build time: no worker of the page tokenises it.
    assert.equal(readers[0].corpus, "packed", `${url}: the book is read in its packed form`);
    if (url.startsWith("http")) {
      // The module is fetched once: the page's preload of it is what the page compiles.
      const fetched = await page.evaluate(() => performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/collapse_bg.wasm")).length);
      assert.equal(fetched, 1, "the preloaded module was used");
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test("a reader's own text is read once; every later worker takes its packed form and computes the same numbers", async () => {
  const { page, problems } = await openPage(shared.browser, `${shared.server.base}?model=text&generations=20`, { watchWorkers: true });
  const sentences = Array.from({ length: 60 }, (_, i) => `the ${["keeper", "gull", "boat", "tide", "cat"][i % 5]} ${["watched", "followed", "carried"][i % 3]} a ${["sail", "rock", "lantern", "basket"][(i * 7) % 4]} number ${["one", "two", "three", "four", "five", "six"][i % 6]}.`);
  await page.click(".own-text summary");
  await page.fill("#own-text", sentences.join(" "));
  await page.click("#use-text");
  await page.waitForFunction(() => /Retrained on your text/.test(document.querySelector("#status").textContent));
  const fromText = await numbers(page);
  // A seed change, and another back while its run computes: that worker is ended and the spare
  // (which took the packed form) computes the scenario the text's reader computed.
  // In the page, so that the second change comes within milliseconds of the first's run.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const seed = document.querySelector('input[data-param="seed"]');
        const set = (v) => {
          seed.value = v;
          seed.dispatchEvent(new Event("change", { bubbles: true }));
        };
        const runs = () => workerEvents.filter((e) => e.type === "run").length;
        const before = runs();
        set("4");
        const wait = () => (runs() > before ? resolve(set("1")) : setTimeout(wait, 0));
        wait();
      }),
  );
  assert.deepEqual(await numbers(page), fromText, "the same numbers from the packed form");
  const events = await page.evaluate(() => workerEvents);
  const textRead = events.findIndex((e) => e.type === "init" && e.corpus === "text");
  const later = events.slice(textRead + 1).filter((e) => e.type === "init" && e.corpus);
  assert.ok(textRead >= 0, "the reader's text was read from its bytes once");
  assert.ok(later.length >= 1 && later.every((e) => e.corpus === "packed"), `later workers: ${later.map((e) => e.corpus)}`);
  const last = events.filter((e) => e.type === "run").at(-1).worker;
  assert.ok(later.some((e) => e.worker === last), "the last run was computed from the packed form");
  assert.deepEqual(problems, []);
  await page.close();
});

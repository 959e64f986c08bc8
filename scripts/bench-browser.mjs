// The page as a reader meets it, in headless Chromium (a benchmark, not a test): for the
// defaults of each view and for hostile share links, the time to the first frame (from the job's
// start, and for a page opened at the defaults also from navigation start), the longest
// main-thread task, the time to the full result and to the band; for hostile links also how
// quickly the page answers a click while the simulation runs, and the rate at which it computes;
// the defaults of two views also in the single file opened from disk.
// Usage: node scripts/bench-browser.mjs  (after scripts/build-web.sh and scripts/build-single.sh)
import { gzipSync } from "node:zlib";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, ROOT, serve } from "../tests/e2e/harness.mjs";

// [name, query, seconds to wait for the full result before extrapolating]
const CASES = [
  ["bell curve, defaults", "", 60],
  ["word frequencies, defaults", "model=tokens", 60],
  ["text, defaults", "model=text", 60],
  ["bell curve: 500 generations, 8 models, spread 1, accumulate", "generations=500&model_count=8&model_spread=1&data=accumulate", 20],
  ["bell curve: 1,000,000 samples, 2,000 generations, 8 models", "samples=1000000&generations=2000&model_count=8", 10],
  ["word frequencies: 100,000 words, 1,000,000 samples, 2,000 generations", "model=tokens&vocab=100000&samples=1000000&generations=2000", 10],
  ["text: 1,000,000 samples, 2,000 generations, 8 models", "model=text&samples=1000000&generations=2000&model_count=8", 10],
];

// The same measures for the single file opened from disk (file://), the classroom's copy: its
// module and book arrive as base64 in the page itself and are decoded before the first job.
const SINGLE_FILE_CASES = [
  ["single file (file://): bell curve, defaults", "", 60],
  ["single file (file://): text, defaults", "model=text", 60],
];

// Tasks on the page's main thread, from Chromium's trace (the `longtask` observer would also
// count the evaluation of the test driver's own injected scripts, which are not the page's).
const TRACE = "devtools.timeline,disabled-by-default-devtools.timeline";

async function startTrace(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  await cdp.send("Tracing.start", { categories: TRACE, transferMode: "ReportEvents" });
  return async () => {
    const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.end");
    await done;
    await cdp.detach();
    return events;
  };
}

/**
 * The longest task on the renderer's main thread that is the page's own: its wall time and its
 * thread (CPU) time in ms. On a loaded machine the wall time includes the time the thread waited
 * for a core; the CPU time is what the page itself asked of it.
 */
function longestTask(events) {
  const mains = events.filter((e) => e.name === "thread_name" && e.args.name === "CrRendererMain");
  const tasksOf = (m) => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === "X");
  const thread = mains.map(tasksOf).sort((a, b) => b.length - a.length)[0] ?? [];
  const longest = { wall: 0, cpu: 0 };
  for (const task of thread) {
    if (task.name !== "RunTask") continue;
    const [wall, cpu] = [task.dur / 1000, (task.tdur ?? task.dur) / 1000];
    if (wall <= longest.wall && cpu <= longest.cpu) continue;
    // The driver's injected scripts: an EvaluateScript with no URL.
    const injected = thread
      .filter((e) => e.name === "EvaluateScript" && !e.args?.data?.url && e.ts >= task.ts && e.ts < task.ts + task.dur)
      .reduce((sum, e) => sum + e.dur, 0);
    if (injected > task.dur / 2) continue;
    longest.wall = Math.max(longest.wall, wall);
    longest.cpu = Math.max(longest.cpu, cpu);
  }
  return { wall: Math.round(longest.wall), cpu: Math.round(longest.cpu) };
}

const markTime = (page, job, name) =>
  page.evaluate(([j, n]) => performance.getEntriesByName(`job ${j} ${n}`)[0]?.startTime ?? null, [job, name]);

async function waitMark(page, job, name, seconds) {
  try {
    await page.waitForFunction(([j, n]) => performance.getEntriesByName(`job ${j} ${n}`).length > 0, [job, name], {
      timeout: seconds * 1000,
    });
    return markTime(page, job, name);
  } catch {
    return null;
  }
}

// How long the page takes to answer a click on "Step +1" (the generation label changes).
async function clickLatency(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const label = document.querySelector("#generation-label");
        const before = label.textContent;
        const t0 = performance.now();
        document.querySelector("#step").click();
        const check = () => (label.textContent !== before ? resolve(performance.now() - t0) : requestAnimationFrame(check));
        check();
        setTimeout(() => resolve(null), 5000);
      }),
  );
}

const round = (x) => (x === null ? null : Math.round(x));

async function measure(browser, base, [name, query, patience]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const stopTrace = await startTrace(page);
  await page.goto(`${base}?${query}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  const result = { case: name };
  if (await page.isVisible("#cost")) {
    result.warned = (await page.textContent("#cost-text")).match(/about ([^)]*?) to simulate/)?.[1];
    await page.click("#cost-go");
  }
  // The job just started: the page marks "job N start" when it hands a job to the worker.
  const id = await page.evaluate(() => Number(performance.getEntriesByType("mark").filter((m) => m.name.endsWith(" start")).pop()?.name.split(" ")[1]));
  const start = await markTime(page, id, "start");
  const first = await waitMark(page, id, "first frame", 60);
  result.first_frame_ms = first === null ? null : round(first - start);
  // What a reader waits for when the page opens (marks count from navigation start): the
  // module's fetch and compilation, the page's start and, for the word and text views, the human
  // text's reading, which all come before the job starts. Not for a warned link (it waits for a click).
  if (first !== null && !result.warned) result.first_frame_from_navigation_ms = round(first);
  const complete = await waitMark(page, id, "complete", patience);
  if (complete !== null) {
    result.full_result_ms = round(complete - start);
    const band = await waitMark(page, id, "band", 60);
    result.band_ms = band === null ? "not computed (offered)" : round(band - start);
  } else {
    // Still computing: the page must answer meanwhile; extrapolate the full result.
    result.click_while_computing_ms = round(await clickLatency(page));
    const [computed, generations, elapsed] = await page.evaluate(
      ([s]) => [Number(document.querySelector("#work-progress").value), Number(document.querySelector("#work-progress").max), (performance.now() - s) / 1000],
      [start],
    );
    result.computed = `${computed} of ${generations} generations in ${elapsed.toFixed(0)} s`;
    result.full_result_estimate_s = computed > 0 ? round((elapsed / computed) * generations) : null;
    await page.evaluate(() => document.querySelector("#work-stop").click());
  }
  const longest = longestTask(await stopTrace());
  result.longest_task_ms = longest.wall;
  result.longest_task_cpu_ms = longest.cpu;
  await page.close();
  return result;
}

/**
 * What this machine's Chromium spends before any script: the longest main-thread task of a page
 * load for the page's own HTML and stylesheet with its scripts taken out, and for a page of two
 * lines of text (median and range of five loads each). The page's load cannot be shorter than the
 * first, which on two cores is mostly the thread waiting for a core beside Chromium's processes.
 */
async function scriptlessFloor(browser) {
  const dir = mkdtempSync(join(tmpdir(), "floor-"));
  try {
    cpSync(`${ROOT}www`, join(dir, "page"), { recursive: true, filter: (src) => !src.includes("/www/pkg") && !src.includes("/www/data") });
    const html = readFileSync(join(dir, "page", "index.html"), "utf8").replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
    writeFileSync(join(dir, "page", "index.html"), html);
    mkdirSync(join(dir, "blank"));
    writeFileSync(join(dir, "blank", "index.html"), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><h1>A heading</h1><p>A line of text.</p></body></html>');
    const entries = [];
    for (const [name, sub] of [["the page's HTML and CSS, no script", "page"], ["a page of two lines of text", "blank"]]) {
      const server = await serve(join(dir, sub));
      const tasks = [];
      for (let i = 0; i < 5; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
        const stopTrace = await startTrace(page);
        await page.goto(server.base);
        await page.waitForTimeout(1500);
        tasks.push(longestTask(await stopTrace()));
        await page.close();
      }
      server.stop();
      const spread = (key) => {
        const xs = tasks.map((t) => t[key]).sort((a, b) => a - b);
        return `${xs[2]} (${xs[0]}–${xs[4]})`;
      };
      entries.push({ case: `page load floor: ${name}`, longest_task_ms: spread("wall"), longest_task_cpu_ms: spread("cpu") });
    }
    return entries;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const server = await serve();
const browser = await launch();
try {
  const results = [];
  // A first page load in a fresh browser is slower than any later one: warm it on the floor.
  for (const entry of await scriptlessFloor(browser)) {
    console.error(JSON.stringify(entry));
    results.push(entry);
  }
  for (const c of CASES) {
    const r = await measure(browser, server.base, c);
    console.error(JSON.stringify(r));
    results.push(r);
  }
  const single = pathToFileURL(`${ROOT}dist/model-collapse-explorer.html`).href;
  for (const c of SINGLE_FILE_CASES) {
    const r = await measure(browser, single, c);
    console.error(JSON.stringify(r));
    results.push(r);
  }
  // A new scenario at the defaults: the first switch to each view (after the page has loaded the
  // human text in the background and rehearsed every view's defaults, as it does in the first
  // seconds a reader spends on the first view), then ten seed changes in each view: the time
  // from the input to the new run's first frame, and the longest task meanwhile.
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(server.base);
  await page.waitForSelector("body[data-run=complete]", { timeout: 60000 });
  await page.waitForSelector("body[data-charts=drawn]");
  await page.waitForFunction(() => /words/.test(document.querySelector("#corpus-summary").textContent), null, { timeout: 60000 });
  await page.waitForFunction(() => (document.body.dataset.rehearsed ?? "").split(" ").length >= 3, null, { timeout: 60000 });
  const firstFrame = (act) =>
    page.evaluate(
      (action) =>
        new Promise((resolve) => {
          const job = Number(document.body.dataset.job);
          const t0 = performance.now();
          if (action.tab) document.querySelector(`[role=tab][data-view="${action.tab}"]`).click();
          else {
            const input = document.querySelector('input[data-param="seed"]');
            input.value = String(action.seed);
            input.dispatchEvent(new Event("change", { bubbles: true }));
          }
          const check = () => {
            const m = performance.getEntriesByName(`job ${job + 1} first frame`)[0];
            if (m) resolve(m.startTime - t0);
            else requestAnimationFrame(check);
          };
          check();
        }),
      act,
    );
  const settle = async () => {
    await page.waitForSelector("body[data-run=complete]", { timeout: 60000 });
    await page.waitForSelector("body[data-charts=drawn]");
  };
  for (const view of ["gaussian", "tokens", "text"]) {
    const stopTrace = await startTrace(page);
    const entry = { case: `${view}: the first switch to it, then a seed change (median of 10)` };
    if (view !== "gaussian") {
      entry.switch_first_frame_ms = round(await firstFrame({ tab: view }));
      await settle();
    }
    const moves = [];
    for (let seed = 2; seed < 12; seed++) {
      moves.push(await firstFrame({ seed }));
      await settle();
    }
    moves.sort((a, b) => a - b);
    entry.first_frame_ms = round(moves[5]);
    const longest = longestTask(await stopTrace());
    entry.longest_task_ms = longest.wall;
    entry.longest_task_cpu_ms = longest.cpu;
    console.error(JSON.stringify(entry));
    results.push(entry);
  }
  await page.close();
  const size = (path) => {
    const bytes = readFileSync(`${ROOT}${path}`);
    return `${(bytes.length / 1024).toFixed(0)} KiB (${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzipped)`;
  };
  results.push({ wasm: size("www/pkg/collapse_bg.wasm"), single_file: size("dist/model-collapse-explorer.html") });
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  server.stop();
}

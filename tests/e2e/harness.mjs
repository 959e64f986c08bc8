// Shared set-up of the end-to-end tests: a static server for www/ on a free loopback port, and
// Debian's Chromium driven by playwright-core. Screenshots go to test-results/ to be looked at.

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const RESULTS = `${ROOT}test-results`;
mkdirSync(RESULTS, { recursive: true });

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Registers the suite's set-up: one static server for www/ and one Chromium, shared by the
 * file's tests. Returns an object whose `server` and `browser` are set before the first test.
 */
export function useBrowser() {
  const shared = {};
  before(async () => {
    shared.server = await serve();
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    shared.server?.stop();
  });
  return shared;
}

/** Serves `dir` on 127.0.0.1; resolves once it answers. */
export async function serve(dir = `${ROOT}www`) {
  const port = await freePort();
  const child = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir], {
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return { base, stop: () => child.kill() };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error("the static server did not start");
}

export async function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/**
 * Run in the page before its scripts (`openPage`'s `watchWorkers`): keeps every worker the page
 * starts in `pageWorkers` (each with the role its init message gave it) and logs, in order, its
 * start, what each was sent, what the page received from it and its end, in `workerEvents`:
 * {worker: index, event: "created" | "sent" | "received" | "ended", type, role, corpus} (corpus,
 * for an init message: "text" if it carried a human text, "packed" if that text's packed form,
 * null if neither); and {event: "compiled"} when the page's WebAssembly module is compiled.
 */
function watchWorkers() {
  const Native = globalThis.Worker;
  globalThis.pageWorkers = [];
  globalThis.workerEvents = [];
  const compile = WebAssembly.compile;
  WebAssembly.compile = (...args) =>
    compile(...args).then((module) => {
      globalThis.workerEvents.push({ event: "compiled" });
      return module;
    });
  globalThis.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.index = globalThis.pageWorkers.push(this) - 1;
      this.log("created");
      this.addEventListener("message", (e) => this.log("received", e.data?.type));
    }
    log(event, type, corpus) {
      globalThis.workerEvents.push({ worker: this.index, event, type, role: this.role, corpus });
    }
    postMessage(message, transfer) {
      if (message?.type === "init") this.role = message.role;
      const corpus = message?.packed ? "packed" : message?.corpus ? "text" : null;
      this.log("sent", message?.type, message?.type === "init" ? corpus : undefined);
      return super.postMessage(message, transfer);
    }
    terminate() {
      this.log("ended");
      return super.terminate();
    }
  };
}

/**
 * A new page that records console errors, page errors and every request that leaves the
 * page's own origin (the page must make none); with `settle`, once its first run is complete;
 * with `watchWorkers`, its workers are logged (see `watchWorkers`); `before`, a function run in
 * the page before its own scripts (to take a browser feature away, say).
 */
export async function openPage(browser, url, { width = 1280, height = 1000, settle = true, watchWorkers: watch = false, before = null } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  if (watch) await page.addInitScript(watchWorkers);
  if (before) await page.addInitScript(before);
  const problems = [];
  const foreign = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const origin = url.startsWith("file:") ? "file:" : new URL(url).origin;
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:")) foreign.push(u);
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  if (settle) await settled(page);
  return { page, problems, foreign };
}

/**
 * Waits until the page shows the complete run (with its control) of its latest settings: the
 * simulation runs in a worker, so a change takes effect a moment after the control moved.
 */
export async function settled(page, timeout = 20000) {
  // Two frames: a control change waiting for the next animation frame has been applied.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.body.dataset.run === "complete" && document.body.dataset.charts === "drawn", null, {
    timeout,
  });
}

/** Sets a range input's value and fires `input`, as a user's drag does. */
export async function slide(page, param, value) {
  await page.$eval(
    `input[data-param="${param}"]`,
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    value,
  );
}

/**
 * Moves the generation scrubber, and waits until the page has drawn that generation (the main
 * view comes from the painter worker a moment later).
 */
export async function scrub(page, generation) {
  await page.$eval(
    "#scrubber",
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    generation,
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.body.dataset.charts === "drawn", null, { timeout: 20000 });
}

/** The numbers panel as {metric: number}, once the latest settings' run is complete. */
export async function numbers(page) {
  await settled(page);
  return page.$$eval(".number", (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.dataset.metric, Number(r.querySelector(".value").textContent.replace(/,/g, ""))]),
    ),
  );
}

/** A digest of a canvas's pixels, to tell whether a chart changed. */
export async function canvasDigest(page, selector) {
  return page.$eval(selector, (c) => {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 7) h = Math.imul(h ^ data[i], 16777619);
    return `${c.width}x${c.height}:${h >>> 0}`;
  });
}

/**
 * How many pixels of a canvas are drawn and far from white (a blank chart has none; neither has
 * a cleared, transparent canvas).
 */
export async function inkedPixels(page, selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && d[i] + d[i + 1] + d[i + 2] < 600) n++;
    return n;
  });
}

/** Waits until the page's status line shows `pattern`. */
export async function statusMatches(page, pattern) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector("#status").textContent), pattern.source, { timeout: 8000 });
  return page.textContent("#status");
}

// The page's simulation workers, seen from the main thread. Every scenario is a job, numbered
// by the explorer (Rust); one worker computes it and streams it back (www/sim-worker.js), and a
// spare worker waits, ready, with the module instantiated and the human text loaded. A newer job
// ends a busy worker at once and goes to the spare (no queue of stale work); an idle worker
// simply takes the next job, unless a human text arrived since it started (`stale`). Analyses
// run in workers of their own.
//
// Once the workers are idle, every view's defaults are run once in a worker of its own (the
// rehearsal), so that the first switch to a view finds its code compiled and optimised.
//
// A big main view is drawn by the painter, a worker of its own (src/web/painter.rs), started in
// the background once the page's first run is complete (or by a first run of big views): the
// page hands it the messages of runs of big views after reading their numbers, and asks it for
// a generation's picture (an ImageBitmap), its details or its SVG. The page keeps and draws small
// views itself.
//
// The module is compiled once on the main thread and handed to every worker. Served, a worker
// runs www/sim-worker.js; in the single offline file (and its sandboxed iframe, which has no
// origin to load from) the same script, inlined with the glue, runs from a Blob. The first
// worker is started while the module compiles (`startEarly`), and the worker that read a human
// text (`checkCorpus`) stays on as the spare once that text is shared: each would otherwise cost
// a worker's start, and the second a second reading of the text, before a first frame.

import { state } from "./state.js";

let compiledModule = null;
let blobUrl = null;
let active = null; // {worker, busy, job, stale}
let spare = null;
let lastQuery = null; // the latest job's scenario, which a new spare prepares while it waits
let spareWanted = false; // a spare is started once the active job's first results are in
const analysisWorkers = {}; // kind -> worker
let handlers = {};
let painter = null; // {worker, replies: id -> {resolve, reject}}
let nextRequest = 1;
let look = "light"; // the charts' look, which the painter is told too
let rehearsal = null; // the worker running every view's defaults once (see `rehearse`)
let unrehearsed = null; // the queries it has still to run (null: not asked yet)
let rehearsalTimer = 0;
let early = null; // a worker started before the module was compiled, waiting for its init
let checked = null; // {worker, text}: the worker that read a text last, kept for shareCorpus

function makeWorker() {
  if (typeof globalThis.COLLAPSE_WORKER_SOURCE === "string") {
    blobUrl ??= URL.createObjectURL(new Blob([globalThis.COLLAPSE_WORKER_SOURCE], { type: "text/javascript" }));
    return new Worker(blobUrl); // a classic worker: a module one cannot start from a Blob with no origin
  }
  return new Worker(new URL("sim-worker.js", import.meta.url), { type: "module" });
}

// A worker given the module and a human text (by default the one loaded now, state.corpus:
// {bytes} of a reader's text, whose bytes `checkCorpus` replaces by the packed form its worker sends
// back, or {packed}, the bundled book packed at build time; the packed form is read about ten
// times faster than the text), asked to send back the packed form if `pack`; `role` "paint"
// makes it the painter, "rehearse" a simulation worker for the rehearsal. A simulation worker
// that stops (out of memory, a bug) is reported as the simulation's error; the painter reports
// its own (startPainter) and the rehearsal none.
function spawn(onMessage, text = state.corpus, role = "simulate", pack = false) {
  const worker = early ?? makeWorker();
  early = null;
  worker.onmessage = (e) => onMessage(e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    if (role === "simulate") handlers.onError?.(0, e.message || "the simulation worker stopped");
  };
  const packed = text?.packed ?? null;
  const corpus = packed ? null : (text?.bytes ?? null);
  worker.postMessage({ type: "init", module: compiledModule, corpus, packed, pack, role, look });
  return worker;
}

// A worker for jobs. It prepares the latest scenario while it waits: the next job is most often
// the same view with other settings, whose human fit (for text, about 45 ms) it then already has.
// `worker`: one already started with the module and the human text (see `checkCorpus`).
function spawnRunner(worker = null) {
  const runner = { worker, busy: false, job: 0, batches: 0 };
  const onMessage = (m) => {
    if (m.type === "ready") return;
    if (m.job !== runner.job) return;
    if (m.type === "done" || m.type === "error") runner.busy = false;
    // Starting a spare (the module, the human text, its human fit: about 200 ms of a core)
    // while a job starts would slow its first frame on a 2-core machine: it waits for the job's
    // second batch (the first two hold the run's start and generation 0) or its end.
    if (m.type === "data") runner.batches++;
    if (spareWanted && (runner.batches >= 2 || m.type === "done" || m.type === "error")) {
      spareWanted = false;
      spare = spawnRunner();
    }
    if (m.type === "data") handlers.onData(m.job, m.chunks);
    else if (m.type === "phase") handlers.onPhase(m.job, m);
    else if (m.type === "done") handlers.onDone(m.job);
    else if (m.type === "error") handlers.onError(m.job, m.message);
  };
  if (worker) worker.onmessage = (e) => onMessage(e.data);
  else runner.worker = spawn(onMessage);
  if (lastQuery !== null) runner.worker.postMessage({ type: "warm", query: lastQuery });
  return runner;
}

/**
 * Starts the first worker before the module is compiled (its script loads meanwhile, about
 * 100 ms on two cores); `startWorkers` hands it the module.
 */
export function startEarly() {
  early ??= makeWorker();
}

/** Sets up the workers with the compiled module; `on` holds onData, onPhase, onDone, onError. */
export function startWorkers(module, on) {
  compiledModule = module;
  handlers = on;
  spare = spawnRunner();
}

function startPainter() {
  const replies = new Map();
  const worker = spawn(
    (m) => {
      if (m.type === "ready") return;
      const reply = replies.get(m.id);
      replies.delete(m.id);
      if (!reply) return;
      if (m.type === "error") reply.reject(new Error(m.message));
      else reply.resolve(m);
    },
    null,
    "paint",
  );
  // A painter that stopped (out of memory, a bug) fails what it was asked and is started afresh
  // for the next job.
  worker.addEventListener("error", () => {
    for (const reply of replies.values()) reply.reject(new Error("the worker that draws this view stopped (out of memory?); change a setting to draw it again"));
    replies.clear();
    painter = null;
  });
  painter = { worker, replies };
}

function askPainter(message) {
  if (!painter) return Promise.reject(new Error("the worker that draws this view stopped; change a setting to draw it again"));
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    painter.replies.set(id, { resolve, reject });
    painter.worker.postMessage({ ...message, id });
  });
}

/** Starts the painter if it is not running (the page calls it once its first run is in). */
export function warmPainter() {
  if (!painter) startPainter();
}

/** Draws every chart of the painter from now on in `name` (light, dark, projector). */
export function paintLook(name) {
  look = name;
  painter?.worker.postMessage({ type: "theme", look });
}

/**
 * Hands the painter job `job`'s messages (the page has read them; their buffers move); `query`
 * (the job's scenario) when they begin its run. The painter starts with the first run of big
 * views a page shows.
 */
export function paintData(job, chunks, query = null) {
  if (!painter) startPainter();
  if (query !== null) painter.worker.postMessage({ type: "begin", job, query });
  painter.worker.postMessage({ type: "data", job, chunks }, chunks.map((c) => c.buffer));
}

/** The page shows a run of small views (it draws them itself): the painter drops what it holds. */
export function paintClear() {
  painter?.worker.postMessage({ type: "clear" });
}

/**
 * Generation `generation` of job `job`'s main view drawn on `width` × `height` pixels at
 * `scale` (width 0: no picture), with the details of each of `details` (generations):
 * resolves with {bitmap, details}.
 */
export function paintView(job, generation, width, height, scale, details = []) {
  return askPainter({ type: "paint", job, generation, width, height, scale, details });
}

/** Generation `generation` of job `job`'s main view as an SVG document: resolves with its text. */
export async function paintSvg(job, generation, width, height) {
  return (await askPainter({ type: "svg", job, generation, width, height })).svg;
}

/**
 * Runs each of `queries` (every view's defaults) once in a worker of its own and drops the
 * results, a second after the workers fall idle. The browser compiles WebAssembly lazily and
 * optimises what runs often, for all the page's workers at once (they share the compiled
 * module), so a view's first run in a page is otherwise the slowest: the text view's took about
 * 73 ms to generation 0 in the worker, and 14–41 ms after a rehearsal. A job or an analysis
 * ends the rehearsal at once (it must not take their core); a later call goes on with the
 * queries not yet run. `data-rehearsed` lists the ones run (the end-to-end tests read it).
 */
export function rehearse(queries) {
  unrehearsed ??= [...queries];
  clearTimeout(rehearsalTimer);
  rehearsalTimer = setTimeout(startRehearsal, 1000);
}

function startRehearsal() {
  if (rehearsal || !unrehearsed.length || !state.corpus) return;
  if (active?.busy || Object.keys(analysisWorkers).length > 0) {
    rehearsalTimer = setTimeout(startRehearsal, 1000);
    return;
  }
  rehearsal = spawn((m) => {
    if (m.type === "rehearsed") {
      unrehearsed = unrehearsed.filter((q) => q !== m.query);
      document.body.dataset.rehearsed = [document.body.dataset.rehearsed, m.query].filter(Boolean).join(" ");
    }
    if (m.type === "done" || m.type === "error") endRehearsal();
  }, undefined, "rehearse");
  rehearsal.addEventListener("error", endRehearsal); // it stopped (out of memory): not the reader's concern
  rehearsal.postMessage({ type: "rehearse", queries: unrehearsed });
}

function endRehearsal() {
  clearTimeout(rehearsalTimer);
  rehearsal?.terminate();
  rehearsal = null;
}

/** Computes job `job` (the scenario of `query`), with a band of `band` replicates (0: none). */
export function runJob(job, query, band) {
  endRehearsal();
  lastQuery = query;
  if (active?.busy || active?.stale) {
    active.worker.terminate();
    active = null;
  }
  if (!active) {
    active = spare ?? spawnRunner();
    spare = null;
    spareWanted = true;
  }
  active.busy = true;
  active.job = job;
  active.batches = 0;
  active.worker.postMessage({ type: "run", job, query, band });
}

/** Computes the band of the job just computed (it was left out as too long). */
export function runBand(job, band) {
  if (!active || active.job !== job) return false;
  active.busy = true;
  active.worker.postMessage({ type: "band", job, band });
  return true;
}

/** Stops whatever the workers compute (the reader pressed Stop). */
export function stopJob() {
  if (active?.busy) {
    active.worker.terminate();
    active = null;
  }
}

/**
 * Hands the human text just loaded (state.corpus) to the workers: the spare is the worker that
 * read it (`checkCorpus`), or starts afresh with it; the active worker, which has the one before,
 * keeps its job (a band asked for later is of the text its run used) and is ended when the next
 * job comes.
 */
export function shareCorpus() {
  spare?.worker.terminate();
  const reader = checked && checked.text === state.corpus ? checked.worker : null;
  forgetChecked(reader);
  spare = spawnRunner(reader);
  if (active) active.stale = true;
}

/** Ends the worker that read a text last (unless it is `keep`): that text will not be used. */
export function forgetChecked(keep = null) {
  if (checked && checked.worker !== keep) checked.worker.terminate();
  checked = null;
}

/**
 * Reads a human text (`text`: {bytes} or {packed}, see `spawn`) in a worker of its own:
 * resolves with its one-line summary, having replaced a text's bytes by their packed form, or
 * rejects with the reason it cannot be used (the text the workers have stays). A worker that
 * read its text is kept: `shareCorpus` makes it the spare when that text is shared.
 */
export function checkCorpus(text) {
  return new Promise((resolve, reject) => {
    const worker = spawn((m) => {
      if (m.type === "ready") {
        forgetChecked();
        if (m.packed) {
          text.packed = m.packed;
          delete text.bytes; // every worker from now on takes the packed form
        }
        checked = { worker, text };
        resolve(m.summary);
      } else {
        worker.terminate();
        reject(new Error(m.message));
      }
    }, text, "simulate", !text.packed);
  });
}

/**
 * Runs analysis `kind` of job `job` in its own worker; `onChart(chart bytes, progress,
 * summary)` follows it cell by cell, `onFail(message)` if it fails.
 */
export function runAnalysis(job, query, kind, onChart, onFail) {
  endRehearsal();
  cancelAnalysis(kind);
  const worker = spawn((m) => {
    if (m.type === "analysis" && m.job === job) onChart(m.chart, m.progress, m.summary);
    else if (m.type === "error") onFail(m.message);
    if (m.type === "done" || m.type === "error") cancelAnalysis(kind);
  });
  analysisWorkers[kind] = worker;
  worker.postMessage({ type: "analysis", job, query, kind });
}

export function cancelAnalysis(kind) {
  analysisWorkers[kind]?.terminate();
  delete analysisWorkers[kind];
}

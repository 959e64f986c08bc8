// The page's simulation worker: a second instance of the WebAssembly module that builds each
// scenario and computes what the page shows, off the page's main thread. It streams the
// reader's run generation by generation, then the control run, then the band of replicate runs,
// as messages of bytes the page's own instance decodes (src/stream.rs). Between band replicates
// and analysis cells it yields, so a newer job stops an older one there; a single long call
// (a huge generation) is ended by the page ending this worker.
//
// The painter (role "paint") is the same script: see `paint` below for its messages.
//
// Messages in: {type: "init", module, corpus, packed, pack, role, look} (a compiled
// WebAssembly.Module; the human text's bytes, or its packed form as another worker sent it, or
// neither; whether to send the packed form back; "simulate", "rehearse" or "paint"; the charts'
// look);
// {type: "warm", query} (a spare prepares the text view's defaults and the latest scenario
// while it waits, so that its first job does not refit the human text: the fit is kept between
// jobs of one text);
// {type: "run", job, query, band} (band: replicates to compute, 0 for none);
// {type: "band", job, band}; {type: "analysis", job, query, kind}; {type: "rehearse", queries}
// (run each once and drop the results: simulation.js, `rehearse`).
// Messages out: {type: "ready", summary, packed}; {type: "rehearsed", query}; {type: "data", job,
// chunks}; {type: "phase", job, phase, done, total}; {type: "done", job}; {type: "analysis",
// job, kind, chart, progress, summary}; {type: "error", job, message}.

import { initSync, Explorer, Painter, Simulator } from "./pkg/collapse.js";

let simulator = null;
let painter = null; // the painter's role (src/web/painter.rs): it draws the page's big views
let failure = null; // why a message the painter was handed could not be taken
let current = 0; // the latest job: an older one stops at its next yield

// Lets queued messages (a newer job) run, without a timer's clamped delay.
function yieldNow() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });
}

const errorText = (e) => (typeof e === "string" ? e : e && e.message ? e.message : String(e));

// Posts the run's messages in batches: generation 0 at once, then about every 30 ms, and at most
// about 256 KB at a time (the page decodes a batch in one task; big views make big batches).
function batcher(job) {
  let chunks = [];
  let bytes = 0;
  let last = 0;
  let count = 0;
  const flush = () => {
    if (chunks.length === 0) return;
    postMessage({ type: "data", job, chunks }, chunks.map((c) => c.buffer));
    chunks = [];
    bytes = 0;
    last = performance.now();
  };
  const add = (chunk) => {
    chunks.push(chunk);
    bytes += chunk.length;
    count++;
    if (count <= 2 || bytes > 262144 || performance.now() - last > 30) flush();
  };
  return { add, flush };
}

async function band(job, replicates) {
  if (replicates <= 0) return;
  simulator.band_start(replicates);
  let last = performance.now();
  for (let done = 1; ; done++) {
    postMessage({ type: "phase", job, phase: "band", done, total: replicates });
    await yieldNow();
    if (job !== current) return;
    const complete = simulator.band_step();
    if (complete || performance.now() - last > 250) {
      const bytes = simulator.band();
      postMessage({ type: "data", job, chunks: [bytes] }, [bytes.buffer]);
      last = performance.now();
    }
    if (complete) return;
  }
}

async function run({ job, query, band: replicates }) {
  postMessage({ type: "phase", job, phase: "prepare" });
  simulator.prepare(query);
  postMessage({ type: "phase", job, phase: "run" });
  const out = batcher(job);
  simulator.run(out.add);
  out.flush();
  postMessage({ type: "phase", job, phase: "control" });
  const control = simulator.control();
  postMessage({ type: "data", job, chunks: [control] }, [control.buffer]);
  await band(job, replicates);
}

async function analysis({ job, query, kind }) {
  simulator.prepare(query);
  const plan = JSON.parse(simulator.analysis_start(kind));
  let progress = { ...plan, completed: 0, done: plan.total === 0 };
  const send = () => {
    const chart = simulator.analysis_chart(kind);
    const summary = progress.done ? simulator.analysis_summary(kind) : null;
    postMessage({ type: "analysis", job, kind, chart, progress, summary }, [chart.buffer]);
  };
  send();
  while (!progress.done) {
    await yieldNow();
    if (job !== current) return;
    progress = { ...plan, ...JSON.parse(simulator.analysis_step(kind)) };
    send();
  }
}

// The painter's messages: a job begins, its messages, and requests for pictures, answered in
// order with the request's id.
function paint(message) {
  const { id, job, generation } = message;
  try {
    if (message.type === "theme") Explorer.set_theme(message.look);
    else if (message.type === "begin") painter.begin(job, message.query);
    else if (message.type === "clear") painter.clear();
    else if (message.type === "data") for (const bytes of message.chunks) painter.receive(job, bytes);
    else if (failure) {
      const why = failure;
      failure = null;
      throw new Error(why);
    } else if (message.type === "paint") {
      const bitmap = message.width > 0 ? painter.paint(job, generation, message.width, message.height, message.scale) : null;
      const details = message.details.map((g) => JSON.parse(painter.details_json(job, g)));
      postMessage({ type: "painted", id, bitmap, details }, bitmap ? [bitmap] : []);
    } else if (message.type === "svg") {
      postMessage({ type: "svg", id, svg: painter.svg_view(job, generation, message.width, message.height) });
    }
  } catch (e) {
    // A request hears why it failed; a message that failed to be taken fails the next request.
    if (id !== undefined) postMessage({ type: "error", id, message: errorText(e) });
    else failure = errorText(e);
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  if (painter) return paint(message);
  try {
    if (message.type === "init") {
      initSync({ module: message.module });
      if (message.role === "paint") {
        painter = new Painter();
        Explorer.set_theme(message.look);
        postMessage({ type: "ready", summary: null });
        return;
      }
      simulator = new Simulator();
      let summary = null;
      if (message.packed) summary = simulator.set_packed_corpus(message.packed);
      else if (message.corpus) summary = simulator.set_corpus(message.corpus);
      const packed = message.pack && summary !== null ? simulator.packed_corpus() : null;
      postMessage({ type: "ready", summary, packed }, packed ? [packed.buffer] : []);
      return;
    }
    if (message.type === "warm") {
      // The text view's defaults first (its fit of the book is kept till another text's), then
      // the latest scenario: a first switch to the text view does not refit the book either.
      for (const query of ["model=text", message.query]) {
        try {
          simulator.prepare(query);
        } catch {
          // No human text yet; a bad scenario is reported by the job that follows.
        }
      }
      return;
    }
    if (message.type === "rehearse") {
      // Each view's defaults, run once and dropped: their code is then compiled and optimised
      // for the page's later runs (simulation.js, `rehearse`).
      for (const query of message.queries) {
        try {
          simulator.prepare(query);
          simulator.run(() => {});
        } catch {
          // A view that cannot run (no human text) is rehearsed as far as it gets; its job will
          // say why.
        }
        postMessage({ type: "rehearsed", query });
      }
      postMessage({ type: "done", job: 0 });
      return;
    }
    current = message.job;
    if (message.type === "run") await run(message);
    else if (message.type === "band") await band(message.job, message.band);
    else if (message.type === "analysis") await analysis(message);
    if (message.job === current) postMessage({ type: "done", job: message.job });
  } catch (e) {
    postMessage({ type: "error", job: message.job ?? 0, message: errorText(e) });
  }
};

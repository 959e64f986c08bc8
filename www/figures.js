// Drawing: the main view (a chart drawn by Rust, here or for big views by the painter worker, or
// text passages), one chart per metric, the numbers and the family's details. What each metric
// means, its axis and every caption come from Rust (the family's description); this module only
// places them.

import { $, $$, state, familyOf, formatNumber, grouped } from "./state.js";
import { paintView } from "./simulation.js";

// Each canvas's size on the page, kept by a ResizeObserver: reading it from the layout before
// every drawing would make the browser lay out the page again after each change of the numbers.
// A canvas whose size changed after it was drawn is drawn again (through `onResize`).
const sizes = new WeakMap();
let onResize = () => {};
const resized = new ResizeObserver((entries) => {
  let changed = false;
  for (const e of entries) {
    const old = sizes.get(e.target);
    const size = [e.contentRect.width, e.contentRect.height];
    changed ||= !old || old[0] !== size[0] || old[1] !== size[1];
    sizes.set(e.target, size);
  }
  if (changed) onResize();
});

/** `redraw` is called when a chart's canvas changes size. */
export function redrawOnResize(redraw) {
  onResize = redraw;
}

// A canvas's size in device pixels and the device-pixel ratio: [width, height, scale].
function deviceSize(canvas) {
  const scale = window.devicePixelRatio || 1;
  let size = sizes.get(canvas);
  if (!size) {
    size = [canvas.clientWidth, canvas.clientHeight];
    sizes.set(canvas, size);
    resized.observe(canvas);
  }
  return [Math.max(1, Math.round(size[0] * scale)), Math.max(1, Math.round(size[1] * scale)), scale];
}

// One canvas pixel per device pixel; returns the device-pixel ratio the charts scale by.
export function fitCanvas(canvas) {
  const [width, height, scale] = deviceSize(canvas);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return scale;
}

function figure(canvasData, title) {
  const figure = document.createElement("figure");
  figure.className = "metric";
  const canvas = document.createElement("canvas");
  Object.assign(canvas.dataset, canvasData);
  canvas.setAttribute("aria-label", title);
  const buttons = ["PNG", "SVG"].map((format) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "save";
    button.dataset[format.toLowerCase()] = "";
    button.textContent = `Save as ${format}`;
    button.setAttribute("aria-label", `Save as ${format}: the chart “${title}”`);
    return button;
  });
  figure.append(canvas, document.createElement("figcaption"), ...buttons);
  return figure;
}

// One figure per metric of the current run, and the family's "confidently wrong" chart when it
// has one, rebuilt when the metrics change. Every caption, naming each line of its chart, is
// the simulation's own (Rust).
export function buildMetricFigures() {
  const metrics = state.metrics;
  const confidence = state.confidence;
  const box = $("#metrics");
  const names = metrics.map((m) => m.key).join() + (confidence ? ",confidence" : "");
  if (box.dataset.names !== names) {
    box.dataset.names = names;
    const figures = metrics.map((m) => figure({ metric: m.key }, m.title));
    if (confidence) figures.splice(0, 0, figure({ confidence: "true" }, confidence.title));
    box.replaceChildren(...figures);
  }
  for (const caption of $$("#metrics figcaption")) {
    const canvas = caption.previousElementSibling;
    caption.textContent = canvas.dataset.confidence
      ? confidence.caption
      : metrics.find((m) => m.key === canvas.dataset.metric).caption;
  }
}

// Main-thread work waiting its turn, done a few items per task (about 12 ms of work each) so
// that however many charts, lines and tables there are, no single task holds up the page: the
// metric charts to draw (a newer frame replaces them), then other deferred work (`later`: the
// charts' descriptions and tables, the analyses' placeholders), in order. The end-to-end tests
// wait for body[data-charts=drawn]: everything queued is done.
let chartQueue = [];
let laterQueue = [];
let chartTask = null;
let chartError = () => {};

function drainCharts() {
  const start = performance.now();
  try {
    while (performance.now() - start < 12) {
      if (chartQueue.length > 0) {
        const [canvas, t] = chartQueue.shift();
        if (!canvas.isConnected) continue;
        if (canvas.dataset.confidence) state.explorer.draw_confidence(canvas, t, fitCanvas(canvas));
        else state.explorer.draw_metric(canvas, canvas.dataset.metric, t, fitCanvas(canvas));
      } else if (laterQueue.length > 0) laterQueue.shift()();
      else break;
    }
  } catch (e) {
    chartQueue = [];
    chartError(e);
  }
  chartTask = chartQueue.length + laterQueue.length > 0 ? setTimeout(drainCharts, 0) : null;
  markCharts();
}

function wake() {
  chartTask ??= setTimeout(drainCharts, 0);
  markCharts();
}

// A big main view, drawn by the painter (a worker): one request at a time, and only the newest
// of those asked for meanwhile goes next (a reader dragging the scrubber sees the latest
// generation, not a queue of stale ones).
let viewWanted = null;
let viewBusy = false;
let viewRequests = 0; // how many the painter was sent (data-view-requests: the end-to-end tests)

function markCharts() {
  document.body.dataset.charts = chartTask || viewBusy || viewWanted ? "pending" : "drawn";
}

function requestView(request) {
  viewWanted = request;
  if (!viewBusy) sendView();
  markCharts();
}

async function sendView() {
  const request = viewWanted;
  viewWanted = null;
  viewBusy = true;
  document.body.dataset.viewRequests = String(++viewRequests);
  try {
    const { job, t, width, height, scale, details } = request;
    const reply = await paintView(job, t, width, height, scale, details);
    // A picture of the run still on screen is shown even if a newer one was asked for since:
    // while playing, each is a frame of the animation.
    if (job === state.explorer.shown_job()) showView(request, reply);
    else reply.bitmap?.close();
  } catch (e) {
    request.onError(e);
  }
  viewBusy = false;
  if (viewWanted) sendView();
  markCharts();
}

// The painter's reply to `request`: the picture (none for passages) and the details of each of
// the generations asked for (`request.details`), the last one generation t's.
function showView(request, { bitmap, details }) {
  const { job, t, width, height } = request;
  if (bitmap) {
    const view = $("#view");
    if (view.width !== width || view.height !== height) {
      view.width = width;
      view.height = height;
    }
    const context = view.getContext("2d");
    context.clearRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
  } else showPassages(request.details, details);
  showDetails(details[details.length - 1], t);
  markFirstFrame(job);
}

// The browser benchmark's first frame of a job: its main view on screen.
function markFirstFrame(job) {
  if (job === state.explorer.job() && performance.getEntriesByName(`job ${job} first frame`).length === 0) {
    performance.mark(`job ${job} first frame`);
  }
}

/** Runs each of `tasks` (functions) in a later task, after the charts waiting to be drawn. */
export function later(...tasks) {
  laterQueue.push(...tasks);
  wake();
}

// During Play the charts (whose only change is the marker) are redrawn at most every 150 ms, and
// once more at the end; otherwise at once.
let chartsDrawnAt = 0;
let trailing = null;
function queueCharts(t, onError) {
  clearTimeout(trailing);
  const wait = chartsDrawnAt + 150 - performance.now();
  if (state.playing && wait > 0) {
    trailing = setTimeout(() => queueCharts(t, onError), wait);
    return;
  }
  chartsDrawnAt = performance.now();
  chartQueue = $$("#metrics canvas").map((canvas) => [canvas, t]);
  chartError = onError;
  wake();
}

// Draws generation `t` everywhere: the main view and the numbers at once, the metric charts in
// the following tasks. Throws what the simulation throws; `onError` gets a chart's failure.
export function drawAll(t, onError) {
  const explorer = state.explorer;
  const last = explorer.generations();
  const scrubber = $("#scrubber");
  scrubber.max = String(last);
  scrubber.value = String(t);
  $("#generation-label").textContent = `${t} of ${last}`;
  // The run on screen may still be of the previous view while the new one's is on its way.
  const passages = familyOf(explorer.shown_model()).main_view === "passages";
  const view = $("#view");
  view.hidden = passages;
  $("#passages").hidden = !passages;
  $(".pictures").hidden = passages;
  const job = explorer.shown_job();
  // The text view: passages of generation 0 (human) and of evenly spaced generations up to t.
  const shown = passages ? [...new Set([0, Math.round(t / 3), Math.round((2 * t) / 3), t])].filter((g) => g <= t) : [t];
  if (explorer.draws_view()) {
    // Small views are drawn here at once; big ones by the painter (PAGE_VIEW_BYTES, explorer.rs).
    const details = shown.map((g) => JSON.parse(explorer.details_json(g)));
    if (passages) showPassages(shown, details);
    else explorer.draw_view(view, t, fitCanvas(view));
    showDetails(details[details.length - 1], t);
    markFirstFrame(job);
  } else if (passages) {
    requestView({ job, t, width: 0, height: 0, scale: 1, details: shown, onError });
  } else {
    const [width, height, scale] = deviceSize(view);
    requestView({ job, t, width, height, scale, details: shown, onError });
  }
  queueCharts(t, onError);
  $("#view-caption").textContent = explorer.view_caption(t);
  showNumbers(JSON.parse(explorer.values_json(t)));
}

// The text view: the passages of generations `shown` (`details` of each), each starting with
// the same prompt word, rare human words highlighted.
function showPassages(shown, passages) {
  $("#passages").replaceChildren(
    ...shown.map((g, i) => {
      const details = passages[i];
      const article = document.createElement("article");
      article.className = g === 0 ? "passage human" : "passage";
      article.dataset.generation = String(g);
      const heading = document.createElement("h3");
      heading.textContent = g === 0 ? "Generation 0 · human" : `Generation ${g}`;
      const p = document.createElement("p");
      for (const [word, rare] of details.passage ?? []) {
        const glued = /^[.,;:!?]$/.test(word);
        if (!glued && p.childNodes.length > 0) p.append(" ");
        if (rare) {
          const mark = document.createElement("mark");
          mark.textContent = word;
          p.append(mark);
        } else p.append(word);
      }
      article.append(heading, p);
      return article;
    }),
  );
}

// Family-specific text under the main chart: the words lost at this generation.
function showDetails(details, t) {
  const box = $("#details");
  box.replaceChildren();
  if (!details.lost_words) return;
  const title = document.createElement("strong");
  if (t === 0) {
    title.textContent = "Generation 0 is human: no word is lost yet.";
    box.append(title);
    return;
  }
  title.textContent = details.passage
    ? `Human words generation ${t}'s model can no longer produce: ${grouped(details.lost_count)}`
    : `Words lost at generation ${t}: ${grouped(details.lost_count)}`;
  box.append(title);
  if (details.lost_words.length > 0) {
    const list = document.createElement("span");
    list.className = "lost";
    list.textContent = ` — ${details.lost_words.join(", ")}${details.lost_count > details.lost_words.length ? ", …" : ""}`;
    box.append(list);
  }
}

function showNumbers(values) {
  // A run whose numbers stopped being finite says so where the numbers are, never a perfect score.
  const overflow = $("#overflow");
  const overflowed = values.overflow !== null && values.generation >= values.overflow;
  overflow.hidden = !overflowed;
  if (overflowed) {
    overflow.textContent = `This run overflowed at generation ${values.overflow}: its numbers grew beyond what a computer can hold, so from there on they are shown as “not finite”, not as values.`;
  }
  const rows = state.metrics.map((m) => {
    const row = document.createElement("div");
    row.className = "number";
    row.dataset.metric = m.key;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = m.title;
    const value = document.createElement("span");
    value.className = "value";
    const v = values.metrics[m.key];
    value.textContent = v === null ? "not finite" : formatNumber(v);
    row.append(name, value);
    const control = values.control[m.key];
    if (control !== undefined) {
      const fresh = document.createElement("span");
      fresh.className = "control";
      fresh.textContent = `fresh human data only ${control === null ? "not finite" : formatNumber(control)}`;
      row.append(fresh);
    }
    const band = values.band[m.key];
    if (band !== undefined) {
      // What usually happens, beside this one run: the band's median and 10-90% range.
      const typical = document.createElement("span");
      typical.className = "band";
      typical.dataset.band = JSON.stringify(band);
      const [lo, median, hi] = band.map((v) => (v === null ? "not finite" : formatNumber(v)));
      typical.textContent = `typical run ${median} (80% of runs ${lo} to ${hi})`;
      row.append(typical);
    }
    const theory = values.theory[m.key];
    if (theory !== undefined) {
      const expected = document.createElement("span");
      expected.className = "theory";
      expected.textContent = `theory ${formatNumber(theory)}`;
      row.append(expected);
    }
    return row;
  });
  $("#numbers").replaceChildren(...rows);
}

// Accessibility: the view tabs as an ARIA tabs widget (roving focus, arrow keys), a text summary
// and a data table for every chart (generated from the run's numbers), a live region that speaks
// on step and pause (never on every frame of Play), and the reduced-motion branch of Play.

import { $, $$, state, formatNumber } from "./state.js";
import { later } from "./figures.js";

// ---------- reduced motion ----------

const motionQuery = typeof matchMedia === "function" ? matchMedia("(prefers-reduced-motion: reduce)") : null;

/** Whether the reader asked for less motion: Play then moves in ten jumps, and nothing starts by itself. */
export const reducedMotion = () => Boolean(motionQuery?.matches);

/** Generations Play advances per frame: one, or a tenth of the run under reduced motion. */
export const playStride = (last) => (reducedMotion() ? Math.max(1, Math.round(last / 10)) : 1);

/** Milliseconds between Play's frames: about eight seconds for a run, or 0.8 s per jump. */
export const playInterval = (last) => (reducedMotion() ? 800 : Math.max(40, Math.min(400, 8000 / last)));

/** Whether the page may start playing by itself (a preset, `autoplay=1`, a lesson chapter). */
export const autoplayAllowed = () => !reducedMotion();

// ---------- the tabs ----------

/** Gives the view tabs ids, their panel and roving focus, and arrow, Home and End keys. */
export function setUpTabs() {
  const list = $("#view-tabs");
  for (const tab of $$("[role=tab]", list)) {
    tab.id = `tab-${tab.dataset.view}`;
    tab.setAttribute("aria-controls", "view-panel");
  }
  list.addEventListener("keydown", (e) => {
    const tabs = $$("[role=tab]", list);
    const i = tabs.indexOf(e.target);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    tab.focus();
    tab.click();
  });
  syncTabs();
}

/** The selected tab is the one in the tab order, and labels the panel. */
function syncTabs() {
  for (const tab of $$("#view-tabs [role=tab]")) {
    const selected = tab.getAttribute("aria-selected") === "true";
    tab.tabIndex = selected ? 0 : -1;
    if (selected) $("#view-panel").setAttribute("aria-labelledby", tab.id);
  }
}

// ---------- summaries and tables ----------

const MAX_ROWS = 21;

function rowGenerations(last) {
  const step = Math.max(1, Math.ceil(last / (MAX_ROWS - 1)));
  const gens = [];
  for (let g = 0; g < last; g += step) gens.push(g);
  gens.push(last);
  return gens;
}

const near = (a, b) => Math.abs(a - b) <= 0.05 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

/** "falls from 1.00 to 0.31 over 100 generations", from a series' ends and its extremes. */
function trend(name, values, last) {
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  if (finite.length === 0) return `${name} is not a finite number`;
  const [first, end] = [values[0], values[values.length - 1]];
  if (end === null) return `${name} starts at ${formatNumber(first)} and stops being a finite number`;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (near(lo, hi)) return `${name} stays near ${formatNumber(first)} over ${last} generations`;
  const verb = near(first, end) ? "ends near where it started" : end < first ? "falls" : "rises";
  let text = verb === "ends near where it started"
    ? `${name} moves between ${formatNumber(lo)} and ${formatNumber(hi)} and ends near ${formatNumber(end)}`
    : `${name} ${verb} from ${formatNumber(first)} to ${formatNumber(end)} over ${last} generations`;
  if (verb === "falls" && lo < end && !near(lo, end)) text += ` (lowest ${formatNumber(lo)})`;
  if (verb === "rises" && hi > end && !near(hi, end)) text += ` (highest ${formatNumber(hi)})`;
  return text;
}

/** The control's line: flat, flat after generation 1 (the finite sample's first drop), without a trend, or moving. */
function controlTrend(values) {
  const finite = (vs) => vs.filter((v) => v !== null && Number.isFinite(v));
  const all = finite(values);
  if (all.length === 0) return "";
  const later = finite(values.slice(1));
  const end = values[values.length - 1];
  const flat = (vs) => vs.length > 0 && near(Math.min(...vs), Math.max(...vs));
  const name = "the control (fresh human data only)";
  if (flat(all)) return `${name} stays near ${formatNumber(end)}`;
  if (flat(later)) return `${name} stays near ${formatNumber(end)} from generation 1 on`;
  const [lo, hi] = [Math.min(...later), Math.max(...later)];
  const mean = (vs) => vs.reduce((a, b) => a + b, 0) / vs.length;
  const half = Math.floor(later.length / 2);
  const [early, late] = [mean(later.slice(0, half)), mean(later.slice(half))];
  // No trend: the two halves' means differ by little next to the line's own range (noise).
  if (half > 0 && Math.abs(late - early) <= 0.35 * (hi - lo)) {
    const start = values[0] < lo || values[0] > hi ? `starts at ${formatNumber(values[0])}, then ` : "";
    return `${name} ${start}moves between ${formatNumber(lo)} and ${formatNumber(hi)} without a trend`;
  }
  return `${name} goes from ${formatNumber(values[0])} to ${formatNumber(end)}`;
}

function table(caption, columns, rows) {
  const details = document.createElement("details");
  details.className = "data-table";
  const summary = document.createElement("summary");
  summary.textContent = "Data table";
  const t = document.createElement("table");
  const c = document.createElement("caption");
  c.textContent = caption;
  const head = document.createElement("tr");
  for (const name of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const row of rows) {
    const tr = document.createElement("tr");
    row.forEach((cell, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      td.textContent = typeof cell === "number" || cell === null ? formatNumber(cell) : cell;
      tr.append(td);
    });
    tbody.append(tr);
  }
  t.append(c, thead, tbody);
  details.append(summary, t);
  return details;
}

/** The run's values at the table's generations: [{generation, metrics, control, theory}]. */
function sampledValues(last) {
  return rowGenerations(last).map((g) => JSON.parse(state.explorer.values_json(g)));
}

/**
 * Every metric chart: role=img, a one-sentence trend as its label, a data table beside it; one
 * chart per task (after the charts are drawn), for the run on screen when it was asked.
 */
export function describeCharts() {
  if (!state.explorer || !state.metrics) return;
  const job = state.explorer.job();
  const last = state.explorer.generations();
  let rows = null;
  const describe = (canvas) => () => {
    if (!canvas.isConnected || state.explorer.job() !== job) return;
    rows ??= sampledValues(last);
    describeChart(canvas, rows, last);
  };
  later(...$$("#metrics canvas").map(describe));
}

function describeChart(canvas, rows, last) {
  const series = (key, part = "metrics") => rows.map((r) => (r[part][key] === undefined ? undefined : r[part][key]));
  const confidence = state.confidence;
  const figure = canvas.closest("figure");
  let keys;
  let title;
  if (canvas.dataset.confidence) {
    // The caption names its two metrics, the model's own first.
    keys = state.metrics
      .filter((m) => confidence.caption.includes(m.title))
      .sort((a, b) => confidence.caption.indexOf(a.title) - confidence.caption.indexOf(b.title))
      .map((m) => m.key);
    title = confidence.title;
  } else {
    keys = [canvas.dataset.metric];
    title = state.metrics.find((m) => m.key === keys[0])?.title ?? keys[0];
  }
  const sentences = keys.map((k) => {
    const m = state.metrics.find((x) => x.key === k);
    let s = trend(m.title, series(k), last);
    const control = series(k, "control");
    if (!canvas.dataset.confidence && control[0] !== undefined) s += `; ${controlTrend(control)}`;
    const theory = series(k, "theory");
    if (!canvas.dataset.confidence && theory[0] !== undefined) {
      s += `; theory (${m.theory?.[0] ?? "expected"}) gives ${formatNumber(theory[theory.length - 1])} at the end`;
    }
    return s;
  });
  // A chart of one metric is named by its sentence; the two-metric chart by its title first.
  const text = keys.length > 1 ? `${title}: ${sentences.join(". ")}.` : `${sentences.join(". ")}.`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", text.charAt(0).toUpperCase() + text.slice(1));
  const columns = ["generation"];
  const cols = [];
  for (const k of keys) {
    const m = state.metrics.find((x) => x.key === k);
    columns.push(keys.length > 1 ? m.title : "this run");
    cols.push(series(k));
    if (!canvas.dataset.confidence && series(k, "control")[0] !== undefined) {
      columns.push("fresh human data only");
      cols.push(series(k, "control"));
    }
    if (!canvas.dataset.confidence && series(k, "theory")[0] !== undefined) {
      columns.push(m.theory?.length ? `theory: ${m.theory[0]}` : "theory");
      cols.push(series(k, "theory"));
    }
  }
  const body = rows.map((r, i) => [String(r.generation), ...cols.map((c) => c[i])]);
  figure.querySelector(".data-table")?.remove();
  figure.append(table(title, columns, body));
}

/** An analysis chart: a summary of its lines (or what Compute will show) and a data table. */
export function describeAnalysis(kind, canvas) {
  const chart = JSON.parse(state.explorer.analysis_chart_json(kind));
  const figure = canvas.closest("figure");
  figure.querySelector(".data-table")?.remove();
  const lines = chart.lines.filter((l) => l.points.length > 0);
  if (lines.length === 0) {
    canvas.setAttribute("aria-label", `${chart.title}: not computed yet; press Compute.`);
    return;
  }
  const ends = lines.map((l) => {
    const [first, last] = [l.points[0], l.points[l.points.length - 1]];
    return l.points.length === 1 || first[0] === last[0]
      ? `${l.label}: ${formatNumber(first[1])}`
      : `${l.label}: ${formatNumber(first[1])} at ${formatNumber(first[0])}, ${formatNumber(last[1])} at ${formatNumber(last[0])}`;
  });
  canvas.setAttribute("aria-label", `${chart.title}, against ${chart.x_label || "x"}. ${ends.join("; ")}.`);
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const rows = xs.map((x) => [formatNumber(x), ...lines.map((l) => l.points.find((p) => p[0] === x)?.[1] ?? null)]);
  figure.append(table(chart.title, [chart.x_label || "x", ...lines.map((l) => l.label)], rows));
}

// ---------- the live region ----------

let pending = 0;

/** Says `text` in the live region, once things settle (a drag of the scrubber says its end). */
export function announce(text) {
  clearTimeout(pending);
  pending = setTimeout(() => {
    $("#announcer").textContent = text;
  }, 300);
}

/** What the page says about generation t: its number and the headline metric, run and control. */
function generationText(t) {
  const values = JSON.parse(state.explorer.values_json(t));
  const key = state.family.headline_metric;
  const metric = state.metrics.find((m) => m.key === key);
  const last = state.explorer.generations();
  let text = `Generation ${t} of ${last}.`;
  if (metric && values.metrics[key] !== undefined) {
    text += ` ${metric.title}: ${values.metrics[key] === null ? "not finite" : formatNumber(values.metrics[key])}`;
    if (values.control[key] !== undefined) text += `; fresh human data only: ${formatNumber(values.control[key])}`;
    text += ".";
  }
  return text;
}

/** Called when a generation is shown: speaks unless Play is running. */
export function generationShown(t) {
  if (!state.playing && state.explorer) announce(generationText(t));
}

let playing = false;

/** Called whenever Play is set on or off: speaks when it actually starts or stops. */
export function playChanged(on) {
  if (on === playing || !state.explorer) return;
  playing = on;
  announce(on ? "Playing." : `Paused. ${generationText(state.generation)}`);
}

/**
 * After every change: tabs in step with the view. (The charts are described when the change's
 * run is complete: main.js's markRun.)
 */
export function describePage() {
  syncTabs();
}

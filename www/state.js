// The page's shared state and small helpers, used by every module of the controller.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export const state = {
  explorer: null, // the wasm Explorer: scenario, simulated run, analyses
  families: [], // what Rust reports of every model family (Explorer.families_json)
  family: null, // the current family's entry
  scenario: null, // the explorer's scenario, read once per change (not per frame)
  metrics: [], // the current run's metric descriptors, in order
  confidence: null, // the family's "confidently wrong" chart ({title, caption}), if any
  generation: 0,
  playing: false,
  lastFrame: 0,
  pending: null, // a control change waiting for the next animation frame
  queries: {}, // the last query of each view, so switching views keeps each view's settings
  corpus: null, // { packed, name } of the human text loaded ({ bytes, name } until read; restored after an internal error)
  presetQuery: null, // the canonical query of the preset last applied
  notice: null, // the last error message, kept in view until the next change
  work: null, // the job being computed: {job, family, started, phase, ...}
  doneNote: null, // said once when the current job is done ("Retrained on your text")
};

export const familyOf = (key) => state.families.find((f) => f.key === key);

// The family a query string opens (the first registered one when it names none).
export function familyOfQuery(query) {
  return familyOf(new URLSearchParams(query).get("model") ?? state.families[0].key) ?? state.families[0];
}

// An error stays in view (prefixed to later progress messages) until the reader's next change.
export function status(message, kind = "info") {
  if (kind === "error") state.notice = message;
  const el = $("#status");
  el.textContent = message;
  el.className = `status ${kind}`;
}

export function errorText(e) {
  if (typeof e === "string") return e;
  if (e instanceof WebAssembly.RuntimeError) return `internal error (${e.message}); details are in the browser console`;
  return e && e.message ? e.message : String(e);
}

// "1,234,567": digit groups by hand. The first toLocaleString of a page loads the locale
// data (about 100 ms on the main thread), and the page only ever writes English numbers.
export function grouped(n) {
  const [whole, fraction] = String(n).split(".");
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ",");
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}

export function formatNumber(v) {
  if (v === null || !Number.isFinite(v)) return "–";
  if (Number.isInteger(v)) return grouped(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toPrecision(3);
}

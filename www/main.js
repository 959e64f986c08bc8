// Model Collapse Explorer: the page's controller. A thin, dependency-free module: it owns the
// animation loop, the controls and the DOM; the simulation, the scenario schema, the families'
// descriptions, captions and charts live in Rust (WebAssembly). Every control carries
// `data-param="<scenario key>"`; one generic binder sends its value to Rust, which validates it
// and returns the canonical query string that becomes the address (so a copied address
// reproduces the page exactly). The tabs, the controls shown and "does this view need the human
// text" follow what Rust reports of each family.
//
// Nothing simulates on this thread: each new scenario is a job for a Web Worker
// (simulation.js), whose run streams back generation by generation, then its control and the
// band of replicate runs; this thread only draws what has arrived.

import init, { Explorer } from "./pkg/collapse.js";
import { $, $$, state, familyOf, familyOfQuery, status, errorText, grouped } from "./state.js";
import { buildMetricFigures, drawAll, later, redrawOnResize } from "./figures.js";
import { ANALYSES, computeAnalysis, resetAnalyses } from "./analyses.js";
import { saveBlob, setUpImages } from "./images.js";
import { checkCorpus, forgetChecked, paintClear, paintData, rehearse, runBand, runJob, shareCorpus, startEarly, startWorkers, stopJob, warmPainter } from "./simulation.js";
// Classroom hooks (lesson, embed kit, themes, accessibility): see classroom.js.
import { setUpClassroom, beforeRefresh, afterRefresh, figuresChanged, openLink } from "./classroom.js";
import { autoplayAllowed, describeCharts, generationShown, playChanged, playInterval, playStride } from "./a11y.js";

// ---------- the human text ----------

// Bytes the single-file build carries inline as base64 (the wasm module, the packed corpus).
// `Uint8Array.from(atob(text), mapping)` took 130–150 ms of the main thread for the corpus alone;
// `Uint8Array.fromBase64` takes 1–5 ms and a plain loop 6–23 ms (Chromium, 2 December 2026).
function fromBase64(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The bundled human text, packed at build time (scripts/pack-corpus.mjs: the workers read it
// in about 10 ms instead of the text's 50–120): inline in the single-file build, else a file
// beside the page.
async function bundledCorpus() {
  if (typeof globalThis.COLLAPSE_CORPUS === "string") return fromBase64(globalThis.COLLAPSE_CORPUS);
  const response = await fetch("data/moby-dick.corpus");
  if (!response.ok) throw new Error(`the bundled corpus could not be loaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

const MOBY_DICK = "Moby-Dick by Herman Melville (public domain), bundled with the page";

// Loads the bundled corpus once (read in a worker; the workers then take it): before the first
// view that uses it, or in the background once the first run is on screen, so that opening such
// a view later does not wait for it.
let bundledLoading = null;
function loadBundledCorpus() {
  bundledLoading ??= (async () => {
    const text = { packed: await bundledCorpus(), name: "Moby-Dick" };
    const summary = await checkCorpus(text);
    if (state.corpus) {
      forgetChecked(); // the reader's own text came first: its worker is the spare
      return;
    }
    state.corpus = text;
    shareCorpus();
    rehearseViews();
    $("#corpus-summary").textContent = `${MOBY_DICK}: ${summary}.`;
  })().finally(() => (bundledLoading = null));
  return bundledLoading;
}

async function ensureCorpus() {
  if (state.corpus) return;
  status("Loading the human text (Moby-Dick)…");
  await loadBundledCorpus();
}

// Every view's defaults, run once in the background (simulation.js, `rehearse`): the first
// switch to a view is then about as quick as the later ones.
function rehearseViews() {
  rehearse(state.families.map((f) => `model=${f.key}`));
}

function preloadCorpus() {
  if (!state.corpus) loadBundledCorpus().catch(() => {}); // a view that needs it says why, when opened
}

// A file the reader chose or dropped: refused before reading when over the size limit.
async function useOwnFile(file) {
  if (file.size > Explorer.max_corpus_bytes()) {
    status(`Your file was not used: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${Explorer.max_corpus_bytes() / 1e6} MB.`, "error");
    return;
  }
  useOwnText(new Uint8Array(await file.arrayBuffer()), file.name);
}

// The reader's own text, read in a worker: on error the message shows and the current text and
// view stay.
async function useOwnText(bytes, name) {
  let summary;
  const text = { bytes, name };
  try {
    status("Reading the text…");
    summary = await checkCorpus(text);
  } catch (e) {
    status(`Your text was not used: ${errorText(e)}`, "error");
    return;
  }
  state.corpus = text;
  shareCorpus();
  $("#corpus-summary").textContent = name === "Moby-Dick" ? `${MOBY_DICK}: ${summary}.` : `Your text (${name}): ${summary}.`;
  state.generation = 0;
  state.doneNote = `Retrained on ${name === "Moby-Dick" ? "Moby-Dick" : "your text"} (${summary}).`;
  afterChange(state.explorer.query());
}

// ---------- errors ----------

// A panic leaves the WebAssembly instance's explorer unusable: rebuild it from the last good
// settings, have the worker compute them again, and redraw.
let recovering = false;
function recoverFrom(e) {
  if (!(e instanceof WebAssembly.RuntimeError) || recovering) return;
  recovering = true;
  try {
    state.explorer = new Explorer((state.family && state.queries[state.family.key]) ?? "");
    refresh();
  } catch (again) {
    console.error(again);
  } finally {
    recovering = false;
  }
}

// Runs `action`; on error shows `message` and the reason, and recovers from an internal error.
function attempt(action, message) {
  try {
    return action();
  } catch (e) {
    recoverFrom(e);
    status(`${message}: ${errorText(e)}`, "error");
    syncControls();
  }
}

// ---------- controls <-> scenario ----------

function lookup(obj, dotted) {
  return dotted.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function formatValue(key, value) {
  if (typeof value !== "number") return String(value);
  if (["human_fraction", "filter.keep", "top_p", "blind_spot", "blind_spot_overlap"].includes(key)) return `${Math.round(value * 100)}%`;
  if (Number.isInteger(value)) return grouped(value);
  return value.toFixed(2);
}

// Reads the explorer's scenario once per change and sets every control from it.
function syncControls() {
  const scenario = JSON.parse(state.explorer.scenario_json());
  state.scenario = scenario;
  state.family = familyOf(scenario.model);
  for (const input of $$("[data-param]")) {
    const value = lookup(scenario, input.dataset.param);
    if (input.type === "radio") input.checked = input.value === String(value);
    else if (input.dataset.scale === "log") input.value = Math.log10(value);
    else input.value = String(value);
    if (input.type === "range") noteBeyondSlider(input, value);
    // A control the family does not use is hidden (its label holds it).
    const holder = input.closest("label, fieldset");
    if (holder) holder.hidden = !state.family.controls.includes(input.dataset.param);
  }
  for (const out of $$("output[data-for]")) out.textContent = formatValue(out.dataset.for, lookup(scenario, out.dataset.for));
  for (const tab of $$("[data-view]")) tab.setAttribute("aria-selected", String(tab.dataset.view === scenario.model));
  for (const el of $$("[data-trains-on-text]")) el.hidden = !state.family.requires_corpus;
  const k = scenario.model_count;
  $("#models-hint").textContent =
    k > 1
      ? `${k} models each train on ${grouped(scenario.samples)} items, so together they see ${k}× the data every generation. In the charts the thick orange line is the pool (what a reader of the web sees, a model fitted to all their output); thin lines are the models one by one.`
      : "One model. Add models to see whether mixing their outputs slows collapse.";
  return scenario;
}

// The sliders cover the useful part of each key's range; a share link may set a value the
// schema allows beyond it (2,000 generations on a slider to 500). The slider then sits at its
// end, and a note under it says what the value is and that moving the slider changes it.
function noteBeyondSlider(input, value) {
  const holder = input.closest("label");
  let note = holder && $(".slider-note", holder);
  const [lo, hi] = [Number(sliderValue(input, input.min)), Number(sliderValue(input, input.max))];
  const beyond = typeof value === "number" && (value < lo || value > hi);
  if (!beyond || !holder) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement("span");
    note.className = "slider-note";
    holder.append(note);
  }
  const key = input.dataset.param;
  note.textContent = `Set to ${formatValue(key, value)} by the link: beyond this slider (${formatValue(key, lo)} to ${formatValue(key, hi)}), which shows its end. Moving it sets a value in its range.`;
}

// The value a slider's position `position` stands for (a log-scale slider holds log10 of it).
function sliderValue(input, position) {
  return input.dataset.scale === "log" ? String(Math.round(10 ** Number(position))) : position;
}

function controlValue(input) {
  return sliderValue(input, input.value);
}

// Applies one key to the scenario; on error the message shows beside the control (and in the
// status line) and the controls snap back.
function applySetting(key, value) {
  const query = attempt(() => state.explorer.set(key, value), "Not applied");
  const holder = $(`[data-param="${key}"]`)?.closest("label, fieldset");
  if (query !== undefined) {
    afterChange(query);
  } else if (holder) {
    let note = $(".control-error", holder);
    if (!note) {
      note = document.createElement("span");
      note.className = "control-error";
      note.setAttribute("role", "alert");
      holder.append(note);
    }
    note.textContent = $("#status").textContent;
  }
}

// The controls from the explorer's settings, and their run asked of the worker.
function refresh() {
  syncControls();
  resetAnalyses();
  simulate();
}

// The figures of the run on screen (its metrics, captions and lines), when they change.
function syncFigures() {
  state.metrics = JSON.parse(state.explorer.metrics_json());
  state.confidence = JSON.parse(state.explorer.confidence_json());
  buildMetricFigures();
  figuresChanged(); // classroom: the lesson's highlights on the new figures
}

// ---------- the simulation, off this thread ----------

// How much slower (or faster) than Rust's estimate runs of each family went here.
const measured = {};
const factorOf = (family) => measured[family] ?? 1;
const COSTLY_SECONDS = 5;

function seconds(s) {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(s < 36000 ? 1 : 0)} hours`;
}

// Asks the worker for the current settings' run, unless it would take long: then the page says
// roughly how long and offers to go on or to lighten the settings (nothing is capped silently).
function simulate({ confirmed = false } = {}) {
  const family = state.family.key;
  const estimate = JSON.parse(state.explorer.estimate_json());
  const run = estimate.run * factorOf(family);
  const band = estimate.band * factorOf(family);
  $("#band-offer").hidden = true;
  document.body.dataset.run = "pending";
  document.body.dataset.band = "pending";
  if (run > COSTLY_SECONDS && !confirmed) {
    stopJob();
    showWork(null);
    const lighter = state.explorer.lighter_query(2, factorOf(family));
    const onScreen = state.explorer.shown_model() ? "What is on screen is from the previous settings." : "Nothing has been simulated yet.";
    $("#cost-text").textContent = `These settings take about ${seconds(run)} to simulate in this browser (the page stays usable meanwhile, and any change stops it). ${onScreen}`;
    $("#cost-lighter").hidden = lighter === state.explorer.query();
    $("#cost-lighter").onclick = () => replaceSettings(lighter);
    $("#cost-go").onclick = () => simulate({ confirmed: true });
    $("#cost").hidden = false;
    status(`Not simulated yet: about ${seconds(run)}.`);
    return;
  }
  $("#cost").hidden = true;
  const replicates = band <= COSTLY_SECONDS ? estimate.replicates : 0;
  state.work = {
    job: state.explorer.job(),
    family,
    started: performance.now(),
    estimate: estimate.run,
    phase: "prepare",
    band: replicates,
    bandSeconds: band,
    replicates: estimate.replicates,
  };
  runJob(state.work.job, state.explorer.query(), replicates);
  // Views too big for the page: the painter starts now, beside the job's first generation.
  if (!state.explorer.views_fit_page()) warmPainter();
  if (!state.explorer.shown_model()) $("#view-caption").textContent = "Generation 0 appears here as soon as it is computed.";
  performance.mark(`job ${state.work.job} start`);
  if (!state.notice) status("Simulating…");
  showWork(state.work);
}

function replaceSettings(query) {
  const canonical = attempt(() => state.explorer.set_query(query), "Not applied");
  if (canonical !== undefined) afterChange(canonical);
}

// The latest job's start message, held until its generation 0 shows whether the painter draws
// the run (the explorer takes only the latest job's messages, so it is always that job's).
let heldStart = null;

// The messages of the worker's job.
const onWorker = {
  onData(job, chunks) {
    let first = false;
    let captions = false;
    const toPainter = [];
    for (const bytes of chunks) {
      const kind = attempt(() => state.explorer.receive(job, bytes), "The run could not be shown");
      if (kind === "start") heldStart = bytes;
      else if (kind === "first") {
        first = true;
        // A run of big views (the page keeps none): the painter gets it from its start on.
        if (!state.explorer.draws_view()) toPainter.push(heldStart, bytes);
        else paintClear(); // the run of big views before this one is off screen
        heldStart = null;
      } else if (kind === "control" || kind === "band") captions = true;
      else if (kind === "generation" && !state.explorer.draws_view()) toPainter.push(bytes);
    }
    // With the run's start, the painter is told which job begins (and its settings).
    if (toPainter.length > 0) paintData(job, toPainter, first ? state.explorer.query() : null);
    if (first || captions) syncFigures();
    showWork(state.work);
    scheduleDraw();
  },
  onPhase(job, m) {
    if (!state.work || job !== state.work.job) return;
    if (m.phase === "control" || (m.phase === "band" && state.work.phase !== "band")) {
      // The run (with its views) and its control: what the estimate is for.
      state.work.runSeconds = (performance.now() - state.work.started) / 1000;
    }
    if (m.phase === "band" && state.work.phase !== "band") state.work.bandStarted = performance.now();
    state.work.phase = m.phase;
    state.work.done = m.done ?? 0;
    state.work.total = m.total ?? 0;
    showWork(state.work);
  },
  onDone(job) {
    const work = state.work;
    if (!work || job !== work.job) return;
    const total = work.runSeconds ?? (performance.now() - work.started) / 1000;
    // Learn from runs long enough to time (the estimate is for this page on a modest machine).
    if (work.estimate > 0.05 && total > 0.05) measured[work.family] = Math.min(20, Math.max(0.05, total / work.estimate));
    state.work = null;
    showWork(null);
    const ready = readyMessage(state.scenario, work);
    if (state.notice) status(`${state.notice} ${ready}`, "error");
    else status(ready);
    if (work.band === 0 && work.replicates > 1) {
      $("#band-text").textContent = `The band of ${work.replicates} runs (what usually happens, beside this one run) would take about ${seconds(work.bandSeconds)} more.`;
      $("#band-go").onclick = () => {
        $("#band-offer").hidden = true;
        state.work = { ...work, phase: "band", band: work.replicates, started: performance.now(), bandStarted: performance.now() };
        if (runBand(work.job, work.replicates)) showWork(state.work);
      };
      $("#band-offer").hidden = false;
    }
    scheduleDraw();
  },
  onError(job, message) {
    if (job !== 0 && job !== state.explorer.job()) return;
    state.work = null;
    showWork(null);
    status(`The simulation stopped: ${message}`, "error");
  },
};

// The progress bar: what is being computed, how far, and about how long is left.
function showWork(work) {
  const box = $("#work");
  box.hidden = !work;
  if (!work) return;
  const elapsed = (performance.now() - work.started) / 1000;
  const bar = $("#work-progress");
  let text;
  if (work.phase === "band") {
    const since = (performance.now() - (work.bandStarted ?? work.started)) / 1000;
    const done = Math.max(1, work.done);
    bar.max = work.total || 1;
    bar.value = done;
    const left = done > 1 ? (since / (done - 1)) * (work.total - done + 1) : work.bandSeconds * factorOf(work.family);
    text = `The band: run ${grouped(done)} of ${grouped(work.total)} — about ${seconds(left)} left.`;
  } else {
    const generations = state.explorer.current() ? state.explorer.generations() : state.scenario.generations;
    const computed = state.explorer.current() ? state.explorer.computed() : 0;
    bar.max = generations;
    bar.value = computed;
    const estimate = work.estimate * factorOf(work.family);
    const left = computed > 2 ? (elapsed / computed) * (generations - computed) : Math.max(0, estimate - elapsed);
    text =
      work.phase === "control"
        ? "The control run (fresh human data only)…"
        : `Simulating generation ${grouped(computed)} of ${grouped(generations)} — about ${seconds(left)} left.`;
  }
  $("#work-text").textContent = text;
}

function afterChange(query) {
  for (const note of $$(".control-error")) note.remove();
  state.notice = null;
  state.queries[familyOfQuery(query).key] = query;
  writeAddress(query);
  for (const b of $$("#preset-buttons button")) b.setAttribute("aria-pressed", String(b.dataset.query === query));
  if (query !== state.presetQuery) $("#preset-note").textContent = "";
  beforeRefresh(query); // classroom: the charts' theme
  refresh();
  afterRefresh(query); // classroom: embed/hide, lesson, chart summaries
}

// The address bar is the share link, written in a task of its own (replaceState costs several
// milliseconds), the latest query only. In a sandboxed iframe or a file:// page the history API
// may refuse; the page then works the same without it.
let addressTask = null;
function writeAddress(query) {
  clearTimeout(addressTask);
  addressTask = setTimeout(() => {
    try {
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
    } catch {
      /* no address to update here */
    }
  }, 0);
}

// The run's numbers as a file.
function download(format) {
  const text = attempt(() => state.explorer.export_run(format), "Not downloaded");
  if (text === undefined) return;
  const csv = format === "csv";
  const blob = new Blob([text], { type: csv ? "text/csv" : "application/x-ndjson" });
  saveBlob(blob, `model-collapse-${state.family.key}-seed-${state.scenario.seed}.${csv ? "csv" : "jsonl"}`);
}

function readyMessage(scenario, work) {
  const band = work?.band > 1 ? `, and ${grouped(work.band)} runs for the band` : "";
  const note = state.doneNote ? ` ${state.doneNote}` : "";
  state.doneNote = null;
  return `Simulated ${scenario.generations} generations of ${grouped(scenario.samples)} samples (seed ${scenario.seed})${band}.${note}`;
}

function bindControls() {
  for (const input of $$("[data-param]")) {
    const event = input.type === "range" ? "input" : "change";
    input.addEventListener(event, () => {
      // Coalesce fast slider moves: apply at most once per animation frame.
      state.pending = [input.dataset.param, controlValue(input)];
      const out = $(`output[data-for="${input.dataset.param}"]`);
      if (out && input.type === "range") out.textContent = formatValue(input.dataset.param, Number(controlValue(input)));
      requestAnimationFrame(flushPending);
    });
  }
  for (const kind of ANALYSES) $(`#${kind}-run`).addEventListener("click", () => computeAnalysis(kind, analysisFailed));
  $("#new-seed").addEventListener("click", () => applySetting("seed", String(Math.floor(Math.random() * 4294967295))));
  $("#play").addEventListener("click", () => setPlaying(!state.playing));
  for (const format of ["csv", "json"]) $(`#download-${format}`).addEventListener("click", () => download(format));
  setUpImages();
  $("#work-stop").addEventListener("click", () => {
    stopJob();
    state.work = null;
    showWork(null);
    status("Stopped. What is on screen is as far as the simulation got.");
  });
  $("#step").addEventListener("click", () => {
    setPlaying(false);
    showGeneration(state.generation + 1);
  });
  $("#reset").addEventListener("click", () => {
    setPlaying(false);
    showGeneration(0);
  });
  $("#scrubber").addEventListener("input", (e) => {
    setPlaying(false);
    showGeneration(Number(e.target.value));
  });
  $("#use-text").addEventListener("click", () => useOwnText(new TextEncoder().encode($("#own-text").value), "pasted"));
  $("#own-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) await useOwnFile(file);
    e.target.value = "";
  });
  // Dropping a .txt file anywhere on a view that trains on text retrains on it.
  const dropTarget = () => state.family.requires_corpus;
  document.addEventListener("dragover", (e) => {
    if (!dropTarget()) return;
    e.preventDefault();
    document.body.classList.add("dropping");
  });
  document.addEventListener("dragleave", (e) => {
    if (e.target === document.documentElement || e.target === document.body) document.body.classList.remove("dropping");
  });
  document.addEventListener("drop", async (e) => {
    if (!dropTarget()) return;
    e.preventDefault();
    document.body.classList.remove("dropping");
    const file = e.dataTransfer?.files?.[0];
    if (file) await useOwnFile(file);
  });
  $("#use-moby").addEventListener("click", async () => {
    try {
      useOwnText(await bundledCorpus(), "Moby-Dick");
    } catch (e) {
      status(errorText(e), "error");
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, button, textarea, summary, a")) return;
    if (e.key === " ") {
      e.preventDefault();
      setPlaying(!state.playing);
    } else if (e.key === "ArrowRight") showGeneration(state.generation + 1);
    else if (e.key === "ArrowLeft") showGeneration(state.generation - 1);
  });
  document.addEventListener("visibilitychange", () => document.hidden && setPlaying(false));
  // Tests of the recovery path force an internal error through this event.
  document.addEventListener("collapse-test-panic", () => attempt(() => state.explorer.panic_for_test(), "Internal error"));
  addEventListener("popstate", () => loadQuery(location.search));
  // A chart is drawn again when its canvas changes size (not when the page's height does).
  redrawOnResize(scheduleDraw);
}

function analysisFailed(e, message) {
  recoverFrom(e);
  status(`${message}: ${errorText(e)}`, "error");
}

function flushPending() {
  if (!state.pending) return;
  const [key, value] = state.pending;
  state.pending = null;
  applySetting(key, value);
}

// The view tabs: one per registered family, in the registry's order.
function buildTabs() {
  $("#view-tabs").replaceChildren(
    ...state.families.map((f) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.dataset.view = f.key;
      tab.title = f.summary;
      tab.textContent = f.label;
      tab.addEventListener("click", () => switchView(f.key));
      return tab;
    }),
  );
}

async function switchView(model) {
  if (model === state.family.key) return;
  setPlaying(false);
  state.queries[state.family.key] = state.explorer.query();
  try {
    if (familyOf(model).needs_corpus) await ensureCorpus();
    const query = state.queries[model] ?? Explorer.default_query(model);
    state.generation = 0;
    afterChange(state.explorer.set_query(query));
  } catch (e) {
    recoverFrom(e);
    status(`Could not open that view: ${errorText(e)}`, "error");
    syncControls();
  }
}

// A share link: every valid key applies; each bad one is named, in plain words.
async function loadQuery(search) {
  const query = search.replace(/^\?/, "");
  try {
    if (familyOfQuery(query).needs_corpus) await ensureCorpus();
    const { query: canonical, problems } = JSON.parse(state.explorer.set_query_lenient(query));
    state.presetQuery = null;
    afterChange(canonical);
    if (problems.length > 0) {
      status(`Some of this link's settings could not be used: ${problems.join("; ")}. The rest of the link applies.`, "error");
    }
  } catch (e) {
    recoverFrom(e);
    status(`This link's settings could not be used: ${errorText(e)}. Showing the current settings instead.`, "error");
  }
}

// ---------- presets ----------

function buildPresets() {
  const presets = JSON.parse(Explorer.presets_json());
  $("#preset-buttons").replaceChildren(
    ...presets.map((p) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = p.title;
      button.dataset.preset = p.id;
      button.title = p.description;
      button.addEventListener("click", () => applyPreset(p, button));
      return button;
    }),
  );
}

async function applyPreset(preset, button) {
  setPlaying(false);
  try {
    if (familyOfQuery(preset.query).needs_corpus) await ensureCorpus();
    const query = state.explorer.set_query(preset.query);
    button.dataset.query = query;
    state.presetQuery = query;
    state.generation = 0;
    afterChange(query);
    $("#preset-note").textContent = `${preset.title}${preset.paper ? ` (${preset.paper})` : ""}: ${preset.description}`;
    setPlaying(autoplayAllowed()); // classroom: not under prefers-reduced-motion
  } catch (e) {
    recoverFrom(e);
    status(`The preset could not be applied: ${errorText(e)}`, "error");
  }
}

// ---------- animation ----------

function setPlaying(on) {
  const last = state.explorer ? state.explorer.generations() : 0;
  if (on && state.generation >= last) state.generation = 0;
  state.playing = on;
  $("#play").textContent = on ? "❚❚ Pause" : "▶ Play";
  if (on) {
    state.lastFrame = 0;
    requestAnimationFrame(tick);
  }
  playChanged(on); // classroom: the live region says "Paused" when Play stops
}

function tick(now) {
  if (!state.playing) return;
  const last = state.explorer.generations();
  // About eight seconds for a whole run, never faster than 25 generations a second (classroom:
  // under prefers-reduced-motion, ten jumps); a run still streaming in waits at its last
  // computed generation.
  const interval = playInterval(last);
  if (now - state.lastFrame >= interval && state.generation < state.explorer.computed()) {
    state.lastFrame = now;
    showGeneration(state.generation + playStride(last));
    if (state.generation >= last) return setPlaying(false);
  }
  requestAnimationFrame(tick);
}

// The generation the reader asks for; until it is computed the last computed one is shown.
function showGeneration(t) {
  state.generation = Math.max(0, Math.min(state.explorer.generations(), t));
  draw();
  generationShown(state.generation); // classroom: the live region, except while playing
}

// At most one drawing per animation frame, however many generations arrive.
let drawPending = false;
function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

// Draws the run on screen at the generation the reader is at, or as far as it has arrived (a
// run streaming in then advances to it).
function draw() {
  if (!state.explorer || !state.explorer.shown_model()) return;
  const chartFailed = (e) => {
    recoverFrom(e);
    status(`Drawing failed: ${errorText(e)}`, "error");
  };
  attempt(() => drawAll(Math.min(state.generation, state.explorer.computed()), chartFailed), "Drawing failed");
  markRun();
}

// Whether the run on screen is the latest settings' and complete (with its control), and the
// band: the end-to-end tests and the browser benchmark wait on these.
function markRun() {
  const progress = JSON.parse(state.explorer.progress_json());
  const current = state.explorer.current();
  const job = state.explorer.job();
  const run = current && progress.complete && progress.control ? "complete" : "pending";
  const band = current && progress.planned > 0 && progress.band >= progress.planned ? "complete" : "pending";
  // Performance marks for the browser benchmark (scripts/bench-browser.mjs): full result and
  // band of each job (its first frame is marked when its main view is on screen, figures.js).
  const mark = (name) => performance.getEntriesByName(`job ${job} ${name}`).length || performance.mark(`job ${job} ${name}`);
  if (run === "complete" && document.body.dataset.run !== "complete") {
    mark("complete");
    describeCharts(); // classroom: each chart's summary and data table, from the whole run
    later(preloadCorpus, warmPainter, rehearseViews); // ready for a run of big views and every view
  }
  if (band === "complete" && document.body.dataset.band !== "complete") mark("band");
  document.body.dataset.run = run;
  document.body.dataset.band = band;
  $("#download-csv").disabled = $("#download-json").disabled = run !== "complete";
  document.body.dataset.job = String(job);
}

// ---------- start ----------

// Ends the current task: what follows runs in a new one (after rendering and input, if due).
const nextTask = () => (globalThis.scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0)));

// The module, compiled once: this page's instance draws, the workers' instances simulate (and
// the painter's draws big views).
async function compileModule() {
  // The single-file build (scripts/build-single.sh) carries the module's bytes inline.
  if (globalThis.COLLAPSE_WASM) return WebAssembly.compile(fromBase64(globalThis.COLLAPSE_WASM));
  const response = await fetch(new URL("pkg/collapse_bg.wasm", import.meta.url));
  if (!response.ok) throw new Error(`the simulation module could not be loaded (HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function main() {
  let module;
  try {
    startEarly();
    module = await compileModule();
    await init({ module_or_path: module });
    startWorkers(module, onWorker);
  } catch (e) {
    status(`The simulation could not start: ${errorText(e)}`, "error");
    return;
  }
  // The start in short tasks, so the page can paint and answer in between.
  await nextTask();
  state.families = JSON.parse(Explorer.families_json());
  state.explorer = new Explorer("");
  buildTabs();
  buildPresets();
  await nextTask();
  bindControls();
  await setUpClassroom({ afterChange, applySetting, ensureCorpus, setPlaying, showGeneration, draw }); // classroom
  await nextTask();
  syncControls();
  await nextTask();
  const link = location.search;
  await loadQuery(link);
  await openLink(link); // classroom: gen, autoplay, ?lesson=N
  document.body.dataset.ready = "true";
}

main();

// Model Collapse Explorer: the page's controller. A thin, dependency-free module: it owns the
// animation loop, the controls and the DOM; the simulation, the scenario schema, the families'
// descriptions, captions and charts live in Rust (WebAssembly). Every control carries
// `data-param="<scenario key>"`; one generic binder sends its value to Rust, which validates it,
// re-simulates, and returns the canonical query string that becomes the address (so a copied
// address reproduces the page exactly). The tabs, the controls shown and "does this view need the
// human text" follow what Rust reports of each family.

import init, { Explorer } from "./pkg/collapse.js";
import { $, $$, state, familyOf, familyOfQuery, status, errorText } from "./state.js";
import { buildMetricFigures, drawAll } from "./figures.js";
import { ANALYSES, computeAnalysis, resetAnalyses } from "./analyses.js";
// Classroom hooks (lesson, embed kit, themes, accessibility): see classroom.js.
import { setUpClassroom, beforeRefresh, afterRefresh, openLink } from "./classroom.js";
import { autoplayAllowed, generationShown, playChanged, playInterval, playStride } from "./a11y.js";

// ---------- the human text ----------

// The bundled human text: inline in the single-file build, else a file beside the page.
async function bundledCorpus() {
  if (typeof globalThis.COLLAPSE_CORPUS === "string") return new TextEncoder().encode(globalThis.COLLAPSE_CORPUS);
  const response = await fetch("data/moby-dick.txt");
  if (!response.ok) throw new Error(`the bundled corpus could not be loaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

const MOBY_DICK = "Moby-Dick by Herman Melville (public domain), bundled with the page";

// Loads the bundled corpus once, before the first view that uses it.
async function ensureCorpus() {
  if (state.corpus) return;
  status("Loading the human text (Moby-Dick)…");
  const bytes = await bundledCorpus();
  const summary = state.explorer.set_corpus(bytes);
  state.corpus = { bytes, name: "Moby-Dick" };
  $("#corpus-summary").textContent = `${MOBY_DICK}: ${summary}.`;
}

// A file the reader chose or dropped: refused before reading when over the size limit.
async function useOwnFile(file) {
  if (file.size > Explorer.max_corpus_bytes()) {
    status(`Your file was not used: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${Explorer.max_corpus_bytes() / 1e6} MB.`, "error");
    return;
  }
  useOwnText(new Uint8Array(await file.arrayBuffer()), file.name);
}

// The reader's own text: on error the message shows and the current text and view stay.
function useOwnText(bytes, name) {
  try {
    const summary = state.explorer.set_corpus(bytes);
    state.corpus = { bytes, name };
    $("#corpus-summary").textContent = name === "Moby-Dick" ? `${MOBY_DICK}: ${summary}.` : `Your text (${name}): ${summary}.`;
    state.generation = 0;
    afterChange(state.explorer.query());
    status(`Retrained on ${name === "Moby-Dick" ? "Moby-Dick" : "your text"} (${summary}).`);
  } catch (e) {
    recoverFrom(e);
    status(`Your text was not used: ${errorText(e)}`, "error");
  }
}

// ---------- errors ----------

// A panic leaves the WebAssembly instance's explorer unusable: rebuild it from the last good
// state, human text included, and redraw.
let recovering = false;
function recoverFrom(e) {
  if (!(e instanceof WebAssembly.RuntimeError) || recovering) return;
  recovering = true;
  try {
    const explorer = new Explorer("");
    if (state.corpus) explorer.set_corpus(state.corpus.bytes);
    explorer.set_query((state.family && state.queries[state.family.key]) ?? "");
    state.explorer = explorer;
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
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toFixed(2);
}

// Reads the explorer's scenario and metrics once per change and sets every control from them.
function syncControls() {
  const scenario = JSON.parse(state.explorer.scenario_json());
  state.scenario = scenario;
  state.family = familyOf(scenario.model);
  state.metrics = JSON.parse(state.explorer.metrics_json());
  state.confidence = JSON.parse(state.explorer.confidence_json());
  for (const input of $$("[data-param]")) {
    const value = lookup(scenario, input.dataset.param);
    if (input.type === "radio") input.checked = input.value === String(value);
    else if (input.dataset.scale === "log") input.value = Math.log10(value);
    else input.value = String(value);
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
      ? `${k} models each train on ${scenario.samples.toLocaleString("en-US")} items, so together they see ${k}× the data every generation. In the charts the thick orange line is the pool (what a reader of the web sees, a model fitted to all their output); thin lines are the models one by one.`
      : "One model. Add models to see whether mixing their outputs slows collapse.";
  return scenario;
}

function controlValue(input) {
  if (input.dataset.scale === "log") return String(Math.round(10 ** Number(input.value)));
  return input.value;
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

// Everything on screen from the explorer's current state.
function refresh() {
  const scenario = syncControls();
  state.generation = Math.min(state.generation, scenario.generations);
  buildMetricFigures();
  resetAnalyses();
  draw();
}

function afterChange(query) {
  for (const note of $$(".control-error")) note.remove();
  state.queries[familyOfQuery(query).key] = query;
  writeAddress(query);
  for (const b of $$("#preset-buttons button")) b.setAttribute("aria-pressed", String(b.dataset.query === query));
  if (query !== state.presetQuery) $("#preset-note").textContent = "";
  beforeRefresh(query); // classroom: the charts' theme
  refresh();
  afterRefresh(query); // classroom: embed/hide, lesson, chart summaries
  status(readyMessage(state.scenario));
}

// The address bar is the share link. In a sandboxed iframe or a file:// page the history API
// may refuse; the page then works the same without it.
function writeAddress(query) {
  try {
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  } catch {
    /* no address to update here */
  }
}

function readyMessage(scenario) {
  return `Simulated ${scenario.generations} generations of ${scenario.samples.toLocaleString("en-US")} samples (seed ${scenario.seed}).`;
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
  new ResizeObserver(() => draw()).observe($(".figures"));
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
  // under prefers-reduced-motion, ten jumps).
  const interval = playInterval(last);
  if (now - state.lastFrame >= interval) {
    state.lastFrame = now;
    showGeneration(state.generation + playStride(last));
    if (state.generation >= last) return setPlaying(false);
  }
  requestAnimationFrame(tick);
}

function showGeneration(t) {
  const last = state.explorer.generations();
  state.generation = Math.max(0, Math.min(last, t));
  draw();
  generationShown(state.generation); // classroom: the live region, except while playing
}

function draw() {
  if (!state.explorer || !state.family) return;
  attempt(() => drawAll(state.generation), "Drawing failed");
}

// ---------- start ----------

async function main() {
  try {
    // The single-file build (scripts/build-single.sh) carries the module's bytes inline.
    await init(globalThis.COLLAPSE_WASM ? { module_or_path: globalThis.COLLAPSE_WASM } : undefined);
  } catch (e) {
    status(`The simulation could not start: ${errorText(e)}`, "error");
    return;
  }
  state.families = JSON.parse(Explorer.families_json());
  state.explorer = new Explorer("");
  buildTabs();
  buildPresets();
  bindControls();
  await setUpClassroom({ afterChange, applySetting, ensureCorpus, setPlaying, showGeneration, draw }); // classroom
  syncControls();
  buildMetricFigures();
  await loadQuery(location.search);
  await openLink(location.search); // classroom: gen, autoplay, ?lesson=N
  document.body.dataset.ready = "true";
}

main();

// Model Collapse Explorer: the page's controller. A thin, dependency-free module: it owns the
// animation loop and the controls; the simulation, the scenario schema and the charts live in
// Rust (WebAssembly). Every control carries `data-param="<scenario key>"`; one generic binder
// sends its value to Rust, which validates it, re-simulates, and returns the canonical query
// string that becomes the address (so a copied address reproduces the page exactly).

import init, { Explorer } from "./pkg/collapse.js";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// What each metric chart shows, in plain words. `log`: drawn on a logarithmic axis.
const METRIC_INFO = {
  mean: { title: "Mean", caption: "Where the fitted bell curve is centred. It wanders as sampling errors pile up.", log: false },
  variance: {
    title: "Variance (spread)",
    caption: "How wide the fitted curve is, on a log scale. With no fresh data it falls generation by generation, and a typical run falls faster than the average.",
    log: true,
  },
  w2_to_human: { title: "Distance to human (W₂)", caption: "How far the model has drifted from the human distribution (2-Wasserstein distance, in standard deviations).", log: false },
  tail_mass: { title: "Tail mass", caption: "Probability the model gives to the rare events: the region beyond the human 1st and 99th percentiles (2% for the human data).", log: false },
  entropy_bits: { title: "Entropy (bits)", caption: "How unpredictable the next word is. Less entropy, blander text.", log: false },
  gini_simpson: { title: "Diversity (Gini–Simpson)", caption: "The chance that two random words differ.", log: false },
  surviving_types: { title: "Surviving words", caption: "How many words the model can still produce. A word that disappears never comes back unless human data brings it.", log: true },
  tail_mass_tokens: { title: "Tail mass", caption: "Probability on the rarer half of the human vocabulary.", log: false },
  tv_to_human: { title: "Distance to human (TV)", caption: "Total variation distance between the model's word frequencies and the human ones (0 = identical, 1 = disjoint).", log: false },
  types_lost: { title: "Words lost per generation", caption: "How many words vanished in this generation.", log: false },
  types: { title: "Vocabulary", caption: "Distinct words the model can still produce.", log: true },
  type_token_ratio: { title: "Type–token ratio", caption: "Distinct words per word of generated text: lower means more repetitive.", log: false },
  distinct_2: { title: "Distinct word pairs", caption: "Share of distinct two-word sequences in generated text.", log: false },
  rare_word_share: { title: "Rare words still possible", caption: "Share of the human text's rare words that the model can still produce.", log: false },
  heldout_perplexity: { title: "Perplexity on held-out human text", caption: "How surprised the model is by real text it never trained on. Rising means it forgets how people write.", log: true },
  repeated_4gram_share: { title: "Repeated phrases", caption: "Share of four-word phrases in generated text that occur more than once.", log: false },
  real_human_share: { title: "Really human", caption: "Share of each generation's new training data that people actually wrote, after contamination and the detector.", log: false },
  training_size: { title: "Training data kept", caption: "Items in each generation's new training data after the detector dropped what it flagged.", log: false },
};
const metricInfo = (model, name) =>
  (model === "tokens" && METRIC_INFO[`${name}_tokens`]) || METRIC_INFO[name] || { title: name, caption: "", log: false };

const VIEW_CAPTIONS = {
  gaussian: (s, t) =>
    t === 0
      ? `Generation 0 is the human distribution (dashed blue). Bars: ${s.samples} human samples. Press Play: each generation fits a bell curve to ${s.samples} samples, then the next generation trains on samples from that fit.`
      : s.model_count > 1
        ? `Bars: ${s.samples} outputs of each of generation ${t}'s ${s.model_count} models, pooled. Orange line: one bell curve fitted to the pool. Grey outline: the generation-0 sample. Dashed blue: the human distribution. Each model's own lineage is in the charts below.`
        : `Bars: the ${s.samples} samples generation ${t} was trained on (blue: fresh human data, orange: made by generation ${t - 1}'s model), stacked. Orange line: the curve fitted to them. Grey outline: the generation-0 sample. Dashed blue: the human distribution.`,
  tokens: (s, t) =>
    t === 0
      ? `Generation 0: the human word frequencies, a Zipf law over ${s.vocab.toLocaleString("en-US")} words (labelled with the words of Moby-Dick, most frequent first). Each generation counts ${s.samples.toLocaleString("en-US")} words drawn from the previous model and uses those counts as its new frequencies.`
      : `Dots: how often generation ${t}'s model uses each word, placed by the word's rank in human text. Dashed blue: the human frequencies. Grey marks along the bottom: words the model can no longer produce. A word drawn zero times is gone for good, unless fresh human data brings it back.`,
  text: (s, t) =>
    t === 0
      ? `Generation 0 is human text: a real passage of the corpus. Highlighted: words that are rare in it (seen once or twice). Each generation trains a ${s.ngram_order}-word model on ${s.samples.toLocaleString("en-US")} words written by the previous generation's model.`
      : `Passages written by the models of successive generations, each starting with the same word. Highlighted: words that are rare in the human text. Generation 1 learns from ${s.samples.toLocaleString("en-US")} words rather than the whole book, so part of its first drop is that smaller sample; every later drop is the photocopy effect. Watch rare words vanish and phrases repeat: the few rare words that survive are drawn again and again, because chance, not the book, now decides what the shrunken vocabulary holds.`,
};

const state = {
  explorer: null,
  scenario: null, // the explorer's scenario, read once per change (not per frame)
  model: "gaussian",
  generation: 0,
  playing: false,
  lastFrame: 0,
  pending: null, // a control change waiting for the next animation frame
  queries: {}, // the last query of each view, so switching views keeps each view's settings
  corpusLoaded: false,
  presetQuery: null, // the canonical query of the preset last applied
  analyses: { stops: 0, mixing: 0 }, // bumped to cancel an on-demand analysis in progress
};

const NEEDS_CORPUS = new Set(["tokens", "text"]);
// Whether a query string opens a view that needs the human text loaded first.
const needsCorpus = (query) => NEEDS_CORPUS.has(new URLSearchParams(query).get("model"));

// The bundled human text: inline in the single-file build, else a file beside the page.
async function bundledCorpus() {
  if (typeof globalThis.COLLAPSE_CORPUS === "string") return new TextEncoder().encode(globalThis.COLLAPSE_CORPUS);
  const response = await fetch("data/moby-dick.txt");
  if (!response.ok) throw new Error(`the bundled corpus could not be loaded (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

// Loads the bundled corpus once, before the first view that needs it.
async function ensureCorpus() {
  if (state.corpusLoaded) return;
  status("Loading the human text (Moby-Dick)…");
  const summary = state.explorer.set_corpus(await bundledCorpus());
  state.corpusLoaded = true;
  $("#corpus-summary").textContent = `Moby-Dick by Herman Melville (public domain), bundled with the page: ${summary}.`;
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
    state.corpusLoaded = true;
    $("#corpus-summary").textContent = `Your text (${name}): ${summary}.`;
    state.generation = 0;
    afterChange(state.explorer.query());
    status(`Retrained on your text (${summary}).`);
  } catch (e) {
    recoverFrom(e);
    status(`Your text was not used: ${errorText(e)}`, "error");
  }
}

function status(message, kind = "info") {
  const el = $("#status");
  el.textContent = message;
  el.className = `status ${kind}`;
}

function errorText(e) {
  if (typeof e === "string") return e;
  if (e instanceof WebAssembly.RuntimeError) return `internal error (${e.message}); details are in the browser console`;
  return e && e.message ? e.message : String(e);
}

// ---------- controls <-> scenario ----------

function lookup(obj, dotted) {
  return dotted.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function formatValue(key, value) {
  if (typeof value !== "number") return String(value);
  if (key === "human_fraction" || key === "filter.keep" || key === "top_p") return `${Math.round(value * 100)}%`;
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return value.toFixed(2);
}

function syncControls() {
  const scenario = JSON.parse(state.explorer.scenario_json());
  state.scenario = scenario;
  for (const input of $$("[data-param]")) {
    const value = lookup(scenario, input.dataset.param);
    if (input.type === "radio") input.checked = input.value === String(value);
    else if (input.dataset.scale === "log") input.value = Math.log10(value);
    else input.value = String(value);
  }
  for (const out of $$("output[data-for]")) out.textContent = formatValue(out.dataset.for, lookup(scenario, out.dataset.for));
  state.model = scenario.model;
  for (const tab of $$("[data-view]")) tab.setAttribute("aria-selected", String(tab.dataset.view === state.model));
  for (const el of $$("[data-views]")) el.hidden = !el.dataset.views.split(" ").includes(state.model);
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

// Applies one key to the scenario; on error the message shows and the controls snap back.
function applySetting(key, value) {
  try {
    const query = state.explorer.set(key, value);
    afterChange(query);
  } catch (e) {
    recoverFrom(e);
    status(`Not applied: ${errorText(e)}`, "error");
    syncControls();
  }
}

// A panic leaves the WebAssembly instance unusable: rebuild the explorer from the last good state.
function recoverFrom(e) {
  if (!(e instanceof WebAssembly.RuntimeError)) return;
  try {
    state.explorer = new Explorer(state.queries[state.model] ?? "");
  } catch (again) {
    console.error(again);
  }
}

function afterChange(query) {
  state.queries[state.model] = query;
  writeAddress(query);
  for (const b of $$("#preset-buttons button")) b.setAttribute("aria-pressed", String(b.dataset.query === query));
  if (query !== state.presetQuery) $("#preset-note").textContent = "";
  resetAnalyses();
  const scenario = syncControls();
  state.generation = Math.min(state.generation, scenario.generations);
  buildMetricFigures();
  draw();
  status(readyMessage(scenario));
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
  $("#stops-run").addEventListener("click", computeStops);
  $("#mixing-run").addEventListener("click", computeMixing);
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
  for (const tab of $$("[data-view]")) tab.addEventListener("click", () => switchView(tab.dataset.view));
  $("#use-text").addEventListener("click", () => useOwnText(new TextEncoder().encode($("#own-text").value), "pasted"));
  $("#own-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (file) await useOwnFile(file);
    e.target.value = "";
  });
  // Dropping a .txt file anywhere on the text view retrains on it.
  document.addEventListener("dragover", (e) => {
    if (state.model !== "text") return;
    e.preventDefault();
    document.body.classList.add("dropping");
  });
  document.addEventListener("dragleave", (e) => {
    if (e.target === document.documentElement || e.target === document.body) document.body.classList.remove("dropping");
  });
  document.addEventListener("drop", async (e) => {
    if (state.model !== "text") return;
    e.preventDefault();
    document.body.classList.remove("dropping");
    const file = e.dataTransfer?.files?.[0];
    if (file) await useOwnFile(file);
  });
  $("#use-moby").addEventListener("click", async () => {
    try {
      useOwnText(await bundledCorpus(), "Moby-Dick");
      $("#corpus-summary").textContent = `Moby-Dick by Herman Melville (public domain), bundled with the page.`;
    } catch (e) {
      status(errorText(e), "error");
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, button")) return;
    if (e.key === " ") {
      e.preventDefault();
      setPlaying(!state.playing);
    } else if (e.key === "ArrowRight") showGeneration(state.generation + 1);
    else if (e.key === "ArrowLeft") showGeneration(state.generation - 1);
  });
  document.addEventListener("visibilitychange", () => document.hidden && setPlaying(false));
  addEventListener("popstate", () => loadQuery(location.search));
  new ResizeObserver(() => draw()).observe($(".figures"));
}

function flushPending() {
  if (!state.pending) return;
  const [key, value] = state.pending;
  state.pending = null;
  applySetting(key, value);
}

async function switchView(model) {
  if (model === state.model) return;
  setPlaying(false);
  state.queries[state.model] = state.explorer.query();
  try {
    if (NEEDS_CORPUS.has(model)) await ensureCorpus();
    const query = state.queries[model] ?? Explorer.default_query(model);
    state.model = model;
    state.generation = 0;
    afterChange(state.explorer.set_query(query));
  } catch (e) {
    recoverFrom(e);
    status(`Could not open that view: ${errorText(e)}`, "error");
    syncControls();
  }
}

async function loadQuery(search) {
  try {
    if (needsCorpus(search)) await ensureCorpus();
    const query = state.explorer.set_query(search.replace(/^\?/, ""));
    afterChange(query);
  } catch (e) {
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
    if (needsCorpus(preset.query)) await ensureCorpus();
    const query = state.explorer.set_query(preset.query);
    button.dataset.query = query;
    state.presetQuery = query;
    state.generation = 0;
    afterChange(query);
    $("#preset-note").textContent = `${preset.title}${preset.paper ? ` (${preset.paper})` : ""}: ${preset.description}`;
    setPlaying(true);
  } catch (e) {
    recoverFrom(e);
    status(`The preset could not be applied: ${errorText(e)}`, "error");
  }
}

// ---------- on-demand analyses ----------

const REPLICATES = { gaussian: 16, tokens: 4, text: 1 };
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function drawAnalysis(canvas, chart) {
  try {
    Explorer.draw_lines(canvas, JSON.stringify(chart), fitCanvas(canvas));
  } catch (e) {
    status(`Drawing failed: ${errorText(e)}`, "error");
  }
}

function resetAnalyses() {
  state.analyses.stops++;
  state.analyses.mixing++;
  for (const [id, title] of [["#stops-chart", "Where does collapse stop? (press Compute)"], ["#mixing-chart", "Many models or one? (press Compute)"]]) {
    drawAnalysis($(id), { title, x_label: "", y_label: "", lines: [] });
  }
  for (const id of ["#stops-progress", "#mixing-progress"]) $(id).hidden = true;
}

// Runs the cells one per task so the page stays responsive; a change of settings cancels it.
async function runCells(name, cells, progress, redraw) {
  const token = ++state.analyses[name];
  const bar = $(progress);
  bar.hidden = false;
  bar.max = cells.length;
  for (let i = 0; i < cells.length; i++) {
    await nextTask();
    if (token !== state.analyses[name]) return false;
    try {
      cells[i].value = state.explorer.final_value(JSON.stringify(cells[i].settings), cells[i].metric, cells[i].replicates);
    } catch (e) {
      recoverFrom(e);
      status(`The analysis stopped: ${errorText(e)}`, "error");
      bar.hidden = true;
      return false;
    }
    bar.value = i + 1;
    redraw();
  }
  bar.hidden = true;
  return true;
}

async function computeStops() {
  const scenario = state.scenario;
  const metric = state.explorer.diversity_metric();
  const info = metricInfo(state.model, metric);
  const replicates = REPLICATES[state.model];
  const fractions = [0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1];
  const sizes = [...new Set([Math.max(10, Math.round(scenario.samples / 4)), scenario.samples, Math.min(1000000, scenario.samples * 4)])];
  const cells = sizes.flatMap((samples) =>
    fractions.map((human_fraction) => ({ samples, human_fraction, metric, replicates, settings: { samples, human_fraction } })),
  );
  const redraw = () =>
    drawAnalysis($("#stops-chart"), {
      title: `${info.title} at generation ${scenario.generations}`,
      x_label: "share of fresh human data",
      y_label: info.title,
      // Distances fall as human data grows, diversity rises: keep the legend off the lines.
      legend: metric === "w2_to_human" ? "upper_right" : "lower_right",
      lines: sizes.map((samples, i) => ({
        label: `${samples.toLocaleString("en-US")} per generation`,
        points: cells.filter((c) => c.samples === samples && c.value !== undefined).map((c) => [c.human_fraction, c.value]),
        color: i,
      })),
    });
  status(`Computing where collapse stops: ${cells.length} settings × ${replicates} runs…`);
  if (await runCells("stops", cells, "#stops-progress", redraw)) status(`Computed where collapse stops (${cells.length * replicates} simulated runs).`);
}

async function computeMixing() {
  const scenario = state.scenario;
  const metric = state.explorer.diversity_metric();
  const info = metricInfo(state.model, metric);
  const replicates = REPLICATES[state.model];
  const k = scenario.model_count > 1 ? scenario.model_count : 4;
  const spreads = [0, 0.25, 0.5, 0.75, 1];
  const total = Math.min(1000000, scenario.samples * k);
  const cells = [
    ...spreads.map((model_spread) => ({ kind: "pool", model_spread, metric, replicates, settings: { model_count: k, model_spread } })),
    { kind: "one-total", metric, replicates, settings: { model_count: 1, samples: total } },
    { kind: "one", metric, replicates, settings: { model_count: 1 } },
  ];
  const flat = (kind) => {
    const c = cells.find((x) => x.kind === kind);
    return c.value === undefined ? [] : [[0, c.value], [1, c.value]];
  };
  const redraw = () =>
    drawAnalysis($("#mixing-chart"), {
      title: `${info.title} at generation ${scenario.generations}`,
      x_label: `how different the ${k} models are (model spread)`,
      y_label: info.title,
      legend: "upper_left",
      lines: [
        { label: `pool of ${k} models, ${scenario.samples.toLocaleString("en-US")} items each`, points: cells.filter((c) => c.kind === "pool" && c.value !== undefined).map((c) => [c.model_spread, c.value]), color: 0 },
        { label: `one model, ${total.toLocaleString("en-US")} items (same total)`, points: flat("one-total"), dashed: true, color: 1 },
        { label: `one model, ${scenario.samples.toLocaleString("en-US")} items`, points: flat("one"), dashed: true, color: 2 },
      ],
    });
  status(`Comparing ${k} models with one: ${cells.length} settings × ${replicates} runs…`);
  if (await runCells("mixing", cells, "#mixing-progress", redraw)) status(`Compared ${k} models with one (${cells.length * replicates} simulated runs).`);
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
}

function tick(now) {
  if (!state.playing) return;
  const last = state.explorer.generations();
  // About eight seconds for a whole run, never faster than 25 generations a second.
  const interval = Math.max(40, Math.min(400, 8000 / last));
  if (now - state.lastFrame >= interval) {
    state.lastFrame = now;
    showGeneration(state.generation + 1);
    if (state.generation >= last) return setPlaying(false);
  }
  requestAnimationFrame(tick);
}

function showGeneration(t) {
  const last = state.explorer.generations();
  state.generation = Math.max(0, Math.min(last, t));
  draw();
}

// ---------- drawing ----------

function fitCanvas(canvas) {
  const scale = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * scale));
  const height = Math.max(1, Math.round(canvas.clientHeight * scale));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return scale;
}

function buildMetricFigures() {
  const names = state.explorer.metric_names();
  const box = $("#metrics");
  if (box.dataset.names !== names.join()) {
    box.dataset.names = names.join();
    box.replaceChildren(
      ...names.map((name) => {
        const info = metricInfo(state.model, name);
        const figure = document.createElement("figure");
        figure.className = "metric";
        const canvas = document.createElement("canvas");
        canvas.dataset.metric = name;
        canvas.setAttribute("aria-label", info.title);
        const caption = document.createElement("figcaption");
        caption.dataset.caption = info.caption;
        figure.append(canvas, caption);
        return figure;
      }),
    );
  }
  // The dashed lines are named by the simulation itself: its theory curves for this scenario.
  const several = state.explorer.model_count() > 1;
  for (const caption of $$("#metrics figcaption")) {
    const theory = state.explorer.theory_labels(caption.previousElementSibling.dataset.metric);
    const dashed = theory.length > 0 ? ` Dashed: ${theory.join("; ")}.` : "";
    const lines = several ? " Thick: the pool; thin: each model." : "";
    caption.textContent = caption.dataset.caption + dashed + lines;
  }
}

function draw() {
  const explorer = state.explorer;
  if (!explorer) return;
  const t = state.generation;
  const last = explorer.generations();
  const scrubber = $("#scrubber");
  scrubber.max = String(last);
  scrubber.value = String(t);
  $("#generation-label").textContent = `${t} of ${last}`;
  const textView = state.model === "text";
  $("#view").hidden = textView;
  $("#passages").hidden = !textView;
  try {
    const view = $("#view");
    if (textView) showPassages(t);
    else explorer.draw_view(view, t, fitCanvas(view));
    for (const canvas of $$("#metrics canvas")) {
      const info = metricInfo(state.model, canvas.dataset.metric);
      explorer.draw_metric(canvas, canvas.dataset.metric, info.title, t, fitCanvas(canvas), info.log);
    }
  } catch (e) {
    recoverFrom(e);
    status(`Drawing failed: ${errorText(e)}`, "error");
  }
  const scenario = state.scenario;
  const caption = VIEW_CAPTIONS[state.model];
  const pool =
    scenario.model_count > 1 && t > 0 && state.model !== "gaussian"
      ? `With ${scenario.model_count} models this shows the pool: one model fitted to all their output, what anyone training on that web would learn. `
      : "";
  $("#view-caption").textContent = caption ? pool + caption(scenario, t) : "";
  showNumbers(JSON.parse(explorer.values_json(t)));
  showDetails(JSON.parse(explorer.details_json(t)), t);
}

// The text view: passages of generation 0 (human) and of evenly spaced generations up to t,
// each starting with the same prompt word, rare human words highlighted.
function showPassages(t) {
  const shown = [...new Set([0, Math.round(t / 3), Math.round((2 * t) / 3), t])].filter((g) => g <= t);
  $("#passages").replaceChildren(
    ...shown.map((g) => {
      const details = JSON.parse(state.explorer.details_json(g));
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
  title.textContent =
    state.model === "text"
      ? `Human words generation ${t}'s model can no longer produce: ${details.lost_count.toLocaleString("en-US")}`
      : `Words lost at generation ${t}: ${details.lost_count.toLocaleString("en-US")}`;
  box.append(title);
  if (details.lost_words.length > 0) {
    const list = document.createElement("span");
    list.className = "lost";
    list.textContent = ` — ${details.lost_words.join(", ")}${details.lost_count > details.lost_words.length ? ", …" : ""}`;
    box.append(list);
  }
}

function showNumbers(values) {
  const rows = Object.entries(values.metrics).map(([name, v]) => {
    const theory = values.theory[name];
    const info = metricInfo(state.model, name);
    const expected = theory === undefined ? "" : `<span class="theory">theory ${fmt(theory)}</span>`;
    return `<div class="number" data-metric="${name}"><span class="name">${info.title}</span><span class="value">${fmt(v)}</span>${expected}</div>`;
  });
  $("#numbers").innerHTML = rows.join("");
}

function fmt(v) {
  if (v === null || !Number.isFinite(v)) return "–";
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toPrecision(3);
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
  state.explorer = new Explorer("");
  buildPresets();
  bindControls();
  syncControls();
  buildMetricFigures();
  const query = location.search.replace(/^\?/, "");
  try {
    if (needsCorpus(query)) await ensureCorpus();
    afterChange(state.explorer.set_query(query));
  } catch (e) {
    recoverFrom(e);
    status(`This link's settings could not be used: ${errorText(e)}. Showing the defaults instead.`, "error");
    draw();
  }
  document.body.dataset.ready = "true";
}

main();

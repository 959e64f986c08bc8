// The embed kit: `embed=1` shows just the main figure and its player, with a link to the full
// explorer; `hide=controls,presets,analyses,numbers` hides parts of the page; `gen` and
// `autoplay` say where a link starts. In an iframe the page posts its height to the embedding
// page as {type: "model-collapse-explorer:height", height} whenever it changes. "Copy embed code"
// writes the <iframe> snippet for the current settings.

import { $, state, status } from "./state.js";

export const HEIGHT_MESSAGE = "model-collapse-explorer:height";
const PRESENTATION = ["embed", "hide", "gen", "autoplay", "lesson"];
const HIDEABLE = ["controls", "presets", "analyses", "numbers"];

// The single file carries its wasm inline and so needs no request: it runs in an opaque-origin
// sandbox. The served page loads its modules and its .wasm from its own origin, which a sandbox
// without allow-same-origin turns into cross-origin requests that the server does not allow.
const singleFile = () => Boolean(globalThis.COLLAPSE_WASM);

/** The sandbox an embedding iframe needs for this build of the page. */
export function sandboxFor(single = singleFile()) {
  // allow-popups(-to-escape-sandbox): "Open the full explorer" opens a normal tab;
  // allow-downloads: the run's numbers can be downloaded (CSV, JSON).
  return single
    ? "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"
    : "allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox";
}

/** The page's address without its query (what a link to it, or an iframe, points to). */
function pageAddress() {
  if (!/^(https?|file):$/.test(location.protocol)) return null;
  return location.href.replace(/[?#].*$/, "");
}

/** The full explorer for the same scenario: the query without the presentation keys. */
function fullExplorerQuery(query) {
  const params = new URLSearchParams(query);
  for (const key of PRESENTATION) params.delete(key);
  return params.toString();
}

/** After every change: the page's parts shown or hidden as the scenario says. */
export function applyPresentation(scenario, query) {
  const body = document.body;
  body.classList.toggle("embed", scenario.embed === 1);
  const hidden = scenario.hide ? scenario.hide.split(",") : [];
  for (const part of HIDEABLE) body.classList.toggle(`hide-${part}`, hidden.includes(part));
  const link = $("#open-full");
  const address = pageAddress();
  link.hidden = scenario.embed !== 1 || address === null;
  if (address !== null) {
    const q = fullExplorerQuery(query);
    link.href = q ? `${address}?${q}` : address;
  }
}

/** Where a link opens: its generation (`gen`) and whether it plays (`autoplay`, unless reduced motion). */
export function openAt(scenario, { showGeneration, setPlaying, autoplayAllowed }) {
  if (scenario.gen > 0) showGeneration(scenario.gen);
  if (scenario.autoplay === 1 && autoplayAllowed()) setPlaying(true);
}

// ---------- height for the embedding page ----------

function postHeight() {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    try {
      window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
    } catch {
      /* no parent to tell */
    }
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

// ---------- the embed code ----------

/** The snippet an article pastes to show the current scenario embedded. */
export function embedCode(query, { generation = 0, title = "Model Collapse Explorer" } = {}) {
  const address = pageAddress();
  if (address === null) return null;
  const params = new URLSearchParams(fullExplorerQuery(query));
  params.set("embed", "1");
  if (generation > 0) params.set("gen", String(generation));
  const src = `${address}?${params.toString()}`;
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const iframe = `<iframe src="${escape(src)}" title="${escape(title)}" loading="lazy" width="100%" height="640" sandbox="${sandboxFor()}" data-model-collapse-explorer></iframe>`;
  const script = `<script>addEventListener("message", (e) => { for (const f of document.querySelectorAll("iframe[data-model-collapse-explorer]")) if (e.source === f.contentWindow && e.data && e.data.type === "${HEIGHT_MESSAGE}") f.height = String(Math.ceil(e.data.height)); });</script>`;
  return `${iframe}\n${script}`;
}

function showEmbedCode() {
  const family = state.family?.label ?? "";
  const code = embedCode(state.explorer.query(), {
    generation: state.generation,
    title: `Model Collapse Explorer${family ? `: ${family}` : ""}`,
  });
  const dialog = $("#embed-dialog");
  const box = $("#embed-code");
  box.value = code ?? "";
  $("#embed-note").textContent = code
    ? "Paste this where the figure should appear. The script lets the frame take the page's height; without it the frame keeps its 640 pixels."
    : "This copy of the page has no address to embed (it was opened from an inline frame). Open it from a web server or from the file itself.";
  dialog.showModal();
  box.focus();
  box.select();
}

async function copyEmbedCode() {
  const box = $("#embed-code");
  box.select();
  try {
    await navigator.clipboard.writeText(box.value);
    $("#embed-note").textContent = "Copied.";
  } catch {
    // No clipboard here (a sandboxed frame, a file:// page): the code is selected for Ctrl+C.
    $("#embed-note").textContent = "The code is selected: press Ctrl+C (⌘C) to copy it.";
  }
}

export function setUpEmbed() {
  $("#embed-open").addEventListener("click", () => {
    try {
      showEmbedCode();
    } catch (e) {
      status(`The embed code could not be made: ${e.message}`, "error");
    }
  });
  $("#embed-copy").addEventListener("click", copyEmbedCode);
  $("#embed-close").addEventListener("click", () => $("#embed-dialog").close());
  if (window.parent !== window) postHeight();
}

// Pictures for articles and slides: any chart as a PNG at print resolution (three times its size
// on screen), and the "generation strip", the main view at generations 0, 5, 10 and 20 side by
// side. Each is drawn afresh by Rust on a canvas of its own, never copied from the screen.

import { $, state, status, errorText } from "./state.js";

const PRINT_SCALE = 3;
const STRIP = [0, 5, 10, 20];

/** Offers `blob` as a download named `name` (an embed's sandbox needs allow-downloads). */
export function saveBlob(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

const save = (canvas, name) => canvas.toBlob((blob) => saveBlob(blob, name), "image/png");

// A canvas `scale` times the size of `like` on screen.
function printCanvas(like, scale = PRINT_SCALE) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(like.clientWidth * scale));
  canvas.height = Math.max(1, Math.round(like.clientHeight * scale));
  return canvas;
}

const shownGeneration = () => Math.min(state.generation, state.explorer.computed());
const base = () => `model-collapse-${state.family.key}-seed-${state.scenario.seed}`;

/** Saves the chart on `canvas` (a metric chart, the confidence chart or the main view). */
export function saveChart(canvas) {
  try {
    const out = printCanvas(canvas);
    const t = shownGeneration();
    if (canvas.id === "view") state.explorer.draw_view(out, t, PRINT_SCALE);
    else if (canvas.dataset.confidence) state.explorer.draw_confidence(out, t, PRINT_SCALE);
    else state.explorer.draw_metric(out, canvas.dataset.metric, t, PRINT_SCALE);
    const what = canvas.id === "view" ? "view" : canvas.dataset.metric ?? "confidence";
    save(out, `${base()}-${what}-generation-${t}.png`);
  } catch (e) {
    status(`The picture could not be made: ${errorText(e)}`, "error");
  }
}

/** Saves the main view at generations 0, 5, 10 and 20 (those the run has), labelled, in a row. */
export function saveStrip() {
  try {
    const view = $("#view");
    const last = state.explorer.computed();
    const generations = STRIP.filter((g) => g <= last);
    const scale = 2;
    const panels = generations.map((g) => {
      const panel = printCanvas(view, scale);
      state.explorer.draw_view(panel, g, scale);
      return panel;
    });
    const [w, h] = [panels[0].width, panels[0].height];
    const label = 28 * scale;
    const strip = document.createElement("canvas");
    strip.width = w * panels.length;
    strip.height = h + label;
    const context = strip.getContext("2d");
    context.fillStyle = getComputedStyle(document.body).backgroundColor || "#fff";
    context.fillRect(0, 0, strip.width, strip.height);
    context.fillStyle = getComputedStyle(document.body).color || "#222";
    context.font = `${16 * scale}px sans-serif`;
    context.textBaseline = "middle";
    panels.forEach((panel, i) => {
      context.drawImage(panel, i * w, label);
      context.fillText(i === 0 && generations[0] === 0 ? "generation 0 (human)" : `generation ${generations[i]}`, i * w + 12 * scale, label / 2);
    });
    save(strip, `${base()}-generations-${generations.join("-")}.png`);
  } catch (e) {
    status(`The strip could not be made: ${errorText(e)}`, "error");
  }
}

/** The buttons: "PNG" under every metric chart (one listener for all), and the main view's. */
export function setUpImages() {
  $("#metrics").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-png]");
    if (button) saveChart(button.closest("figure").querySelector("canvas"));
  });
  $("#view-png").addEventListener("click", () => saveChart($("#view")));
  $("#strip-png").addEventListener("click", saveStrip);
}

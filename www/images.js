// Pictures for articles and slides: any chart as a PNG at print resolution (three times its size
// on screen) or as SVG (at its size on screen, in the page's theme), and the "generation strip",
// the main view at generations 0, 5, 10 and 20 side by side. Each is drawn afresh by Rust, on a
// canvas of its own or into an SVG document, never copied from the screen (the main view by the
// painter worker when the view is too big for the page to keep).

import { $, state, status, errorText } from "./state.js";
import { paintSvg, paintView } from "./simulation.js";

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

// Generation t of the main view drawn on `out` at `scale`, here or (a big view) by the painter.
async function paintOn(out, t, scale) {
  if (state.explorer.draws_view()) return state.explorer.draw_view(out, t, scale);
  const { bitmap } = await paintView(state.explorer.shown_job(), t, out.width, out.height, scale);
  out.getContext("2d").drawImage(bitmap, 0, 0);
  bitmap.close();
}
const base = () => `model-collapse-${state.family.key}-seed-${state.scenario.seed}`;

// The chart on `canvas` (the main view, a metric chart, the confidence chart or an analysis):
// its file name, and how Rust draws it on a canvas (`png`) or as an SVG document (`svg`).
function chartOf(canvas) {
  const [e, t, d] = [state.explorer, shownGeneration(), canvas.dataset];
  if (d.analysis) return { name: `${base()}-${d.analysis}`, png: (out, s) => e.draw_analysis(out, d.analysis, s), svg: (w, h) => e.svg_analysis(canvas, d.analysis, w, h) };
  if (canvas.id === "view") return { name: `${base()}-view-generation-${t}`, png: (out, s) => paintOn(out, t, s), svg: (w, h) => (e.draws_view() ? e.svg_view(canvas, t, w, h) : paintSvg(e.shown_job(), t, w, h)) };
  if (d.confidence) return { name: `${base()}-confidence-generation-${t}`, png: (out, s) => e.draw_confidence(out, t, s), svg: (w, h) => e.svg_confidence(canvas, t, w, h) };
  return { name: `${base()}-${d.metric}-generation-${t}`, png: (out, s) => e.draw_metric(out, d.metric, t, s), svg: (w, h) => e.svg_metric(canvas, d.metric, t, w, h) };
}

/** Saves the chart on `canvas` as a PNG at print resolution, or (`svg`) as an SVG document. */
export async function saveChart(canvas, svg = false) {
  try {
    const chart = chartOf(canvas);
    if (svg) {
      const document = await chart.svg(Math.max(1, Math.round(canvas.clientWidth)), Math.max(1, Math.round(canvas.clientHeight)));
      saveBlob(new Blob([document], { type: "image/svg+xml" }), `${chart.name}.svg`);
      return;
    }
    const out = printCanvas(canvas);
    await chart.png(out, PRINT_SCALE);
    save(out, `${chart.name}.png`);
  } catch (e) {
    status(`The picture could not be made: ${errorText(e)}`, "error");
  }
}

/** Saves the main view at generations 0, 5, 10 and 20 (those the run has), labelled, in a row. */
export async function saveStrip() {
  try {
    const view = $("#view");
    const last = state.explorer.computed();
    const generations = STRIP.filter((g) => g <= last);
    const scale = 2;
    const panels = await Promise.all(
      generations.map(async (g) => {
        const panel = printCanvas(view, scale);
        await paintOn(panel, g, scale);
        return panel;
      }),
    );
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

/** The buttons: "PNG" and "SVG" under every chart (one listener for all), and the strip. */
export function setUpImages() {
  $("#view-panel").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-png], button[data-svg]");
    if (button) saveChart(button.closest("figure").querySelector("canvas"), "svg" in button.dataset);
  });
  $("#strip-png").addEventListener("click", saveStrip);
}

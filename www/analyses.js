// The on-demand analyses ("Where does collapse stop?", "Many models or one?"). Rust plans the
// grid, runs each cell and draws the chart; this module only runs the cells one per task, so the
// page stays responsive, and cancels when the settings change.

import { $, state, status, errorText } from "./state.js";
import { fitCanvas } from "./figures.js";
// classroom: each analysis chart's text summary and data table
import { describeAnalysis } from "./a11y.js";

export const ANALYSES = ["stops", "mixing"];
const runs = { stops: 0, mixing: 0 }; // bumped to cancel an analysis in progress
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export function drawAnalysis(kind) {
  try {
    const canvas = $(`#${kind}-chart`);
    state.explorer.draw_analysis(canvas, kind, fitCanvas(canvas));
    describeAnalysis(kind, canvas); // classroom
  } catch (e) {
    status(`Drawing failed: ${errorText(e)}`, "error");
  }
}

// Forgets every analysis (the settings changed): placeholders with "press Compute".
export function resetAnalyses() {
  for (const kind of ANALYSES) {
    runs[kind]++;
    $(`#${kind}-progress`).hidden = true;
    drawAnalysis(kind);
  }
}

// Runs analysis `kind` to the end, a cell per task; `onError` handles a failed step.
export async function computeAnalysis(kind, onError) {
  const token = ++runs[kind];
  const bar = $(`#${kind}-progress`);
  let progress;
  try {
    progress = JSON.parse(state.explorer.analysis_start(kind));
  } catch (e) {
    onError(e, "The analysis could not start");
    return;
  }
  bar.hidden = false;
  bar.max = progress.total;
  bar.value = 0;
  status(`Computing: ${progress.total} settings × ${progress.replicates} runs…`);
  drawAnalysis(kind);
  while (!progress.done) {
    await nextTask();
    if (token !== runs[kind]) return;
    try {
      progress = JSON.parse(state.explorer.analysis_step(kind));
    } catch (e) {
      bar.hidden = true;
      onError(e, "The analysis stopped");
      return;
    }
    bar.value = progress.completed;
    drawAnalysis(kind);
  }
  bar.hidden = true;
  status(`Computed. ${state.explorer.analysis_summary(kind)}`);
}

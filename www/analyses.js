// The on-demand analyses ("Where does collapse stop?", "Many models or one?"). Rust plans the
// grid, runs each cell and draws the chart; each analysis runs in a worker of its own
// (simulation.js), cell by cell, its chart redrawn as cells arrive, and is cancelled when the
// settings change.

import { $, state, status, errorText } from "./state.js";
import { fitCanvas, later } from "./figures.js";
import { cancelAnalysis, runAnalysis } from "./simulation.js";
// classroom: each analysis chart's text summary and data table
import { describeAnalysis } from "./a11y.js";

export const ANALYSES = ["stops", "mixing"];

export function drawAnalysis(kind) {
  try {
    const canvas = $(`#${kind}-chart`);
    state.explorer.draw_analysis(canvas, kind, fitCanvas(canvas));
    describeAnalysis(kind, canvas); // classroom
  } catch (e) {
    status(`Drawing failed: ${errorText(e)}`, "error");
  }
}

// Forgets every analysis (the settings changed): placeholders with "press Compute", drawn in a
// later task than the change itself.
export function resetAnalyses() {
  for (const kind of ANALYSES) {
    cancelAnalysis(kind);
    $(`#${kind}-progress`).hidden = true;
  }
  later(...ANALYSES.map((kind) => () => drawAnalysis(kind)));
}

// Runs analysis `kind` of the current settings to the end; `onError` handles a failure.
export function computeAnalysis(kind, onError) {
  const job = state.explorer.job();
  const bar = $(`#${kind}-progress`);
  bar.hidden = false;
  bar.value = 0;
  status("Computing the analysis…");
  runAnalysis(
    job,
    state.explorer.query(),
    kind,
    (chart, progress, summary) => {
      if (job !== state.explorer.job()) return;
      try {
        state.explorer.set_analysis(job, kind, chart);
      } catch (e) {
        onError(e, "The analysis could not be shown");
        return;
      }
      bar.max = progress.total;
      bar.value = progress.completed;
      if (progress.completed === 0) status(`Computing: ${progress.total} settings × ${progress.replicates ?? "several"} runs…`);
      drawAnalysis(kind);
      if (progress.done) {
        bar.hidden = true;
        status(`Computed. ${summary}`);
      }
    },
    (message) => {
      bar.hidden = true;
      onError(message, "The analysis stopped");
    },
  );
}

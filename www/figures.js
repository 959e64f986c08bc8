// Drawing: the main view (a chart drawn by Rust, or text passages), one chart per metric, the
// numbers and the family's details. What each metric means, its axis and every caption come from
// Rust (the family's description); this module only places them.

import { $, $$, state, formatNumber } from "./state.js";

// One canvas pixel per device pixel; returns the device-pixel ratio the charts scale by.
export function fitCanvas(canvas) {
  const scale = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * scale));
  const height = Math.max(1, Math.round(canvas.clientHeight * scale));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return scale;
}

// One figure per metric of the current run, rebuilt when the metrics change.
export function buildMetricFigures() {
  const metrics = state.metrics;
  const box = $("#metrics");
  const names = metrics.map((m) => m.key).join();
  if (box.dataset.names !== names) {
    box.dataset.names = names;
    box.replaceChildren(
      ...metrics.map((m) => {
        const figure = document.createElement("figure");
        figure.className = "metric";
        const canvas = document.createElement("canvas");
        canvas.dataset.metric = m.key;
        canvas.setAttribute("aria-label", m.title);
        figure.append(canvas, document.createElement("figcaption"));
        return figure;
      }),
    );
  }
  // The dashed lines are named by the simulation itself: its theory curves for this scenario.
  const several = state.scenario.model_count > 1;
  for (const [i, caption] of $$("#metrics figcaption").entries()) {
    const m = metrics[i];
    const dashed = m.theory.length > 0 ? ` Dashed: ${m.theory.join("; ")}.` : "";
    const lines = several ? " Thick: the pool; thin: each model." : "";
    caption.textContent = m.caption + dashed + lines;
  }
}

// Draws generation `t` everywhere; throws what the simulation throws.
export function drawAll(t) {
  const explorer = state.explorer;
  const last = explorer.generations();
  const scrubber = $("#scrubber");
  scrubber.max = String(last);
  scrubber.value = String(t);
  $("#generation-label").textContent = `${t} of ${last}`;
  const passages = state.family.main_view === "passages";
  const view = $("#view");
  view.hidden = passages;
  $("#passages").hidden = !passages;
  if (passages) showPassages(t);
  else explorer.draw_view(view, t, fitCanvas(view));
  for (const canvas of $$("#metrics canvas")) explorer.draw_metric(canvas, canvas.dataset.metric, t, fitCanvas(canvas));
  $("#view-caption").textContent = explorer.view_caption(t);
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
  title.textContent = details.passage
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
  const rows = state.metrics.map((m) => {
    const row = document.createElement("div");
    row.className = "number";
    row.dataset.metric = m.key;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = m.title;
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = formatNumber(values.metrics[m.key]);
    row.append(name, value);
    const theory = values.theory[m.key];
    if (theory !== undefined) {
      const expected = document.createElement("span");
      expected.className = "theory";
      expected.textContent = `theory ${formatNumber(theory)}`;
      row.append(expected);
    }
    return row;
  });
  $("#numbers").replaceChildren(...rows);
}

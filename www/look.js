// The page's theme: the scenario's `theme` key (auto, light, dark, projector), `auto` following
// the reader's `prefers-color-scheme`. The page's colours are CSS (html[data-theme]); the charts
// drawn by Rust, here and in the painter worker, are told the same look (Explorer.set_theme)
// before they are drawn.

import { Explorer } from "./pkg/collapse.js";
import { $ } from "./state.js";
import { paintLook } from "./simulation.js";

const darkQuery = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;

let chosen = "auto";

/** The look `choice` means here: `auto` becomes light or dark as the reader's system prefers. */
export function resolveTheme(choice) {
  if (choice === "light" || choice === "dark" || choice === "projector") return choice;
  return darkQuery?.matches ? "dark" : "light";
}

/** Applies the `theme` of a canonical query (absent: auto) to the page and to the charts. */
export function applyLook(query) {
  chosen = new URLSearchParams(query).get("theme") ?? "auto";
  const look = resolveTheme(chosen);
  // Set only when it changes: any write restyles the whole page.
  if (document.documentElement.dataset.theme !== look) document.documentElement.dataset.theme = look;
  Explorer.set_theme(look);
  paintLook(look);
  const picker = $("#theme-choice");
  if (picker) picker.value = chosen;
}

/**
 * Binds the theme picker (`apply(key, value)` sets a scenario key) and redraws through
 * `redraw` when the system's light/dark setting changes while the page follows it.
 */
export function setUpLook({ apply, redraw }) {
  $("#theme-choice")?.addEventListener("change", (e) => apply("theme", e.target.value));
  darkQuery?.addEventListener?.("change", () => {
    if (chosen !== "auto") return;
    applyLook("");
    redraw();
  });
}

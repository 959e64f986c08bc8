// The guided lesson: eight chapters (www/lesson.json: the text, each chapter's scenario as a
// share-link query, what to look at, a question for the class). `?lesson=N` opens chapter N;
// the scenario's `lesson` key says which chapter is on screen, so the address is always the link
// to where the class is. ← and → move between chapters, Esc ends the tour.

import { $, $$, state, status } from "./state.js";

// Keys a chapter keeps from the page it replaces (how the page looks, not what it simulates).
const KEPT = ["theme", "embed", "hide"];
// Keys that say how the page is shown rather than what is simulated.
const NOT_SIMULATED = [...KEPT, "gen", "autoplay", "lesson"];

let lesson = null; // the parsed lesson.json
let hooks = null; // { applyQuery, setPlaying, showGeneration, autoplayAllowed }
let shown = 0; // the chapter on screen, 0 for none
let rendered = 0; // the chapter whose text the panel holds
const phone = typeof matchMedia === "function" ? matchMedia("(max-width: 760px)") : null;

async function loadLesson() {
  if (globalThis.COLLAPSE_LESSON) return globalThis.COLLAPSE_LESSON;
  const response = await fetch("lesson.json");
  if (!response.ok) throw new Error(`the lesson could not be loaded (HTTP ${response.status})`);
  return response.json();
}

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));

/** The query that opens chapter `n` (1-based), keeping the current page's look. */
export function chapterQuery(n, current = "") {
  const params = new URLSearchParams(lesson.chapters[n - 1].query);
  const now = new URLSearchParams(current);
  for (const key of KEPT) if (now.has(key)) params.set(key, now.get(key));
  params.set("lesson", String(n));
  return params.toString();
}

/** Opens chapter `n` (1-based): its scenario, its text, its highlights. */
export async function goToChapter(n) {
  if (!lesson) return;
  n = Math.max(1, Math.min(lesson.chapters.length, n));
  hooks.setPlaying(false);
  status(fill(lesson.ui.loading, { n }));
  await hooks.applyQuery(chapterQuery(n, state.explorer.query()));
  const scenario = state.scenario;
  hooks.showGeneration(scenario.gen ?? 0);
  if (scenario.autoplay === 1 && hooks.autoplayAllowed()) hooks.setPlaying(true);
  $("#lesson-title").focus();
}

async function endTour() {
  if (!shown) return;
  await hooks.applyQuery(
    (() => {
      const params = new URLSearchParams(state.explorer.query());
      params.delete("lesson");
      return params.toString();
    })(),
  );
  $("#tour-start").focus();
}

function targets(highlight) {
  const [kind, key] = highlight.includes(":") ? highlight.split(":") : [highlight, ""];
  switch (kind) {
    case "metric":
      return $$(`#metrics canvas[data-metric="${key}"]`).map((c) => c.closest("figure"));
    case "control":
      if (key === "play") return [$("#play")];
      return $$(`[data-param="${key}"]`).map((el) => el.closest("label, fieldset")).filter(Boolean).slice(0, 1);
    case "analysis":
      return [$(`#${key}-chart`)?.closest("figure")].filter(Boolean);
    case "confidence":
      return $$("#metrics canvas[data-confidence]").map((c) => c.closest("figure"));
    case "view":
      return [$(".main-figure")];
    default:
      return [];
  }
}

/** One `tag` element per text. */
const elements = (tag, texts) =>
  texts.map((t) => {
    const el = document.createElement(tag);
    el.textContent = t;
    return el;
  });

function render(n) {
  const chapter = lesson.chapters[n - 1];
  const ui = lesson.ui;
  $("#lesson-count").textContent = fill(ui.chapter, { n, total: lesson.chapters.length });
  $("#lesson-title").textContent = chapter.title;
  $("#lesson-text").replaceChildren(...elements("p", chapter.text));
  $("#lesson-look-label").textContent = ui.look;
  $("#lesson-look").replaceChildren(...elements("li", chapter.look));
  $("#lesson-question-label").textContent = ui.question;
  $("#lesson-question").textContent = chapter.question;
  $("#lesson-prev").disabled = n === 1;
  $("#lesson-next").disabled = n === lesson.chapters.length;
  $("#lesson").dataset.chapter = chapter.id;
  // On a phone the text starts folded (the chart and Play stay on the first screen); a new
  // chapter folds it again.
  if (rendered !== n) $("#lesson-body").open = !phone?.matches;
  rendered = n;
}

/** After every change: the lesson panel and its highlights follow the scenario's `lesson` key. */
export function lessonChanged(scenario) {
  for (const el of $$(".lesson-highlight")) el.classList.remove("lesson-highlight");
  const n = lesson ? scenario.lesson ?? 0 : 0;
  shown = n;
  $("#lesson").hidden = n === 0;
  document.body.classList.toggle("in-lesson", n > 0);
  if (n === 0) return;
  render(n);
  for (const h of lesson.chapters[n - 1].highlight) for (const el of targets(h)) el?.classList.add("lesson-highlight");
}

/** Whether a share link's query says nothing but which chapter to open (then the chapter's own scenario applies). */
export function onlyChapter(query) {
  const params = new URLSearchParams(query);
  if (!params.has("lesson")) return false;
  return [...params.keys()].every((k) => NOT_SIMULATED.includes(k));
}

function onKey(e) {
  if (!shown || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (e.target.closest?.("input, select, textarea, [role=tab], dialog")) return;
  const action = { ArrowRight: () => goToChapter(shown + 1), ArrowLeft: () => goToChapter(shown - 1), Escape: endTour }[e.key];
  if (!action) return;
  // The lesson has the arrow keys while it is open (generations still step with the player's buttons).
  e.preventDefault();
  e.stopPropagation();
  action();
}

/**
 * Loads the lesson and binds its controls. `applyQuery(query)` replaces the scenario (loading
 * the human text if needed) and lets the page take it in.
 */
export async function setUpLesson(h) {
  hooks = h;
  try {
    lesson = await loadLesson();
  } catch (e) {
    $("#tour-start").hidden = true;
    console.error(e);
    return;
  }
  const ui = lesson.ui;
  $("#tour-start").textContent = ui.start;
  $("#lesson-prev").textContent = ui.previous;
  $("#lesson-next").textContent = ui.next;
  $("#lesson-end").textContent = ui.end;
  $("#lesson-keys").textContent = ui.keys;
  if (ui.read) $("#lesson-read").textContent = ui.read;
  $("#tour-start").addEventListener("click", () => goToChapter(1));
  $("#lesson-prev").addEventListener("click", () => goToChapter(shown - 1));
  $("#lesson-next").addEventListener("click", () => goToChapter(shown + 1));
  $("#lesson-end").addEventListener("click", endTour);
  addEventListener("keydown", onKey, true);
}

/** At start: a link that names only a chapter opens that chapter's scenario. */
export async function openLessonLink(query) {
  if (!lesson || !onlyChapter(query)) return;
  const n = Number(new URLSearchParams(query).get("lesson"));
  if (n >= 1 && n <= lesson.chapters.length) await goToChapter(n);
}

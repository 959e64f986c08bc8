// The classroom and article features (guided lesson, embed kit, themes, accessibility), tied to
// the page's controller through a few hooks, so that main.js stays the place where a new scenario
// takes effect:
//   setUpClassroom(page)  once, after the controls are bound
//   beforeRefresh(query)  in afterChange, before the page redraws (the charts' theme)
//   afterRefresh(query)   in afterChange, after it redrew (embed/hide, lesson, chart summaries)
//   openLink(query)       once, after the first share link applied (gen, autoplay, ?lesson=N)
//   figuresChanged()      when a newly arrived run rebuilt the figures (the lesson's highlights)
// and, imported by main.js from a11y.js, the player's reduced-motion branch and its announcements.

import { state, status, errorText, familyOfQuery } from "./state.js";
import { autoplayAllowed, describePage, setUpTabs } from "./a11y.js";
import { applyLook, setUpLook } from "./look.js";
import { applyPresentation, openAt, setUpEmbed } from "./embed.js";
import { lessonChanged, openLessonLink, setUpLesson } from "./lesson.js";

let page = null;

/** Replaces the whole scenario with `query` (loading the human text first if it needs it). */
async function applyQuery(query) {
  try {
    if (familyOfQuery(query).needs_corpus) await page.ensureCorpus();
    state.generation = 0;
    page.afterChange(state.explorer.set_query(query));
  } catch (e) {
    status(`These settings could not be applied: ${errorText(e)}`, "error");
  }
}

/**
 * `controller`: { afterChange, applySetting, ensureCorpus, setPlaying, showGeneration, draw }
 * from main.js.
 */
export async function setUpClassroom(controller) {
  page = controller;
  setUpTabs();
  setUpLook({ apply: controller.applySetting, redraw: controller.draw });
  setUpEmbed();
  await setUpLesson({
    applyQuery,
    setPlaying: controller.setPlaying,
    showGeneration: controller.showGeneration,
    autoplayAllowed,
  });
}

export function beforeRefresh(query) {
  applyLook(query);
}

export function afterRefresh(query) {
  applyPresentation(state.scenario, query);
  lessonChanged(state.scenario);
  describePage();
}

/** When the figures were rebuilt for a newly arrived run: the lesson's highlights follow them. */
export function figuresChanged() {
  lessonChanged(state.scenario);
}

export async function openLink(query) {
  openAt(state.scenario, { showGeneration: page.showGeneration, setPlaying: page.setPlaying, autoplayAllowed });
  await openLessonLink(query.replace(/^\?/, ""));
}

//! The page's side: the settings the reader asks for, the run the worker streams back (see
//! [`crate::stream`]), and every chart and number drawn from it (a big main view is the
//! painter's, [`super::Painter`], in a worker of its own). Nothing here simulates: a
//! change of settings is validated and returned as a canonical query at once, the page sends it
//! to the worker, and the run arrives generation by generation through [`Explorer::receive`].
//! Until the new run's first generation arrives, the previous one stays on screen.

use std::borrow::Cow;

use plotters::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::canvas::{svg_document, Area, Measure};
use super::{analysis_index, js_err, to_json, PageCanvas};
use crate::analysis::Analysis;
use crate::families::{self, FamilyInfo, HumanText, MainView};
use crate::presets::PRESETS;
use crate::render::{self, LineChart, MetricSeries, Target};
use crate::scenario::Scenario;
use crate::sim::TheoryCurve;
use crate::stream::{self, Assembled, Band, Message, PAGE_VIEW_BYTES};

/// Three significant digits (captions are read, not parsed).
fn significant(x: f64) -> String {
    if x != 0.0 && !(1e-3..1e5).contains(&x.abs()) {
        return format!("{x:.2e}");
    }
    let digits = if x == 0.0 { 0 } else { (2 - x.abs().log10().floor() as i32).clamp(0, 12) as usize };
    format!("{x:.digits$}")
}

/// The settings asked for and the run on screen.
#[wasm_bindgen]
pub struct Explorer {
    /// The settings asked for last (the controls show them); their run may still be on its way.
    scenario: Scenario,
    /// Number of the latest settings: the page tags the worker's job with it, and messages of
    /// older jobs are dropped.
    job: u32,
    /// The latest job's run, from its start message until its generation 0 arrives.
    incoming: Option<Assembled>,
    /// What is on screen: a job, its settings and its run as far as it has arrived.
    shown: Option<(u32, Scenario, Assembled)>,
    /// The analyses' charts of the latest settings, in [`AnalysisKind::ALL`] order.
    analyses: [Option<LineChart>; 2],
}

/// The drawing area of a canvas the page passes in.
fn drawing_area(canvas: HtmlCanvasElement) -> Result<Area, JsValue> {
    let backend = PageCanvas::new(canvas).ok_or_else(|| js_err("no 2D context on the canvas"))?;
    Ok(backend.into_drawing_area())
}

/// A chart drawn by `draw` as an SVG document, its text measured on `canvas` (the chart's own
/// canvas on the page).
fn svg(
    canvas: &HtmlCanvasElement,
    width: u32,
    height: u32,
    draw: &dyn Fn(&Area) -> Result<(), JsValue>,
) -> Result<String, JsValue> {
    svg_document(Measure::Canvas(canvas), width, height, draw)
}

/// What the control line of every metric chart is.
const CONTROL_CAPTION: &str = " Blue: the control, “fresh human data only”: the same model trained every generation on fresh human data, so it shows what learning from a finite sample does by itself; the gap between orange and blue is the photocopy effect.";

/// `x`, or `None` (JSON's null) if it is not a finite number, which JSON cannot hold.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// A JSON object of these entries, in this order.
#[derive(Default)]
struct Entries<'a, V>(Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for Entries<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// What [`Explorer::values_json`] replies.
#[derive(Default, Serialize)]
struct Values<'a> {
    generation: usize,
    metrics: Entries<'a, Option<f64>>,
    control: Entries<'a, Option<f64>>,
    theory: Entries<'a, Option<f64>>,
    band: Entries<'a, [Option<f64>; 3]>,
    overflow: Option<usize>,
}

/// A metric as [`Explorer::families_json`] and [`Explorer::metrics_json`] describe it.
#[derive(Serialize)]
struct MetricReply<'a> {
    key: &'a str,
    title: &'a str,
    caption: Cow<'a, str>,
    log: bool,
    /// The labels of its dashed curves (the run on screen's metrics only).
    #[serde(skip_serializing_if = "Option::is_none")]
    theory: Option<Vec<&'a str>>,
}

impl MetricReply<'static> {
    fn of(m: &families::MetricInfo) -> MetricReply<'static> {
        MetricReply { key: m.key, title: m.title, caption: Cow::Borrowed(m.caption), log: m.log, theory: None }
    }
}

/// A family as [`Explorer::families_json`] describes it.
#[derive(Serialize)]
struct FamilyReply {
    key: &'static str,
    label: &'static str,
    summary: &'static str,
    needs_corpus: bool,
    requires_corpus: bool,
    main_view: &'static str,
    headline_metric: &'static str,
    controls: Vec<&'static str>,
    metrics: Vec<MetricReply<'static>>,
}

impl FamilyReply {
    fn of(f: &FamilyInfo) -> FamilyReply {
        FamilyReply {
            key: f.key,
            label: f.label,
            summary: f.summary,
            needs_corpus: f.human_text != HumanText::Unused,
            requires_corpus: f.human_text == HumanText::Required,
            main_view: match f.main_view {
                MainView::Chart => "chart",
                MainView::Passages => "passages",
            },
            headline_metric: f.headline_metric,
            controls: f.all_controls(),
            metrics: f.metrics.iter().map(MetricReply::of).collect(),
        }
    }
}

/// What [`Explorer::progress_json`] replies.
#[derive(Default, Serialize)]
struct ProgressReply {
    complete: bool,
    control: bool,
    band: u32,
    planned: u32,
}

/// What the band adds to a metric's caption: what it is and, where theory gives the average,
/// where the typical run sits relative to it (from the data).
fn band_caption(band: &Band, metric: &str, theory: Option<&TheoryCurve>) -> String {
    let mut caption = format!(
        " Shaded: the middle 80% of {} runs of these settings (10th to 90th percentile); dashed orange: their median. One run is an anecdote; the band is what usually happens.",
        band.replicates
    );
    if band.replicates < band.planned {
        caption.push_str(&format!(" ({} of {} runs so far.)", band.replicates, band.planned));
    }
    let (Some(theory), Some([_, median, _])) = (theory, band.series(metric)) else { return caption };
    let t = median.len().min(theory.values.len()).saturating_sub(1);
    let (mean, typical) = (theory.values[t], median[t]);
    if t > 0 && mean.is_finite() && typical.is_finite() && mean != 0.0 {
        let place = if typical < mean * 0.95 {
            "below it: the typical run has gone further than the average says (a few runs far above pull the average up)"
        } else if typical > mean * 1.05 {
            "above it (a few runs far below pull the average down)"
        } else {
            "close to it"
        };
        caption.push_str(&format!(
            " At generation {t} the average over all runs ({}) is {}; the median run is {}, {place}.",
            theory.label,
            significant(mean),
            significant(typical)
        ));
    }
    caption
}

/// One metric's values across the generations computed so far.
fn column(rows: &[Vec<f64>], names: &[&str], metric: &str) -> Option<Vec<f64>> {
    let m = names.iter().position(|n| *n == metric)?;
    Some(rows.iter().map(|row| row[m]).collect())
}

#[wasm_bindgen]
impl Explorer {
    /// Starts from a URL query string (`""` for the defaults); nothing is on screen until the
    /// worker's run arrives.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<Explorer, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        Ok(Explorer { scenario, job: 1, incoming: None, shown: None, analyses: [None, None] })
    }

    /// Every registered family: `[{"key", "label", "summary", "needs_corpus", "requires_corpus",
    /// "main_view", "headline_metric", "controls", "metrics": [{"key", "title", "caption", "log"}]}]`.
    pub fn families_json() -> String {
        to_json(&families::FAMILIES.iter().map(|f| FamilyReply::of(f)).collect::<Vec<_>>())
    }

    /// Replaces the whole scenario from a query string; returns the canonical query (send it to
    /// the worker as job [`Explorer::job`]). On error nothing changes.
    pub fn set_query(&mut self, query: &str) -> Result<String, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        Ok(self.replace(scenario))
    }

    /// Replaces the scenario from a share link, keeping every valid key: returns `{"query": the
    /// canonical query, "problems": [one plain message per bad parameter]}`.
    pub fn set_query_lenient(&mut self, query: &str) -> String {
        let (scenario, problems) = Scenario::from_query_lenient(query);
        let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let query = self.replace(scenario);
        #[derive(Serialize)]
        struct Reply {
            query: String,
            problems: Vec<String>,
        }
        to_json(&Reply { query, problems })
    }

    /// Changes one key (`filter.kind`, `samples`, ...); returns the canonical query. On error
    /// nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        let scenario = self.scenario.with_setting(key, value).map_err(js_err)?;
        Ok(self.replace(scenario))
    }

    fn replace(&mut self, scenario: Scenario) -> String {
        let query = scenario.to_query();
        self.scenario = scenario;
        self.job += 1;
        self.incoming = None;
        self.analyses = [None, None];
        query
    }

    /// The number of the latest settings (the job the worker computes them as).
    pub fn job(&self) -> u32 {
        self.job
    }

    /// Takes one message of the worker's job `job` (bytes from its `Simulator`). Returns what
    /// changed: `"start"` (a run began), `"first"` (the new run's generation 0 is on screen:
    /// rebuild the figures), `"generation"`, `"control"`, `"band"`, or `"stale"` (an older
    /// job's message, dropped).
    pub fn receive(&mut self, job: u32, bytes: &[u8]) -> Result<String, JsValue> {
        if job != self.job {
            return Ok("stale".into());
        }
        let message = stream::decode(bytes).map_err(js_err)?;
        let family = self.scenario.model.family();
        let kind = match &message {
            Message::Start(_) => "start",
            Message::Generation(_) => "generation",
            Message::Control(_) => "control",
            Message::Band(_) => "band",
        };
        if let Message::Start(header) = message {
            // Small views are kept and drawn here; big ones are the painter's (a worker).
            self.incoming = Some(Assembled::start(family, header).map_err(js_err)?.views_up_to(PAGE_VIEW_BYTES));
            return Ok(kind.into());
        }
        if let Some(mut incoming) = self.incoming.take() {
            incoming.apply(family, message).map_err(js_err)?;
            if incoming.computed() == 0 {
                self.incoming = Some(incoming);
                return Ok(kind.into());
            }
            self.shown = Some((job, self.scenario.clone(), incoming));
            return Ok("first".into());
        }
        match self.shown.as_mut() {
            Some((shown_job, _, shown)) if *shown_job == job => shown.apply(family, message).map_err(js_err)?,
            _ => return Err(js_err("a message arrived before its run started")),
        }
        Ok(kind.into())
    }

    /// About how long the current settings take in this page, in seconds: `{"run": the run and
    /// its control, "band": the band's other replicates, "replicates": R}` (the page scales it
    /// by what it measured).
    pub fn estimate_json(&self) -> String {
        let family = self.scenario.model.family();
        let run = (family.run_seconds)(&self.scenario);
        let control = (family.run_seconds)(&self.scenario.control());
        let replicates = family.band_replicates;
        #[derive(Serialize)]
        struct Reply {
            run: f64,
            band: f64,
            replicates: u32,
        }
        to_json(&Reply { run: run + control, band: run * (replicates.saturating_sub(1)) as f64, replicates })
    }

    /// The canonical query of lighter settings whose run (times `factor`, the page's measured
    /// ratio to the estimate) takes about `seconds` or less: the samples, then the generations,
    /// then the models come down towards the family's defaults, halving at each step.
    pub fn lighter_query(&self, seconds: f64, factor: f64) -> String {
        let family = self.scenario.model.family();
        let cost = |s: &Scenario| ((family.run_seconds)(s) + (family.run_seconds)(&s.control())) * factor;
        let mut scenario = self.scenario.clone();
        for _ in 0..64 {
            if cost(&scenario) <= seconds {
                break;
            }
            let (samples, generations) = (scenario.samples, scenario.generations);
            let step = if samples > family.default_samples {
                ("samples", (samples / 2).max(family.default_samples))
            } else if generations > family.default_generations {
                ("generations", (generations / 2).max(family.default_generations))
            } else if scenario.model_count > 1 {
                ("model_count", scenario.model_count - 1)
            } else {
                ("samples", samples / 2)
            };
            match scenario.with_setting(step.0, &step.1.to_string()) {
                Ok(lighter) if lighter != scenario => scenario = lighter,
                _ => break,
            }
        }
        scenario.to_query()
    }

    /// The largest corpus accepted, in bytes (the page checks a file's size before reading it).
    pub fn max_corpus_bytes() -> usize {
        crate::corpus::MAX_BYTES
    }

    /// The presets: `[{"id", "title", "paper", "description", "query"}, ...]`.
    pub fn presets_json() -> String {
        to_json(&PRESETS)
    }

    /// The canonical query string of the current scenario.
    pub fn query(&self) -> String {
        self.scenario.to_query()
    }

    /// The full current scenario as JSON (every key), for setting the controls.
    pub fn scenario_json(&self) -> String {
        serde_json::to_string(&self.scenario).unwrap_or_default()
    }

    /// The query string of a model family's defaults (for a view opened for the first time).
    pub fn default_query(model: &str) -> Result<String, JsValue> {
        let scenario = Scenario::from_query(&format!("model={model}")).map_err(js_err)?;
        Ok(scenario.to_query())
    }

    /// The family of the run on screen (`""` before the first one arrives): it can differ from
    /// the settings' while a newly chosen view's run is on its way.
    pub fn shown_model(&self) -> String {
        self.shown.as_ref().map_or(String::new(), |(_, s, _)| s.model.family().key.to_string())
    }

    /// Whether the current settings' views will be small enough for the page to draw them
    /// itself, as their family estimates before anything runs: when not, the page starts the
    /// painter worker with the job (see [`PAGE_VIEW_BYTES`]).
    pub fn views_fit_page(&self) -> bool {
        (self.scenario.model.family().view_bytes)(&self.scenario) <= PAGE_VIEW_BYTES
    }

    /// Whether the page draws the run on screen's main view itself (its views are small), or
    /// asks the painter worker (see [`PAGE_VIEW_BYTES`]).
    pub fn draws_view(&self) -> bool {
        self.shown.as_ref().is_some_and(|(_, _, a)| a.view_count() > 0)
    }

    /// The job of the run on screen (0 before the first one arrives): the painter is asked for
    /// its pictures.
    pub fn shown_job(&self) -> u32 {
        self.shown.as_ref().map_or(0, |(job, _, _)| *job)
    }

    /// Whether the run on screen is of the latest settings.
    pub fn current(&self) -> bool {
        self.shown.as_ref().is_some_and(|(job, _, _)| *job == self.job)
    }

    /// Generations after generation 0 of the run on screen (when it is complete).
    pub fn generations(&self) -> u32 {
        self.shown.as_ref().map_or(self.scenario.generations, |(_, _, a)| a.generations as u32)
    }

    /// The last generation of the run on screen computed so far.
    pub fn computed(&self) -> u32 {
        self.shown.as_ref().map_or(0, |(_, _, a)| a.computed().saturating_sub(1) as u32)
    }

    /// `{"complete": the run, "control": arrived, "band": runs folded in, "planned": R}` of the
    /// run on screen.
    pub fn progress_json(&self) -> String {
        to_json(&match &self.shown {
            Some((_, _, a)) => ProgressReply {
                complete: a.complete(),
                control: a.control.is_some(),
                band: a.band.as_ref().map_or(0, |b| b.replicates),
                planned: a.band.as_ref().map_or(0, |b| b.planned),
            },
            None => ProgressReply::default(),
        })
    }

    /// The run on screen's metrics in order, as the charts show them: `[{"key", "title",
    /// "caption", "log", "theory": [labels of its dashed curves]}]`; the caption says what the
    /// metric is and what each line of its chart is.
    pub fn metrics_json(&self) -> String {
        let Some((_, scenario, shown)) = &self.shown else { return "[]".into() };
        let family = scenario.model.family();
        let run = &shown.run;
        let several = !run.lineages.is_empty();
        let list: Vec<MetricReply> = run
            .metric_names
            .iter()
            .map(|name| {
                let mut entry = family.metric(name).map(MetricReply::of).unwrap_or(MetricReply {
                    key: name,
                    title: name,
                    caption: Cow::Borrowed(""),
                    log: false,
                    theory: None,
                });
                let theory: Vec<&str> =
                    run.theory.iter().filter(|c| c.metric == *name).map(|c| c.label.as_str()).collect();
                let mut caption = entry.caption.into_owned();
                caption.push_str(if several {
                    " Thick orange: the pool; thin: each model."
                } else {
                    " Orange: this run."
                });
                if shown.control.as_ref().is_some_and(|c| c.series(name).is_some()) {
                    caption.push_str(CONTROL_CAPTION);
                }
                caption.push_str(" Grey level: the human value.");
                if !theory.is_empty() {
                    caption.push_str(&format!(" Dashed: {}.", theory.join("; ")));
                }
                if let Some(band) = &shown.band {
                    let curve = run.theory.iter().find(|c| c.metric == *name);
                    caption.push_str(&band_caption(band, name, curve));
                }
                entry.caption = Cow::Owned(caption);
                entry.theory = Some(theory);
                entry
            })
            .collect();
        to_json(&list)
    }

    /// The "confidently wrong" chart of the family, if it has one: `{"title", "caption"}` (or
    /// `null`).
    pub fn confidence_json(&self) -> String {
        let family = self.shown.as_ref().map_or(self.scenario.model.family(), |(_, s, _)| s.model.family());
        match family.confidence.and_then(|(own, human)| Some((family.metric(own)?, family.metric(human)?))) {
            Some((own, human)) => {
                #[derive(Serialize)]
                struct Reply {
                    title: &'static str,
                    caption: String,
                }
                to_json(&Reply {
                    title: "Confidently wrong",
                    caption: format!(
                        "Orange: {} — how sure the model is of what it writes itself (lower: more sure). Blue: {} — how badly it predicts real human data (higher: worse). Collapse makes the model more confident while it grows more wrong.",
                        own.title,
                        human.title
                    ),
                })
            }
            None => "null".into(),
        }
    }

    /// Draws the family's "confidently wrong" chart with a marker at generation t.
    pub fn draw_confidence(&self, canvas: HtmlCanvasElement, generation: u32, scale: f64) -> Result<(), JsValue> {
        self.confidence_on(&drawing_area(canvas)?, generation, scale)
    }

    /// [`Explorer::draw_confidence`] as an SVG document of `width` × `height` CSS pixels (text
    /// measured on `canvas`, the chart's canvas on the page).
    pub fn svg_confidence(
        &self,
        canvas: &HtmlCanvasElement,
        generation: u32,
        width: u32,
        height: u32,
    ) -> Result<String, JsValue> {
        svg(canvas, width, height, &|area| self.confidence_on(area, generation, 1.0))
    }

    fn confidence_on(&self, area: &Area, generation: u32, scale: f64) -> Result<(), JsValue> {
        let Some((_, scenario, shown)) = &self.shown else { return Ok(()) };
        let family = scenario.model.family();
        let (own, human) = family.confidence.ok_or_else(|| js_err("this family has no confidence chart"))?;
        let run = &shown.run;
        let own_values = run.series(own).ok_or_else(|| js_err(format!("no metric named {own}")))?;
        let human_values = run.series(human).ok_or_else(|| js_err(format!("no metric named {human}")))?;
        let (own_info, human_info) = (family.metric(own), family.metric(human));
        let series = render::ConfidenceSeries {
            title: "Confidently wrong",
            own: &own_values,
            own_label: own_info.map_or(own, |m| m.title),
            human: &human_values,
            human_label: human_info.map_or(human, |m| m.title),
            log_y: own_info.is_some_and(|m| m.log),
        };
        render::draw_confidence(area, &series, generation as usize, scale).map_err(js_err)
    }

    /// The main view's caption at generation t.
    pub fn view_caption(&self, generation: u32) -> String {
        let Some((_, scenario, shown)) = &self.shown else { return String::new() };
        let t = (generation as usize).min(shown.computed().saturating_sub(1));
        (scenario.model.family().view_caption)(scenario, t)
    }

    /// `{"generation", "metrics": {...}, "control": {...}, "theory": {...}, "band": {metric:
    /// [p10, median, p90]}, "overflow": g|null}` at generation t of the run on screen: its
    /// metrics, its control's, the first theory curve of each metric that has one, the band, and
    /// the first generation at which any metric stopped being a finite number (JSON has no NaN
    /// or infinity: such a value is `null`, and the page says it overflowed).
    pub fn values_json(&self, generation: u32) -> String {
        let Some((_, _, shown)) = &self.shown else {
            return to_json(&Values::default());
        };
        let run = &shown.run;
        let t = (generation as usize).min(run.metrics.len() - 1);
        let row = |names: &[&'static str], rows: &[Vec<f64>]| -> Vec<(&'static str, Option<f64>)> {
            rows.get(t)
                .map_or_else(Vec::new, |values| names.iter().zip(values).map(|(k, &v)| (*k, finite(v))).collect())
        };
        let mut theory: Vec<(&str, Option<f64>)> = Vec::new();
        for curve in run.theory.iter() {
            if theory.iter().all(|(k, _)| *k != curve.metric) {
                theory.push((curve.metric, finite(curve.values[t])));
            }
        }
        let band = shown.band.as_ref().map_or_else(Vec::new, |b| {
            let at = |rows: &[Vec<f64>], m: usize| finite(rows[t][m]);
            b.metric_names
                .iter()
                .enumerate()
                .map(|(m, name)| (name.as_str(), [at(&b.p10, m), at(&b.median, m), at(&b.p90, m)]))
                .collect()
        });
        to_json(&Values {
            generation: t,
            metrics: Entries(row(&run.metric_names, &run.metrics)),
            control: Entries(shown.control.as_ref().map_or_else(Vec::new, |c| row(&c.metric_names, &c.metrics))),
            theory: Entries(theory),
            band: Entries(band),
            overflow: run.metrics.iter().position(|row| row.iter().any(|v| !v.is_finite())),
        })
    }

    /// Family-specific details of generation t for the page's text (the words lost at this
    /// generation; for text also the generation's passage); `{}` when the family has none.
    pub fn details_json(&self, generation: u32) -> String {
        let Some((_, _, shown)) = &self.shown else { return "{}".into() };
        shown.details_json(generation as usize).unwrap_or_else(|_| "{}".into())
    }

    /// Draws generation t's main view on a canvas (families whose main view is a chart).
    pub fn draw_view(&self, canvas: HtmlCanvasElement, generation: u32, scale: f64) -> Result<(), JsValue> {
        self.view_on(&drawing_area(canvas)?, generation, scale)
    }

    /// [`Explorer::draw_view`] as an SVG document of `width` × `height` CSS pixels (text measured
    /// on `canvas`, the view's canvas on the page).
    pub fn svg_view(
        &self,
        canvas: &HtmlCanvasElement,
        generation: u32,
        width: u32,
        height: u32,
    ) -> Result<String, JsValue> {
        svg(canvas, width, height, &|area| self.view_on(area, generation, 1.0))
    }

    fn view_on(&self, area: &Area, generation: u32, scale: f64) -> Result<(), JsValue> {
        let Some((_, _, shown)) = &self.shown else { return Ok(()) };
        shown.draw_view(generation as usize, Target::Canvas(area, std::marker::PhantomData), scale).map_err(js_err)
    }

    /// Draws one metric across generations with a marker at generation t (its title and axis
    /// from the family's description), with its control, theory and band once they arrived.
    pub fn draw_metric(
        &self,
        canvas: HtmlCanvasElement,
        metric: &str,
        generation: u32,
        scale: f64,
    ) -> Result<(), JsValue> {
        self.metric_on(&drawing_area(canvas)?, metric, generation, scale)
    }

    /// [`Explorer::draw_metric`] as an SVG document of `width` × `height` CSS pixels (text
    /// measured on `canvas`, the chart's canvas on the page).
    pub fn svg_metric(
        &self,
        canvas: &HtmlCanvasElement,
        metric: &str,
        generation: u32,
        width: u32,
        height: u32,
    ) -> Result<String, JsValue> {
        svg(canvas, width, height, &|area| self.metric_on(area, metric, generation, 1.0))
    }

    fn metric_on(&self, area: &Area, metric: &str, generation: u32, scale: f64) -> Result<(), JsValue> {
        let Some((_, scenario, shown)) = &self.shown else { return Ok(()) };
        let run = &shown.run;
        let values = run.series(metric).ok_or_else(|| js_err(format!("no metric named {metric}")))?;
        let info = scenario.model.family().metric(metric);
        let theory: Vec<&[f64]> =
            run.theory.iter().filter(|c| c.metric == metric).map(|c| c.values.as_slice()).collect();
        let lineages: Vec<Vec<f64>> = (0..run.lineages.len()).filter_map(|k| run.lineage_series(k, metric)).collect();
        let control = shown.control.as_ref().and_then(|c| column(&c.metrics, &c.metric_names, metric));
        let band = shown.band.as_ref().and_then(|b| b.series(metric));
        let series = MetricSeries {
            title: info.map_or(metric, |m| m.title),
            values: &values,
            theory: &theory,
            lineages: &lineages,
            control: control.as_deref(),
            log_y: info.is_some_and(|m| m.log),
            generations: shown.generations,
            band: band.as_ref().map(|[lo, median, hi]| [lo.as_slice(), median.as_slice(), hi.as_slice()]),
        };
        render::draw_metric(area, &series, generation as usize, scale).map_err(js_err)
    }

    /// Takes the chart of analysis `kind` computed so far by the worker for job `job` (bytes of
    /// its `Simulator::analysis_chart`); an older job's chart is dropped.
    pub fn set_analysis(&mut self, job: u32, kind: &str, bytes: &[u8]) -> Result<(), JsValue> {
        let (i, _) = analysis_index(kind)?;
        if job == self.job {
            self.analyses[i] = Some(postcard::from_bytes(bytes).map_err(js_err)?);
        }
        Ok(())
    }

    /// Draws analysis `kind`: the cells computed so far, or the question and "press Compute".
    pub fn draw_analysis(&self, canvas: HtmlCanvasElement, kind: &str, scale: f64) -> Result<(), JsValue> {
        self.analysis_on(&drawing_area(canvas)?, kind, scale)
    }

    /// [`Explorer::draw_analysis`] as an SVG document of `width` × `height` CSS pixels (text
    /// measured on `canvas`, the analysis' canvas on the page).
    pub fn svg_analysis(
        &self,
        canvas: &HtmlCanvasElement,
        kind: &str,
        width: u32,
        height: u32,
    ) -> Result<String, JsValue> {
        svg(canvas, width, height, &|area| self.analysis_on(area, kind, 1.0))
    }

    fn analysis_on(&self, area: &Area, kind: &str, scale: f64) -> Result<(), JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let placeholder;
        let chart = match &self.analyses[i] {
            Some(chart) => chart,
            None => {
                placeholder = Analysis::placeholder(kind);
                &placeholder
            }
        };
        render::draw_lines(area, chart, scale).map_err(js_err)
    }

    /// The run on screen as a file: one header line (the version, the share link and the command
    /// that prints the rest), then byte for byte what `collapse run --control --theory --format
    /// F` prints for its scenario and seed (F: `csv` or `json`). Only once the run and its
    /// control are complete.
    pub fn export_run(&self, format: &str) -> Result<String, JsValue> {
        let csv = match format {
            "csv" => true,
            "json" => false,
            other => return Err(js_err(format!("format: {other:?} is not one of: csv, json"))),
        };
        let Some((_, scenario, shown)) = self.shown.as_ref().filter(|(_, _, a)| a.complete() && a.control.is_some())
        else {
            return Err(js_err("the run is not complete yet"));
        };
        let query = scenario.to_query();
        let sets: String = query.split('&').filter(|kv| !kv.is_empty()).map(|kv| format!(" --set {kv}")).collect();
        let command = format!("collapse run --control --theory --format {format}{sets}");
        let version = env!("CARGO_PKG_VERSION");
        let link = if query.is_empty() { String::new() } else { format!("?{query}") };
        let mut out = if csv {
            format!("# Model Collapse Explorer {version}, share link {link:?}; the rest is what `{command}` prints\n")
        } else {
            #[derive(Serialize)]
            struct Header<'a> {
                model_collapse_explorer: &'a str,
                share_link: &'a str,
                command: &'a str,
            }
            format!("{}\n", to_json(&Header { model_collapse_explorer: version, share_link: &link, command: &command }))
        }
        .into_bytes();
        crate::export::write_single_run(&mut out, &shown.run, shown.control.as_ref(), true, csv).map_err(js_err)?;
        String::from_utf8(out).map_err(js_err)
    }

    /// The lines of analysis `kind` as drawn now, for the page's text summaries and data tables (a
    /// chart is an image; its data must also be readable as text): `{"title", "x_label",
    /// "y_label", "lines": [{"label", "points": [[x, y], ...], "dashed", "color"}], "legend"}`
    /// (no lines before Compute).
    pub fn analysis_chart_json(&self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        match &self.analyses[i] {
            Some(chart) => serde_json::to_string(chart),
            None => serde_json::to_string(&Analysis::placeholder(kind)),
        }
        .map_err(js_err)
    }

    /// Panics on purpose: the page's recovery from an internal error is tested with it.
    pub fn panic_for_test(&self) {
        panic!("a panic on purpose (panic_for_test)");
    }
}

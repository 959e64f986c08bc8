//! The wasm-bindgen boundary: one `Explorer` handle that holds the scenario and its simulated
//! run in WebAssembly memory. JavaScript passes query strings and canvases in and gets small
//! values (numbers, short JSON, canonical query strings, captions) out; it never parses or formats
//! a scenario, and it knows nothing of the families but what [`Explorer::families_json`] reports.
//! Every export returns `Result`, so a bad input is a message, never a panic; the panic hook
//! turns any remaining bug into a readable console error.

use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use std::sync::Arc;

use crate::analysis::{Analysis, AnalysisKind};
use crate::corpus::Corpus;
use crate::experiment::{Experiment, ViewedRun};
use crate::families::{self, FamilyInfo, HumanText, MainView};
use crate::presets::PRESETS;
use crate::render::{self, MetricSeries, Target};
use crate::scenario::Scenario;
use crate::sim::Run;

mod canvas;
mod look;
mod tables;

pub use canvas::PageCanvas;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn js_err(message: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&message.to_string())
}

/// A scenario and its simulated run (replicate 0, with per-generation views).
#[wasm_bindgen]
pub struct Explorer {
    experiment: Experiment,
    /// The human text (tokenised once; the text model trains on it, the token model takes its
    /// word labels from it). The page loads the bundled corpus or the reader's own text.
    corpus: Option<Arc<Corpus>>,
    run: ViewedRun,
    /// The control arm's run (fresh human data only, see `Scenario::control`), metrics only.
    control: Run,
    /// The analyses of the current scenario, in [`AnalysisKind::ALL`] order, once started.
    analyses: [Option<Analysis>; 2],
}

/// The drawing area of a canvas the page passes in.
fn drawing_area(canvas: HtmlCanvasElement) -> Result<DrawingArea<PageCanvas, Shift>, JsValue> {
    let backend = PageCanvas::new(canvas).ok_or_else(|| js_err("no 2D context on the canvas"))?;
    Ok(backend.into_drawing_area())
}

/// A scenario's experiment, its run with views (replicate 0) and its control's run.
fn simulate(scenario: &Scenario, corpus: Option<&Arc<Corpus>>) -> Result<(Experiment, ViewedRun, Run), JsValue> {
    let experiment = Experiment::new(scenario, corpus).map_err(js_err)?;
    let run = experiment.run_with_views(0);
    let control = experiment.control(corpus).map_err(js_err)?.run(0);
    Ok((experiment, run, control))
}

/// What the control line of every metric chart is.
const CONTROL_CAPTION: &str = " Blue: the control, “fresh human data only”: the same model trained every generation on fresh human data, so it shows what learning from a finite sample does by itself; the gap between orange and blue is the photocopy effect.";

fn finite_or_null(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

fn metric_json(m: &families::MetricInfo) -> Value {
    json!({ "key": m.key, "title": m.title, "caption": m.caption, "log": m.log })
}

fn family_json(f: &FamilyInfo) -> Value {
    json!({
        "key": f.key,
        "label": f.label,
        "summary": f.summary,
        "needs_corpus": f.human_text != HumanText::Unused,
        "requires_corpus": f.human_text == HumanText::Required,
        "main_view": match f.main_view { MainView::Chart => "chart", MainView::Passages => "passages" },
        "headline_metric": f.headline_metric,
        "controls": f.all_controls(),
        "metrics": f.metrics.iter().map(metric_json).collect::<Vec<_>>(),
    })
}

fn analysis_index(kind: &str) -> Result<(usize, AnalysisKind), JsValue> {
    let kind = AnalysisKind::parse(kind).map_err(js_err)?;
    Ok((AnalysisKind::ALL.iter().position(|k| *k == kind).unwrap_or(0), kind))
}

#[wasm_bindgen]
impl Explorer {
    /// Starts from a URL query string (`""` for the defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<Explorer, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        let (experiment, run, control) = simulate(&scenario, None)?;
        Ok(Explorer { experiment, corpus: None, run, control, analyses: [None, None] })
    }

    /// Every registered family: `[{"key", "label", "summary", "needs_corpus", "requires_corpus",
    /// "main_view", "headline_metric", "controls", "metrics": [{"key", "title", "caption", "log"}]}]`.
    pub fn families_json() -> String {
        Value::Array(families::FAMILIES.iter().map(|f| family_json(f)).collect()).to_string()
    }

    /// Replaces the whole scenario from a query string and re-simulates; returns the canonical
    /// query. On error nothing changes.
    pub fn set_query(&mut self, query: &str) -> Result<String, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        self.replace(scenario)
    }

    /// Replaces the scenario from a share link, keeping every valid key: returns `{"query": the
    /// canonical query, "problems": [one plain message per bad parameter]}`. Only an internal
    /// failure (none expected) leaves the scenario unchanged.
    pub fn set_query_lenient(&mut self, query: &str) -> Result<String, JsValue> {
        let (scenario, problems) = Scenario::from_query_lenient(query);
        let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let query = self.replace(scenario)?;
        Ok(json!({ "query": query, "problems": problems }).to_string())
    }

    /// Changes one key (`filter.kind`, `samples`, ...) and re-simulates; returns the canonical
    /// query. On error nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        let scenario = self.experiment.scenario().with_setting(key, value).map_err(js_err)?;
        self.replace(scenario)
    }

    fn replace(&mut self, scenario: Scenario) -> Result<String, JsValue> {
        let (experiment, run, control) = simulate(&scenario, self.corpus.as_ref())?;
        self.experiment = experiment;
        self.run = run;
        self.control = control;
        self.analyses = [None, None];
        Ok(scenario.to_query())
    }

    /// Loads a human corpus (the bundled one or the reader's own text, as bytes) and, if the
    /// current model uses it, re-simulates. Returns a one-line summary. On error (empty, tiny,
    /// huge, binary or non-UTF-8 text) nothing changes.
    pub fn set_corpus(&mut self, bytes: &[u8]) -> Result<String, JsValue> {
        let corpus = Arc::new(Corpus::from_bytes(bytes).map_err(js_err)?);
        let summary = format!("{} words, {} distinct", corpus.word_count(), corpus.word_type_count());
        let (experiment, run, control) = simulate(self.experiment.scenario(), Some(&corpus))?;
        self.corpus = Some(corpus);
        self.experiment = experiment;
        self.run = run;
        self.control = control;
        self.analyses = [None, None];
        Ok(summary)
    }

    /// The largest corpus accepted, in bytes (the page checks a file's size before reading it).
    pub fn max_corpus_bytes() -> usize {
        crate::corpus::MAX_BYTES
    }

    /// The presets: `[{"id", "title", "paper", "description", "query"}, ...]`.
    pub fn presets_json() -> String {
        let list: Vec<Value> = PRESETS
            .iter()
            .map(|p| json!({ "id": p.id, "title": p.title, "paper": p.paper, "description": p.description, "query": p.query }))
            .collect();
        Value::Array(list).to_string()
    }

    /// The canonical query string of the current scenario.
    pub fn query(&self) -> String {
        self.experiment.scenario().to_query()
    }

    /// The full current scenario as JSON (every key), for setting the controls.
    pub fn scenario_json(&self) -> String {
        serde_json::to_string(self.experiment.scenario()).unwrap_or_default()
    }

    /// The query string of a model family's defaults (for a view opened for the first time).
    pub fn default_query(model: &str) -> Result<String, JsValue> {
        let scenario = Scenario::from_query(&format!("model={model}")).map_err(js_err)?;
        Ok(scenario.to_query())
    }

    /// Number of generations after generation 0.
    pub fn generations(&self) -> u32 {
        (self.run.run.metrics.len() - 1) as u32
    }

    /// The current run's metrics in order, as the charts show them: `[{"key", "title",
    /// "caption", "log", "theory": [labels of its dashed curves]}]`; the caption says what the
    /// metric is and what each line of its chart is.
    pub fn metrics_json(&self) -> String {
        let family = self.experiment.family();
        let run = &self.run.run;
        let several = !run.lineages.is_empty();
        let list: Vec<Value> = run
            .metric_names
            .iter()
            .map(|name| {
                let mut entry = family
                    .metric(name)
                    .map(metric_json)
                    .unwrap_or_else(|| json!({ "key": name, "title": name, "caption": "", "log": false }));
                let theory: Vec<&str> =
                    run.theory.iter().filter(|c| c.metric == *name).map(|c| c.label.as_str()).collect();
                let mut caption = entry["caption"].as_str().unwrap_or_default().to_string();
                caption.push_str(if several {
                    " Thick orange: the pool; thin: each model."
                } else {
                    " Orange: this run."
                });
                if self.control.series(name).is_some() {
                    caption.push_str(CONTROL_CAPTION);
                }
                caption.push_str(" Grey level: the human value.");
                if !theory.is_empty() {
                    caption.push_str(&format!(" Dashed: {}.", theory.join("; ")));
                }
                entry["caption"] = json!(caption);
                entry["theory"] = json!(theory);
                entry
            })
            .collect();
        Value::Array(list).to_string()
    }

    /// The "confidently wrong" chart of the family, if it has one: `{"title", "caption"}` (or
    /// `null`).
    pub fn confidence_json(&self) -> String {
        let family = self.experiment.family();
        match family.confidence.and_then(|(own, human)| Some((family.metric(own)?, family.metric(human)?))) {
            Some((own, human)) => json!({
                "title": "Confidently wrong",
                "caption": format!(
                    "Orange: {} — how sure the model is of what it writes itself (lower: more sure). Blue: {} — how badly it predicts real human data (higher: worse). Collapse makes the model more confident while it grows more wrong.",
                    own.title,
                    human.title
                ),
            })
            .to_string(),
            None => "null".into(),
        }
    }

    /// Draws the family's "confidently wrong" chart with a marker at generation t.
    pub fn draw_confidence(&self, canvas: HtmlCanvasElement, generation: u32, scale: f64) -> Result<(), JsValue> {
        let family = self.experiment.family();
        let (own, human) = family.confidence.ok_or_else(|| js_err("this family has no confidence chart"))?;
        let run = &self.run.run;
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
        render::draw_confidence(&drawing_area(canvas)?, &series, generation as usize, scale).map_err(js_err)
    }

    /// The main view's caption at generation t.
    pub fn view_caption(&self, generation: u32) -> String {
        let t = (generation as usize).min(self.run.views.len().saturating_sub(1));
        (self.experiment.family().view_caption)(self.experiment.scenario(), t)
    }

    /// `{"generation", "metrics": {...}, "control": {...}, "theory": {...}, "overflow": g|null}`
    /// at generation t: the run's metrics, its control's, the first theory curve of each metric
    /// that has one, and the first generation at which any metric stopped being a finite number
    /// (JSON has no NaN or infinity: such a value is `null`, and the page says it overflowed).
    pub fn values_json(&self, generation: u32) -> String {
        let run = &self.run.run;
        let t = (generation as usize).min(run.metrics.len() - 1);
        let row = |run: &Run| -> Map<String, Value> {
            let t = t.min(run.metrics.len() - 1);
            run.metric_names.iter().zip(&run.metrics[t]).map(|(k, v)| (k.to_string(), finite_or_null(*v))).collect()
        };
        let mut theory = Map::new();
        for curve in run.theory.iter() {
            theory.entry(curve.metric.to_string()).or_insert_with(|| finite_or_null(curve.values[t]));
        }
        let overflow = run.metrics.iter().position(|row| row.iter().any(|v| !v.is_finite()));
        json!({ "generation": t, "metrics": row(run), "control": row(&self.control), "theory": theory, "overflow": overflow })
            .to_string()
    }

    /// Family-specific details of generation t for the page's text (the words lost at this
    /// generation; for text also the generation's passage); `{}` when the family has none.
    pub fn details_json(&self, generation: u32) -> String {
        let t = (generation as usize).min(self.run.views.len().saturating_sub(1));
        self.run.views.get(t).map(|v| v.details()).unwrap_or_else(|| json!({})).to_string()
    }

    /// Draws generation t's main view on a canvas (families whose main view is a chart).
    pub fn draw_view(&self, canvas: HtmlCanvasElement, generation: u32, scale: f64) -> Result<(), JsValue> {
        let t = (generation as usize).min(self.run.views.len().saturating_sub(1));
        let (Some(view), Some(reference)) = (self.run.views.get(t), self.run.views.first()) else {
            return Err(js_err("this run has no views"));
        };
        let root = drawing_area(canvas)?;
        view.draw(reference.as_ref(), Target::Canvas(&root, std::marker::PhantomData), t, scale).map_err(js_err)
    }

    /// Draws one metric across generations with a marker at generation t (its title and axis
    /// from the family's description).
    pub fn draw_metric(
        &self,
        canvas: HtmlCanvasElement,
        metric: &str,
        generation: u32,
        scale: f64,
    ) -> Result<(), JsValue> {
        let run = &self.run.run;
        let values = run.series(metric).ok_or_else(|| js_err(format!("no metric named {metric}")))?;
        let info = self.experiment.family().metric(metric);
        let theory: Vec<&[f64]> =
            run.theory.iter().filter(|c| c.metric == metric).map(|c| c.values.as_slice()).collect();
        let lineages: Vec<Vec<f64>> = (0..run.lineages.len()).filter_map(|k| run.lineage_series(k, metric)).collect();
        let control = self.control.series(metric);
        let series = MetricSeries {
            title: info.map_or(metric, |m| m.title),
            values: &values,
            theory: &theory,
            lineages: &lineages,
            control: control.as_deref(),
            log_y: info.is_some_and(|m| m.log),
        };
        render::draw_metric(&drawing_area(canvas)?, &series, generation as usize, scale).map_err(js_err)
    }

    /// Plans analysis `kind` (`stops` or `mixing`) for the current scenario, dropping any earlier
    /// progress of it; returns `{"total": cells, "replicates": R}`.
    pub fn analysis_start(&mut self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let analysis = Analysis::plan(kind, self.experiment.scenario()).map_err(js_err)?;
        let reply = json!({ "total": analysis.cells.len(), "replicates": analysis.replicates }).to_string();
        self.analyses[i] = Some(analysis);
        Ok(reply)
    }

    /// Computes the next cell of analysis `kind`; returns `{"completed", "total", "done"}`.
    /// Nothing on screen changes but that analysis's chart.
    pub fn analysis_step(&mut self, kind: &str) -> Result<String, JsValue> {
        let (i, _) = analysis_index(kind)?;
        let corpus = self.corpus.clone();
        let analysis = self.analyses[i]
            .as_mut()
            .ok_or_else(|| js_err("the analysis was not started (or the settings changed)"))?;
        if let Some(cell) = analysis.next_pending() {
            analysis.run_cell(cell, corpus.as_ref()).map_err(js_err)?;
        }
        let done = analysis.next_pending().is_none();
        Ok(json!({ "completed": analysis.completed(), "total": analysis.cells.len(), "done": done }).to_string())
    }

    /// Draws analysis `kind`: the cells computed so far, or the question and "press Compute".
    pub fn draw_analysis(&self, canvas: HtmlCanvasElement, kind: &str, scale: f64) -> Result<(), JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let chart = match &self.analyses[i] {
            Some(analysis) => analysis.chart(),
            None => Analysis::placeholder(kind),
        };
        render::draw_lines(&drawing_area(canvas)?, &chart, scale).map_err(js_err)
    }

    /// The one-line summary of a finished analysis, for the status line.
    pub fn analysis_summary(&self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let analysis = self.analyses[i].as_ref().ok_or_else(|| js_err("the analysis was not started"))?;
        Ok(format!("{}: {} settings × {} runs.", kind.question(), analysis.cells.len(), analysis.replicates))
    }

    /// Panics on purpose: the page's recovery from an internal error is tested with it.
    pub fn panic_for_test(&self) {
        panic!("a panic on purpose (panic_for_test)");
    }
}

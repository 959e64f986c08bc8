//! The wasm-bindgen boundary: one `Explorer` handle that holds the scenario and its simulated
//! run in WebAssembly memory. JavaScript passes query strings and canvases in and gets small
//! values (numbers, short JSON, canonical query strings) out; it never parses or formats a
//! scenario itself. Every export returns `Result`, so a bad input is a message, never a panic;
//! the panic hook turns any remaining bug into a readable console error.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use std::sync::Arc;

use crate::corpus::Corpus;
use crate::experiment::{diversity_metric, Experiment};
use crate::presets::PRESETS;
use crate::render::{self, MetricSeries};
use crate::scenario::Scenario;
use crate::sim::{Run, View};

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
    scenario: Scenario,
    /// The human text (tokenised once; the text model trains on it, the token model takes its
    /// word labels from it). The page loads the bundled corpus or the reader's own text.
    corpus: Option<Arc<Corpus>>,
    experiment: Experiment,
    run: Run,
}

/// The drawing area of a canvas the page passes in.
fn drawing_area(canvas: HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, JsValue> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| js_err("no 2D context on the canvas"))?;
    Ok(backend.into_drawing_area())
}

fn simulate(scenario: &Scenario, corpus: Option<&Arc<Corpus>>) -> Result<(Experiment, Run), JsValue> {
    let experiment = Experiment::new(scenario, corpus).map_err(js_err)?;
    let run = experiment.run(scenario, 0, true);
    Ok((experiment, run))
}

#[wasm_bindgen]
impl Explorer {
    /// Starts from a URL query string (`""` for the defaults).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<Explorer, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        let (experiment, run) = simulate(&scenario, None)?;
        Ok(Explorer { scenario, corpus: None, experiment, run })
    }

    /// Replaces the whole scenario from a query string and re-simulates; returns the canonical
    /// query. On error nothing changes.
    pub fn set_query(&mut self, query: &str) -> Result<String, JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        self.replace(scenario)
    }

    /// Changes one key (`filter.kind`, `samples`, ...) and re-simulates; returns the canonical
    /// query. On error nothing changes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        let scenario = self.scenario.with_setting(key, value).map_err(js_err)?;
        self.replace(scenario)
    }

    fn replace(&mut self, scenario: Scenario) -> Result<String, JsValue> {
        let (experiment, run) = simulate(&scenario, self.corpus.as_ref())?;
        self.scenario = scenario;
        self.experiment = experiment;
        self.run = run;
        Ok(self.scenario.to_query())
    }

    /// Loads a human corpus (the bundled one or the reader's own text, as bytes) and, if the
    /// current model uses it, re-simulates. Returns a one-line summary. On error (empty, tiny,
    /// huge, binary or non-UTF-8 text) nothing changes.
    pub fn set_corpus(&mut self, bytes: &[u8]) -> Result<String, JsValue> {
        let corpus = Arc::new(Corpus::from_bytes(bytes).map_err(js_err)?);
        let summary = format!("{} words, {} distinct", corpus.word_count(), corpus.word_type_count());
        let (experiment, run) = simulate(&self.scenario, Some(&corpus))?;
        self.corpus = Some(corpus);
        self.experiment = experiment;
        self.run = run;
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

    /// The number of models of the current scenario.
    pub fn model_count(&self) -> u32 {
        self.scenario.model_count
    }

    /// The metric that measures the diversity left, for the current family.
    pub fn diversity_metric(&self) -> String {
        diversity_metric(self.scenario.model).to_string()
    }

    /// For the page's on-demand analyses: the current scenario with `settings` (a JSON object of
    /// key: value, dotted keys allowed) applied, run `replicates` times without views; returns
    /// the mean of `metric` (the pool's, with several models) at the last generation. Nothing on
    /// screen changes.
    pub fn final_value(&self, settings: &str, metric: &str, replicates: u32) -> Result<f64, JsValue> {
        let overrides: Map<String, Value> = serde_json::from_str(settings).map_err(js_err)?;
        let mut scenario = self.scenario.clone();
        for (key, value) in overrides {
            let raw = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            scenario = scenario.with_setting(&key, &raw).map_err(js_err)?;
        }
        let experiment = Experiment::new(&scenario, self.corpus.as_ref()).map_err(js_err)?;
        let mut total = 0.0;
        for r in 0..replicates.max(1) {
            let run = experiment.run(&scenario, r, false);
            let series = run.series(metric).ok_or_else(|| js_err(format!("no metric named {metric}")))?;
            total += series[series.len() - 1];
        }
        Ok(total / f64::from(replicates.max(1)))
    }

    /// Draws a line chart described as JSON: `{"title", "x_label", "y_label", "lines": [{"label",
    /// "points": [[x, y], ...], "dashed", "color"}]}`.
    pub fn draw_lines(canvas: HtmlCanvasElement, chart: &str, scale: f64) -> Result<(), JsValue> {
        let chart: render::LineChart = serde_json::from_str(chart).map_err(js_err)?;
        render::draw_lines(&drawing_area(canvas)?, &chart, scale).map_err(js_err)
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

    /// Number of generations after generation 0.
    pub fn generations(&self) -> u32 {
        (self.run.metrics.len() - 1) as u32
    }

    /// The metric names of the current family, in order.
    pub fn metric_names(&self) -> Vec<String> {
        self.run.metric_names.iter().map(|s| s.to_string()).collect()
    }

    /// `{"metrics": {...}, "theory": {...}}` at generation t (theory: the first curve of each
    /// metric that has one).
    pub fn values_json(&self, generation: u32) -> String {
        let t = (generation as usize).min(self.run.metrics.len() - 1);
        let metrics: Map<String, Value> =
            self.run.metric_names.iter().zip(&self.run.metrics[t]).map(|(k, v)| (k.to_string(), json!(v))).collect();
        let mut theory = Map::new();
        for curve in &self.run.theory {
            theory.entry(curve.metric.to_string()).or_insert_with(|| json!(curve.values[t]));
        }
        json!({ "generation": t, "metrics": metrics, "theory": theory }).to_string()
    }

    /// Family-specific details of generation t for the page's text: the words lost at this
    /// generation (tokens) as `{"lost_words": [...], "lost_count": n, "surviving": n}`; for text
    /// also the generation's sample passage as `"passage": [[word, rare], ...]`.
    pub fn details_json(&self, generation: u32) -> String {
        let t = (generation as usize).min(self.run.views.len().saturating_sub(1));
        match self.run.views.get(t) {
            Some(View::Tokens(v)) => {
                json!({ "lost_words": v.lost_words, "lost_count": v.lost_count, "surviving": v.surviving }).to_string()
            }
            Some(View::Text(v)) => {
                let passage: Vec<Value> = v.passage.iter().map(|w| json!([w.text, w.rare])).collect();
                json!({ "passage": passage, "lost_words": v.lost_words, "lost_count": v.lost_count }).to_string()
            }
            _ => "{}".into(),
        }
    }

    /// Labels of the theory curves of a metric (for the legend).
    pub fn theory_labels(&self, metric: &str) -> Vec<String> {
        self.run.theory.iter().filter(|c| c.metric == metric).map(|c| c.label.clone()).collect()
    }

    /// Draws generation t's distribution view on a canvas.
    pub fn draw_view(&self, canvas: HtmlCanvasElement, generation: u32, scale: f64) -> Result<(), JsValue> {
        let t = (generation as usize).min(self.run.views.len().saturating_sub(1));
        let root = drawing_area(canvas)?;
        match (&self.run.views[t], &self.run.views[0], &self.experiment) {
            (View::Gaussian(now), View::Gaussian(reference), _) => {
                render::draw_gaussian(&root, now, reference, t, scale).map_err(js_err)
            }
            (View::Tokens(now), _, Experiment::Tokens(families)) => {
                render::draw_tokens(&root, now, families[0].human_probs(), t, scale).map_err(js_err)
            }
            _ => Err(js_err("this view has no chart")),
        }
    }

    /// Draws one metric across generations with a marker at generation t, headed `title`.
    pub fn draw_metric(
        &self,
        canvas: HtmlCanvasElement,
        metric: &str,
        title: &str,
        generation: u32,
        scale: f64,
        log_y: bool,
    ) -> Result<(), JsValue> {
        let values = self.run.series(metric).ok_or_else(|| js_err(format!("no metric named {metric}")))?;
        let theory: Vec<&[f64]> =
            self.run.theory.iter().filter(|c| c.metric == metric).map(|c| c.values.as_slice()).collect();
        let root = drawing_area(canvas)?;
        let lineages: Vec<Vec<f64>> =
            (0..self.run.lineages.len()).filter_map(|k| self.run.lineage_series(k, metric)).collect();
        let series = MetricSeries { title, values: &values, theory: &theory, lineages: &lineages, log_y };
        render::draw_metric(&root, &series, generation as usize, scale).map_err(js_err)
    }
}

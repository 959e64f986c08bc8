//! The analyses: grids of scenarios around the current one, each cell run for a few replicates
//! and summarised by the family's headline metric at the last generation. The page runs the
//! cells one at a time (so it stays responsive) and draws [`Analysis::chart`]; the command line
//! (`collapse analyse`) runs the same cells and prints one line per cell, with the same numbers.
//!
//! - **Where does collapse stop?** ([`AnalysisKind::Stops`]): the headline metric for each share
//!   of fresh human data, at three training-set sizes (a quarter, the same, four times).
//! - **Many models or one?** ([`AnalysisKind::Mixing`]): the pool of K models, each with a blind
//!   spot, against how much of their blind spots they share (0: distinct, 1: one shared bias),
//!   beside one model with the same blind spot given the same total data, and given one model's
//!   share.

use std::sync::Arc;

use crate::corpus::Corpus;
use crate::experiment::Experiment;
use crate::families::{thousands, MetricInfo};
use crate::render::{Line, LineChart};
use crate::scenario::{Scenario, ScenarioError};

/// The largest training set an analysis asks for (the schema's maximum).
const MAX_SAMPLES: u32 = 1_000_000;
/// Shares of fresh human data in "where does collapse stop?".
const HUMAN_FRACTIONS: [f64; 8] = [0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0];
/// Shares of the blind spots the models have in common, in "many models or one?".
const OVERLAPS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];
/// Each model's blind spot in "many models or one?" when the scenario has none.
const DEFAULT_BLIND_SPOT: f64 = 0.2;
/// Models pooled in "many models or one?" when the scenario has a single one.
const DEFAULT_POOL: u32 = 4;

/// Which analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalysisKind {
    Stops,
    Mixing,
}

impl AnalysisKind {
    pub const ALL: [AnalysisKind; 2] = [AnalysisKind::Stops, AnalysisKind::Mixing];

    /// Its name on the command line and at the wasm boundary.
    pub fn key(self) -> &'static str {
        match self {
            AnalysisKind::Stops => "stops",
            AnalysisKind::Mixing => "mixing",
        }
    }

    /// The question it answers (the page's heading).
    pub fn question(self) -> &'static str {
        match self {
            AnalysisKind::Stops => "Where does collapse stop?",
            AnalysisKind::Mixing => "Many models or one?",
        }
    }

    pub fn parse(key: &str) -> Result<AnalysisKind, String> {
        AnalysisKind::ALL
            .into_iter()
            .find(|a| a.key() == key)
            .ok_or_else(|| format!("unknown analysis `{}`; the analyses are stops, mixing", crate::scenario::clip(key)))
    }
}

/// How a line of the chart is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub dashed: bool,
    /// A single cell drawn as a flat line across the x range (a reference level).
    pub flat: bool,
}

/// One scenario of the grid.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The line it belongs to (index into [`Analysis::series`]).
    pub series: usize,
    /// Its position on the x axis.
    pub x: f64,
    /// The keys it changes from the base scenario and their values (for the output).
    pub settings: Vec<(&'static str, f64)>,
    pub scenario: Scenario,
    /// The mean of the headline metric at the last generation, once computed.
    pub value: Option<f64>,
}

/// A planned analysis of one base scenario, and the cells computed so far.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub kind: AnalysisKind,
    pub base: Scenario,
    /// The family's headline metric.
    pub metric: &'static MetricInfo,
    /// Replicates per cell (the family's choice, so the page finishes in seconds).
    pub replicates: u32,
    pub series: Vec<Series>,
    pub cells: Vec<Cell>,
    pub x_label: String,
    /// Where the legend goes, clear of the lines.
    pub legend: &'static str,
}

impl Analysis {
    /// The cells of analysis `kind` around `base`.
    pub fn plan(kind: AnalysisKind, base: &Scenario) -> Result<Analysis, ScenarioError> {
        let family = base.model.family();
        let metric = family.metric(family.headline_metric).expect("the registry test checks every headline metric");
        let mut series = Vec::new();
        let mut cells = Vec::new();
        let samples = base.samples;
        let (x_label, legend) = match kind {
            AnalysisKind::Stops => {
                let mut sizes =
                    vec![((samples as f64 / 4.0).round() as u32).max(10), samples, samples.saturating_mul(4)];
                for size in &mut sizes {
                    *size = (*size).min(MAX_SAMPLES);
                }
                sizes.dedup();
                for &size in &sizes {
                    series.push(Series {
                        label: format!("{} per generation", thousands(size)),
                        dashed: false,
                        flat: false,
                    });
                    for &fraction in &HUMAN_FRACTIONS {
                        let scenario = Scenario { samples: size, human_fraction: fraction, ..base.clone() };
                        let settings = vec![("samples", f64::from(size)), ("human_fraction", fraction)];
                        cells.push(Cell { series: series.len() - 1, x: fraction, settings, scenario, value: None });
                    }
                }
                // Distances fall as human data grows, diversity rises: keep the legend off the lines.
                let legend = if metric.key == "w2_to_human" { "upper_right" } else { "lower_right" };
                ("share of fresh human data".to_string(), legend)
            }
            AnalysisKind::Mixing => {
                let k = if base.model_count > 1 { base.model_count } else { DEFAULT_POOL };
                let blind = if base.blind_spot > 0.0 { base.blind_spot } else { DEFAULT_BLIND_SPOT };
                let total = samples.saturating_mul(k).min(MAX_SAMPLES);
                let percent = (blind * 100.0).round();
                series.push(Series {
                    label: format!("pool of {k} models, {} items each, each blind to {percent}%", thousands(samples)),
                    dashed: false,
                    flat: false,
                });
                for &overlap in &OVERLAPS {
                    let scenario =
                        Scenario { model_count: k, blind_spot: blind, blind_spot_overlap: overlap, ..base.clone() };
                    let settings =
                        vec![("model_count", f64::from(k)), ("blind_spot", blind), ("blind_spot_overlap", overlap)];
                    cells.push(Cell { series: 0, x: overlap, settings, scenario, value: None });
                }
                series.push(Series {
                    label: format!("one model, {} items (same total)", thousands(total)),
                    dashed: true,
                    flat: true,
                });
                let one_total = Scenario { model_count: 1, samples: total, blind_spot: blind, ..base.clone() };
                let settings = vec![("model_count", 1.0), ("samples", f64::from(total)), ("blind_spot", blind)];
                cells.push(Cell { series: 1, x: 0.0, settings, scenario: one_total, value: None });
                series.push(Series {
                    label: format!("one model, {} items", thousands(samples)),
                    dashed: true,
                    flat: true,
                });
                let one = Scenario { model_count: 1, blind_spot: blind, ..base.clone() };
                let settings = vec![("model_count", 1.0), ("blind_spot", blind)];
                cells.push(Cell { series: 2, x: 0.0, settings, scenario: one, value: None });
                (format!("how much of their blind spots the {k} models share (0: none, 1: all)"), "upper_left")
            }
        };
        for cell in &cells {
            cell.scenario.validate()?;
        }
        Ok(Analysis {
            kind,
            base: base.clone(),
            metric,
            replicates: family.analysis_replicates,
            series,
            cells,
            x_label,
            legend,
        })
    }

    /// The first cell not yet computed.
    pub fn next_pending(&self) -> Option<usize> {
        self.cells.iter().position(|c| c.value.is_none())
    }

    /// How many cells are computed.
    pub fn completed(&self) -> usize {
        self.cells.iter().filter(|c| c.value.is_some()).count()
    }

    /// Computes cell `i`: the mean over replicates 0..R of the headline metric (the pool's, with
    /// several models) at the last generation.
    pub fn run_cell(&mut self, i: usize, human: Option<&Arc<Corpus>>) -> Result<f64, String> {
        let value = self.cell_value(i, human)?;
        self.cells[i].value = Some(value);
        Ok(value)
    }

    /// What [`Analysis::run_cell`] computes for cell `i`, without keeping it (so that cells can
    /// be computed side by side: the command line's threads).
    pub fn cell_value(&self, i: usize, human: Option<&Arc<Corpus>>) -> Result<f64, String> {
        let cell = self.cells.get(i).ok_or_else(|| format!("no cell {i}"))?;
        let experiment = Experiment::new(&cell.scenario, human)?;
        let mut total = 0.0;
        for r in 0..self.replicates {
            let run = experiment.run(r);
            let series = run.series(self.metric.key).ok_or_else(|| format!("no metric named {}", self.metric.key))?;
            total += series[series.len() - 1];
        }
        Ok(total / f64::from(self.replicates))
    }

    /// Computes every cell still pending.
    pub fn run_all(&mut self, human: Option<&Arc<Corpus>>) -> Result<(), String> {
        while let Some(i) = self.next_pending() {
            self.run_cell(i, human)?;
        }
        Ok(())
    }

    /// The chart title: the metric at the last generation.
    pub fn title(&self) -> String {
        format!("{} at generation {}", self.metric.title, self.base.generations)
    }

    /// The chart of the cells computed so far.
    pub fn chart(&self) -> LineChart {
        let (x_lo, x_hi) = self
            .cells
            .iter()
            .filter(|c| !self.series[c.series].flat)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| (lo.min(c.x), hi.max(c.x)));
        let lines = self
            .series
            .iter()
            .enumerate()
            .map(|(s, series)| {
                let done = self.cells.iter().filter(|c| c.series == s).filter_map(|c| Some((c.x, c.value?)));
                let points =
                    if series.flat { done.flat_map(|(_, y)| [(x_lo, y), (x_hi, y)]).collect() } else { done.collect() };
                Line { label: series.label.clone(), points, dashed: series.dashed, color: s }
            })
            .collect();
        LineChart {
            title: self.title(),
            x_label: self.x_label.clone(),
            y_label: self.metric.title.to_string(),
            lines,
            legend: self.legend.to_string(),
        }
    }

    /// The chart shown before anything is computed: the question and how to start.
    pub fn placeholder(kind: AnalysisKind) -> LineChart {
        LineChart {
            title: format!("{} (press Compute)", kind.question()),
            x_label: String::new(),
            y_label: String::new(),
            lines: Vec::new(),
            legend: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_grid_spans_fractions_at_three_sizes_and_mixing_compares_a_pool_with_one_model() {
        let base = Scenario::default();
        let stops = Analysis::plan(AnalysisKind::Stops, &base).unwrap();
        assert_eq!(stops.series.len(), 3);
        assert_eq!(stops.cells.len(), 3 * HUMAN_FRACTIONS.len());
        let sizes: Vec<u32> = stops.cells.iter().map(|c| c.scenario.samples).collect();
        assert_eq!((sizes[0], sizes[8], sizes[16]), (25, 100, 400));
        assert_eq!(stops.replicates, 16);
        assert_eq!(stops.metric.key, "w2_to_human");

        let mixing = Analysis::plan(AnalysisKind::Mixing, &base).unwrap();
        assert_eq!(mixing.cells.len(), OVERLAPS.len() + 2);
        assert!(mixing.cells[..5].iter().all(|c| c.scenario.model_count == DEFAULT_POOL));
        assert_eq!(mixing.cells[5].scenario.samples, 400);
        assert_eq!(mixing.cells[6].scenario, Scenario { model_count: 1, blind_spot: DEFAULT_BLIND_SPOT, ..base });
    }

    #[test]
    fn sizes_stay_in_the_schema_and_duplicates_merge() {
        let big = Scenario { samples: 1_000_000, ..Scenario::default() };
        let stops = Analysis::plan(AnalysisKind::Stops, &big).unwrap();
        assert_eq!(stops.series.len(), 2, "the same and four times merge at the maximum");
        let mixing = Analysis::plan(AnalysisKind::Mixing, &big).unwrap();
        assert_eq!(mixing.cells[5].scenario.samples, 1_000_000);
    }

    #[test]
    fn cells_fill_the_chart_and_flat_lines_span_the_x_range() {
        let base = Scenario { generations: 5, samples: 20, ..Scenario::default() };
        let mut mixing = Analysis::plan(AnalysisKind::Mixing, &base).unwrap();
        mixing.replicates = 2;
        assert!(mixing.chart().lines.iter().all(|l| l.points.is_empty()));
        mixing.run_all(None).unwrap();
        let chart = mixing.chart();
        assert_eq!(chart.lines[0].points.len(), OVERLAPS.len());
        assert_eq!(chart.lines[1].points.iter().map(|p| p.0).collect::<Vec<_>>(), vec![0.0, 1.0]);
        assert_eq!(chart.lines[1].points[0].1, chart.lines[1].points[1].1);
        assert_eq!(chart.title, "Distance to human (W₂) at generation 5");
        // The value is the mean of the metric at the last generation over the replicates.
        let one = Experiment::new(&mixing.cells[6].scenario, None).unwrap();
        let mean = (0..2).map(|r| *one.run(r).series("w2_to_human").unwrap().last().unwrap()).sum::<f64>() / 2.0;
        assert_eq!(mixing.cells[6].value, Some(mean));
    }

    #[test]
    fn unknown_analyses_are_named() {
        assert_eq!(AnalysisKind::parse("mixing"), Ok(AnalysisKind::Mixing));
        assert!(AnalysisKind::parse("sweep").unwrap_err().contains("stops, mixing"));
    }
}

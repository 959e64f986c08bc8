//! The registry of model families: the one list the page, the wasm boundary and the command line
//! ask about families, instead of matching on their names.
//!
//! Each family describes itself in a [`FamilyInfo`] beside its simulation (`sim/<family>/describe.rs`):
//! its key and tab label, its default training-set size and number of generations, whether it
//! needs the human text, its headline metric ("how far has collapse gone"), what each metric means,
//! which controls apply to it, how its main view is captioned, and how a scenario of it is built
//! into a runnable [`Simulation`]. Adding a family is one module plus one line in [`FAMILIES`]
//! (and its own keys in the scenario schema, if it has any).

use std::sync::Arc;

use crate::corpus::Corpus;
use crate::experiment::Simulation;
use crate::scenario::Scenario;
use crate::sim;

/// Every registered family, in the order the page shows them; the first is the default.
pub static FAMILIES: &[&FamilyInfo] = &[&sim::gaussian::FAMILY, &sim::tokens::FAMILY, &sim::text::FAMILY];

/// What a family needs of the human text (the bundled corpus or the reader's own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HumanText {
    /// It does not use it.
    Unused,
    /// It labels its types with the text's words when loaded, and works without it.
    Labels,
    /// It trains on it and cannot run without it.
    Required,
}

/// What the page shows as a family's main view of one generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainView {
    /// A chart drawn by Rust on a canvas.
    Chart,
    /// Passages of text (the generation's details carry them).
    Passages,
}

/// One metric as the reader sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricInfo {
    /// The metric's name in a run (`Run::metric_names`) and in the command line's output.
    pub key: &'static str,
    /// Chart title and table label.
    pub title: &'static str,
    /// What the metric shows, in plain words (the chart's caption).
    pub caption: &'static str,
    /// Drawn on a logarithmic axis.
    pub log: bool,
}

/// A family's description of itself.
pub struct FamilyInfo {
    /// The scenario's `model` value.
    pub key: &'static str,
    /// The page's tab label.
    pub label: &'static str,
    /// One sentence: what is modelled and what collapses.
    pub summary: &'static str,
    pub default_samples: u32,
    pub default_generations: u32,
    pub human_text: HumanText,
    /// The metric that answers "how far has collapse gone" (the analyses plot it).
    pub headline_metric: &'static str,
    /// The family's metrics, in the order its runs report them.
    pub metrics: &'static [MetricInfo],
    /// "Confidently wrong": the metric of the model's confidence in its own output (its entropy or
    /// perplexity on what it generates) and the metric of its error on human data (cross-entropy
    /// or perplexity of human data under the model), in the same unit; the page draws them on one
    /// chart.
    pub confidence: Option<(&'static str, &'static str)>,
    /// The scenario keys of the controls that apply to this family beyond [`SHARED_CONTROLS`].
    pub controls: &'static [&'static str],
    /// Replicates per cell of the page's analyses (the family's cost decides).
    pub analysis_replicates: u32,
    /// Replicate runs in the page's band (median and 10–90% range), so that at the defaults the
    /// band is ready within about a second.
    pub band_replicates: u32,
    /// About how long one run of a scenario takes in the page (seconds, in Chromium on a
    /// 2-core laptop-class machine; see the README's *Performance*): the page warns before
    /// anything that would take more than a few seconds.
    pub run_seconds: fn(&Scenario) -> f64,
    /// About how many bytes generation 0's view of a scenario takes as the worker sends it
    /// (within a factor of 2, tested), known before anything runs: the page starts the worker
    /// that draws big views ([`crate::stream::PAGE_VIEW_BYTES`]) with the job, not after its
    /// first generation.
    pub view_bytes: fn(&Scenario) -> usize,
    /// Rebuilds a view of this family from [`crate::experiment::ShownView::encode`]'s bytes
    /// (the page's worker sends views so encoded).
    pub decode_view: DecodeView,
    pub main_view: MainView,
    /// The main view's caption at generation `t` of `scenario`.
    pub view_caption: fn(&Scenario, usize) -> String,
    /// Builds a scenario of this family into a runnable simulation (fits generation 0, computes
    /// the family's constants once). `human` is the loaded human text, if any.
    pub prepare: Prepare,
}

/// How a family's views are read back (see [`FamilyInfo::decode_view`]).
pub type DecodeView = fn(&[u8]) -> Result<Box<dyn crate::experiment::ShownView>, String>;

/// How a family builds a scenario into a runnable simulation (see [`FamilyInfo::prepare`]).
pub type Prepare = fn(&Scenario, Option<&Arc<Corpus>>) -> Result<Box<dyn Simulation>, String>;

impl FamilyInfo {
    /// The description of metric `key`: the family's own, else one of the loop's (the web's).
    pub fn metric(&self, key: &str) -> Option<&'static MetricInfo> {
        self.metrics.iter().chain(sim::web::WEB_METRIC_INFO).find(|m| m.key == key)
    }

    /// Whether the control of scenario key `key` applies to this family.
    pub fn has_control(&self, key: &str) -> bool {
        SHARED_CONTROLS.contains(&key) || self.controls.contains(&key)
    }

    /// Every control that applies, shared first.
    pub fn all_controls(&self) -> Vec<&'static str> {
        SHARED_CONTROLS.iter().chain(self.controls).copied().collect()
    }
}

/// The controls every family has: the training mix, the generation loop, several models, the web.
pub const SHARED_CONTROLS: &[&str] = &[
    "samples",
    "human_fraction",
    "data",
    "human_data",
    "generations",
    "temperature",
    "seed",
    "model_count",
    "model_spread",
    "blind_spot",
    "blind_spot_overlap",
    "shared_pool",
    "contamination_rate",
    "detector_recall",
    "detector_false_positive_rate",
    "detector_mode",
];

/// The family registered under `key`.
pub fn find(key: &str) -> Option<&'static FamilyInfo> {
    FAMILIES.iter().copied().find(|f| f.key == key)
}

/// The registered keys, in order.
pub fn keys() -> Vec<&'static str> {
    FAMILIES.iter().map(|f| f.key).collect()
}

/// A whole number with thousands separators, as captions print it: 20,000.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sentence a main-view caption starts with when several models are pooled.
pub fn pool_note(s: &Scenario, t: usize) -> String {
    if s.model_count > 1 && t > 0 {
        format!("With {} models this shows the pool: one model fitted to all their output, what anyone training on that web would learn. ", s.model_count)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(
            [thousands(7), thousands(1000), thousands(20_000), thousands(1_234_567)],
            ["7", "1,000", "20,000", "1,234,567"]
        );
    }

    #[test]
    fn keys_are_unique_and_every_family_describes_its_metrics_and_controls() {
        let keys = keys();
        for (i, key) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(key), "{key} is registered twice");
        }
        let schema = Scenario::keys();
        for family in FAMILIES {
            assert!(family.metric(family.headline_metric).is_some(), "{}: headline metric undescribed", family.key);
            if let Some((own, human)) = family.confidence {
                assert!(family.metric(own).is_some() && family.metric(human).is_some(), "{}: confidence", family.key);
            }
            for control in family.all_controls() {
                assert!(schema.iter().any(|k| k == control), "{}: {control} is not a scenario key", family.key);
            }
            let scenario = Scenario::default_for(crate::scenario::FamilyKey::parse(family.key).unwrap());
            assert_eq!((scenario.samples, scenario.generations), (family.default_samples, family.default_generations));
            assert!(!(family.view_caption)(&scenario, 0).is_empty());
        }
    }

    #[test]
    fn every_family_describes_exactly_the_metrics_its_runs_report() {
        let sentences: String =
            (0..60).map(|i| format!("The whale number {i} swam far away from the ship. ")).collect();
        let human = Arc::new(Corpus::from_text(&sentences).unwrap());
        for family in FAMILIES {
            let scenario = Scenario {
                generations: 2,
                samples: 50,
                ..Scenario::default_for(crate::scenario::FamilyKey::parse(family.key).unwrap())
            };
            let run = crate::experiment::Experiment::new(&scenario, Some(&human)).unwrap().run(0);
            let described: Vec<&str> = family.metrics.iter().map(|m| m.key).collect();
            assert_eq!(run.metric_names, described, "{}", family.key);
        }
    }

    #[test]
    fn every_family_knows_its_first_view_size_before_running_and_which_side_of_the_page_limit_it_falls() {
        let sentences: String =
            (0..60).map(|i| format!("The whale number {i} swam far away from the ship. ")).collect();
        let human = Arc::new(Corpus::from_text(&sentences).unwrap());
        let limit = crate::stream::PAGE_VIEW_BYTES;
        let mut scenarios: Vec<Scenario> =
            FAMILIES.iter().map(|f| Scenario::default_for(crate::scenario::FamilyKey::parse(f.key).unwrap())).collect();
        scenarios.push(Scenario::from_query("model_count=8&human=bimodal").unwrap());
        // Word views just under and just over the page's limit (8 bytes a word at generation 0).
        for vocab in [100, limit / 8 - 100, limit / 8 + 100, 100_000] {
            scenarios
                .push(Scenario::from_query(&format!("model=tokens&vocab={vocab}&samples=1000&generations=1")).unwrap());
        }
        for scenario in scenarios {
            let scenario = Scenario { generations: scenario.generations.min(1), ..scenario };
            let family = scenario.model.family();
            let experiment = crate::experiment::Experiment::new(&scenario, Some(&human)).unwrap();
            let actual = experiment.run_with_views(0).views[0].encode().len();
            let estimate = (family.view_bytes)(&scenario);
            let query = scenario.to_query();
            assert!(estimate <= 2 * actual && actual <= 2 * estimate, "{query}: {estimate} estimated, {actual} sent");
            assert_eq!(estimate > limit, actual > limit, "{query}: {estimate} estimated, {actual} sent");
        }
    }
}

//! The one scenario schema: the page's URL state, the command line's input and the WASM API's
//! input are all this struct, with snake_case keys.
//!
//! Parsing is strict: an unknown key, a value of the wrong type, a non-finite number or a value
//! outside its documented range is an error whose message names the key and the allowed range.
//! Keys that do not apply to the chosen `model` are still accepted, so one URL can carry the
//! settings of every view and switching views keeps each view's settings.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::families::{self, FamilyInfo};
use crate::sampling::Bias;
use crate::sim::blind_spot::BlindSpot;

mod codec;
mod presentation;

pub(crate) use codec::clip;
pub use presentation::{Hidden, HideList, ThemeChoice};

/// Which model family is retrained on its own output: the key of a family in the registry
/// ([`crate::families`]), checked when a scenario is read, so a key names a registered family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FamilyKey(&'static str);

impl FamilyKey {
    /// The registered family named `key`, or an error listing the families.
    pub fn parse(key: &str) -> Result<FamilyKey, String> {
        families::find(key).map(|f| FamilyKey(f.key)).ok_or_else(|| {
            format!("unknown model family `{}`; the families are: {}", codec::clip(key), families::keys().join(", "))
        })
    }

    /// The registered family `key`, for code that names one (tests, benchmarks).
    ///
    /// # Panics
    /// If no family of that key is registered.
    #[track_caller]
    pub fn named(key: &str) -> FamilyKey {
        FamilyKey::parse(key).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The family's description in the registry.
    pub fn family(self) -> &'static FamilyInfo {
        families::find(self.0).expect("a FamilyKey only holds registered keys")
    }
}

impl Default for FamilyKey {
    /// The first registered family.
    fn default() -> Self {
        FamilyKey(families::FAMILIES[0].key)
    }
}

impl fmt::Display for FamilyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for FamilyKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for FamilyKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        FamilyKey::parse(&key).map_err(serde::de::Error::custom)
    }
}

/// Where each generation's human share comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HumanData {
    /// Drawn fresh from the human distribution every generation.
    Fresh,
    /// One human sample, drawn once before generation 1 and reused every generation (the
    /// setting of several papers: a fixed real dataset mixed with ever newer synthetic data).
    Fixed,
}

/// What the provenance detector does with what it flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorMode {
    /// Flagged items are dropped.
    Drop,
    /// Flagged items count with a lower weight: how likely they are to be human, given the flag,
    /// relative to unflagged items (importance reweighting toward human text; see `sim::web`).
    Reweight,
}

/// What each generation trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataRegime {
    /// Train on this generation's training set only.
    Replace,
    /// Train on everything gathered so far, human and synthetic (Gerstgrasser et al. 2024).
    Accumulate,
}

/// How the Gaussian family estimates the variance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarianceEstimator {
    /// Maximum likelihood: divide by M. E[variance_t] = ((M-1)/M)^t.
    Mle,
    /// Divide by M-1: the mean variance stays 1, yet almost every run still collapses.
    Unbiased,
}

/// The human distribution of the Gaussian family (every option has mean 0 and variance 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HumanDistribution {
    /// N(0, 1).
    Normal,
    /// A scale mixture 0.9 N(0, s^2) + 0.1 N(0, 9 s^2), s^2 = 1/1.8: heavy tails (kurtosis 8.3)
    /// that a single Gaussian cannot represent, so they are lost at the first generation.
    HeavyTailed,
    /// 0.5 N(-0.8, 0.6^2) + 0.5 N(0.8, 0.6^2): two modes a single Gaussian merges into one.
    Bimodal,
}

/// Which synthetic samples survive the filter before training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterKind {
    /// Keep everything.
    None,
    /// Keep the samples the current model finds most likely (conformity).
    Quality,
    /// Keep a subset that preserves as many distinct values or types as possible.
    Diversity,
}

/// A filter on each generation's synthetic data. The model oversamples `samples / keep`
/// synthetic items, the filter keeps `keep` of them, so the training set size stays `samples`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Filter {
    pub kind: FilterKind,
    /// Fraction of the oversampled synthetic data that is kept, in [0.05, 1].
    pub keep: f64,
}

impl Default for Filter {
    fn default() -> Self {
        Filter { kind: FilterKind::None, keep: 0.5 }
    }
}

/// Every setting of a simulation. See [`Scenario::ranges`] for the allowed values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// The model family.
    pub model: FamilyKey,
    /// Number of generations after generation 0 (the human data).
    pub generations: u32,
    /// Training-set size per generation (samples, tokens or words).
    pub samples: u32,
    /// Share of each generation's training set drawn fresh from the human distribution.
    pub human_fraction: f64,
    /// `replace` or `accumulate`.
    pub data: DataRegime,
    /// `fresh` (a new human sample every generation) or `fixed` (one sample, reused).
    pub human_data: HumanData,
    /// Sampling bias when a model generates: Gaussian N(mu, T sigma^2); tokens and text p^(1/T).
    pub temperature: f64,
    /// Nucleus truncation when tokens or text are generated: keep the smallest set of most
    /// likely types whose probability reaches `top_p`. 1 means no truncation.
    pub top_p: f64,
    /// Filter on the synthetic data before training.
    pub filter: Filter,
    /// Seed of the portable generator; replicate r of a multi-run uses stream r.
    pub seed: u32,

    /// Gaussian: how the variance is estimated.
    pub variance_estimator: VarianceEstimator,
    /// Gaussian: the human distribution.
    pub human: HumanDistribution,

    /// Tokens: number of word types in the vocabulary.
    pub vocab: u32,
    /// Tokens: exponent s of the human Zipf law p_k ∝ k^-s.
    pub zipf_exponent: f64,

    /// Text: n-gram order (1 = unigram, 2 = bigram, 3 = trigram).
    pub ngram_order: u32,

    /// Number of different models trained side by side each generation (1 to 8).
    pub model_count: u32,
    /// How different the models' forms are, 0 (identical) to 1: n-gram orders (text) or single
    /// normals and mixtures (Gaussian); see [`Scenario::model_form`].
    pub model_spread: f64,
    /// Each model's blind spot: the share of the human distribution it cannot generate (see
    /// `sim::blind_spot`).
    pub blind_spot: f64,
    /// The share of each blind spot that every model has (1: one shared bias; 0: distinct).
    pub blind_spot_overlap: f64,
    /// Share of each model's synthetic training data taken from the pooled output of all models
    /// (0: independent lineages, each training on its own output; 1: all train on the pool).
    pub shared_pool: f64,
    /// The web fills with AI text: the share of new web content written by the models of the
    /// day. Scraped "human" data at generation t then holds a share c (t-1)/t of model text
    /// (see `sim::contaminated_share`).
    pub contamination_rate: f64,
    /// Share of synthetic items among the scraped data that a provenance detector flags
    /// (flagged items are dropped before training).
    pub detector_recall: f64,
    /// Share of real human items among the scraped data that the detector wrongly flags (and so
    /// drops: human data lost).
    pub detector_false_positive_rate: f64,
    /// `drop` what the detector flags, or `reweight` it toward likely-human text.
    pub detector_mode: DetectorMode,

    // Presentation: how the page shows the run (the simulation ignores these; see
    // `presentation.rs`).
    /// 1: the page is embedded: just the main figure, its player and a link to the full explorer.
    pub embed: u32,
    /// Parts of the page to hide: `controls`, `presets`, `analyses`, `numbers`.
    pub hide: HideList,
    /// The generation the page opens at (at most `generations`).
    pub gen: u32,
    /// 1: the page starts playing when it opens (not under `prefers-reduced-motion`).
    pub autoplay: u32,
    /// `auto` (the reader's light or dark setting), `light`, `dark` or `projector`.
    pub theme: ThemeChoice,
    /// The chapter of the guided lesson on screen (1 to 8), or 0 for none.
    pub lesson: u32,
}

impl Default for Scenario {
    /// The defaults of the first registered family.
    fn default() -> Self {
        Scenario::default_for(FamilyKey::default())
    }
}

impl Scenario {
    /// The defaults of one model family: the shared keys take the same defaults everywhere except
    /// the training-set size and the number of generations, which each family sets for itself
    /// (100 Gaussian samples, 10,000 tokens, 20,000 words of text).
    pub fn default_for(model: FamilyKey) -> Scenario {
        let family = model.family();
        Scenario { model, samples: family.default_samples, generations: family.default_generations, ..Scenario::base() }
    }

    fn base() -> Scenario {
        Scenario {
            model: FamilyKey::default(),
            generations: 100,
            samples: 100,
            human_fraction: 0.0,
            data: DataRegime::Replace,
            human_data: HumanData::Fresh,
            temperature: 1.0,
            top_p: 1.0,
            filter: Filter::default(),
            seed: 1,
            variance_estimator: VarianceEstimator::Mle,
            human: HumanDistribution::Normal,
            vocab: 10_000,
            zipf_exponent: 1.1,
            ngram_order: 2,
            model_count: 1,
            model_spread: 0.0,
            blind_spot: 0.0,
            blind_spot_overlap: 0.0,
            shared_pool: 0.0,
            contamination_rate: 0.0,
            detector_recall: 0.0,
            detector_false_positive_rate: 0.0,
            detector_mode: DetectorMode::Drop,
            embed: 0,
            hide: HideList::default(),
            gen: 0,
            autoplay: 0,
            theme: ThemeChoice::Auto,
            lesson: 0,
        }
    }
}

/// One model's own form in a multi-model run (see [`Scenario::model_form`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelForm {
    /// Text: the model's n-gram order.
    pub ngram_order: u32,
    /// Gaussian: a two-component mixture rather than a single normal.
    pub gaussian_mixture: bool,
}

/// An error in a scenario, naming the offending key where there is one.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The key at fault (`filter.keep` for nested keys), or empty for a malformed document.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

pub(crate) fn err(key: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError { key: key.to_string(), message: message.into() }
}

/// The allowed interval of a numeric key, inclusive at both ends.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub key: &'static str,
    pub min: f64,
    pub max: f64,
}

/// Numeric ranges, one row per key: validation, the page's sliders and the docs read this table.
pub const RANGES: &[Range] = &[
    Range { key: "generations", min: 1.0, max: 2000.0 },
    Range { key: "samples", min: 2.0, max: 1_000_000.0 },
    Range { key: "human_fraction", min: 0.0, max: 1.0 },
    Range { key: "temperature", min: 0.05, max: 5.0 },
    Range { key: "top_p", min: 0.01, max: 1.0 },
    Range { key: "filter.keep", min: 0.05, max: 1.0 },
    Range { key: "seed", min: 0.0, max: u32::MAX as f64 },
    Range { key: "vocab", min: 2.0, max: 100_000.0 },
    Range { key: "zipf_exponent", min: 0.0, max: 3.0 },
    Range { key: "ngram_order", min: 1.0, max: 3.0 },
    Range { key: "model_count", min: 1.0, max: 8.0 },
    Range { key: "model_spread", min: 0.0, max: 1.0 },
    Range { key: "blind_spot", min: 0.0, max: 0.4 },
    Range { key: "blind_spot_overlap", min: 0.0, max: 1.0 },
    Range { key: "shared_pool", min: 0.0, max: 1.0 },
    Range { key: "contamination_rate", min: 0.0, max: 1.0 },
    Range { key: "detector_recall", min: 0.0, max: 1.0 },
    Range { key: "detector_false_positive_rate", min: 0.0, max: 1.0 },
    Range { key: "embed", min: 0.0, max: 1.0 },
    Range { key: "gen", min: 0.0, max: 2000.0 },
    Range { key: "autoplay", min: 0.0, max: 1.0 },
    Range { key: "lesson", min: 0.0, max: LESSON_CHAPTERS as f64 },
];

/// Chapters of the guided lesson (`www/lesson.json`; a test checks the file has exactly these).
pub const LESSON_CHAPTERS: u32 = 8;

impl Scenario {
    /// The form of model `k` of `model_count`. Models sit at evenly spaced positions z_k from
    /// -1 to 1 (z = 0 for a single model); with spread s: ngram_order_k = ngram_order +
    /// round(s z_k), clamped to 1..3 (text), and for the Gaussian every second model (k odd) is
    /// a two-component mixture when s > 0. At s = 0 every model has the scenario's form. (Models
    /// differ in what they cannot generate by their blind spots: [`Scenario::blind_spot_of`].)
    pub fn model_form(&self, k: u32) -> ModelForm {
        let z = if self.model_count > 1 { 2.0 * f64::from(k) / f64::from(self.model_count - 1) - 1.0 } else { 0.0 };
        ModelForm {
            ngram_order: (f64::from(self.ngram_order) + (self.model_spread * z).round()).clamp(1.0, 3.0) as u32,
            gaussian_mixture: self.model_spread > 0.0 && k % 2 == 1,
        }
    }

    /// The scenario as model `k` of a multi-model run sees it: its own n-gram order.
    pub fn for_model(&self, k: u32) -> Scenario {
        Scenario { ngram_order: self.model_form(k).ngram_order, ..self.clone() }
    }

    /// The sampling bias every model generates with.
    pub fn sampling_bias(&self) -> Bias {
        Bias { temperature: self.temperature, top_p: self.top_p }
    }

    /// Model `k`'s blind spot (see `sim::blind_spot`).
    pub fn blind_spot_of(&self, k: u32) -> BlindSpot {
        BlindSpot::of_model(k, self.model_count, self.blind_spot, self.blind_spot_overlap)
    }

    /// The control arm of this scenario: the same model family and settings trained every
    /// generation on `samples` fresh human items only — no synthetic data, no filter, no web,
    /// one model without a blind spot, `replace`. It shows what learning from a finite sample
    /// does by itself; the gap between it and the run is the photocopy effect.
    pub fn control(&self) -> Scenario {
        Scenario {
            human_fraction: 1.0,
            data: DataRegime::Replace,
            human_data: HumanData::Fresh,
            filter: Filter { kind: FilterKind::None, ..self.filter },
            model_count: 1,
            model_spread: 0.0,
            blind_spot: 0.0,
            blind_spot_overlap: 0.0,
            shared_pool: 0.0,
            contamination_rate: 0.0,
            detector_recall: 0.0,
            detector_false_positive_rate: 0.0,
            ..self.clone()
        }
    }

    /// The number of fresh human items in a training set of `samples` (rounded to the nearest).
    pub fn human_count(&self) -> usize {
        (self.human_fraction * self.samples as f64).round() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_family_is_named_in_a_short_message() {
        let e = FamilyKey::parse(&"x".repeat(5000)).unwrap_err();
        assert!(e.contains("…") && e.chars().count() < 200 && e.ends_with("gaussian, tokens, text"), "{e}");
    }

    #[test]
    fn model_forms_spread_evenly_and_coincide_at_zero_spread() {
        let s = Scenario { model_count: 3, model_spread: 1.0, top_p: 0.9, ngram_order: 2, ..Scenario::default() };
        let f: Vec<ModelForm> = (0..3).map(|k| s.model_form(k)).collect();
        assert_eq!(f.iter().map(|f| f.ngram_order).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(f.iter().map(|f| f.gaussian_mixture).collect::<Vec<_>>(), vec![false, true, false]);
        let same = Scenario { model_count: 5, model_spread: 0.0, ..s.clone() };
        assert!((0..5).all(|k| same.model_form(k) == same.model_form(0)));
        assert_eq!(Scenario::default().model_form(0), ModelForm { ngram_order: 2, gaussian_mixture: false });
        // Every model samples with the scenario's bias; blind spots are off by default.
        assert_eq!(s.sampling_bias(), Bias { temperature: 1.0, top_p: 0.9 });
        assert!((0..3).all(|k| s.blind_spot_of(k).is_empty()));
        let blind = Scenario { blind_spot: 0.2, model_count: 4, ..Scenario::default() };
        assert!((blind.blind_spot_of(3).mass() - 0.2).abs() < 1e-12);
    }
}

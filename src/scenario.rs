//! The one scenario schema: the page's URL state, the command line's input and the WASM API's
//! input are all this struct, with snake_case keys.
//!
//! Parsing is strict: an unknown key, a value of the wrong type, a non-finite number or a value
//! outside its documented range is an error whose message names the key and the allowed range.
//! Keys that do not apply to the chosen `model` are still accepted, so one URL can carry the
//! settings of every view and switching views keeps each view's settings.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Which model family is retrained on its own output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// A 1-D Gaussian refit by maximum likelihood (Shumailov et al., Nature 2024).
    Gaussian,
    /// A categorical distribution over a Zipf vocabulary (Wright–Fisher drift).
    Tokens,
    /// A word n-gram language model retrained on its own text.
    Text,
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
    pub model: ModelKind,
    /// Number of generations after generation 0 (the human data).
    pub generations: u32,
    /// Training-set size per generation (samples, tokens or words).
    pub samples: u32,
    /// Share of each generation's training set drawn fresh from the human distribution.
    pub human_fraction: f64,
    /// `replace` or `accumulate`.
    pub data: DataRegime,
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
    /// How different the models' biases are, 0 (identical) to 1; see [`Scenario::model_bias`].
    pub model_spread: f64,
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
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::default_for(ModelKind::Gaussian)
    }
}

impl Scenario {
    /// The defaults of one model family: the shared keys take the same defaults everywhere except
    /// the training-set size and the number of generations, which are scaled to the family (100
    /// Gaussian samples, 10,000 tokens, 20,000 words of text).
    pub fn default_for(model: ModelKind) -> Scenario {
        let (samples, generations) = match model {
            ModelKind::Gaussian => (100, 100),
            ModelKind::Tokens => (10_000, 100),
            ModelKind::Text => (20_000, 20),
        };
        Scenario { model, samples, generations, ..Scenario::base() }
    }

    fn base() -> Scenario {
        Scenario {
            model: ModelKind::Gaussian,
            generations: 100,
            samples: 100,
            human_fraction: 0.0,
            data: DataRegime::Replace,
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
            shared_pool: 0.0,
            contamination_rate: 0.0,
            detector_recall: 0.0,
            detector_false_positive_rate: 0.0,
        }
    }
}

/// One model's own bias and form in a multi-model run (see [`Scenario::model_bias`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelBias {
    pub temperature: f64,
    pub top_p: f64,
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

fn err(key: &str, message: impl Into<String>) -> ScenarioError {
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
    Range { key: "shared_pool", min: 0.0, max: 1.0 },
    Range { key: "contamination_rate", min: 0.0, max: 1.0 },
    Range { key: "detector_recall", min: 0.0, max: 1.0 },
    Range { key: "detector_false_positive_rate", min: 0.0, max: 1.0 },
];

impl Scenario {
    /// The numeric ranges of every key.
    pub fn ranges() -> &'static [Range] {
        RANGES
    }

    /// Parses a JSON document strictly, then validates it.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| err("", format!("the scenario is not valid JSON ({e})")))?;
        Scenario::from_value(value)
    }

    /// Deserializes a JSON value strictly, then validates it.
    pub fn from_value(value: Value) -> Result<Scenario, ScenarioError> {
        let Value::Object(given) = value else {
            return Err(err("", "the scenario must be a JSON object of key: value pairs"));
        };
        // Missing keys take the defaults of the named model family.
        let model = match given.get("model") {
            Some(m) => serde_json::from_value::<ModelKind>(m.clone()).map_err(|e| err("model", e.to_string()))?,
            None => ModelKind::Gaussian,
        };
        let mut value = serde_json::to_value(Scenario::default_for(model)).map_err(|e| err("", e.to_string()))?;
        merge(&mut value, Value::Object(given));
        // Ranges first, on the raw numbers, so that 5e9 for a u32 key reads "out of range" rather
        // than a type error.
        check_ranges(&value)?;
        let scenario: Scenario = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let key = if path == "." { String::new() } else { path };
            err(&key, e.into_inner().to_string())
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks every numeric key against [`RANGES`].
    pub fn validate(&self) -> Result<(), ScenarioError> {
        check_ranges(&serde_json::to_value(self).map_err(|e| err("", e.to_string()))?)
    }

    /// Applies one `key=value` override (`--set` on the command line, one URL parameter on the
    /// page). Nested keys use a dot: `filter.kind=quality`. The result is validated.
    pub fn with_setting(&self, key: &str, raw: &str) -> Result<Scenario, ScenarioError> {
        let mut value = serde_json::to_value(self).map_err(|e| err("", e.to_string()))?;
        set_path(&mut value, key, parse_scalar(key, raw)?)?;
        Scenario::from_value(value)
    }

    /// Reads a JSON document and applies `key=value` overrides to it before the defaults fill in,
    /// so `model=text` brings the text model's defaults for every key not given (the command
    /// line's `--scenario` with `--set`).
    pub fn from_json_with_settings(text: &str, settings: &[(String, String)]) -> Result<Scenario, ScenarioError> {
        let mut value: Value = if text.trim().is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_str(text).map_err(|e| err("", format!("the scenario is not valid JSON ({e})")))?
        };
        if !value.is_object() {
            return Err(err("", "the scenario must be a JSON object of key: value pairs"));
        }
        for (key, raw) in settings {
            set_path(&mut value, key, parse_scalar(key, raw)?)?;
        }
        Scenario::from_value(value)
    }

    /// Reads a URL query string (`?model=tokens&top_p=0.9&filter.kind=quality`), starting from
    /// the defaults. Values are percent-decoded. Any bad parameter is an error naming it.
    pub fn from_query(query: &str) -> Result<Scenario, ScenarioError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut value = Value::Object(Map::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(key).ok_or_else(|| err("", format!("malformed URL parameter `{pair}`")))?;
            let raw = percent_decode(raw).ok_or_else(|| err(&key, format!("malformed URL value `{raw}`")))?;
            set_path(&mut value, &key, parse_scalar(&key, &raw)?)?;
        }
        Scenario::from_value(value)
    }

    /// The canonical query string: `model` and the keys that differ from that model's defaults,
    /// in schema order (`model` is left out for the default Gaussian).
    pub fn to_query(&self) -> String {
        let here = flatten(&serde_json::to_value(self).unwrap_or(Value::Null));
        let defaults = flatten(&serde_json::to_value(Scenario::default_for(self.model)).unwrap_or(Value::Null));
        here.iter()
            .zip(defaults.iter())
            .filter(|(a, b)| a.1 != b.1 || (a.0 == "model" && self.model != ModelKind::Gaussian))
            .map(|((k, v), _)| format!("{k}={}", percent_encode(&scalar_text(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Pretty JSON of the full scenario (every key, defaults included).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every key of the schema, dotted for nested ones, in order.
    pub fn keys() -> Vec<String> {
        flatten(&serde_json::to_value(Scenario::default()).unwrap_or(Value::Null)).into_iter().map(|(k, _)| k).collect()
    }

    /// The sampling bias and form of model `k` of `model_count`. Models sit at evenly spaced
    /// positions z_k from -1 to 1 (z = 0 for a single model); with spread s:
    /// temperature_k = temperature * 2^(s z_k) (at s = 1, from half to twice the temperature);
    /// top_p_k = 1 - (1 - top_p) * 2^(s z_k), clamped to [0.01, 1] (so top-p differs only when
    /// it is below 1); ngram_order_k = ngram_order + round(s z_k), clamped to 1..3 (text only);
    /// and for the Gaussian every second model (k odd) is a two-component mixture when s > 0.
    /// At s = 0 every model is the same.
    pub fn model_bias(&self, k: u32) -> ModelBias {
        let z = if self.model_count > 1 { 2.0 * f64::from(k) / f64::from(self.model_count - 1) - 1.0 } else { 0.0 };
        let factor = (self.model_spread * z).exp2();
        ModelBias {
            temperature: (self.temperature * factor).clamp(0.05, 5.0),
            top_p: (1.0 - (1.0 - self.top_p) * factor).clamp(0.01, 1.0),
            ngram_order: (f64::from(self.ngram_order) + (self.model_spread * z).round()).clamp(1.0, 3.0) as u32,
            gaussian_mixture: self.model_spread > 0.0 && k % 2 == 1,
        }
    }

    /// The scenario as model `k` of a multi-model run sees it: its own bias and form.
    pub fn for_model(&self, k: u32) -> Scenario {
        let bias = self.model_bias(k);
        Scenario { temperature: bias.temperature, top_p: bias.top_p, ngram_order: bias.ngram_order, ..self.clone() }
    }

    /// The number of fresh human items in a training set of `samples` (rounded to the nearest).
    pub fn human_count(&self) -> usize {
        (self.human_fraction * self.samples as f64).round() as usize
    }
}

/// Checks every numeric key present in a scenario document against [`RANGES`].
fn check_ranges(value: &Value) -> Result<(), ScenarioError> {
    for range in RANGES {
        let Some(x) = lookup(value, range.key).and_then(Value::as_f64) else { continue };
        if !x.is_finite() {
            return Err(err(range.key, format!("{x} is not a finite number")));
        }
        if x < range.min || x > range.max {
            return Err(err(
                range.key,
                format!("{x} is out of range: allowed {} to {}", fmt_num(range.min), fmt_num(range.max)),
            ));
        }
    }
    Ok(())
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn lookup<'a>(value: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(value, |v, part| v.get(part))
}

/// Sets a dotted key (`filter.kind`) in a JSON object; a key outside the schema is an error
/// listing the known ones.
fn set_path(root: &mut Value, dotted: &str, new: Value) -> Result<(), ScenarioError> {
    let keys = Scenario::keys();
    if !keys.iter().any(|k| k == dotted) {
        if keys.iter().any(|k| k.starts_with(&format!("{dotted}."))) {
            return Err(err(dotted, format!("needs a sub-key, e.g. {dotted}.kind")));
        }
        return Err(err(dotted, format!("unknown key; the keys are: {}", keys.join(", "))));
    }
    let mut node = root;
    let mut parts = dotted.split('.').peekable();
    while let Some(part) = parts.next() {
        let Value::Object(map) = node else { return Err(err(dotted, "is not a nested key")) };
        if parts.peek().is_none() {
            map.insert(part.to_string(), new);
            return Ok(());
        }
        node = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

/// Overlays `given` on `base`, object by object; anything not an object replaces.
fn merge(base: &mut Value, given: Value) {
    match (base, given) {
        (Value::Object(b), Value::Object(g)) => {
            for (k, v) in g {
                match b.get_mut(&k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, g) => *slot = g,
    }
}

/// A textual value becomes a JSON number when it reads as one, otherwise a string; the schema's
/// types then decide whether it is acceptable. NaN and infinities are refused here because JSON
/// cannot carry them.
fn parse_scalar(key: &str, raw: &str) -> Result<Value, ScenarioError> {
    let trimmed = raw.trim();
    if let Ok(x) = trimmed.parse::<f64>() {
        if !x.is_finite() {
            return Err(err(key, format!("`{raw}` is not a finite number")));
        }
        if let Ok(i) = trimmed.parse::<i64>() {
            return Ok(Value::from(i));
        }
        return Ok(serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null));
    }
    if trimmed.is_empty() {
        return Err(err(key, "has no value"));
    }
    Ok(Value::String(trimmed.to_string()))
}

fn flatten(value: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            if let Value::Object(_) = v {
                for (sub, leaf) in flatten(v) {
                    out.push((format!("{k}.{sub}"), leaf));
                }
            } else {
                out.push((k.clone(), v.clone()));
            }
        }
    }
    out
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip_through_json_and_query() {
        let s = Scenario::default();
        s.validate().unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        assert_eq!(s.to_query(), "");
        assert_eq!(Scenario::from_query("").unwrap(), s);
    }

    #[test]
    fn query_round_trip_keeps_every_changed_key() {
        let s = Scenario {
            model: ModelKind::Tokens,
            human_fraction: 0.25,
            top_p: 0.9,
            filter: Filter { kind: FilterKind::Diversity, keep: 0.3 },
            seed: 4_000_000_000,
            data: DataRegime::Accumulate,
            ..Scenario::default_for(ModelKind::Tokens)
        };
        let q = s.to_query();
        assert_eq!(
            q,
            "model=tokens&human_fraction=0.25&data=accumulate&top_p=0.9&filter.kind=diversity&filter.keep=0.3&seed=4000000000"
        );
        assert_eq!(Scenario::from_query(&format!("?{q}")).unwrap(), s);
    }

    #[test]
    fn unknown_keys_are_rejected_by_name() {
        let e = Scenario::from_json(r#"{"samples": 10, "smaples": 3}"#).unwrap_err();
        assert_eq!(e.key, "smaples");
        assert!(e.to_string().contains("unknown field `smaples`"), "{e}");
        let e = Scenario::from_query("top_q=0.5").unwrap_err();
        assert_eq!(e.key, "top_q");
        assert!(e.message.contains("human_fraction"), "lists the known keys: {e}");
        let e = Scenario::from_json(r#"{"filter": {"kind": "none", "strength": 1}}"#).unwrap_err();
        assert_eq!(e.key, "filter.strength");
        assert!(e.message.contains("strength"), "{e}");
    }

    #[test]
    fn out_of_range_values_name_key_and_range() {
        let e = Scenario::from_json(r#"{"human_fraction": 1.5}"#).unwrap_err();
        assert_eq!(e.to_string(), "human_fraction: 1.5 is out of range: allowed 0 to 1");
        let e = Scenario::from_query("filter.keep=0").unwrap_err();
        assert_eq!(e.to_string(), "filter.keep: 0 is out of range: allowed 0.05 to 1");
        let e = Scenario::from_query("seed=99999999999").unwrap_err();
        assert_eq!(e.to_string(), "seed: 99999999999 is out of range: allowed 0 to 4294967295");
        let e = Scenario::from_query("samples=1").unwrap_err();
        assert!(e.to_string().starts_with("samples: 1 is out of range"), "{e}");
    }

    #[test]
    fn non_finite_and_mistyped_values_are_rejected_by_name() {
        for bad in ["NaN", "inf", "-Infinity"] {
            let e = Scenario::from_query(&format!("temperature={bad}")).unwrap_err();
            assert_eq!(e.key, "temperature");
            assert!(e.message.contains("not a finite number"), "{e}");
        }
        let e = Scenario::from_json(r#"{"samples": "many"}"#).unwrap_err();
        assert_eq!(e.key, "samples");
        let e = Scenario::from_json(r#"{"samples": 2.5}"#).unwrap_err();
        assert_eq!(e.key, "samples");
        let e = Scenario::from_query("model=diffusion").unwrap_err();
        assert_eq!(e.key, "model");
        assert!(e.message.contains("gaussian"), "lists the variants: {e}");
        let e = Scenario::from_json("[1, 2]").unwrap_err();
        assert!(e.message.contains("JSON object"));
        let e = Scenario::from_json("{not json").unwrap_err();
        assert!(e.message.contains("not valid JSON"));
    }

    #[test]
    fn malformed_share_links_are_errors_not_panics() {
        for q in ["samples=%ZZ", "samples", "=3", "filter=quality", "filter.kind.x=1", "%E2%28%A1=1"] {
            assert!(Scenario::from_query(q).is_err(), "{q} should be rejected");
        }
        // Percent-encoding and '+' decode before parsing.
        let s = Scenario::from_query("model=%74okens&seed=+7").unwrap();
        assert_eq!((s.model, s.seed), (ModelKind::Tokens, 7));
    }

    #[test]
    fn set_overrides_one_key_and_validates() {
        let s = Scenario::default().with_setting("filter.kind", "quality").unwrap();
        assert_eq!(s.filter.kind, FilterKind::Quality);
        let s = s.with_setting("samples", "1000").unwrap();
        assert_eq!(s.samples, 1000);
        assert!(s.with_setting("generations", "0").is_err());
    }

    #[test]
    fn missing_keys_take_the_named_model_defaults() {
        let s = Scenario::from_json(r#"{"model": "tokens", "top_p": 0.9}"#).unwrap();
        assert_eq!(s, Scenario { top_p: 0.9, ..Scenario::default_for(ModelKind::Tokens) });
        assert_eq!(s.samples, 10_000);
        assert_eq!(s.to_query(), "model=tokens&top_p=0.9");
        assert_eq!(Scenario::from_query("model=tokens&top_p=0.9").unwrap(), s);
        let text = Scenario::from_query("model=text").unwrap();
        assert_eq!(text, Scenario::default_for(ModelKind::Text));
        assert_eq!(text.to_query(), "model=text");
    }

    #[test]
    fn overrides_apply_before_the_model_defaults() {
        let sets = vec![("model".to_string(), "text".to_string())];
        assert_eq!(Scenario::from_json_with_settings("", &sets).unwrap(), Scenario::default_for(ModelKind::Text));
        let sets = vec![("samples".to_string(), "500".to_string())];
        let s = Scenario::from_json_with_settings(r#"{"model": "tokens"}"#, &sets).unwrap();
        assert_eq!((s.model, s.samples, s.generations), (ModelKind::Tokens, 500, 100));
        assert!(Scenario::from_json_with_settings("[]", &[]).is_err());
    }

    #[test]
    fn model_biases_spread_evenly_and_coincide_at_zero_spread() {
        let s = Scenario { model_count: 3, model_spread: 1.0, top_p: 0.9, ngram_order: 2, ..Scenario::default() };
        let b: Vec<ModelBias> = (0..3).map(|k| s.model_bias(k)).collect();
        assert_eq!(b.iter().map(|b| b.temperature).collect::<Vec<_>>(), vec![0.5, 1.0, 2.0]);
        assert!(
            (b[0].top_p - 0.95).abs() < 1e-12 && (b[1].top_p - 0.9).abs() < 1e-12 && (b[2].top_p - 0.8).abs() < 1e-12
        );
        assert_eq!(b.iter().map(|b| b.ngram_order).collect::<Vec<_>>(), vec![1, 2, 3]);
        let same = Scenario { model_count: 5, ..s.clone() };
        let same = Scenario { model_spread: 0.0, ..same };
        assert!((0..5).all(|k| same.model_bias(k) == same.model_bias(0)));
        assert_eq!(
            Scenario::default().model_bias(0),
            ModelBias { temperature: 1.0, top_p: 1.0, ngram_order: 2, gaussian_mixture: false }
        );
        assert_eq!(b.iter().map(|b| b.gaussian_mixture).collect::<Vec<_>>(), vec![false, true, false]);
    }

    #[test]
    fn every_range_row_names_a_real_key() {
        let keys = Scenario::keys();
        for r in RANGES {
            assert!(keys.iter().any(|k| k == r.key), "{} is not a key", r.key);
            assert!(r.min <= r.max);
        }
    }
}

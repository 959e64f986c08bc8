//! Tokens: a categorical distribution over a Zipf vocabulary, refit each generation to the
//! frequencies of its own samples (Shumailov et al.'s discrete case; population genetics calls
//! it neutral Wright–Fisher drift).
//!
//! The human distribution p* puts p_k ∝ k^-s on the word of rank k = 1..V (rank 1 the most
//! frequent; s = `zipf_exponent`, V = `vocab`). A model is a probability vector indexed by human
//! rank - 1; a batch is a vector of counts per type, drawn as one exact multinomial
//! ([`sampling::multinomial`] on [`sampling::biased`]), so a generation costs O(V) whatever the
//! number of tokens N. Fitting is maximum likelihood (counts / total): a type that draws no token
//! is gone for good unless fresh human data brings it back. Rare types go first, so the tails
//! vanish (early collapse) and, without human data, the chain ends on a single type (late
//! collapse).
//!
//! See [`simpson_recurrence`] for the expected Gini–Simpson index with and without fresh human
//! data.

//!
//! Submodules: `metrics` (entropy, Gini–Simpson, total variation, the Zipf law), `filters` and
//! `theory` (the closed forms); their public items are re-exported here.

mod describe;
mod filters;
#[cfg(test)]
mod fixtures;
mod metrics;
mod sparse;
mod theory;

pub use self::describe::FAMILY;
pub use self::filters::{filter_diversity, filter_quality};
pub use self::metrics::{entropy_bits, gini_simpson, human_cross_entropy_bits, total_variation, zipf_probs};
pub use self::sparse::{Counts, TokenBatch, TokenModel, TokenStats};
pub use self::theory::{
    expected_gini_simpson, fixed_point_gini_simpson, pooled_gini_simpson, shared_pool_gini_simpson, simpson_recurrence,
};
use super::blind_spot::{blocked_types, BlindSpot};
use super::{Bias, Family, GenerationView, Selection, TheoryCurve, MAX_LOST_WORDS};
use crate::rng::SimRng;
use crate::sampling;
use crate::scenario::Scenario;
use std::sync::OnceLock;

/// The metric names, in the order [`Family::measure`] writes them:
/// - `entropy_bits`: Shannon entropy of the model, -Σ p_i log2 p_i;
/// - `gini_simpson`: 1 - Σ p_i² (the probability that two draws differ);
/// - `surviving_types`: the number of types with p_i > 0;
/// - `tail_mass`: model probability on the human distribution's rarer half of the types, i.e.
///   ranks k > V/2 (indices `V/2..V` with integer division, so for odd V the middle type counts
///   as rare);
/// - `tv_to_human`: total variation distance to p*, ½ Σ |p_i - p*_i| ∈ [0, 1];
/// - `types_lost`: types with p_i > 0 in the previous generation's model and p_i = 0 now (0 at
///   generation 0);
/// - `human_cross_entropy_bits`: the cross-entropy of the human distribution under the model,
///   -Σ p*_i log2 q'_i, with q' the model smoothed by add-one (Laplace) smoothing of the counts
///   it was fitted to, q'_i = (n q_i + 1) / (n + V), n = `samples` (one training set), V the
///   vocabulary; see [`human_cross_entropy_bits`]. It is the model's error on human data, where
///   `entropy_bits` is its confidence in its own output.
pub const METRICS: &[&str] = &[
    "entropy_bits",
    "gini_simpson",
    "surviving_types",
    "tail_mass",
    "tv_to_human",
    "types_lost",
    "human_cross_entropy_bits",
];

/// Where `types_lost` is in [`METRICS`]: the one metric that depends on the previous model.
const TYPES_LOST: usize = 5;

/// What the page draws for one generation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TokensView {
    /// The generation's model, indexed by human rank - 1 (the human distribution itself is
    /// [`Tokens::human_probs`]).
    #[serde(with = "crate::stream::packed")]
    pub model_probs: Vec<f64>,
    /// Words lost this generation (p > 0 in the previous model, p = 0 now), most frequent in the
    /// human distribution first, at most [`MAX_LOST_WORDS`].
    pub lost_words: Vec<String>,
    /// How many types were lost this generation (all of them, not only the named ones).
    pub lost_count: usize,
    /// Types the model still gives positive probability.
    pub surviving: usize,
}

impl GenerationView for TokensView {
    fn details(&self) -> String {
        #[derive(serde::Serialize)]
        struct Details<'a> {
            lost_words: &'a [String],
            lost_count: usize,
            surviving: usize,
        }
        let details = Details { lost_words: &self.lost_words, lost_count: self.lost_count, surviving: self.surviving };
        serde_json::to_string(&details).unwrap_or_default()
    }
}

/// The token family for one scenario.
#[derive(Clone, Debug)]
pub struct Tokens {
    /// p*: the human Zipf distribution, index = rank - 1.
    human: Vec<f64>,
    /// One label per type, index = rank - 1.
    labels: Vec<String>,
    /// First index of the rarer half of the vocabulary (ranks > V/2).
    tail_start: usize,
    /// n of the add-one smoothing in `human_cross_entropy_bits`: the training-set size `samples`.
    samples: f64,
    /// The types this model cannot generate (its blind spot), when it has one that blocks any.
    blocked: Option<Vec<bool>>,
    /// p* as a model (with its support), and p* on that support.
    human_model: TokenModel,
    human_support_probs: Vec<f64>,
    /// Σ p* (1 up to rounding), for the metrics of models with dead types.
    human_total: f64,
    /// The metrics of the human model other than `types_lost` (the same at generation 0 of every
    /// run), computed once.
    human_metrics: OnceLock<[f64; METRICS.len()]>,
}

impl Tokens {
    /// The family of `scenario` (`vocab` types, Zipf exponent `zipf_exponent`). `labels[k-1]` is
    /// the word of rank k, most frequent first; when `labels` has fewer than `vocab` entries the
    /// remaining types are labelled `#<rank>` (`#1` is rank 1), and extra labels are ignored.
    pub fn new(scenario: &Scenario, labels: &[String]) -> Tokens {
        let vocab = (scenario.vocab as usize).max(1);
        let human = zipf_probs(vocab, scenario.zipf_exponent);
        let labels = (0..vocab).map(|i| labels.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1))).collect();
        let human_model = TokenModel::new(human.clone());
        let human_support_probs = human_model.support().iter().map(|&i| human[i as usize]).collect();
        let human_total = human_model.support().iter().map(|&i| human[i as usize]).sum();
        Tokens {
            human,
            labels,
            tail_start: vocab / 2,
            samples: f64::from(scenario.samples),
            blocked: None,
            human_model,
            human_support_probs,
            human_total,
            human_metrics: OnceLock::new(),
        }
    }

    /// The same family for a model with blind spot `spot`: it cannot generate the types
    /// [`blocked_types`] lays out inside the spot (a set of words holding about `spot.mass()` of
    /// the human mass). An empty spot (or one that blocks no type) leaves the family unchanged.
    pub fn with_blind_spot(self, spot: &BlindSpot) -> Tokens {
        let blocked = blocked_types(spot, &self.human);
        Tokens { blocked: blocked.iter().any(|&b| b).then_some(blocked), ..self }
    }

    /// Which types the model cannot generate (none without a blind spot), indexed by rank - 1.
    pub fn blocked(&self) -> Option<&[bool]> {
        self.blocked.as_deref()
    }

    /// The human distribution p*, indexed by rank - 1.
    pub fn human_probs(&self) -> &[f64] {
        &self.human
    }

    /// The word of the type with index `rank_index` (= rank - 1).
    pub fn label(&self, rank_index: usize) -> &str {
        &self.labels[rank_index]
    }

    /// The number of types V.
    pub fn vocab(&self) -> usize {
        self.human.len()
    }
}

impl Tokens {
    /// The metrics of `model` but `types_lost` (left 0), over its support only.
    fn compute_metrics(&self, model: &TokenModel, out: &mut [f64]) {
        let support = model.support();
        let (mut entropy, mut squares, mut tail, mut distance, mut live_human, mut cross) =
            (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        let mut logs = LogMemo::new(self.samples);
        for &i in support {
            let (p, h) = (model[i as usize], self.human[i as usize]);
            let (log_p, log_smoothed) = logs.get(p);
            entropy -= p * log_p;
            squares += p * p;
            if i as usize >= self.tail_start {
                tail += p;
            }
            distance += (p - h).abs();
            if h > 0.0 {
                live_human += h;
                cross += h * log_smoothed;
            }
        }
        let log_total = libm::log2(self.samples + self.human.len() as f64);
        let dead_human = (self.human_total - live_human).max(0.0);
        out.copy_from_slice(&[
            // From +0.0, so that a point mass gives 0, not -0.
            0.0 + entropy,
            1.0 - squares,
            support.len() as f64,
            tail,
            (0.5 * (distance + dead_human)).clamp(0.0, 1.0),
            0.0, // types_lost (TYPES_LOST): by `measure`
            log_total * self.human_total - cross,
        ]);
    }

    /// A multinomial draw of `n` tokens over the types `support` (ascending) with probabilities
    /// `q` (aligned with `support`): the same draws, from the same generator, as the dense
    /// [`sampling::multinomial`] over the whole vocabulary (which skips zero-probability types
    /// without drawing), at O(|support|).
    fn multinomial_on(&self, n: usize, support: &[u32], q: &[f64], rng: &mut SimRng) -> TokenBatch {
        let drawn = sampling::multinomial(n as u64, q, rng);
        let mut counts = sparse::zeroed(self.human.len());
        let mut nonzero = Vec::with_capacity(support.len().min(n));
        for (&i, &c) in support.iter().zip(&drawn) {
            if c > 0 {
                counts[i as usize] = c;
                nonzero.push(i);
            }
        }
        TokenBatch::from_parts(counts, nonzero)
    }
}

/// log2 p and log2(n p + 1) for the probabilities of one model, remembered by the bits of p: a
/// fitted model's probabilities are counts / total, so its types share few distinct values (most
/// survivors hold a handful of tokens), and each is computed once rather than once per type. A
/// direct-mapped table; a collision only recomputes, so the values are exactly the direct calls.
struct LogMemo {
    n: f64,
    keys: [u64; LogMemo::SLOTS],
    values: [(f64, f64); LogMemo::SLOTS],
}

impl LogMemo {
    const SLOTS: usize = 512;

    /// Every slot holds p = +0.0 (bits 0) with its true values, log2 0 = -inf and log2 1 = 0.
    fn new(n: f64) -> LogMemo {
        LogMemo { n, keys: [0; LogMemo::SLOTS], values: [(f64::NEG_INFINITY, 0.0); LogMemo::SLOTS] }
    }

    /// (log2 p, log2(n p + 1)), as `libm::log2` computes them.
    #[inline]
    fn get(&mut self, p: f64) -> (f64, f64) {
        let bits = p.to_bits();
        let slot = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - LogMemo::SLOTS.trailing_zeros())) as usize;
        if self.keys[slot] != bits {
            self.keys[slot] = bits;
            self.values[slot] = (libm::log2(p), libm::log2(self.n * p + 1.0));
        }
        self.values[slot]
    }
}

impl Family for Tokens {
    /// Probabilities indexed by human rank - 1, with their support.
    type Model = TokenModel;
    /// Counts per type.
    type Batch = TokenBatch;
    /// Counts per type (additive).
    type Stats = TokenStats;
    type View = TokensView;

    fn metric_names(&self) -> &'static [&'static str] {
        METRICS
    }

    fn human_model(&self) -> TokenModel {
        self.human_model.clone()
    }

    /// An unbiased multinomial draw of `n` tokens from p*.
    fn draw_human(&self, n: usize, rng: &mut SimRng) -> TokenBatch {
        if n == 0 {
            return TokenBatch::zeros(self.human.len());
        }
        self.multinomial_on(n, self.human_model.support(), &self.human_support_probs, rng)
    }

    /// A multinomial draw of `n` tokens from the model after temperature, then top-p. With a
    /// blind spot the blocked types are then zeroed and the rest renormalised, so a blocked type
    /// is never drawn; if the blocked types held all of the biased mass, the draw is from the
    /// biased model unrestricted (a model must produce something). Without a blind spot the draw
    /// is exactly the unrestricted one. Only the model's support is visited: the bias and the
    /// renormalisation leave zeros at zero, and the sums over the support equal the dense sums.
    fn generate(&self, model: &TokenModel, n: usize, bias: &Bias, rng: &mut SimRng) -> TokenBatch {
        let support = model.support();
        let compact: Vec<f64> = support.iter().map(|&i| model[i as usize]).collect();
        let mut q = sampling::biased(&compact, bias);
        if let Some(blocked) = &self.blocked {
            let mut allowed: Vec<f64> =
                q.iter().zip(support).map(|(&p, &i)| if blocked[i as usize] { 0.0 } else { p }).collect();
            if allowed.iter().any(|&p| p > 0.0) {
                sampling::normalise(&mut allowed);
                q = allowed;
            }
        }
        self.multinomial_on(n, support, &q, rng)
    }

    /// See [`filter_quality`] and [`filter_diversity`]; the filters are deterministic.
    fn filter(
        &self,
        model: &TokenModel,
        batch: TokenBatch,
        keep: usize,
        kind: Selection,
        _rng: &mut SimRng,
    ) -> TokenBatch {
        TokenBatch::from(match kind {
            Selection::Quality => filter_quality(model, &batch, keep),
            Selection::Diversity => filter_diversity(model, &batch, keep),
        })
    }

    fn merge(&self, into: &mut TokenBatch, other: TokenBatch) {
        into.add(&other, |c| c);
    }

    fn empty_stats(&self) -> TokenStats {
        TokenStats::zeros(self.human.len())
    }

    fn add(&self, stats: &mut TokenStats, batch: &TokenBatch) {
        stats.add(batch, u64::from);
    }

    /// Maximum likelihood: counts / total (all zeros for an empty training set).
    fn fit(&self, stats: &TokenStats) -> TokenModel {
        let total = stats.total();
        let mut probs = sparse::zeroed(stats.len());
        if total == 0 {
            return TokenModel::new(probs);
        }
        let inv = 1.0 / total as f64;
        for &i in stats.support() {
            probs[i as usize] = stats[i as usize] as f64 * inv;
        }
        TokenModel::from_support(probs, stats.support().to_vec())
    }

    /// Over the model's support only: entropy, Gini–Simpson and the tail mass are the dense sums
    /// exactly (zero terms add nothing); the total variation is Σ_support |p − p*| plus the human
    /// mass of the dead types, and the smoothed cross-entropy log2(n + V) Σ p* − Σ_support p*
    /// log2(n q + 1) (a dead type's term is p* log2(n + V)), equal to the dense sums up to the
    /// order of summation.
    ///
    /// The human model's metrics (generation 0 of every run) are computed once per family.
    fn measure(&self, model: &TokenModel, previous: &TokenModel, out: &mut [f64]) {
        let lost = previous.support().iter().filter(|&&i| model[i as usize] == 0.0).count();
        // Equal probabilities (a difference in the sign of a zero aside, which the support
        // excludes in both) give equal metrics.
        let is_human = model.support().len() == self.human_model.support().len() && model.probs() == &self.human[..];
        if is_human {
            out.copy_from_slice(self.human_metrics.get_or_init(|| {
                let mut row = [0.0; METRICS.len()];
                self.compute_metrics(model, &mut row);
                row
            }));
        } else {
            self.compute_metrics(model, out);
        }
        out[TYPES_LOST] = lost as f64;
    }

    fn view(
        &self,
        model: &TokenModel,
        previous: &TokenModel,
        _human: Option<&TokenBatch>,
        _synthetic: Option<&TokenBatch>,
    ) -> TokensView {
        let mut lost_words = Vec::new();
        let mut lost_count = 0;
        for &i in previous.support() {
            if model[i as usize] == 0.0 {
                lost_count += 1;
                if lost_words.len() < MAX_LOST_WORDS {
                    lost_words.push(self.labels[i as usize].clone());
                }
            }
        }
        TokensView { model_probs: model.to_vec(), lost_words, lost_count, surviving: model.support().len() }
    }

    /// Where the theory applies (no filter or `keep` = 1, temperature 1, top-p 1, `replace`):
    /// E[Gini–Simpson_t] from [`expected_gini_simpson`], plus the flat fixed point when fresh
    /// human data is mixed in.
    fn theory(&self, scenario: &Scenario) -> Vec<TheoryCurve> {
        theory::curves(scenario, &self.human)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_lost_is_where_its_index_says() {
        assert_eq!(METRICS[TYPES_LOST], "types_lost");
    }
    use crate::rng::replicate_rng;
    use crate::sim::simulate_one;
    use crate::sim::tokens::fixtures::{close, scenario};

    fn metrics(f: &Tokens, model: &[f64], previous: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; METRICS.len()];
        f.measure(&model.to_vec().into(), &previous.to_vec().into(), &mut out);
        out
    }

    #[test]
    fn labels_fall_back_to_the_rank() {
        let words: Vec<String> = ["the", "of", "and"].iter().map(|s| s.to_string()).collect();
        let f = Tokens::new(&scenario(5, 100, 1), &words);
        assert_eq!((f.label(0), f.label(2), f.label(3), f.label(4)), ("the", "and", "#4", "#5"));
        assert_eq!(f.vocab(), 5);
        // Extra labels are ignored.
        let f = Tokens::new(&scenario(2, 100, 1), &words);
        assert_eq!((f.vocab(), f.label(1)), (2, "of"));
    }

    #[test]
    fn fit_is_counts_over_total_and_add_sums() {
        let f = Tokens::new(&scenario(3, 100, 1), &[]);
        let mut stats = f.empty_stats();
        f.add(&mut stats, &vec![2, 0, 1].into());
        f.add(&mut stats, &vec![0, 0, 5].into());
        assert_eq!(stats, vec![2, 0, 6]);
        assert_eq!(f.fit(&stats), vec![0.25, 0.0, 0.75]);
        assert_eq!(f.fit(&f.empty_stats()), vec![0.0; 3]);
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        // Human p* = uniform over 4 (exponent 0): the rarer half is indices 2 and 3. The seventh
        // metric, the smoothed cross-entropy, is checked below (n = samples = 100).
        let f = Tokens::new(&Scenario { zipf_exponent: 0.0, ..scenario(4, 100, 1) }, &[]);
        let uniform = [0.25; 4];
        let m = metrics(&f, &uniform, &uniform);
        assert!(close(&m, &[2.0, 0.75, 4.0, 0.5, 0.0, 0.0, 2.0], 1e-12), "{m:?}");
        let half = [0.5, 0.0, 0.5, 0.0];
        // Entropy 1 bit, 1 - 0.5 = 0.5, 2 types, tail 0.5, TV = ½(0.25+0.25+0.25+0.25), 2 lost;
        // q' = (51, 1, 51, 1)/104, so H(p*, q') = ½ log2(104/51) + ½ log2 104.
        let cross = 0.5 * (104.0f64 / 51.0).log2() + 0.5 * 104f64.log2();
        assert!(close(&metrics(&f, &half, &uniform), &[1.0, 0.5, 2.0, 0.5, 0.5, 2.0, cross], 1e-12));
        // A point mass on type 3 after `half`: TV = ½(0.25 · 3 + 0.75), types 0 and 2 lost.
        let point = [0.0, 0.0, 0.0, 1.0];
        let m = metrics(&f, &point, &half);
        assert!(close(&m[..6], &[0.0, 0.0, 1.0, 1.0, 0.75, 2.0], 1e-12) && m[0].is_sign_positive(), "{m:?}");
        // p = (1/2, 1/4, 1/8, 1/8): entropy 1.75 bits, Σp² = 1/4 + 1/16 + 2/64 = 11/32.
        let dyadic = [0.5, 0.25, 0.125, 0.125];
        let m = metrics(&f, &dyadic, &dyadic);
        assert!(close(&m[..6], &[1.75, 21.0 / 32.0, 4.0, 0.25, 0.25, 0.0], 1e-12), "{m:?}");
        // Odd vocabulary: ranks > 5/2 are ranks 3..5.
        let f = Tokens::new(&Scenario { zipf_exponent: 0.0, ..scenario(5, 100, 1) }, &[]);
        let m = metrics(&f, &[0.2; 5], &[0.2; 5]);
        assert!((m[3] - 0.6).abs() < 1e-12);
        // Generation 0 of a real run: no types lost, distance 0.
        let run = simulate_one(&f, &scenario(5, 100, 3), &mut replicate_rng(1, 0), false).0;
        assert_eq!((run.metrics[0][4], run.metrics[0][5], run.metrics[0][2]), (0.0, 0.0, 5.0));
    }

    #[test]
    fn a_blind_spot_blocks_about_its_size_of_the_human_mass() {
        let f = Tokens::new(&scenario(2000, 5000, 1), &[]);
        let widest = f.human_probs()[0];
        for (k, overlap) in [(0, 0.0), (1, 0.0), (3, 0.0), (2, 0.5), (1, 1.0)] {
            let spot = BlindSpot::of_model(k, 4, 0.2, overlap);
            let blind = f.clone().with_blind_spot(&spot);
            let blocked = blind.blocked().expect("a blind spot of 0.2 blocks some types");
            let mass: f64 = f.human_probs().iter().zip(blocked).filter(|(_, &b)| b).map(|(p, _)| p).sum();
            // Each interval end misplaces at most half of the type that straddles it.
            assert!((mass - 0.2).abs() <= spot.intervals().len() as f64 * widest, "model {k}: blocked mass {mass}");
            assert!((mass - 0.2).abs() < 0.05, "model {k}: blocked mass {mass}");
        }
        assert!(f.clone().with_blind_spot(&BlindSpot::none()).blocked().is_none());
    }

    #[test]
    fn blocked_types_are_never_drawn() {
        let f = Tokens::new(&scenario(2000, 5000, 1), &[]);
        let blind = f.clone().with_blind_spot(&BlindSpot::of_model(2, 4, 0.25, 0.0));
        let blocked = blind.blocked().unwrap().to_vec();
        let blocked_mass: f64 = f.human_probs().iter().zip(&blocked).filter(|(_, &b)| b).map(|(p, _)| p).sum();
        let mut rng = replicate_rng(9, 0);
        for (temperature, top_p) in [(1.0, 1.0), (0.7, 1.0), (1.5, 1.0), (1.0, 0.8), (0.8, 0.9)] {
            let bias = Bias { temperature, top_p };
            let batch = blind.generate(&blind.human_model(), 200_000, &bias, &mut rng);
            assert_eq!(batch.iter().map(|&c| u64::from(c)).sum::<u64>(), 200_000);
            assert!(batch.iter().zip(&blocked).all(|(&c, &b)| !b || c == 0), "T {temperature}, top-p {top_p}");
        }
        // Renormalised: an allowed type's expected count is n p_i / (1 - blocked mass).
        let first_allowed = blocked.iter().position(|&b| !b).unwrap();
        let p = f.human_probs()[first_allowed] / (1.0 - blocked_mass);
        let n = 200_000.0;
        let batch = blind.generate(&blind.human_model(), n as usize, &Bias { temperature: 1.0, top_p: 1.0 }, &mut rng);
        let se = (n * p * (1.0 - p)).sqrt();
        assert!((f64::from(batch[first_allowed]) - n * p).abs() < 5.0 * se, "{} vs {}", batch[first_allowed], n * p);
        // A model left with only blocked types draws unrestricted.
        let blocked_type = blocked.iter().position(|&b| b).unwrap();
        let mut point = vec![0.0; 2000];
        point[blocked_type] = 1.0;
        let batch = blind.generate(&point.into(), 50, &Bias { temperature: 1.0, top_p: 1.0 }, &mut rng);
        assert_eq!(batch[blocked_type], 50);
        // Without a blind spot the draw is the plain multinomial, draw for draw.
        let plain = f.clone().with_blind_spot(&BlindSpot::none());
        let bias = Bias { temperature: 0.9, top_p: 0.95 };
        let a = plain.generate(&f.human_model(), 10_000, &bias, &mut replicate_rng(3, 1));
        let b = sampling::multinomial(10_000, &sampling::biased(f.human_probs(), &bias), &mut replicate_rng(3, 1));
        assert_eq!(a, b);
    }

    #[test]
    fn a_model_with_a_blind_spot_loses_its_blocked_types_at_once() {
        let s = Scenario { blind_spot: 0.2, ..scenario(500, 5000, 5) };
        let f = Tokens::new(&s, &[]);
        let blind = f.clone().with_blind_spot(&s.blind_spot_of(0));
        let blocked = blind.blocked().unwrap().to_vec();
        let (_, views) = simulate_one(&blind, &s, &mut replicate_rng(4, 0), true);
        for view in &views[1..] {
            assert!(view.model_probs.iter().zip(&blocked).all(|(&p, &b)| !b || p == 0.0));
        }
        let count = blocked.iter().filter(|&&b| b).count();
        assert!(views[1].surviving <= 500 - count);
    }

    #[test]
    fn types_never_come_back_without_human_data() {
        let s = scenario(200, 300, 300);
        let f = Tokens::new(&s, &[]);
        for seed in 0..5 {
            let run = simulate_one(&f, &Scenario { seed, ..s.clone() }, &mut replicate_rng(seed, 0), false).0;
            let surviving = run.series("surviving_types").unwrap();
            let lost = run.series("types_lost").unwrap();
            for t in 1..surviving.len() {
                assert!(surviving[t] <= surviving[t - 1], "seed {seed}, generation {t}");
                assert_eq!(lost[t], surviving[t - 1] - surviving[t], "seed {seed}, generation {t}");
            }
            assert!(surviving[300] < 20.0, "drift should have removed most types: {}", surviving[300]);
        }
    }

    #[test]
    fn human_data_brings_types_back() {
        // With half the data fresh from p*, some generation regains a type it had lost.
        let s = Scenario { human_fraction: 0.5, ..scenario(500, 1000, 50) };
        let f = Tokens::new(&s, &[]);
        let run = simulate_one(&f, &s, &mut replicate_rng(2, 0), false).0;
        let surviving = run.series("surviving_types").unwrap();
        assert!(surviving.windows(2).any(|w| w[1] > w[0]), "{surviving:?}");
    }

    #[test]
    fn top_p_removes_the_tail_at_the_first_generation() {
        let s = Scenario { top_p: 0.5, ..scenario(1000, 100_000, 3) };
        let f = Tokens::new(&s, &[]);
        let nucleus = sampling::biased(f.human_probs(), &Bias { temperature: 1.0, top_p: 0.5 })
            .iter()
            .filter(|&&p| p > 0.0)
            .count();
        assert!(nucleus < 100, "nucleus {nucleus}");
        let run = simulate_one(&f, &s, &mut replicate_rng(5, 0), false).0;
        let surviving = run.series("surviving_types").unwrap();
        assert_eq!(surviving[0], 1000.0);
        assert!(surviving[1] <= nucleus as f64 && surviving[1] > 0.0);
        assert_eq!(run.series("tail_mass").unwrap()[1], 0.0);
    }

    #[test]
    fn temperature_below_one_lowers_entropy() {
        let base = scenario(1000, 10_000, 1);
        let f = Tokens::new(&base, &[]);
        let cold = Scenario { temperature: 0.7, ..base.clone() };
        let hot = Scenario { temperature: 1.5, ..base.clone() };
        let h =
            |s: &Scenario| simulate_one(&f, s, &mut replicate_rng(6, 0), false).0.series("entropy_bits").unwrap()[1];
        let (h_cold, h_one, h_hot) = (h(&cold), h(&base), h(&hot));
        assert!(h_cold < h_one - 0.5 && h_one < h_hot, "{h_cold} {h_one} {h_hot}");
        // And for the biased distribution itself.
        let p = f.human_probs();
        let biased = sampling::biased(p, &Bias { temperature: 0.7, top_p: 1.0 });
        assert!(entropy_bits(&biased) < entropy_bits(p));
    }

    #[test]
    fn view_names_the_lost_words_most_frequent_first() {
        let words: Vec<String> = ["the", "of"].iter().map(|s| s.to_string()).collect();
        let f = Tokens::new(&scenario(4, 100, 1), &words);
        let previous = vec![0.5, 0.2, 0.2, 0.1];
        let model = vec![0.7, 0.0, 0.3, 0.0];
        let v = f.view(&model.clone().into(), &previous.into(), None, None);
        assert_eq!(v.lost_words, vec!["of".to_string(), "#4".to_string()]);
        assert_eq!((v.lost_count, v.surviving), (2, 2));
        assert_eq!(v.model_probs, model);
        // At most MAX_LOST_WORDS are named.
        let f = Tokens::new(&scenario(100, 100, 1), &[]);
        let mut point = vec![0.0; 100];
        point[0] = 1.0;
        let v = f.view(&point.into(), &vec![0.01; 100].into(), None, None);
        assert_eq!((v.lost_count, v.lost_words.len(), v.lost_words[0].as_str()), (99, MAX_LOST_WORDS, "#2"));
        // A run with views has one per generation.
        let s = scenario(100, 200, 4);
        let (_, views) = simulate_one(&f, &s, &mut replicate_rng(1, 0), true);
        assert_eq!(views.len(), 5);
    }
}

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

use super::{Bias, Family, TheoryCurve, View};
use crate::rng::SimRng;
use crate::sampling;
use crate::scenario::{DataRegime, FilterKind, Scenario};

/// The metric names, in the order [`Family::measure`] writes them:
/// - `entropy_bits`: Shannon entropy of the model, -Σ p_i log2 p_i;
/// - `gini_simpson`: 1 - Σ p_i² (the probability that two draws differ);
/// - `surviving_types`: the number of types with p_i > 0;
/// - `tail_mass`: model probability on the human distribution's rarer half of the types, i.e.
///   ranks k > V/2 (indices `V/2..V` with integer division, so for odd V the middle type counts
///   as rare);
/// - `tv_to_human`: total variation distance to p*, ½ Σ |p_i - p*_i| ∈ [0, 1];
/// - `types_lost`: types with p_i > 0 in the previous generation's model and p_i = 0 now (0 at
///   generation 0).
pub const METRICS: &[&str] =
    &["entropy_bits", "gini_simpson", "surviving_types", "tail_mass", "tv_to_human", "types_lost"];

/// At most this many lost words are named per generation in [`TokensView::lost_words`].
pub const MAX_LOST_WORDS: usize = 24;

/// What the page draws for one generation.
#[derive(Clone, Debug, PartialEq)]
pub struct TokensView {
    /// The generation's model, indexed by human rank - 1 (the human distribution itself is
    /// [`Tokens::human_probs`]).
    pub model_probs: Vec<f64>,
    /// Words lost this generation (p > 0 in the previous model, p = 0 now), most frequent in the
    /// human distribution first, at most [`MAX_LOST_WORDS`].
    pub lost_words: Vec<String>,
    /// How many types were lost this generation (all of them, not only the named ones).
    pub lost_count: usize,
    /// Types the model still gives positive probability.
    pub surviving: usize,
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
}

/// The Zipf law over `vocab` ranks: p_k = k^-s / Σ_j j^-s, k = 1..vocab (index k - 1).
pub fn zipf_probs(vocab: usize, exponent: f64) -> Vec<f64> {
    let mut p: Vec<f64> = (1..=vocab).map(|k| (k as f64).powf(-exponent)).collect();
    sampling::normalise(&mut p);
    p
}

impl Tokens {
    /// The family of `scenario` (`vocab` types, Zipf exponent `zipf_exponent`). `labels[k-1]` is
    /// the word of rank k, most frequent first; when `labels` has fewer than `vocab` entries the
    /// remaining types are labelled `#<rank>` (`#1` is rank 1), and extra labels are ignored.
    pub fn new(scenario: &Scenario, labels: &[String]) -> Tokens {
        let vocab = (scenario.vocab as usize).max(1);
        let human = zipf_probs(vocab, scenario.zipf_exponent);
        let labels = (0..vocab).map(|i| labels.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1))).collect();
        Tokens { human, labels, tail_start: vocab / 2 }
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

/// Shannon entropy in bits, -Σ p_i log2 p_i (zero terms contribute nothing).
pub fn entropy_bits(p: &[f64]) -> f64 {
    // A fold from +0.0 so that a point mass gives 0, not -0.
    p.iter().filter(|&&x| x > 0.0).fold(0.0, |h, &x| h - x * x.log2())
}

/// Gini–Simpson index 1 - Σ p_i².
pub fn gini_simpson(p: &[f64]) -> f64 {
    1.0 - p.iter().map(|x| x * x).sum::<f64>()
}

/// Total variation distance ½ Σ |p_i - q_i|, clamped to [0, 1].
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    (0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()).clamp(0.0, 1.0)
}

/// The `quality` filter on counts: keeps `keep` tokens, taking whole types in descending model
/// probability (ties: lower index first) until `keep` are kept; the type at the boundary keeps
/// only the tokens still needed. A batch of at most `keep` tokens is returned unchanged.
pub fn filter_quality(model: &[f64], counts: &[u32], keep: usize) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if keep as u64 >= total {
        return counts.to_vec();
    }
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    order.sort_by(|&a, &b| model[b].total_cmp(&model[a]).then(a.cmp(&b)));
    let mut out = vec![0u32; counts.len()];
    let mut left = keep as u64;
    for i in order {
        if left == 0 {
            break;
        }
        let k = u64::from(counts[i]).min(left);
        out[i] = k as u32;
        left -= k;
    }
    out
}

/// The `diversity` filter on counts: keeps `keep` tokens preserving as many distinct types as
/// possible, by water-filling (round robin): one token of every present type, then a second of
/// every type that has two, and so on. Exactly, every type keeps min(c_i, L) tokens with L the
/// largest level at which Σ min(c_i, L) ≤ `keep`; the r = `keep` - Σ min(c_i, L) tokens left
/// over (fewer than the types with c_i > L) go one each to the types with c_i > L that the
/// model finds least likely (ascending model probability, ties: lower index first). A batch of
/// at most `keep` tokens is returned unchanged.
pub fn filter_diversity(model: &[f64], counts: &[u32], keep: usize) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if keep as u64 >= total {
        return counts.to_vec();
    }
    let keep = keep as u64;
    let level_total = |level: u32| -> u64 { counts.iter().map(|&c| u64::from(c.min(level))).sum() };
    // Invariant: level_total(lo) <= keep < level_total(hi).
    let (mut lo, mut hi) = (0u32, counts.iter().copied().max().unwrap_or(0));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if level_total(mid) <= keep {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut out: Vec<u32> = counts.iter().map(|&c| c.min(lo)).collect();
    let mut extra = keep - level_total(lo);
    if extra > 0 {
        let mut above: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > lo).collect();
        above.sort_by(|&a, &b| model[a].total_cmp(&model[b]).then(a.cmp(&b)));
        for i in above {
            if extra == 0 {
                break;
            }
            out[i] += 1;
            extra -= 1;
        }
    }
    out
}

/// One step of the expected Simpson index S_t = E[Σ p_i,t²] under Wright–Fisher resampling with
/// fresh human data (no filter, temperature 1, top-p 1, `replace`).
///
/// Derivation. Given p_{t-1} = q, the training counts are c = a + b with independent
/// a ~ Multinomial(n_h, p*) and b ~ Multinomial(m, q), m = N - n_h, and p_t = c / N. Then
/// E[c_i²] = Var a_i + Var b_i + (E a_i + E b_i)²
///         = n_h p*_i (1 - p*_i) + m q_i (1 - q_i) + (n_h p*_i + m q_i)²,
/// and summing over i with H* = Σ p*_i², Q = Σ q_i²:
/// E[Σ c_i² | q] = n_h (1 - H*) + m (1 - Q) + n_h² H* + 2 n_h m Σ p*_i q_i + m² Q.
/// Since E[p_t | q] = ρ p* + (1 - ρ) q (ρ = n_h / N) and p_0 = p*, E[p_t] = p* for every t, so
/// E[Σ p*_i q_i] = H*. Dividing by N² and taking expectations:
///
/// S_t = 1/N + H* (1 - (1 - ρ)² - ρ/N) + r S_{t-1},   r = (1 - ρ)(1 - ρ - 1/N),   S_0 = H*.
///
/// For ρ = 0 this is S_t = 1/N + (1 - 1/N) S_{t-1}, i.e. D_t = 1 - S_t = D_0 (1 - 1/N)^t in
/// expectation (Wright–Fisher). `n_human` = n_h, `n` = N.
pub fn simpson_recurrence(s_prev: f64, h_star: f64, n_human: usize, n: usize) -> f64 {
    let (rho, inv_n, r) = rates(n_human, n);
    inv_n + h_star * (1.0 - (1.0 - rho) * (1.0 - rho) - rho * inv_n) + r * s_prev
}

/// (ρ, 1/N, r) of [`simpson_recurrence`].
fn rates(n_human: usize, n: usize) -> (f64, f64, f64) {
    let n = n.max(1) as f64;
    let rho = (n_human as f64 / n).clamp(0.0, 1.0);
    let inv_n = 1.0 / n;
    (rho, inv_n, (1.0 - rho) * (1.0 - rho - inv_n))
}

/// E[Gini–Simpson_t] = 1 - S_t in closed form (see [`simpson_recurrence`]), starting from the
/// human value `d_star` = D* = 1 - H* at t = 0, with `n_human` fresh human tokens out of `n`:
///
/// E[D_t] = D∞ + r^t (D* - D∞),   D∞ = D* (1 - 1/(N (1 - r))),
///
/// which for `n_human` = 0 (r = 1 - 1/N) is D* (1 - 1/N)^t.
pub fn expected_gini_simpson(t: u32, d_star: f64, n_human: usize, n: usize) -> f64 {
    let (_, _, r) = rates(n_human, n);
    let fixed = fixed_point_gini_simpson(d_star, n_human, n);
    fixed + r.powi(t.min(i32::MAX as u32) as i32) * (d_star - fixed)
}

/// The fixed point of [`expected_gini_simpson`], D∞ = D* (1 - 1/(N (1 - r))): stable for any
/// `n_human` > 0 (r < 1), and 0 (a single type) without human data.
pub fn fixed_point_gini_simpson(d_star: f64, n_human: usize, n: usize) -> f64 {
    let (_, inv_n, r) = rates(n_human, n);
    // 1 - r >= 1/N > 0 for every n_human in 0..=n.
    d_star * (1.0 - inv_n / (1.0 - r))
}

impl Family for Tokens {
    /// Probabilities indexed by human rank - 1.
    type Model = Vec<f64>;
    /// Counts per type.
    type Batch = Vec<u32>;
    /// Counts per type (additive).
    type Stats = Vec<u64>;

    fn metric_names(&self) -> &'static [&'static str] {
        METRICS
    }

    fn human_model(&self) -> Vec<f64> {
        self.human.clone()
    }

    /// An unbiased multinomial draw of `n` tokens from p*.
    fn draw_human(&self, n: usize, rng: &mut SimRng) -> Vec<u32> {
        sampling::multinomial(n as u64, &self.human, rng)
    }

    /// A multinomial draw of `n` tokens from the model after temperature, then top-p.
    fn generate(&self, model: &Vec<f64>, n: usize, bias: &Bias, rng: &mut SimRng) -> Vec<u32> {
        sampling::multinomial(n as u64, &sampling::biased(model, bias), rng)
    }

    /// See [`filter_quality`] and [`filter_diversity`]; the filters are deterministic.
    fn filter(&self, model: &Vec<f64>, batch: Vec<u32>, keep: usize, kind: FilterKind, _rng: &mut SimRng) -> Vec<u32> {
        match kind {
            FilterKind::None => batch,
            FilterKind::Quality => filter_quality(model, &batch, keep),
            FilterKind::Diversity => filter_diversity(model, &batch, keep),
        }
    }

    fn merge(&self, into: &mut Vec<u32>, other: Vec<u32>) {
        if into.len() < other.len() {
            into.resize(other.len(), 0);
        }
        for (a, b) in into.iter_mut().zip(other) {
            *a += b;
        }
    }

    fn empty_stats(&self) -> Vec<u64> {
        vec![0; self.human.len()]
    }

    fn add(&self, stats: &mut Vec<u64>, batch: &Vec<u32>) {
        for (s, &c) in stats.iter_mut().zip(batch) {
            *s += u64::from(c);
        }
    }

    /// Maximum likelihood: counts / total (all zeros for an empty training set).
    fn fit(&self, stats: &Vec<u64>) -> Vec<f64> {
        let total: u64 = stats.iter().sum();
        if total == 0 {
            return vec![0.0; stats.len()];
        }
        let inv = 1.0 / total as f64;
        stats.iter().map(|&c| c as f64 * inv).collect()
    }

    fn measure(&self, model: &Vec<f64>, previous: &Vec<f64>, out: &mut [f64]) {
        let surviving = model.iter().filter(|&&p| p > 0.0).count();
        let lost = model.iter().zip(previous).filter(|(&p, &q)| q > 0.0 && p == 0.0).count();
        let tail: f64 = model[self.tail_start..].iter().sum();
        out.copy_from_slice(&[
            entropy_bits(model),
            gini_simpson(model),
            surviving as f64,
            tail,
            total_variation(model, &self.human),
            lost as f64,
        ]);
    }

    fn view(&self, model: &Vec<f64>, previous: &Vec<f64>, _human: &Vec<u32>, _synthetic: Option<&Vec<u32>>) -> View {
        let mut lost_words = Vec::new();
        let mut lost_count = 0;
        for (i, (&p, &q)) in model.iter().zip(previous).enumerate() {
            if q > 0.0 && p == 0.0 {
                lost_count += 1;
                if lost_words.len() < MAX_LOST_WORDS {
                    lost_words.push(self.labels[i].clone());
                }
            }
        }
        View::Tokens(TokensView {
            model_probs: model.clone(),
            lost_words,
            lost_count,
            surviving: model.iter().filter(|&&p| p > 0.0).count(),
        })
    }

    /// Where the theory applies (no filter or `keep` = 1, temperature 1, top-p 1, `replace`):
    /// E[Gini–Simpson_t] from [`expected_gini_simpson`], plus the flat fixed point when fresh
    /// human data is mixed in.
    fn theory(&self, scenario: &Scenario) -> Vec<TheoryCurve> {
        let pure = (scenario.filter.kind == FilterKind::None || scenario.filter.keep >= 1.0)
            && scenario.temperature == 1.0
            && scenario.top_p >= 1.0
            && scenario.data == DataRegime::Replace
            && !super::web_active(scenario)
            && (scenario.model_count == 1 || super::independent_identical_lineages(scenario));
        if !pure {
            return Vec::new();
        }
        let n = scenario.samples as usize;
        let n_human = scenario.human_count().min(n);
        let d_star = gini_simpson(&self.human);
        let g = scenario.generations;
        let label = if n_human == 0 {
            "E[Gini–Simpson] = D0 (1 - 1/N)^t, Wright–Fisher".to_string()
        } else {
            "E[Gini–Simpson], Wright–Fisher with fresh human data".to_string()
        };
        let mut curves = vec![TheoryCurve {
            metric: "gini_simpson",
            label,
            values: (0..=g).map(|t| expected_gini_simpson(t, d_star, n_human, n)).collect(),
        }];
        if n_human > 0 {
            let fixed = fixed_point_gini_simpson(d_star, n_human, n);
            curves.push(TheoryCurve {
                metric: "gini_simpson",
                label: "fixed point D*(1 - 1/(N(1 - r)))".to_string(),
                values: vec![fixed; g as usize + 1],
            });
        }
        if scenario.model_count > 1 {
            // The pool of K independent lineages: E[Σ p̄²] = S_t / K + (1 - 1/K) H* (lineages are
            // independent with E[p_k] = p*), and the pool model is refit to K N output draws.
            let k = f64::from(scenario.model_count);
            for curve in &mut curves {
                curve.label = format!("pool of {k} independent models: {}", curve.label);
                for (t, v) in curve.values.iter_mut().enumerate() {
                    *v = pooled_gini_simpson(*v, d_star, scenario.model_count, n, t);
                }
            }
        }
        curves
    }
}

/// E[Gini–Simpson] of the pool of K independent lineages whose own expectation is `d_lineage`
/// at generation t: the mixture p̄ has E[D(p̄)] = D* - (D* - D_t)/K, and the pool model is refit
/// to `output` draws from each of the K models, which multiplies by 1 - 1/(K output). At
/// generation 0 the pool is the human distribution itself.
pub fn pooled_gini_simpson(d_lineage: f64, d_star: f64, models: u32, output: usize, t: usize) -> f64 {
    if t == 0 {
        return d_star;
    }
    let k = f64::from(models);
    (1.0 - 1.0 / (k * output as f64)) * (d_star - (d_star - d_lineage) / k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;
    use crate::scenario::{Filter, ModelKind};
    use crate::sim::simulate;

    fn scenario(vocab: u32, samples: u32, generations: u32) -> Scenario {
        Scenario { vocab, samples, generations, ..Scenario::default_for(ModelKind::Tokens) }
    }

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
    }

    fn metrics(f: &Tokens, model: &[f64], previous: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; METRICS.len()];
        f.measure(&model.to_vec(), &previous.to_vec(), &mut out);
        out
    }

    #[test]
    fn zipf_weights_match_hand_computed_values() {
        // s = 1 over 3 ranks: (1, 1/2, 1/3) / (11/6).
        assert!(close(&zipf_probs(3, 1.0), &[6.0 / 11.0, 3.0 / 11.0, 2.0 / 11.0], 1e-15));
        // s = 2: (1, 1/4) / (5/4).
        assert!(close(&zipf_probs(2, 2.0), &[0.8, 0.2], 1e-15));
        // s = 0 is uniform.
        assert!(close(&zipf_probs(4, 0.0), &[0.25; 4], 1e-15));
        let f = Tokens::new(&scenario(10_000, 100, 1), &[]);
        let p = f.human_probs();
        assert_eq!(p.len(), 10_000);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.windows(2).all(|w| w[0] > w[1]));
        // p_1 / p_10 = 10^1.1 for the default exponent.
        assert!((p[0] / p[9] - 10f64.powf(1.1)).abs() < 1e-9);
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
    fn quality_filter_keeps_the_most_likely_types_and_cuts_the_boundary_type() {
        let model = [0.1, 0.4, 0.2, 0.3];
        let counts = [5, 3, 4, 2];
        // Types by model probability: 1 (3 tokens), 3 (2), 2 (4 available, 1 needed), 0.
        assert_eq!(filter_quality(&model, &counts, 6), vec![0, 3, 1, 2]);
        assert_eq!(filter_quality(&model, &counts, 5), vec![0, 3, 0, 2]);
        assert_eq!(filter_quality(&model, &counts, 2), vec![0, 2, 0, 0]);
        assert_eq!(filter_quality(&model, &counts, 0), vec![0, 0, 0, 0]);
        assert_eq!(filter_quality(&model, &counts, 14), counts.to_vec());
        assert_eq!(filter_quality(&model, &counts, 20), counts.to_vec());
        // Ties go to the lower index.
        assert_eq!(filter_quality(&[0.25, 0.25, 0.5], &[2, 2, 2], 3), vec![1, 0, 2]);
    }

    #[test]
    fn diversity_filter_water_fills_and_breaks_the_last_level_by_rarity() {
        let model = [0.4, 0.1, 0.3, 0.1, 0.1];
        let counts = [5, 1, 3, 0, 2];
        // Levels: L = 1 keeps 4 tokens, L = 2 keeps 7 exactly.
        assert_eq!(filter_diversity(&model, &counts, 7), vec![2, 1, 2, 0, 2]);
        assert_eq!(filter_diversity(&model, &counts, 4), vec![1, 1, 1, 0, 1]);
        // keep 6: L = 1 (4 tokens), 2 more to the rarest of the types with > 1 token: 4 then 2.
        assert_eq!(filter_diversity(&model, &counts, 6), vec![1, 1, 2, 0, 2]);
        // keep 5: only type 4 gets a second token.
        assert_eq!(filter_diversity(&model, &counts, 5), vec![1, 1, 1, 0, 2]);
        // Fewer tokens than types: the rarest types under the model keep one each.
        assert_eq!(filter_diversity(&model, &counts, 2), vec![0, 1, 0, 0, 1]);
        // keep 10: L = 3 keeps 9, then type 0 (the only one above) gets the 10th.
        assert_eq!(filter_diversity(&model, &counts, 10), vec![4, 1, 3, 0, 2]);
        assert_eq!(filter_diversity(&model, &counts, 11), counts.to_vec());
        assert_eq!(filter_diversity(&model, &counts, 0), vec![0; 5]);
        // Ties in the model go to the lower index.
        assert_eq!(filter_diversity(&[0.2; 5], &counts, 5), vec![2, 1, 1, 0, 1]);
    }

    #[test]
    fn filters_through_the_family_keep_exactly_keep_tokens() {
        let f = Tokens::new(&scenario(1000, 100, 1), &[]);
        let mut rng = replicate_rng(4, 0);
        let model = f.human_model();
        let batch = f.generate(&model, 5000, &Bias { temperature: 1.0, top_p: 1.0 }, &mut rng);
        for kind in [FilterKind::Quality, FilterKind::Diversity] {
            let kept = f.filter(&model, batch.clone(), 1234, kind, &mut rng);
            assert_eq!(kept.iter().map(|&c| u64::from(c)).sum::<u64>(), 1234, "{kind:?}");
            assert!(kept.iter().zip(&batch).all(|(k, c)| k <= c));
        }
        let present = batch.iter().filter(|&&c| c > 0).count();
        let kept = f.filter(&model, batch.clone(), 1234, FilterKind::Diversity, &mut rng);
        assert_eq!(kept.iter().filter(|&&c| c > 0).count(), present.min(1234));
        let kept = f.filter(&model, batch.clone(), 1234, FilterKind::Quality, &mut rng);
        assert!(kept.iter().filter(|&&c| c > 0).count() < present);
    }

    #[test]
    fn fit_is_counts_over_total_and_add_sums() {
        let f = Tokens::new(&scenario(3, 100, 1), &[]);
        let mut stats = f.empty_stats();
        f.add(&mut stats, &vec![2, 0, 1]);
        f.add(&mut stats, &vec![0, 0, 5]);
        assert_eq!(stats, vec![2, 0, 6]);
        assert_eq!(f.fit(&stats), vec![0.25, 0.0, 0.75]);
        assert_eq!(f.fit(&f.empty_stats()), vec![0.0; 3]);
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        // Human p* = uniform over 4 (exponent 0): the rarer half is indices 2 and 3.
        let f = Tokens::new(&Scenario { zipf_exponent: 0.0, ..scenario(4, 100, 1) }, &[]);
        let uniform = [0.25; 4];
        assert!(close(&metrics(&f, &uniform, &uniform), &[2.0, 0.75, 4.0, 0.5, 0.0, 0.0], 1e-12));
        let half = [0.5, 0.0, 0.5, 0.0];
        // Entropy 1 bit, 1 - 0.5 = 0.5, 2 types, tail 0.5, TV = ½(0.25+0.25+0.25+0.25), 2 lost.
        assert!(close(&metrics(&f, &half, &uniform), &[1.0, 0.5, 2.0, 0.5, 0.5, 2.0], 1e-12));
        // A point mass on type 3 after `half`: TV = ½(0.25 · 3 + 0.75), types 0 and 2 lost.
        let point = [0.0, 0.0, 0.0, 1.0];
        let m = metrics(&f, &point, &half);
        assert!(close(&m, &[0.0, 0.0, 1.0, 1.0, 0.75, 2.0], 1e-12) && m[0].is_sign_positive(), "{m:?}");
        // p = (1/2, 1/4, 1/8, 1/8): entropy 1.75 bits, Σp² = 1/4 + 1/16 + 2/64 = 11/32.
        let dyadic = [0.5, 0.25, 0.125, 0.125];
        let m = metrics(&f, &dyadic, &dyadic);
        assert!(close(&m, &[1.75, 21.0 / 32.0, 4.0, 0.25, 0.25, 0.0], 1e-12), "{m:?}");
        // Odd vocabulary: ranks > 5/2 are ranks 3..5.
        let f = Tokens::new(&Scenario { zipf_exponent: 0.0, ..scenario(5, 100, 1) }, &[]);
        let m = metrics(&f, &[0.2; 5], &[0.2; 5]);
        assert!((m[3] - 0.6).abs() < 1e-12);
        // Generation 0 of a real run: no types lost, distance 0.
        let run = simulate(std::slice::from_ref(&f), &scenario(5, 100, 3), &mut replicate_rng(1, 0), false);
        assert_eq!((run.metrics[0][4], run.metrics[0][5], run.metrics[0][2]), (0.0, 0.0, 5.0));
    }

    #[test]
    fn types_never_come_back_without_human_data() {
        let s = scenario(200, 300, 300);
        let f = Tokens::new(&s, &[]);
        for seed in 0..5 {
            let run =
                simulate(std::slice::from_ref(&f), &Scenario { seed, ..s.clone() }, &mut replicate_rng(seed, 0), false);
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
        let run = simulate(std::slice::from_ref(&f), &s, &mut replicate_rng(2, 0), false);
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
        let run = simulate(std::slice::from_ref(&f), &s, &mut replicate_rng(5, 0), false);
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
        let h = |s: &Scenario| {
            simulate(std::slice::from_ref(&f), s, &mut replicate_rng(6, 0), false).series("entropy_bits").unwrap()[1]
        };
        let (h_cold, h_one, h_hot) = (h(&cold), h(&base), h(&hot));
        assert!(h_cold < h_one - 0.5 && h_one < h_hot, "{h_cold} {h_one} {h_hot}");
        // And for the biased distribution itself.
        let p = f.human_probs();
        let biased = sampling::biased(p, &Bias { temperature: 0.7, top_p: 1.0 });
        assert!(entropy_bits(&biased) < entropy_bits(p));
    }

    #[test]
    fn closed_form_matches_the_recurrence() {
        let f = Tokens::new(&scenario(50, 100, 1), &[]);
        let h_star = 1.0 - gini_simpson(f.human_probs());
        let d_star = 1.0 - h_star;
        for (n_human, n) in [(0, 100), (20, 200), (1, 10), (7, 7), (500, 1000)] {
            let mut s = h_star;
            for t in 0..=60 {
                let closed = expected_gini_simpson(t, d_star, n_human, n);
                assert!((closed - (1.0 - s)).abs() < 1e-12, "n_h {n_human}, N {n}, t {t}");
                s = simpson_recurrence(s, h_star, n_human, n);
            }
        }
        // No human data: D0 (1 - 1/N)^t and a fixed point of 0.
        assert!((expected_gini_simpson(10, 0.8, 0, 50) - 0.8 * 0.98f64.powi(10)).abs() < 1e-14);
        assert!(fixed_point_gini_simpson(0.8, 0, 50).abs() < 1e-14);
        // All human: one draw of N from p* each generation, D*(1 - 1/N) from t = 1 on.
        assert!((expected_gini_simpson(5, 0.8, 50, 50) - 0.8 * 0.98).abs() < 1e-14);
        // With human data the curve settles at the fixed point, below D*.
        let fixed = fixed_point_gini_simpson(0.8, 20, 200);
        assert!((expected_gini_simpson(500, 0.8, 20, 200) - fixed).abs() < 1e-12 && fixed < 0.8);
    }

    #[test]
    fn theory_curves_only_where_theory_applies() {
        let s = scenario(50, 100, 10);
        let f = Tokens::new(&s, &[]);
        let d_star = gini_simpson(f.human_probs());
        let curves = f.theory(&s);
        assert_eq!(curves.len(), 1);
        assert_eq!((curves[0].metric, curves[0].values.len()), ("gini_simpson", 11));
        assert!((curves[0].values[0] - d_star).abs() < 1e-15);
        assert!((curves[0].values[10] - d_star * 0.99f64.powi(10)).abs() < 1e-12);
        let mixed = Scenario { human_fraction: 0.2, ..s.clone() };
        let curves = f.theory(&mixed);
        assert_eq!(curves.len(), 2);
        assert!(curves[1].values.iter().all(|&v| (v - fixed_point_gini_simpson(d_star, 20, 100)).abs() < 1e-15));
        for other in [
            Scenario { temperature: 0.9, ..s.clone() },
            Scenario { top_p: 0.9, ..s.clone() },
            Scenario { data: DataRegime::Accumulate, ..s.clone() },
            Scenario { filter: Filter { kind: FilterKind::Quality, keep: 0.5 }, ..s.clone() },
        ] {
            assert!(f.theory(&other).is_empty(), "{other:?}");
        }
    }

    #[test]
    fn view_names_the_lost_words_most_frequent_first() {
        let words: Vec<String> = ["the", "of"].iter().map(|s| s.to_string()).collect();
        let f = Tokens::new(&scenario(4, 100, 1), &words);
        let previous = vec![0.5, 0.2, 0.2, 0.1];
        let model = vec![0.7, 0.0, 0.3, 0.0];
        let View::Tokens(v) = f.view(&model, &previous, &vec![0; 4], None) else { panic!("not a tokens view") };
        assert_eq!(v.lost_words, vec!["of".to_string(), "#4".to_string()]);
        assert_eq!((v.lost_count, v.surviving), (2, 2));
        assert_eq!(v.model_probs, model);
        // At most MAX_LOST_WORDS are named.
        let f = Tokens::new(&scenario(100, 100, 1), &[]);
        let mut point = vec![0.0; 100];
        point[0] = 1.0;
        let View::Tokens(v) = f.view(&point, &vec![0.01; 100], &vec![0; 100], None) else { panic!() };
        assert_eq!((v.lost_count, v.lost_words.len(), v.lost_words[0].as_str()), (99, MAX_LOST_WORDS, "#2"));
        // A run with views has one per generation.
        let s = scenario(100, 200, 4);
        let run = simulate(std::slice::from_ref(&f), &s, &mut replicate_rng(1, 0), true);
        assert_eq!(run.views.len(), 5);
    }
}

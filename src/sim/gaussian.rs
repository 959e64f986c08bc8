//! The Gaussian photocopy (Shumailov et al., Nature 2024): a 1-D normal distribution refit by
//! maximum likelihood to M samples of the previous generation's model.
//!
//! The human distribution has mean 0 and variance 1 and is a mixture of normals (one component
//! for `normal`; two for `heavy_tailed` and `bimodal`), so a model family that is a single
//! Gaussian loses what it cannot represent at the first generation (functional expressivity
//! error), then drifts by finite sampling (statistical approximation error).

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use super::{Bias, Family, TheoryCurve, View};
use crate::math::{digamma, normal_cdf, normal_pdf};
use crate::rng::SimRng;
use crate::scenario::{DataRegime, FilterKind, HumanDistribution, Scenario, VarianceEstimator};

/// One normal component of a mixture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    pub weight: f64,
    pub mean: f64,
    pub sd: f64,
}

/// A model: the human mixture (generation 0) or a fitted normal.
#[derive(Clone, Debug, PartialEq)]
pub enum GaussianModel {
    Human,
    Normal { mean: f64, variance: f64 },
}

/// Running sufficient statistics: count, mean and sum of squared deviations (Chan et al.'s
/// pairwise update keeps them accurate when `accumulate` gathers millions of samples).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MomentStats {
    pub n: f64,
    pub mean: f64,
    pub m2: f64,
}

impl MomentStats {
    pub fn of(xs: &[f64]) -> MomentStats {
        let mut s = MomentStats::default();
        for &x in xs {
            s.n += 1.0;
            let d = x - s.mean;
            s.mean += d / s.n;
            s.m2 += d * (x - s.mean);
        }
        s
    }

    pub fn merge(&mut self, other: &MomentStats) {
        if other.n == 0.0 {
            return;
        }
        let n = self.n + other.n;
        let d = other.mean - self.mean;
        self.mean += d * other.n / n;
        self.m2 += other.m2 + d * d * self.n * other.n / n;
        self.n = n;
    }
}

/// Histogram range and resolution of the page's view (in human standard deviations).
pub const VIEW_RANGE: (f64, f64) = (-4.5, 4.5);
pub const VIEW_BINS: usize = 60;
const CURVE_POINTS: usize = 241;

/// What the page draws for one generation.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianView {
    /// Density of the generation's fresh human samples, per bin over [`VIEW_RANGE`] (the bars
    /// of human and synthetic samples stack to the density of the whole new training data).
    pub human_bins: Vec<f64>,
    /// Density of the generation's synthetic samples, per bin.
    pub synthetic_bins: Vec<f64>,
    /// Share of samples outside the drawn range.
    pub outside: f64,
    /// x grid of the curves.
    pub x: Vec<f64>,
    /// The human density on `x`.
    pub human_density: Vec<f64>,
    /// The generation's model density on `x`.
    pub model_density: Vec<f64>,
}

/// The Gaussian family for one scenario.
pub struct Gaussian {
    human: Vec<Component>,
    estimator: VarianceEstimator,
    /// The human distribution's 1st and 99th percentiles.
    q01: f64,
    q99: f64,
    /// C = ∫₀¹ F_h⁻¹(u) Φ⁻¹(u) du, so W2(N(m, s²), human)² = 1 + m² + s² − 2 s C exactly.
    w2_cross: f64,
}

pub const METRICS: &[&str] = &["mean", "variance", "w2_to_human", "tail_mass"];

/// The components of each human distribution (mean 0, variance 1, symmetric about 0).
pub fn human_components(kind: HumanDistribution) -> Vec<Component> {
    match kind {
        HumanDistribution::Normal => vec![Component { weight: 1.0, mean: 0.0, sd: 1.0 }],
        HumanDistribution::HeavyTailed => {
            let s = (1.0f64 / 1.8).sqrt();
            vec![Component { weight: 0.9, mean: 0.0, sd: s }, Component { weight: 0.1, mean: 0.0, sd: 3.0 * s }]
        }
        HumanDistribution::Bimodal => {
            vec![Component { weight: 0.5, mean: -0.8, sd: 0.6 }, Component { weight: 0.5, mean: 0.8, sd: 0.6 }]
        }
    }
}

fn mixture_cdf(components: &[Component], x: f64) -> f64 {
    components.iter().map(|c| c.weight * normal_cdf((x - c.mean) / c.sd)).sum()
}

fn mixture_pdf(components: &[Component], x: f64) -> f64 {
    components.iter().map(|c| c.weight * normal_pdf((x - c.mean) / c.sd) / c.sd).sum()
}

fn mixture_quantile(components: &[Component], u: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0, 40.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mixture_cdf(components, mid) < u {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// ∫ F_h⁻¹(u) Φ⁻¹(u) du = E_h[X Φ⁻¹(F_h(X))], by the trapezoid rule on the lower half-line
/// (every human distribution is symmetric, and the lower tail keeps Φ⁻¹ accurate).
fn w2_cross_term(components: &[Component]) -> f64 {
    let steps = 40_000;
    let lo = -40.0;
    let h = -lo / steps as f64;
    let f = |x: f64| {
        let u = mixture_cdf(components, x);
        if u <= 0.0 {
            0.0
        } else {
            x * crate::math::normal_quantile(u) * mixture_pdf(components, x)
        }
    };
    let mut sum = 0.5 * (f(lo) + f(0.0));
    for i in 1..steps {
        sum += f(lo + h * i as f64);
    }
    2.0 * sum * h
}

impl Gaussian {
    pub fn new(scenario: &Scenario) -> Gaussian {
        let human = human_components(scenario.human);
        let q01 = mixture_quantile(&human, 0.01);
        let q99 = mixture_quantile(&human, 0.99);
        let w2_cross = if human.len() == 1 { 1.0 } else { w2_cross_term(&human) };
        Gaussian { human, estimator: scenario.variance_estimator, q01, q99, w2_cross }
    }

    /// The human distribution's 1st and 99th percentiles.
    pub fn tail_cutoffs(&self) -> (f64, f64) {
        (self.q01, self.q99)
    }

    /// Density of a model at x.
    pub fn density(&self, model: &GaussianModel, x: f64) -> f64 {
        match *model {
            GaussianModel::Human => mixture_pdf(&self.human, x),
            GaussianModel::Normal { mean, variance } => {
                if variance > 0.0 {
                    normal_pdf((x - mean) / variance.sqrt()) / variance.sqrt()
                } else {
                    0.0
                }
            }
        }
    }

    fn moments(&self, model: &GaussianModel) -> (f64, f64) {
        match *model {
            GaussianModel::Human => (0.0, 1.0),
            GaussianModel::Normal { mean, variance } => (mean, variance),
        }
    }

    fn tail_mass(&self, model: &GaussianModel) -> f64 {
        match *model {
            GaussianModel::Human => 0.02,
            GaussianModel::Normal { mean, variance } => {
                if variance <= 0.0 {
                    return if mean < self.q01 || mean > self.q99 { 1.0 } else { 0.0 };
                }
                let sd = variance.sqrt();
                normal_cdf((self.q01 - mean) / sd) + normal_cdf((mean - self.q99) / sd)
            }
        }
    }

    fn w2_to_human(&self, model: &GaussianModel) -> f64 {
        match *model {
            GaussianModel::Human => 0.0,
            GaussianModel::Normal { mean, variance } => {
                let s = variance.max(0.0).sqrt();
                (1.0 + mean * mean + s * s - 2.0 * s * self.w2_cross).max(0.0).sqrt()
            }
        }
    }

    fn histogram(xs: &[f64], total: usize) -> (Vec<f64>, usize) {
        let (lo, hi) = VIEW_RANGE;
        let width = (hi - lo) / VIEW_BINS as f64;
        let mut bins = vec![0.0; VIEW_BINS];
        let mut outside = 0;
        for &x in xs {
            let k = ((x - lo) / width).floor();
            if k >= 0.0 && (k as usize) < VIEW_BINS {
                bins[k as usize] += 1.0;
            } else {
                outside += 1;
            }
        }
        let scale = 1.0 / (total.max(1) as f64 * width);
        bins.iter_mut().for_each(|b| *b *= scale);
        (bins, outside)
    }
}

impl Family for Gaussian {
    type Model = GaussianModel;
    type Batch = Vec<f64>;
    type Stats = MomentStats;

    fn metric_names(&self) -> &'static [&'static str] {
        METRICS
    }

    fn human_model(&self) -> GaussianModel {
        GaussianModel::Human
    }

    fn draw_human(&self, n: usize, rng: &mut SimRng) -> Vec<f64> {
        self.generate(&GaussianModel::Human, n, &Bias { temperature: 1.0, top_p: 1.0 }, rng)
    }

    /// Samples `model`; temperature T scales deviations from the model's mean by √T, which for a
    /// normal model is exactly N(mu, T sigma^2) (MAD's sampling bias lambda = T).
    fn generate(&self, model: &GaussianModel, n: usize, bias: &Bias, rng: &mut SimRng) -> Vec<f64> {
        let shrink = bias.temperature.sqrt();
        match *model {
            GaussianModel::Human => (0..n)
                .map(|_| {
                    let mut u: f64 = rng.random();
                    let c = self
                        .human
                        .iter()
                        .find(|c| {
                            u -= c.weight;
                            u < 0.0
                        })
                        .unwrap_or(&self.human[self.human.len() - 1]);
                    let z: f64 = StandardNormal.sample(rng);
                    shrink * (c.mean + c.sd * z)
                })
                .collect(),
            GaussianModel::Normal { mean, variance } => {
                let sd = shrink * variance.max(0.0).sqrt();
                (0..n)
                    .map(|_| {
                        let z: f64 = StandardNormal.sample(rng);
                        mean + sd * z
                    })
                    .collect()
            }
        }
    }

    /// `quality` keeps the `keep` samples of highest model density; `diversity` keeps `keep`
    /// evenly spaced order statistics (the smallest, the largest and equal rank steps between),
    /// which preserves the spread of the oversampled set.
    fn filter(
        &self,
        model: &GaussianModel,
        mut batch: Vec<f64>,
        keep: usize,
        kind: FilterKind,
        _rng: &mut SimRng,
    ) -> Vec<f64> {
        if keep >= batch.len() {
            return batch;
        }
        match kind {
            FilterKind::None => batch,
            FilterKind::Quality => {
                batch.sort_by(|a, b| self.density(model, *b).total_cmp(&self.density(model, *a)));
                batch.truncate(keep);
                batch
            }
            FilterKind::Diversity => {
                batch.sort_by(f64::total_cmp);
                if keep == 1 {
                    return vec![batch[batch.len() / 2]];
                }
                let last = (batch.len() - 1) as f64;
                (0..keep).map(|i| batch[(i as f64 * last / (keep - 1) as f64).round() as usize]).collect()
            }
        }
    }

    fn merge(&self, into: &mut Vec<f64>, other: Vec<f64>) {
        into.extend(other);
    }

    fn empty_stats(&self) -> MomentStats {
        MomentStats::default()
    }

    fn add(&self, stats: &mut MomentStats, batch: &Vec<f64>) {
        stats.merge(&MomentStats::of(batch));
    }

    fn fit(&self, stats: &MomentStats) -> GaussianModel {
        let divisor = match self.estimator {
            VarianceEstimator::Mle => stats.n,
            VarianceEstimator::Unbiased => stats.n - 1.0,
        };
        let variance = if divisor > 0.0 { (stats.m2 / divisor).max(0.0) } else { 0.0 };
        GaussianModel::Normal { mean: stats.mean, variance }
    }

    fn measure(&self, model: &GaussianModel, _previous: &GaussianModel, out: &mut [f64]) {
        let (mean, variance) = self.moments(model);
        out.copy_from_slice(&[mean, variance, self.w2_to_human(model), self.tail_mass(model)]);
    }

    fn view(
        &self,
        model: &GaussianModel,
        _previous: &GaussianModel,
        human: &Vec<f64>,
        synthetic: Option<&Vec<f64>>,
    ) -> View {
        let empty = Vec::new();
        let synthetic = synthetic.unwrap_or(&empty);
        let total = human.len() + synthetic.len();
        let (human_bins, out_h) = Self::histogram(human, total);
        let (synthetic_bins, out_s) = Self::histogram(synthetic, total);
        let (lo, hi) = VIEW_RANGE;
        let x: Vec<f64> = (0..CURVE_POINTS).map(|i| lo + (hi - lo) * i as f64 / (CURVE_POINTS - 1) as f64).collect();
        View::Gaussian(GaussianView {
            human_bins,
            synthetic_bins,
            outside: (out_h + out_s) as f64 / total.max(1) as f64,
            human_density: x.iter().map(|&v| self.density(&GaussianModel::Human, v)).collect(),
            model_density: x.iter().map(|&v| self.density(model, v)).collect(),
            x,
        })
    }

    fn theory(&self, scenario: &Scenario) -> Vec<TheoryCurve> {
        let pure = scenario.human_fraction == 0.0
            && scenario.data == DataRegime::Replace
            && scenario.filter.kind == FilterKind::None
            && !super::web_active(scenario);
        if !pure {
            return Vec::new();
        }
        if scenario.model_count > 1 {
            if !super::independent_identical_lineages(scenario) || scenario.temperature != 1.0 {
                return Vec::new();
            }
            return vec![TheoryCurve {
                metric: "variance",
                label: format!("pool of {} independent models: E[variance]", scenario.model_count),
                values: (0..=scenario.generations)
                    .map(|t| expected_pooled_variance(t, scenario.samples, scenario.model_count, self.estimator))
                    .collect(),
            }];
        }
        let m = scenario.samples;
        let (g, t) = (scenario.generations, scenario.temperature);
        let mut curves = vec![TheoryCurve {
            metric: "variance",
            label: match self.estimator {
                VarianceEstimator::Mle => "E[variance] = (T(M-1)/M)^t".into(),
                VarianceEstimator::Unbiased => "E[variance] = T^t".into(),
            },
            values: (0..=g).map(|i| expected_variance(i, m, self.estimator, t)).collect(),
        }];
        if scenario.human == HumanDistribution::Normal {
            curves.push(TheoryCurve {
                metric: "variance",
                label: "typical run: exp E[log variance]".into(),
                values: (0..=g).map(|i| expected_log_variance(i, m, self.estimator, t).exp()).collect(),
            });
        }
        curves
    }
}

/// E[variance_t] for a human variance of 1, M samples per generation and temperature T:
/// `mle` gives (T (M-1)/M)^t, `unbiased` gives T^t (a martingale when T = 1).
pub fn expected_variance(t: u32, m: u32, estimator: VarianceEstimator, temperature: f64) -> f64 {
    let m = f64::from(m);
    let factor = match estimator {
        VarianceEstimator::Mle => (m - 1.0) / m,
        VarianceEstimator::Unbiased => 1.0,
    };
    (temperature * factor).powi(t as i32)
}

/// E[variance_t] of the pool of K independent lineages (T = 1), each refit to M samples, the
/// pool refit to M outputs of each model: the pooled output is a mixture with variance
/// mean(v_k) + (spread of the means m_k), E = E[v] + E[m²](1 - 1/K), where `mle` has
/// E[v] = ((M-1)/M)^t and E[m²] = 1 - ((M-1)/M)^t, `unbiased` E[v] = 1 and E[m²] = t/M; the pool's
/// own `mle` fit to K M samples then multiplies by 1 - 1/(K M).
pub fn expected_pooled_variance(t: u32, m: u32, models: u32, estimator: VarianceEstimator) -> f64 {
    if t == 0 {
        return 1.0;
    }
    let (mf, k) = (f64::from(m), f64::from(models));
    let (v, m2, refit) = match estimator {
        VarianceEstimator::Mle => {
            let v = expected_variance(t, m, estimator, 1.0);
            (v, 1.0 - v, 1.0 - 1.0 / (k * mf))
        }
        VarianceEstimator::Unbiased => (1.0, f64::from(t) / mf, 1.0),
    };
    refit * (v + m2 * (1.0 - 1.0 / k))
}

/// E[log variance_t] for a normal human distribution: each generation multiplies the variance by
/// T χ²_{M-1}/d (d = M for `mle`, M-1 for `unbiased`), and E[log χ²_k] = ψ(k/2) + ln 2, so
/// E[log variance_t] = t (ψ((M-1)/2) + ln(2/d) + ln T). It falls linearly in t even when the
/// mean variance does not: the typical run collapses.
pub fn expected_log_variance(t: u32, m: u32, estimator: VarianceEstimator, temperature: f64) -> f64 {
    let m = f64::from(m);
    let d = match estimator {
        VarianceEstimator::Mle => m,
        VarianceEstimator::Unbiased => m - 1.0,
    };
    f64::from(t) * (digamma((m - 1.0) / 2.0) + (2.0 / d).ln() + temperature.ln())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;

    fn family(human: HumanDistribution) -> Gaussian {
        Gaussian::new(&Scenario { human, ..Scenario::default() })
    }

    #[test]
    fn every_human_distribution_has_mean_zero_and_variance_one() {
        for kind in [HumanDistribution::Normal, HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
            let c = human_components(kind);
            let w: f64 = c.iter().map(|c| c.weight).sum();
            let mean: f64 = c.iter().map(|c| c.weight * c.mean).sum();
            let var: f64 = c.iter().map(|c| c.weight * (c.sd * c.sd + c.mean * c.mean)).sum();
            assert!((w - 1.0).abs() < 1e-12 && mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12, "{kind:?}");
        }
    }

    #[test]
    fn human_tail_cutoffs_hold_one_percent_each() {
        for kind in [HumanDistribution::Normal, HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
            let f = family(kind);
            let (lo, hi) = f.tail_cutoffs();
            assert!((mixture_cdf(&f.human, lo) - 0.01).abs() < 1e-9);
            assert!((mixture_cdf(&f.human, hi) - 0.99).abs() < 1e-9);
        }
        let (lo, hi) = family(HumanDistribution::Normal).tail_cutoffs();
        assert!((hi - 2.326347874).abs() < 1e-6 && (lo + hi).abs() < 1e-9);
    }

    #[test]
    fn w2_is_exact_for_normal_and_matches_quadrature_for_mixtures() {
        let f = family(HumanDistribution::Normal);
        let w = f.w2_to_human(&GaussianModel::Normal { mean: 0.5, variance: 0.25 });
        assert!((w - (0.25f64 + 0.25).sqrt()).abs() < 1e-12);
        // Heavy tails: the best-fitting N(0, 1) is still at a positive distance, and C < 1.
        let f = family(HumanDistribution::HeavyTailed);
        let unit = f.w2_to_human(&GaussianModel::Normal { mean: 0.0, variance: 1.0 });
        // Independent check by midpoint quadrature over quantiles.
        let n = 200_000;
        let direct: f64 = (0..n)
            .map(|i| {
                let u = (i as f64 + 0.5) / n as f64;
                let d = mixture_quantile(&f.human, u) - crate::math::normal_quantile(u);
                d * d
            })
            .sum::<f64>()
            / n as f64;
        assert!((unit - direct.sqrt()).abs() < 2e-3, "{unit} vs {}", direct.sqrt());
        assert!(unit > 0.05);
    }

    #[test]
    fn tail_mass_is_two_percent_for_the_human_normal_and_drops_when_narrow() {
        let f = family(HumanDistribution::Normal);
        let t = f.tail_mass(&GaussianModel::Normal { mean: 0.0, variance: 1.0 });
        assert!((t - 0.02).abs() < 1e-9);
        assert!(f.tail_mass(&GaussianModel::Normal { mean: 0.0, variance: 0.25 }) < 1e-5);
        // A single Gaussian with the heavy-tailed human's variance misses most of its tails.
        let f = family(HumanDistribution::HeavyTailed);
        assert!(f.tail_mass(&GaussianModel::Normal { mean: 0.0, variance: 1.0 }) < 0.012);
    }

    #[test]
    fn moment_stats_merge_equals_stats_of_concatenation() {
        let a = [1.0, 2.0, 4.0];
        let b = [-3.0, 0.5];
        let mut s = MomentStats::of(&a);
        s.merge(&MomentStats::of(&b));
        let all = MomentStats::of(&[1.0, 2.0, 4.0, -3.0, 0.5]);
        assert!((s.n - all.n).abs() < 1e-12 && (s.mean - all.mean).abs() < 1e-12 && (s.m2 - all.m2).abs() < 1e-12);
    }

    #[test]
    fn fit_uses_the_chosen_divisor() {
        let stats = MomentStats::of(&[1.0, 3.0]);
        let mle = Gaussian::new(&Scenario::default()).fit(&stats);
        assert_eq!(mle, GaussianModel::Normal { mean: 2.0, variance: 1.0 });
        let unbiased =
            Gaussian::new(&Scenario { variance_estimator: VarianceEstimator::Unbiased, ..Scenario::default() })
                .fit(&stats);
        assert_eq!(unbiased, GaussianModel::Normal { mean: 2.0, variance: 2.0 });
    }

    #[test]
    fn filters_keep_the_promised_samples() {
        let f = family(HumanDistribution::Normal);
        let model = GaussianModel::Normal { mean: 0.0, variance: 1.0 };
        let mut rng = replicate_rng(1, 0);
        let batch = vec![-3.0, -0.1, 2.0, 0.2, 5.0, -1.0];
        let q = f.filter(&model, batch.clone(), 3, FilterKind::Quality, &mut rng);
        assert_eq!(q, vec![-0.1, 0.2, -1.0]);
        let d = f.filter(&model, batch, 3, FilterKind::Diversity, &mut rng);
        assert_eq!(d, vec![-3.0, 0.2, 5.0]);
    }

    #[test]
    fn temperature_scales_the_sampled_variance() {
        let f = family(HumanDistribution::Normal);
        let mut rng = replicate_rng(3, 0);
        let xs = f.generate(
            &GaussianModel::Normal { mean: 1.0, variance: 4.0 },
            200_000,
            &Bias { temperature: 0.5, top_p: 1.0 },
            &mut rng,
        );
        let s = MomentStats::of(&xs);
        // Variance 2 with standard error 2 * sqrt(2 / n) = 0.0063.
        assert!((s.m2 / s.n - 2.0).abs() < 0.03 && (s.mean - 1.0).abs() < 0.02);
    }

    #[test]
    fn view_histogram_integrates_to_the_share_inside_the_range() {
        let f = family(HumanDistribution::Normal);
        let mut rng = replicate_rng(2, 0);
        let h = f.draw_human(300, &mut rng);
        let s = f.draw_human(700, &mut rng);
        let View::Gaussian(v) = f.view(&GaussianModel::Human, &GaussianModel::Human, &h, Some(&s)) else { panic!() };
        let width = (VIEW_RANGE.1 - VIEW_RANGE.0) / VIEW_BINS as f64;
        let area: f64 = v.human_bins.iter().chain(&v.synthetic_bins).sum::<f64>() * width;
        assert!((area + v.outside - 1.0).abs() < 1e-9);
        let human_area: f64 = v.human_bins.iter().sum::<f64>() * width;
        assert!((human_area - 0.3).abs() < 0.01);
    }
}

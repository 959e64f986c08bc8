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

/// A model: the human mixture (generation 0), a fitted normal, or a fitted two-component
/// mixture (the `Mixture` form).
#[derive(Clone, Debug, PartialEq)]
pub enum GaussianModel {
    Human,
    Normal { mean: f64, variance: f64 },
    Mixture(Vec<Component>),
}

/// What a model of the family is: one normal (the default), or a mixture of two normals fitted
/// by expectation–maximisation, which can keep two bumps or a heavy tail a single normal loses.
/// In a multi-model run with a spread of biases, every second model takes the mixture form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Single,
    Mixture,
}

/// Training statistics: the running moments, and for the mixture form the samples themselves
/// (EM needs them; a single normal needs only the moments).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GaussianStats {
    pub moments: MomentStats,
    pub samples: Vec<f64>,
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
    form: Form,
    /// The human quantiles at the midpoints of [`W2_LEVELS`] equal slices of (0, 1), for the
    /// numerical W2 of mixture models.
    human_quantiles: Vec<f64>,
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

/// An interval that holds every quantile a mixture has in floating point: 40 standard deviations
/// beyond its outermost components.
fn mixture_bracket(components: &[Component]) -> (f64, f64) {
    let lo = components.iter().map(|c| c.mean - 40.0 * c.sd).fold(f64::INFINITY, f64::min);
    let hi = components.iter().map(|c| c.mean + 40.0 * c.sd).fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn mixture_quantile(components: &[Component], u: f64) -> f64 {
    // 64 halvings shrink the bracket by 2^-64, below the spacing of doubles within it.
    let (mut lo, mut hi) = mixture_bracket(components);
    for _ in 0..64 {
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

/// Quantile levels of the numerical W2 of mixture models.
pub const W2_LEVELS: usize = 200;

/// The quantiles of a mixture at the midpoints of `levels` equal slices of (0, 1), in one
/// increasing sweep: each starts from the previous one and takes safeguarded Newton steps
/// (bisection whenever a step would leave the bracket), to |F(x) - u| < 1e-13.
fn mixture_quantile_sweep(components: &[Component], levels: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(levels);
    let (_, bracket_hi) = mixture_bracket(components);
    let mut x = mixture_quantile(components, 0.5 / levels as f64);
    for i in 0..levels {
        let u = (i as f64 + 0.5) / levels as f64;
        let (mut lo, mut hi) = (x - 1e-12 * x.abs().max(1.0), bracket_hi);
        for _ in 0..100 {
            let err = mixture_cdf(components, x) - u;
            if err.abs() < 1e-13 || hi - lo <= 1e-15 * x.abs().max(1.0) {
                break;
            }
            if err < 0.0 {
                lo = x;
            } else {
                hi = x;
            }
            let density = mixture_pdf(components, x);
            let newton = x - err / density;
            x = if density > 0.0 && newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
        }
        out.push(x);
    }
    out
}

/// Mean and variance of a mixture.
fn mixture_moments(components: &[Component]) -> (f64, f64) {
    let mean: f64 = components.iter().map(|c| c.weight * c.mean).sum();
    let second: f64 = components.iter().map(|c| c.weight * (c.sd * c.sd + c.mean * c.mean)).sum();
    (mean, (second - mean * mean).max(0.0))
}

/// A two-component normal mixture fitted to `xs` by expectation–maximisation (maximum
/// likelihood), started from the lower and upper halves of the sorted data; at most 100
/// iterations, stopping when the log-likelihood gains less than 1e-9 per sample. Component
/// standard deviations are floored at 1e-6 of the data's so a component cannot collapse onto one
/// point. `None` for fewer than 4 samples or no spread (the single normal is then used).
pub fn fit_two_normals(xs: &[f64]) -> Option<GaussianModel> {
    let n = xs.len();
    let MomentStats { m2, .. } = MomentStats::of(xs);
    let total_sd = (m2 / n as f64).sqrt();
    if n < 4 || total_sd <= 0.0 || !total_sd.is_finite() {
        return None;
    }
    let floor = 1e-6 * total_sd;
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let half = |part: &[f64]| {
        let s = MomentStats::of(part);
        Component { weight: 0.5, mean: s.mean, sd: (s.m2 / s.n).sqrt().max(floor) }
    };
    let mut comps = [half(&sorted[..n / 2]), half(&sorted[n / 2..])];
    let mut last = f64::NEG_INFINITY;
    let mut resp = vec![0.0; n];
    for _ in 0..100 {
        // E step: the responsibility of component 0 for each sample, and the log-likelihood.
        let mut loglik = 0.0;
        for (r, &x) in resp.iter_mut().zip(xs) {
            let a = comps[0].weight * normal_pdf((x - comps[0].mean) / comps[0].sd) / comps[0].sd;
            let b = comps[1].weight * normal_pdf((x - comps[1].mean) / comps[1].sd) / comps[1].sd;
            let total = a + b;
            *r = if total > 0.0 { a / total } else { 0.5 };
            loglik += total.max(f64::MIN_POSITIVE).ln();
        }
        // M step.
        for (k, comp) in comps.iter_mut().enumerate() {
            let w = |r: f64| if k == 0 { r } else { 1.0 - r };
            let mass: f64 = resp.iter().map(|&r| w(r)).sum();
            if mass < 1e-9 * n as f64 {
                return None;
            }
            let mu = resp.iter().zip(xs).map(|(&r, &x)| w(r) * x).sum::<f64>() / mass;
            let var = resp.iter().zip(xs).map(|(&r, &x)| w(r) * (x - mu) * (x - mu)).sum::<f64>() / mass;
            *comp = Component { weight: mass / n as f64, mean: mu, sd: var.sqrt().max(floor) };
        }
        if loglik - last < 1e-9 * n as f64 {
            break;
        }
        last = loglik;
    }
    Some(GaussianModel::Mixture(comps.to_vec()))
}

impl Gaussian {
    pub fn new(scenario: &Scenario) -> Gaussian {
        let human = human_components(scenario.human);
        let q01 = mixture_quantile(&human, 0.01);
        let q99 = mixture_quantile(&human, 0.99);
        let w2_cross = if human.len() == 1 { 1.0 } else { w2_cross_term(&human) };
        Gaussian {
            human,
            estimator: scenario.variance_estimator,
            form: Form::Single,
            human_quantiles: Vec::new(),
            q01,
            q99,
            w2_cross,
        }
    }

    /// The same family with models of the given form.
    pub fn with_form(mut self, form: Form) -> Gaussian {
        if form == Form::Mixture && self.human_quantiles.is_empty() {
            self.human_quantiles = mixture_quantile_sweep(&self.human, W2_LEVELS);
        }
        self.form = form;
        self
    }

    pub fn form(&self) -> Form {
        self.form
    }

    /// The human distribution's 1st and 99th percentiles.
    pub fn tail_cutoffs(&self) -> (f64, f64) {
        (self.q01, self.q99)
    }

    /// Density of a model at x.
    pub fn density(&self, model: &GaussianModel, x: f64) -> f64 {
        match *model {
            GaussianModel::Human => mixture_pdf(&self.human, x),
            GaussianModel::Mixture(ref c) => mixture_pdf(c, x),
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
            GaussianModel::Mixture(ref c) => mixture_moments(c),
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
            GaussianModel::Mixture(ref c) => mixture_cdf(c, self.q01) + 1.0 - mixture_cdf(c, self.q99),
        }
    }

    fn w2_to_human(&self, model: &GaussianModel) -> f64 {
        match *model {
            GaussianModel::Human => 0.0,
            GaussianModel::Normal { mean, variance } => {
                let s = variance.max(0.0).sqrt();
                (1.0 + mean * mean + s * s - 2.0 * s * self.w2_cross).max(0.0).sqrt()
            }
            // No closed form for two mixtures: midpoint quadrature of the squared quantile
            // difference over W2_LEVELS levels (error below 1e-2 for the mixtures that occur;
            // the extreme 1/(2 W2_LEVELS) of each tail is left out).
            GaussianModel::Mixture(ref c) => {
                let sum: f64 = self
                    .human_quantiles
                    .iter()
                    .zip(mixture_quantile_sweep(c, W2_LEVELS))
                    .map(|(&q, m)| (q - m) * (q - m))
                    .sum();
                (sum / W2_LEVELS as f64).sqrt()
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
    type Stats = GaussianStats;

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
            GaussianModel::Mixture(ref comps) => {
                let (center, _) = mixture_moments(comps);
                (0..n)
                    .map(|_| {
                        let mut u: f64 = rng.random();
                        let c = comps
                            .iter()
                            .find(|c| {
                                u -= c.weight;
                                u < 0.0
                            })
                            .unwrap_or(&comps[comps.len() - 1]);
                        let z: f64 = StandardNormal.sample(rng);
                        center + shrink * (c.mean + c.sd * z - center)
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

    fn empty_stats(&self) -> GaussianStats {
        GaussianStats::default()
    }

    fn add(&self, stats: &mut GaussianStats, batch: &Vec<f64>) {
        stats.moments.merge(&MomentStats::of(batch));
        if self.form == Form::Mixture {
            stats.samples.extend_from_slice(batch);
        }
    }

    /// A single normal by maximum likelihood (or the unbiased variance); the mixture form by EM.
    fn fit(&self, stats: &GaussianStats) -> GaussianModel {
        if self.form == Form::Mixture {
            if let Some(model) = fit_two_normals(&stats.samples) {
                return model;
            }
        }
        let stats = &stats.moments;
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
    fn the_w2_constant_is_below_one_for_every_non_normal_human() {
        // Cauchy–Schwarz: C = E[X Φ⁻¹(F(X))] < 1 unless X is normal, so a normal model is always
        // at a positive distance from a mixture.
        for kind in [HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
            let c = w2_cross_term(&human_components(kind));
            assert!(c.is_finite() && c > 0.9 && c < 1.0, "{kind:?}: C = {c}");
            let f = family(kind);
            assert!(f.w2_to_human(&GaussianModel::Normal { mean: 0.0, variance: 1.0 }) > 0.05, "{kind:?}");
        }
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
        let stats = GaussianStats { moments: MomentStats::of(&[1.0, 3.0]), samples: Vec::new() };
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

    #[test]
    fn the_quantile_sweep_agrees_with_bisection() {
        for kind in [HumanDistribution::Normal, HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
            let c = human_components(kind);
            for (i, q) in mixture_quantile_sweep(&c, 50).into_iter().enumerate() {
                let u = (i as f64 + 0.5) / 50.0;
                assert!((q - mixture_quantile(&c, u)).abs() < 1e-9, "{kind:?} at {u}");
            }
        }
    }

    #[test]
    fn quantiles_of_very_wide_mixtures_are_found() {
        // A hot model's variance can explode; its quantiles lie far outside [-40, 40].
        let wide = [Component { weight: 0.5, mean: 0.0, sd: 1e6 }, Component { weight: 0.5, mean: 3e6, sd: 2e6 }];
        let q = mixture_quantile(&wide, 0.99);
        assert!((mixture_cdf(&wide, q) - 0.99).abs() < 1e-9 && q > 1e6);
        for (i, q) in mixture_quantile_sweep(&wide, 20).into_iter().enumerate() {
            assert!((mixture_cdf(&wide, q) - (i as f64 + 0.5) / 20.0).abs() < 1e-9, "level {i}");
        }
    }

    #[test]
    fn em_recovers_a_two_bump_mixture() {
        let f = family(HumanDistribution::Bimodal);
        let xs = f.draw_human(20_000, &mut replicate_rng(4, 0));
        let Some(GaussianModel::Mixture(mut c)) = fit_two_normals(&xs) else { panic!("no mixture") };
        c.sort_by(|a, b| a.mean.total_cmp(&b.mean));
        for (got, want) in c.iter().zip(human_components(HumanDistribution::Bimodal)) {
            assert!((got.mean - want.mean).abs() < 0.05, "{got:?}");
            assert!((got.sd - want.sd).abs() < 0.05 && (got.weight - 0.5).abs() < 0.05, "{got:?}");
        }
        assert_eq!(fit_two_normals(&[1.0, 2.0, 3.0]), None);
        assert_eq!(fit_two_normals(&[2.0; 10]), None);
    }

    #[test]
    fn mixture_models_have_exact_moments_and_tails_and_a_numerical_w2() {
        let f = family(HumanDistribution::Normal).with_form(Form::Mixture);
        // A normal written as two identical halves: the numerical W2 meets the closed form.
        let half = Component { weight: 0.5, mean: 0.5, sd: 0.5 };
        let as_mixture = GaussianModel::Mixture(vec![half, half]);
        let as_normal = GaussianModel::Normal { mean: 0.5, variance: 0.25 };
        assert!((f.w2_to_human(&as_mixture) - f.w2_to_human(&as_normal)).abs() < 0.01);
        assert!((f.tail_mass(&as_mixture) - f.tail_mass(&as_normal)).abs() < 1e-12);
        let (m, v) = f.moments(&as_mixture);
        assert!((m - 0.5).abs() < 1e-12 && (v - 0.25).abs() < 1e-12);
        // The bimodal human itself, as a fitted mixture, is at distance ~0.
        let g = family(HumanDistribution::Bimodal).with_form(Form::Mixture);
        let exact = GaussianModel::Mixture(human_components(HumanDistribution::Bimodal));
        assert!(g.w2_to_human(&exact) < 1e-3);
        let (m, v) = g.moments(&exact);
        assert!(m.abs() < 1e-12 && (v - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_mixture_keeps_two_bumps_that_a_single_normal_merges() {
        let scenario =
            Scenario { human: HumanDistribution::Bimodal, samples: 2000, generations: 1, ..Scenario::default() };
        let w2 = |form: Form| {
            let f = Gaussian::new(&scenario).with_form(form);
            let run = crate::sim::simulate(std::slice::from_ref(&f), &scenario, &mut replicate_rng(5, 0), true);
            run.series("w2_to_human").unwrap()[1]
        };
        let (single, mixture) = (w2(Form::Single), w2(Form::Mixture));
        assert!(mixture < 0.05 && single > 0.1, "W2 after one refit: mixture {mixture}, single {single}");
    }
}

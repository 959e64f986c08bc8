//! The Gaussian photocopy (Shumailov et al., Nature 2024): a 1-D normal distribution refit by
//! maximum likelihood to M samples of the previous generation's model.
//!
//! The human distribution has mean 0 and variance 1 and is a mixture of normals (one component
//! for `normal`; two for `heavy_tailed` and `bimodal`), so a model family that is a single
//! Gaussian loses what it cannot represent at the first generation (functional expressivity
//! error), then drifts by finite sampling (statistical approximation error).

//!
//! Submodules: `mixture` (mixtures of normals, EM), `stats` (sufficient statistics, drawn exactly
//! without samples where possible), `blind` (sampling outside blind spots), `metrics` (what is
//! measured of a model) and `theory` (the closed forms); their public items are re-exported here.

mod blind;
mod describe;
mod metrics;
mod mixture;
mod stats;
mod theory;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use self::blind::{blocked_ranges, Restricted, MIN_ALLOWED_MASS};

pub use self::describe::FAMILY;
pub use self::mixture::{fit_two_normals, fit_two_normals_binned, human_components, summarize, Component, W2_LEVELS};
use self::mixture::{mixture_moments, mixture_quantile, mixture_quantile_sweep, w2_cross_term};
use self::stats::{normal_stats, normal_stats_with, sample_given, StatsSampler};
pub use self::stats::{GaussianStats, MomentStats, SUMMARY_BINS};
pub use self::theory::{
    expected_log_variance, expected_pooled_variance, expected_shared_pool_variance, expected_variance,
};
use super::blind_spot::BlindSpot;
use super::{Bias, Family, GenerationView, Lockstep, LoopConfig, Rows, Selection, TheoryCurve};
use crate::rng::SimRng;
use crate::scenario::{Scenario, VarianceEstimator};

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

/// Histogram range and resolution of the page's view (in human standard deviations).
pub const VIEW_RANGE: (f64, f64) = (-4.5, 4.5);
pub const VIEW_BINS: usize = 60;
const CURVE_POINTS: usize = 241;

/// What the page draws for one generation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// The bell curve's details are all in its chart.
impl GenerationView for GaussianView {
    fn details(&self) -> String {
        "{}".into()
    }
}

/// The Gaussian family for one scenario.
#[derive(Clone, Debug)]
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
    /// The value ranges [lo, hi) the model cannot generate (its blind spot through the human
    /// quantile function; empty: none).
    blocked: Vec<(f64, f64)>,
}

pub const METRICS: &[&str] =
    &["mean", "variance", "w2_to_human", "tail_mass", "self_entropy_bits", "human_cross_entropy_bits"];
const METRIC_COUNT: usize = 6;
const _: () = assert!(METRICS.len() == METRIC_COUNT);

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
            blocked: Vec::new(),
        }
    }

    /// The same family with models that cannot generate the values of `spot`: each interval
    /// [u₀, u₁) of the human quantile axis becomes the range of values [F_h⁻¹(u₀), F_h⁻¹(u₁))
    /// (u = 0 is −∞, u = 1 is +∞). Every model of the family, the human distribution at generation
    /// 0 included, then generates only outside those ranges (see [`Family::generate`]); the
    /// family's fresh human draws are not restricted.
    pub fn with_blind_spot(mut self, spot: &BlindSpot) -> Gaussian {
        self.blocked = blocked_ranges(&self.human, spot);
        self
    }

    /// The value ranges [lo, hi) the family's models cannot generate.
    pub fn blocked_ranges(&self) -> &[(f64, f64)] {
        &self.blocked
    }

    /// Whether the family's models cannot generate `x`.
    pub fn blocks(&self, x: f64) -> bool {
        blind::is_blocked(x, &self.blocked)
    }

    /// The same family with models of the given form.
    pub fn with_form(mut self, form: Form) -> Gaussian {
        if form == Form::Mixture && self.human_quantiles.is_empty() {
            self.human_quantiles = mixture_quantile_sweep(&self.human, W2_LEVELS);
        }
        self.form = form;
        self
    }

    /// The normal a single-normal fit gives for `stats`: their mean, and their variance by the
    /// family's estimator (0 where undefined or negative by rounding).
    fn fit_normal(&self, stats: &MomentStats) -> (f64, f64) {
        let divisor = match self.estimator {
            VarianceEstimator::Mle => stats.n,
            VarianceEstimator::Unbiased => stats.n - 1.0,
        };
        // A variance that overflowed stays non-finite (NaN or +∞): never a perfect 0.
        let variance = if divisor > 0.0 {
            let v = stats.m2 / divisor;
            if v < 0.0 {
                0.0
            } else {
                v
            }
        } else {
            0.0
        };
        (stats.mean, variance)
    }

    /// [`Family::loop_on_stats`] of a single normal, each generation's metrics handed to `emit`
    /// (see [`NormalSteps`]).
    fn normal_loop(&self, bias: &Bias, config: &LoopConfig, rng: &mut SimRng, mut emit: impl FnMut(&[f64])) {
        let steps = NormalSteps::new(self, bias, config);
        let mut chain = NormalChain::start();
        for _ in 1..=config.generations {
            emit(&steps.step(&mut chain, rng));
        }
    }

    /// The human distribution's 1st and 99th percentiles.
    pub fn tail_cutoffs(&self) -> (f64, f64) {
        (self.q01, self.q99)
    }

    /// Samples `model` with no blind spot (temperature as in [`Family::generate`]).
    fn generate_unrestricted(&self, model: &GaussianModel, n: usize, bias: &Bias, rng: &mut SimRng) -> Vec<f64> {
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

    /// The statistics of `n` draws from the mixture of normals (weight, mean, variance), drawn
    /// exactly: a single component directly, several by multinomial counts then per component.
    fn mixture_stats(
        &self,
        components: impl Iterator<Item = (f64, f64, f64)>,
        n: usize,
        rng: &mut SimRng,
    ) -> GaussianStats {
        if n == 0 {
            return GaussianStats::default();
        }
        let components: Vec<(f64, f64, f64)> = components.collect();
        if let [(_, mean, variance)] = components[..] {
            return GaussianStats { moments: normal_stats(mean, variance, n, rng), ..GaussianStats::default() };
        }
        let weights: Vec<f64> = components.iter().map(|c| c.0).collect();
        let counts = crate::sampling::multinomial(n as u64, &weights, rng);
        let mut moments = MomentStats::default();
        let parts: Vec<MomentStats> = components
            .iter()
            .zip(&counts)
            .map(|(&(_, mean, variance), &count)| {
                let part = normal_stats(mean, variance, count as usize, rng);
                moments.merge(&part);
                part
            })
            .collect();
        GaussianStats { moments, parts, ..GaussianStats::default() }
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

/// One generation of a single normal's loop on drawn statistics, prepared once for every run:
/// the generic loop's steps on the moments alone (a single normal's statistics have no samples,
/// parts or summary to carry): `draw_human_stats` (no draw for no items), `draw_stats` (a normal
/// model's synthetic statistics with their χ² prepared once), `add_stats`, `fit`, `measure`, and
/// with `accumulate` the statistics carried on.
struct NormalSteps<'a> {
    family: &'a Gaussian,
    bias: &'a Bias,
    config: &'a LoopConfig,
    shrink: f64,
    synthetic: StatsSampler,
}

/// Where one run of [`NormalSteps`] stands between generations.
#[derive(Clone, Debug)]
struct NormalChain {
    model: GaussianModel,
    gathered: MomentStats,
}

impl NormalChain {
    fn start() -> NormalChain {
        NormalChain { model: GaussianModel::Human, gathered: MomentStats::default() }
    }
}

impl<'a> NormalSteps<'a> {
    fn new(family: &'a Gaussian, bias: &'a Bias, config: &'a LoopConfig) -> NormalSteps<'a> {
        let (shrink, synthetic) = (bias.temperature.sqrt(), StatsSampler::new(config.generated));
        NormalSteps { family, bias, config, shrink, synthetic }
    }

    /// Advances `chain` one generation; returns its metrics.
    fn step(&self, chain: &mut NormalChain, rng: &mut SimRng) -> [f64; METRIC_COUNT] {
        let (family, config) = (self.family, self.config);
        let mut stats = if config.accumulate { chain.gathered } else { MomentStats::default() };
        if config.scraped > 0 {
            stats.merge(&family.draw_human_stats(config.scraped, rng).expect("statistics drawn").moments);
        }
        match chain.model {
            GaussianModel::Normal { mean, variance } => {
                let sd = self.shrink * variance.max(0.0).sqrt();
                stats.merge(&normal_stats_with(mean, sd * sd, &self.synthetic, rng));
            }
            ref model => {
                let part = family.draw_stats(model, config.generated, self.bias, rng).expect("statistics drawn");
                stats.merge(&part.moments);
            }
        }
        let (mean, variance) = family.fit_normal(&stats);
        chain.gathered = stats;
        chain.model = GaussianModel::Normal { mean, variance };
        family.measure_normal(mean, variance)
    }
}

/// Runs of [`NormalSteps`] side by side, each with its generator ([`Family::lockstep`]).
struct NormalLockstep<'a> {
    steps: NormalSteps<'a>,
    runs: Vec<(SimRng, NormalChain)>,
}

impl Lockstep for NormalLockstep<'_> {
    fn step(&mut self, rows: &mut [f64]) {
        assert_eq!(rows.len(), self.runs.len() * METRIC_COUNT, "a row per run");
        for ((rng, chain), row) in self.runs.iter_mut().zip(rows.chunks_exact_mut(METRIC_COUNT)) {
            row.copy_from_slice(&self.steps.step(chain, rng));
        }
    }
}

impl Family for Gaussian {
    type Model = GaussianModel;
    type Batch = Vec<f64>;
    type Stats = GaussianStats;
    type View = GaussianView;

    fn metric_names(&self) -> &'static [&'static str] {
        METRICS
    }

    fn human_model(&self) -> GaussianModel {
        GaussianModel::Human
    }

    fn draw_human(&self, n: usize, rng: &mut SimRng) -> Vec<f64> {
        self.generate_unrestricted(&GaussianModel::Human, n, &Bias { temperature: 1.0, top_p: 1.0 }, rng)
    }

    /// Samples `model`; temperature T scales deviations from the model's mean by √T, which for a
    /// normal model is exactly N(mu, T sigma^2) (MAD's sampling bias lambda = T). With a blind
    /// spot every value comes from outside the blocked ranges: a component (the normal itself,
    /// or one of a mixture's or the human distribution's, each with its temperature applied) is
    /// chosen with probability ∝ weight × its allowed mass, then drawn by inverse CDF over its
    /// allowed mass. A model whose allowed mass is below 1e-12 (it sits entirely inside its
    /// blind spot), or a degenerate one (no spread, or not finite), is sampled unrestricted.
    fn generate(&self, model: &GaussianModel, n: usize, bias: &Bias, rng: &mut SimRng) -> Vec<f64> {
        if self.blocked.is_empty() {
            return self.generate_unrestricted(model, n, bias, rng);
        }
        let shrink = bias.temperature.sqrt();
        let effective: Vec<(f64, f64, f64)> = match *model {
            GaussianModel::Human => self.human.iter().map(|c| (c.weight, shrink * c.mean, shrink * c.sd)).collect(),
            GaussianModel::Normal { mean, variance } => vec![(1.0, mean, shrink * variance.max(0.0).sqrt())],
            GaussianModel::Mixture(ref comps) => {
                let (center, _) = mixture_moments(comps);
                comps.iter().map(|c| (c.weight, center + shrink * (c.mean - center), shrink * c.sd)).collect()
            }
        };
        if effective.iter().any(|&(_, m, sd)| !(m.is_finite() && sd.is_finite() && sd > 0.0)) {
            return self.generate_unrestricted(model, n, bias, rng);
        }
        let parts: Vec<(f64, Restricted)> =
            effective.iter().map(|&(w, m, sd)| (w, Restricted::new(m, sd, &self.blocked))).collect();
        let total: f64 = parts.iter().map(|(w, r)| w * r.mass).sum();
        if total.is_nan() || total < MIN_ALLOWED_MASS {
            return self.generate_unrestricted(model, n, bias, rng);
        }
        (0..n)
            .map(|_| {
                let part = if parts.len() == 1 {
                    &parts[0].1
                } else {
                    let mut u = rng.random::<f64>() * total;
                    let mut chosen = &parts[parts.len() - 1].1;
                    for (w, r) in &parts {
                        let share = w * r.mass;
                        if share > 0.0 && u < share {
                            chosen = r;
                            break;
                        }
                        u -= share;
                    }
                    if chosen.mass <= 0.0 {
                        chosen = &parts.iter().rev().find(|(w, r)| w * r.mass > 0.0).expect("positive mass").1;
                    }
                    chosen
                };
                part.draw(&self.blocked, rng)
            })
            .collect()
    }

    /// `quality` keeps the `keep` samples of highest model density. `diversity` is stratified
    /// selection without the extremes: the oversampled batch, sorted, is split into `keep` strata
    /// of consecutive order statistics (stratum i holds ranks ⌊i n/keep⌋ to ⌊(i+1) n/keep⌋ − 1 of
    /// n), and one item drawn uniformly at random from each stratum is kept. Every part of the
    /// distribution is represented (the sample mean strays less than that of `keep` plain draws,
    /// so the collapse slows), yet the extremes are kept only as often as any other item of their
    /// stratum, so the spread does not grow: E[variance] stays at most the model's.
    fn filter(
        &self,
        model: &GaussianModel,
        mut batch: Vec<f64>,
        keep: usize,
        kind: Selection,
        rng: &mut SimRng,
    ) -> Vec<f64> {
        if keep >= batch.len() {
            return batch;
        }
        match kind {
            Selection::Quality => {
                crate::order::sort_by_key(&mut batch, |&x| crate::order::descending(self.density(model, x)));
                batch.truncate(keep);
                batch
            }
            Selection::Diversity => {
                crate::order::sort_f64(&mut batch);
                let n = batch.len();
                (0..keep)
                    .map(|i| {
                        let (lo, hi) = (i * n / keep, (i + 1) * n / keep);
                        batch[rng.random_range(lo..hi)]
                    })
                    .collect()
            }
        }
    }

    fn merge(&self, into: &mut Vec<f64>, other: Vec<f64>) {
        into.extend(other);
    }

    /// A single normal fits from the moments alone; the mixture form's EM needs the samples.
    fn trains_on_stats(&self) -> bool {
        self.form == Form::Single
    }

    /// Exact statistics of [`Family::generate`]'s batch without the batch (none with a blind
    /// spot, whose truncated draws have no such closed form): for a normal model N(μ, Tσ²), see
    /// [`normal_stats`]; for a mixture (a mixture model or the human distribution), the counts
    /// per component are one multinomial draw over the weights, each component's statistics are
    /// drawn as a normal's, and they combine exactly (the pooled sum of squares is the sum of the
    /// within-component sums plus Σ n_j (x̄_j − x̄)², [`MomentStats::merge`]).
    fn draw_stats(&self, model: &GaussianModel, n: usize, bias: &Bias, rng: &mut SimRng) -> Option<GaussianStats> {
        if !self.blocked.is_empty() {
            return None;
        }
        let t = bias.temperature;
        let shrink = t.sqrt();
        Some(match *model {
            GaussianModel::Human => {
                self.mixture_stats(self.human.iter().map(|c| (c.weight, shrink * c.mean, t * c.sd * c.sd)), n, rng)
            }
            GaussianModel::Normal { mean, variance } => {
                let sd = shrink * variance.max(0.0).sqrt();
                GaussianStats { moments: normal_stats(mean, sd * sd, n, rng), ..GaussianStats::default() }
            }
            GaussianModel::Mixture(ref comps) => {
                let (center, _) = mixture_moments(comps);
                let parts = comps.iter().map(|c| (c.weight, center + shrink * (c.mean - center), t * c.sd * c.sd));
                self.mixture_stats(parts, n, rng)
            }
        })
    }

    fn draw_human_stats(&self, n: usize, rng: &mut SimRng) -> Option<GaussianStats> {
        Some(self.mixture_stats(self.human.iter().map(|c| (c.weight, c.mean, c.sd * c.sd)), n, rng))
    }

    fn add_stats(&self, stats: &mut GaussianStats, part: &GaussianStats) {
        stats.moments.merge(&part.moments);
        if self.form == Form::Mixture {
            // Never reached by the loop (the mixture form does not train on statistics).
            stats.samples.extend_from_slice(&part.samples);
        }
    }

    /// The items of each component drawn given its statistics ([`sample_given`]), component
    /// after component.
    fn batch_given(&self, part: &GaussianStats, rng: &mut SimRng) -> Vec<f64> {
        let mut out = Vec::with_capacity(part.moments.n as usize);
        if part.parts.is_empty() {
            sample_given(&part.moments, rng, &mut out);
        } else {
            part.parts.iter().for_each(|p| sample_given(p, rng, &mut out));
        }
        out
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

    /// With `accumulate`, the mixture form keeps its samples until they outgrow
    /// 2 × [`SUMMARY_BINS`], then folds them and its earlier summary into at most
    /// [`SUMMARY_BINS`] + 1 bins ([`summarize`]), so EM's cost per generation stays flat. The
    /// moments (and so any single-normal fallback) stay exact.
    fn carry(&self, stats: &mut GaussianStats) {
        if self.form == Form::Mixture {
            stats.fold(SUMMARY_BINS);
        }
    }

    /// A single normal by maximum likelihood (or the unbiased variance); the mixture form by EM
    /// (over the samples, or over the summary of earlier ones and the samples since).
    fn fit(&self, stats: &GaussianStats) -> GaussianModel {
        if self.form == Form::Mixture {
            let fitted = if stats.bins.is_empty() {
                fit_two_normals(&stats.samples)
            } else {
                fit_two_normals_binned(&stats.bins, &stats.samples)
            };
            if let Some(model) = fitted {
                return model;
            }
        }
        let (mean, variance) = self.fit_normal(&stats.moments);
        GaussianModel::Normal { mean, variance }
    }

    fn loop_on_stats(&self, bias: &Bias, config: &LoopConfig, rng: &mut SimRng, metrics: &mut dyn Rows) -> bool {
        if !self.trains_on_stats() || !self.blocked.is_empty() {
            return false;
        }
        match metrics.push_zeroed_block(METRIC_COUNT, config.generations) {
            Some(block) => {
                let mut rows = block.chunks_exact_mut(METRIC_COUNT);
                self.normal_loop(bias, config, rng, |row| {
                    rows.next().expect("a row per generation").copy_from_slice(row)
                })
            }
            None => self.normal_loop(bias, config, rng, |row| metrics.push(row)),
        }
        true
    }

    fn lockstep<'a>(
        &'a self,
        bias: &'a Bias,
        config: &'a LoopConfig,
        rngs: Vec<SimRng>,
    ) -> Option<Box<dyn Lockstep + 'a>> {
        if !self.trains_on_stats() || !self.blocked.is_empty() {
            return None;
        }
        let runs = rngs.into_iter().map(|rng| (rng, NormalChain::start())).collect();
        Some(Box::new(NormalLockstep { steps: NormalSteps::new(self, bias, config), runs }))
    }

    fn measure(&self, model: &GaussianModel, _previous: &GaussianModel, out: &mut [f64]) {
        if let GaussianModel::Normal { mean, variance } = *model {
            out.copy_from_slice(&self.measure_normal(mean, variance));
            return;
        }
        let (mean, variance) = self.moments(model);
        out.copy_from_slice(&[
            mean,
            variance,
            self.w2_to_human(model),
            self.tail_mass(model),
            self.self_entropy_bits(model),
            self.human_cross_entropy_bits(model),
        ]);
    }

    fn view(
        &self,
        model: &GaussianModel,
        _previous: &GaussianModel,
        human: Option<&Vec<f64>>,
        synthetic: Option<&Vec<f64>>,
    ) -> GaussianView {
        let empty = Vec::new();
        let (human, synthetic) = (human.unwrap_or(&empty), synthetic.unwrap_or(&empty));
        let total = human.len() + synthetic.len();
        let (human_bins, out_h) = Self::histogram(human, total);
        let (synthetic_bins, out_s) = Self::histogram(synthetic, total);
        let (lo, hi) = VIEW_RANGE;
        let x: Vec<f64> = (0..CURVE_POINTS).map(|i| lo + (hi - lo) * i as f64 / (CURVE_POINTS - 1) as f64).collect();
        GaussianView {
            human_bins,
            synthetic_bins,
            outside: (out_h + out_s) as f64 / total.max(1) as f64,
            human_density: x.iter().map(|&v| self.density(&GaussianModel::Human, v)).collect(),
            model_density: x.iter().map(|&v| self.density(model, v)).collect(),
            x,
        }
    }

    fn theory(&self, scenario: &Scenario) -> Vec<TheoryCurve> {
        theory::curves(scenario, self.estimator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;
    use crate::scenario::HumanDistribution;

    fn family(human: HumanDistribution) -> Gaussian {
        Gaussian::new(&Scenario { human, ..Scenario::default() })
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
        let stats = GaussianStats { moments: MomentStats::of(&[1.0, 3.0]), ..GaussianStats::default() };
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
        let q = f.filter(&model, batch.clone(), 3, Selection::Quality, &mut rng);
        assert_eq!(q, vec![-0.1, 0.2, -1.0]);
        // Sorted: [-3, -1, -0.1, 0.2, 2, 5]; strata {-3, -1}, {-0.1, 0.2}, {2, 5}, one of each.
        let strata = [[-3.0, -1.0], [-0.1, 0.2], [2.0, 5.0]];
        let mut extremes = 0;
        for _ in 0..200 {
            let d = f.filter(&model, batch.clone(), 3, Selection::Diversity, &mut rng);
            assert_eq!(d.len(), 3);
            for (x, stratum) in d.iter().zip(&strata) {
                assert!(stratum.contains(x), "{d:?}");
            }
            extremes += usize::from(d[0] == -3.0) + usize::from(d[2] == 5.0);
        }
        // Each extreme is kept half the time, not always (binomial, 400 trials: 200 ± 40).
        assert!((160..=240).contains(&extremes), "extremes kept {extremes} times");
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
        let v = f.view(&GaussianModel::Human, &GaussianModel::Human, Some(&h), Some(&s));
        let width = (VIEW_RANGE.1 - VIEW_RANGE.0) / VIEW_BINS as f64;
        let area: f64 = v.human_bins.iter().chain(&v.synthetic_bins).sum::<f64>() * width;
        assert!((area + v.outside - 1.0).abs() < 1e-9);
        let human_area: f64 = v.human_bins.iter().sum::<f64>() * width;
        assert!((human_area - 0.3).abs() < 0.01);
    }
}

//! Mixtures of normals: the human distributions, their cdf, density, quantiles and moments, the
//! constant behind the exact W2 of a normal model, and the two-component fit by
//! expectation–maximisation.

use super::{GaussianModel, MomentStats};
use crate::math::{normal_cdf, normal_pdf};
use crate::scenario::HumanDistribution;

/// One normal component of a mixture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    pub weight: f64,
    pub mean: f64,
    pub sd: f64,
}

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

pub(super) fn mixture_cdf(components: &[Component], x: f64) -> f64 {
    components.iter().map(|c| c.weight * normal_cdf((x - c.mean) / c.sd)).sum()
}

pub(super) fn mixture_pdf(components: &[Component], x: f64) -> f64 {
    components.iter().map(|c| c.weight * normal_pdf((x - c.mean) / c.sd) / c.sd).sum()
}

/// An interval that holds every quantile a mixture has in floating point: 40 standard deviations
/// beyond its outermost components.
pub(super) fn mixture_bracket(components: &[Component]) -> (f64, f64) {
    let lo = components.iter().map(|c| c.mean - 40.0 * c.sd).fold(f64::INFINITY, f64::min);
    let hi = components.iter().map(|c| c.mean + 40.0 * c.sd).fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

pub(super) fn mixture_quantile(components: &[Component], u: f64) -> f64 {
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
pub(super) fn w2_cross_term(components: &[Component]) -> f64 {
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
pub(super) fn mixture_quantile_sweep(components: &[Component], levels: usize) -> Vec<f64> {
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
pub(super) fn mixture_moments(components: &[Component]) -> (f64, f64) {
    let mean: f64 = components.iter().map(|c| c.weight * c.mean).sum();
    let second: f64 = components.iter().map(|c| c.weight * (c.sd * c.sd + c.mean * c.mean)).sum();
    // Rounding can make the difference slightly negative; NaN stays NaN.
    let variance = second - mean * mean;
    (mean, if variance < 0.0 { 0.0 } else { variance })
}

/// What expectation–maximisation runs over: points with a weight and a spread (the sum of squared
/// deviations of the values a point stands for about it; 0 for a plain sample).
trait Points {
    fn count(&self) -> usize;
    /// Total weight: the number of samples the points stand for.
    fn total(&self) -> f64;
    /// Value, weight and spread of point `i`.
    fn point(&self, i: usize) -> (f64, f64, f64);
    /// The moments of everything the points stand for.
    fn moments(&self) -> MomentStats;
    /// The moments of the lower and upper halves of the points in increasing order of value.
    fn halves(&self) -> (MomentStats, MomentStats);
}

/// Plain samples, each of weight 1.
struct Samples<'a>(&'a [f64]);

impl Points for Samples<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn total(&self) -> f64 {
        self.0.len() as f64
    }
    fn point(&self, i: usize) -> (f64, f64, f64) {
        (self.0[i], 1.0, 0.0)
    }
    fn moments(&self) -> MomentStats {
        MomentStats::of(self.0)
    }
    fn halves(&self) -> (MomentStats, MomentStats) {
        let mut sorted = self.0.to_vec();
        crate::order::sort_f64(&mut sorted);
        let n = sorted.len();
        (MomentStats::of(&sorted[..n / 2]), MomentStats::of(&sorted[n / 2..]))
    }
}

/// Weighted points, each the moments (count, mean, sum of squared deviations) of a bin of samples.
struct Bins<'a>(&'a [MomentStats]);

impl Points for Bins<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn total(&self) -> f64 {
        self.0.iter().map(|b| b.n).sum()
    }
    fn point(&self, i: usize) -> (f64, f64, f64) {
        let b = &self.0[i];
        (b.mean, b.n, b.m2)
    }
    fn moments(&self) -> MomentStats {
        merged(self.0)
    }
    fn halves(&self) -> (MomentStats, MomentStats) {
        let mut sorted = self.0.to_vec();
        crate::order::sort_by_key(&mut sorted, |b| crate::order::key(b.mean));
        let half = 0.5 * self.total();
        let (mut below, mut k) = (0.0, 0);
        while k + 1 < sorted.len() && below + sorted[k].n <= half {
            below += sorted[k].n;
            k += 1;
        }
        (merged(&sorted[..k.max(1)]), merged(&sorted[k.max(1)..]))
    }
}

fn merged(bins: &[MomentStats]) -> MomentStats {
    let mut all = MomentStats::default();
    bins.iter().for_each(|b| all.merge(b));
    all
}

/// A two-component normal mixture fitted to `xs` by expectation–maximisation (maximum
/// likelihood), started from the lower and upper halves of the sorted data; at most 100
/// iterations, stopping when the log-likelihood gains less than 1e-9 per sample. Component
/// standard deviations are floored at 1e-6 of the data's so a component cannot collapse onto one
/// point. `None` for fewer than 4 samples or no spread (the single normal is then used).
pub fn fit_two_normals(xs: &[f64]) -> Option<GaussianModel> {
    em(&Samples(xs))
}

/// [`fit_two_normals`] of the samples that `bins` summarise (see [`summarize`]), together with
/// the plain samples `xs`: the same EM with each bin as one point of its weight at its mean,
/// whose sum of squared deviations also enters the M step's variances (exact for the moments;
/// the responsibilities are taken at the bin's mean).
pub fn fit_two_normals_binned(bins: &[MomentStats], xs: &[f64]) -> Option<GaussianModel> {
    let mut all = Vec::with_capacity(bins.len() + xs.len());
    all.extend_from_slice(bins);
    all.extend(xs.iter().map(|&x| MomentStats { n: 1.0, mean: x, m2: 0.0 }));
    em(&Bins(&all))
}

/// Summarises weighted points (bins of samples, or samples as bins of one) in at most
/// `capacity` + 1 bins, finer in the tails (t-digest's arcsine scale, Dunning & Ertl 2019):
/// sorted by value, consecutive points are merged (exactly, by [`MomentStats::merge`]) while the
/// bin spans at most 1 on the scale k(q) = `capacity` / (2π) · asin(2q − 1) of the cumulative
/// share q, so a bin near the median holds about π / `capacity` of the weight and bins grow
/// finer towards both ends (the outermost hold about π² / `capacity`² of it). Counts, means and sums of squares
/// of the whole are kept exactly; what is lost is the shape within each bin.
pub fn summarize(mut points: Vec<MomentStats>, capacity: usize) -> Vec<MomentStats> {
    crate::order::sort_by_key(&mut points, |b| crate::order::key(b.mean));
    let total: f64 = points.iter().map(|b| b.n).sum();
    let scale = capacity as f64 / (2.0 * std::f64::consts::PI);
    let k = |weight: f64| scale * (2.0 * weight / total - 1.0).clamp(-1.0, 1.0).asin();
    let mut out = Vec::with_capacity(capacity + 1);
    let (mut current, mut before) = (MomentStats::default(), 0.0);
    for p in &points {
        if current.n > 0.0 && k(before + current.n + p.n) - k(before) > 1.0 {
            before += current.n;
            out.push(current);
            current = MomentStats::default();
        }
        current.merge(p);
    }
    if current.n > 0.0 {
        out.push(current);
    }
    out
}

fn em<P: Points>(points: &P) -> Option<GaussianModel> {
    let len = points.count();
    let n = points.total();
    let MomentStats { m2, .. } = points.moments();
    let total_sd = (m2 / n).sqrt();
    if n < 4.0 || total_sd <= 0.0 || !total_sd.is_finite() {
        return None;
    }
    let floor = 1e-6 * total_sd;
    let half = |s: MomentStats| Component { weight: 0.5, mean: s.mean, sd: (s.m2 / s.n).sqrt().max(floor) };
    let (lower, upper) = points.halves();
    let mut comps = [half(lower), half(upper)];
    let mut last = f64::NEG_INFINITY;
    let mut resp = vec![0.0; len];
    for _ in 0..100 {
        // E step: the responsibility of component 0 for each point, and the log-likelihood.
        let mut loglik = 0.0;
        for (i, r) in resp.iter_mut().enumerate() {
            let (x, weight, _) = points.point(i);
            let a = comps[0].weight * normal_pdf((x - comps[0].mean) / comps[0].sd) / comps[0].sd;
            let b = comps[1].weight * normal_pdf((x - comps[1].mean) / comps[1].sd) / comps[1].sd;
            let total = a + b;
            *r = if total > 0.0 { a / total } else { 0.5 };
            loglik += weight * libm::log(total.max(f64::MIN_POSITIVE));
        }
        // M step.
        for (k, comp) in comps.iter_mut().enumerate() {
            let w = |r: f64| if k == 0 { r } else { 1.0 - r };
            let mass: f64 = resp.iter().enumerate().map(|(i, &r)| points.point(i).1 * w(r)).sum();
            if mass < 1e-9 * n {
                return None;
            }
            let mu = resp
                .iter()
                .enumerate()
                .map(|(i, &r)| {
                    let (x, weight, _) = points.point(i);
                    weight * w(r) * x
                })
                .sum::<f64>()
                / mass;
            let var = resp
                .iter()
                .enumerate()
                .map(|(i, &r)| {
                    let (x, weight, spread) = points.point(i);
                    weight * w(r) * (x - mu) * (x - mu) + w(r) * spread
                })
                .sum::<f64>()
                / mass;
            *comp = Component { weight: mass / n, mean: mu, sd: var.sqrt().max(floor) };
        }
        if loglik - last < 1e-9 * n {
            break;
        }
        last = loglik;
    }
    Some(GaussianModel::Mixture(comps.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::super::{Form, Gaussian, SUMMARY_BINS};
    use super::*;
    use crate::rng::replicate_rng;
    use crate::scenario::Scenario;
    use crate::sim::Family;

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
    fn a_mixture_keeps_two_bumps_that_a_single_normal_merges() {
        let scenario =
            Scenario { human: HumanDistribution::Bimodal, samples: 2000, generations: 1, ..Scenario::default() };
        let w2 = |form: Form| {
            let f = Gaussian::new(&scenario).with_form(form);
            let run = crate::sim::simulate_one(&f, &scenario, &mut replicate_rng(5, 0), true).0;
            run.series("w2_to_human").unwrap()[1]
        };
        let (single, mixture) = (w2(Form::Single), w2(Form::Mixture));
        assert!(mixture < 0.05 && single > 0.1, "W2 after one refit: mixture {mixture}, single {single}");
    }

    /// The largest difference in weight, mean and sd between two two-component fits (components
    /// matched in the better of the two orders).
    fn distance(a: &[Component], b: &[Component]) -> f64 {
        let d = |x: &Component, y: &Component| {
            (x.weight - y.weight).abs().max((x.mean - y.mean).abs()).max((x.sd - y.sd).abs())
        };
        (d(&a[0], &b[0]).max(d(&a[1], &b[1]))).min(d(&a[0], &b[1]).max(d(&a[1], &b[0])))
    }

    /// Feeds `chunks` batches of 30 from `model` through the mixture form's statistics as
    /// `accumulate` does (add, fit, carry), and returns the summary-based fit and the exact EM fit
    /// on everything gathered.
    fn accumulated_fits(f: &Gaussian, model: &GaussianModel, chunks: usize) -> (GaussianModel, GaussianModel, usize) {
        let bias = crate::sampling::Bias { temperature: 1.0, top_p: 1.0 };
        let mut rng = replicate_rng(11, chunks as u32);
        let (mut stats, mut all) = (f.empty_stats(), Vec::new());
        for _ in 0..chunks {
            let batch = f.generate(model, 30, &bias, &mut rng);
            f.add(&mut stats, &batch);
            all.extend_from_slice(&batch);
            f.carry(&mut stats);
        }
        assert_eq!(stats.moments.n, all.len() as f64);
        (f.fit(&stats), fit_two_normals(&all).expect("a mixture"), stats.bins.len())
    }

    #[test]
    fn em_on_the_accumulated_summary_is_close_to_em_on_all_samples() {
        // Measured (seeds below): at most 3.9e-3 in a weight, mean or sd and 1.2e-4 in W2 to the
        // human distribution, for 3,000 to 30,000 samples.
        let skewed =
            vec![Component { weight: 0.3, mean: -1.0, sd: 0.5 }, Component { weight: 0.7, mean: 1.5, sd: 1.0 }];
        let cases = [
            (HumanDistribution::Bimodal, GaussianModel::Human),
            (HumanDistribution::HeavyTailed, GaussianModel::Human),
            (HumanDistribution::Normal, GaussianModel::Human),
            (HumanDistribution::Bimodal, GaussianModel::Mixture(skewed)),
        ];
        for (kind, model) in &cases {
            let f = family(*kind).with_form(Form::Mixture);
            for chunks in [100, 300, 1000] {
                let (approx, exact, bins) = accumulated_fits(&f, model, chunks);
                assert!(bins > 0 && bins <= SUMMARY_BINS + 1, "{bins} bins");
                let (GaussianModel::Mixture(a), GaussianModel::Mixture(e)) = (&approx, &exact) else {
                    panic!("not mixtures: {approx:?} {exact:?}")
                };
                let w2 = (f.w2_to_human(&approx) - f.w2_to_human(&exact)).abs();
                assert!(distance(a, e) < 0.01 && w2 < 1e-3, "{kind:?} {model:?} {chunks}: {a:?} vs {e:?}, W2 {w2}");
            }
        }
    }

    #[test]
    fn accumulated_samples_are_exact_until_they_outgrow_the_summary() {
        let f = family(HumanDistribution::Bimodal).with_form(Form::Mixture);
        let chunks = 2 * SUMMARY_BINS / 30;
        let (approx, exact, bins) = accumulated_fits(&f, &GaussianModel::Human, chunks);
        assert_eq!((approx, bins), (exact, 0));
        let (_, _, bins) = accumulated_fits(&f, &GaussianModel::Human, chunks + 1);
        assert!(bins > 0);
    }

    #[test]
    fn the_summary_keeps_the_moments_and_is_finer_in_the_tails() {
        let xs = family(HumanDistribution::HeavyTailed).draw_human(50_000, &mut replicate_rng(6, 0));
        let points: Vec<MomentStats> = xs.iter().map(|&x| MomentStats { n: 1.0, mean: x, m2: 0.0 }).collect();
        let bins = summarize(points, 256);
        assert!(bins.len() <= 257 && bins.len() > 100, "{} bins", bins.len());
        let (all, summary) = (MomentStats::of(&xs), merged(&bins));
        assert_eq!(summary.n, all.n);
        assert!((summary.mean - all.mean).abs() < 1e-12 && (summary.m2 / all.m2 - 1.0).abs() < 1e-12);
        assert!(bins.windows(2).all(|w| w[0].mean <= w[1].mean));
        let middle = bins[bins.len() / 2].n;
        // About π/256 of the weight in the middle, π²/256² at the ends.
        let (first, last) = (bins[0].n, bins[bins.len() - 1].n);
        assert!(middle > 400.0 && first < 20.0 && last < 20.0, "bins of {first}, {middle}, {last}");
        // Summarising a summary with the new samples keeps the moments too.
        let again = summarize(bins.iter().copied().chain(bins.iter().copied()).collect(), 256);
        assert_eq!(merged(&again).n, 2.0 * all.n);
    }
}

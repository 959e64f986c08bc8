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

#[cfg(test)]
mod tests {
    use super::super::{Form, Gaussian};
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
}

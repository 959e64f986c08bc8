//! What the family measures of a model: its density, moments, tail mass (the probability far
//! from its own centre), W2 distance to the human distribution, and in bits its own entropy and
//! the cross-entropy of human data under it.
//!
//! Every metric of a model whose numbers overflowed (a variance of +∞ or NaN) is itself
//! non-finite (or, for the tail mass of an infinitely wide curve, 1): never a perfect score.
//! The sampling temperature is not part of the model here: the model is the fitted curve, and
//! the entropies are those of that curve.

use std::f64::consts::{E, LN_2, PI};

use super::mixture::{mixture_moments, mixture_pdf, mixture_quantile_sweep, Component};
use super::{Gaussian, GaussianModel, METRIC_COUNT, W2_LEVELS};
use crate::math::{normal_cdf, normal_pdf};

/// The expectation of f(X) for X from a mixture of normals: for each component the trapezoid
/// rule in the standardised variable z over [−12, 12] with step 0.05 (spectrally accurate for
/// the smooth, Gaussian-weighted integrands here; the mass beyond ±12 is below 1e-32).
fn expectation(components: &[Component], f: impl Fn(f64) -> f64) -> f64 {
    const HALF_WIDTH: f64 = 12.0;
    const STEPS: usize = 480;
    let h = 2.0 * HALF_WIDTH / STEPS as f64;
    components
        .iter()
        .map(|c| {
            let sum: f64 = (0..=STEPS)
                .map(|i| {
                    let z = -HALF_WIDTH + h * i as f64;
                    let end = if i == 0 || i == STEPS { 0.5 } else { 1.0 };
                    end * normal_pdf(z) * f(c.mean + c.sd * z)
                })
                .sum();
            c.weight * sum * h
        })
        .sum()
}

/// log2 of a mixture's density at x, by log-sum-exp (finite far beyond where the density itself
/// underflows).
fn mixture_log2_pdf(components: &[Component], x: f64) -> f64 {
    let logs: Vec<f64> = components
        .iter()
        .map(|c| {
            let z = (x - c.mean) / c.sd;
            libm::log(c.weight) - 0.5 * z * z - libm::log(c.sd) - 0.5 * libm::log(2.0 * PI)
        })
        .collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top / LN_2;
    }
    (top + libm::log(logs.iter().map(|l| libm::exp(l - top)).sum::<f64>())) / LN_2
}

/// P(|X − c| > h) for X from a mixture with mean c.
fn mixture_far_mass(components: &[Component], h: f64) -> f64 {
    let (center, _) = mixture_moments(components);
    components
        .iter()
        .map(|c| c.weight * (normal_cdf((center - h - c.mean) / c.sd) + normal_cdf((c.mean - center - h) / c.sd)))
        .sum()
}

/// ½ log2(2πe σ²): the differential entropy of N(μ, σ²) in bits.
fn normal_entropy_bits(variance: f64) -> f64 {
    0.5 * libm::log2(2.0 * PI * E * variance)
}

/// E_human[−log2 q(X)] for q = N(μ, σ²) and a human of mean 0 and variance 1 (see
/// [`Gaussian::human_cross_entropy_bits`]).
fn normal_cross_entropy_bits(mean: f64, variance: f64) -> f64 {
    if variance == 0.0 {
        // A point mass gives the human data no density at all.
        return f64::INFINITY;
    }
    0.5 * libm::log2(2.0 * PI * variance) + (1.0 + mean * mean) / (2.0 * variance * LN_2)
}

impl Gaussian {
    /// What [`Family::measure`](crate::sim::Family::measure) writes for N(mean, variance): the
    /// metrics below, their square root of the variance shared.
    pub(super) fn measure_normal(&self, mean: f64, variance: f64) -> [f64; METRIC_COUNT] {
        let sd = variance.sqrt();
        [
            mean,
            variance,
            self.normal_w2(mean, sd),
            self.normal_tail_mass(sd),
            normal_entropy_bits(variance),
            normal_cross_entropy_bits(mean, variance),
        ]
    }

    /// [`Gaussian::tail_mass`] of a normal of standard deviation `sd`: 2 Φ(−h/s).
    fn normal_tail_mass(&self, sd: f64) -> f64 {
        // s = 0 gives 2 Φ(−∞) = 0; s = NaN gives NaN.
        2.0 * normal_cdf(-self.q99 / sd)
    }

    /// [`Gaussian::w2_to_human`] of N(mean, sd²).
    fn normal_w2(&self, mean: f64, sd: f64) -> f64 {
        let c = self.w2_cross;
        let sq = mean * mean + (sd - c) * (sd - c) + (1.0 - c * c).max(0.0);
        sq.sqrt()
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

    pub(super) fn moments(&self, model: &GaussianModel) -> (f64, f64) {
        match *model {
            GaussianModel::Human => (0.0, 1.0),
            GaussianModel::Normal { mean, variance } => (mean, variance),
            GaussianModel::Mixture(ref c) => mixture_moments(c),
        }
    }

    /// The probability of rare events, measured on the curve's own shape: the model's probability
    /// farther than h from its own mean, where h is the distance from the human distribution's
    /// centre (0) to its 99th percentile. Every human distribution is symmetric about 0, so the
    /// human reads 2%; a shifted copy of a curve reads the same as the curve (drift is for
    /// `w2_to_human`). For N(m, s²) it is 2 Φ(−h/s).
    pub(super) fn tail_mass(&self, model: &GaussianModel) -> f64 {
        let h = self.q99;
        match *model {
            GaussianModel::Human => mixture_far_mass(&self.human, h),
            GaussianModel::Normal { variance, .. } => self.normal_tail_mass(variance.sqrt()),
            GaussianModel::Mixture(ref c) => mixture_far_mass(c, h),
        }
    }

    /// The model's differential entropy in bits, its uncertainty about its own output:
    /// ½ log2(2πe σ²) for a normal, −∫ q log2 q by quadrature for a mixture.
    pub(super) fn self_entropy_bits(&self, model: &GaussianModel) -> f64 {
        let mixture = |c: &[Component]| {
            if let [single] = c {
                0.5 * libm::log2(2.0 * PI * E * single.sd * single.sd)
            } else {
                -expectation(c, |x| mixture_log2_pdf(c, x))
            }
        };
        match *model {
            GaussianModel::Human => mixture(&self.human),
            GaussianModel::Normal { variance, .. } => normal_entropy_bits(variance),
            GaussianModel::Mixture(ref c) => mixture(c),
        }
    }

    /// The cross-entropy of the human distribution under the model in bits, E_human[−log2 q(X)]:
    /// for a normal N(μ, σ²) and a human of mean 0 and variance 1 (every human here),
    /// ½ log2(2πσ²) + (1 + μ²)/(2σ² ln 2) exactly; for a mixture model (and the human itself) by
    /// quadrature over the human components.
    pub(super) fn human_cross_entropy_bits(&self, model: &GaussianModel) -> f64 {
        match *model {
            GaussianModel::Human => self.self_entropy_bits(model),
            GaussianModel::Normal { mean, variance } => normal_cross_entropy_bits(mean, variance),
            GaussianModel::Mixture(ref c) => -expectation(&self.human, |x| mixture_log2_pdf(c, x)),
        }
    }

    /// W2(N(m, s²), human)² = m² + (s − C)² + (1 − C²) (the same as 1 + m² + s² − 2sC, written
    /// so that an infinite s gives +∞, not ∞ − ∞).
    pub(super) fn w2_to_human(&self, model: &GaussianModel) -> f64 {
        match *model {
            GaussianModel::Human => 0.0,
            GaussianModel::Normal { mean, variance } => self.normal_w2(mean, variance.sqrt()),
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
}

#[cfg(test)]
mod tests {
    use super::super::mixture::{human_components, mixture_cdf, mixture_quantile, w2_cross_term, Component};
    use super::super::Form;
    use super::*;
    use crate::scenario::{HumanDistribution, Scenario};

    fn family(human: HumanDistribution) -> Gaussian {
        Gaussian::new(&Scenario { human, ..Scenario::default() })
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
    fn tail_mass_is_two_percent_for_every_human_and_ignores_drift() {
        for kind in [HumanDistribution::Normal, HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
            let f = family(kind);
            assert!((f.tail_mass(&GaussianModel::Human) - 0.02).abs() < 1e-12, "{kind:?}");
            let human = human_components(kind);
            let shifted: Vec<Component> = human.iter().map(|c| Component { mean: c.mean + 3.7, ..*c }).collect();
            let (a, b) = (f.tail_mass(&GaussianModel::Mixture(human)), f.tail_mass(&GaussianModel::Mixture(shifted)));
            assert!((a - 0.02).abs() < 1e-12 && (a - b).abs() < 1e-12, "{kind:?}: {a} vs {b}");
            let narrow = f.tail_mass(&GaussianModel::Normal { mean: 0.0, variance: 0.5 });
            assert_eq!(narrow, f.tail_mass(&GaussianModel::Normal { mean: -2.5, variance: 0.5 }));
        }
    }
}

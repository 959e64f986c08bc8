//! What the family measures of a model: its density, moments, tail mass beyond the human 1st
//! and 99th percentiles, and W2 distance to the human distribution.

use super::mixture::{mixture_cdf, mixture_moments, mixture_pdf, mixture_quantile_sweep};
use super::{Gaussian, GaussianModel, W2_LEVELS};
use crate::math::{normal_cdf, normal_pdf};

impl Gaussian {
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

    pub(super) fn tail_mass(&self, model: &GaussianModel) -> f64 {
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

    pub(super) fn w2_to_human(&self, model: &GaussianModel) -> f64 {
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
}

#[cfg(test)]
mod tests {
    use super::super::mixture::{human_components, mixture_quantile, w2_cross_term, Component};
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
}

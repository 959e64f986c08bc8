//! The closed forms of the Gaussian family: the expected variance of a single lineage and of a
//! pool of independent lineages, the expected log variance of the typical run, and the theory
//! curves the page draws where they apply.

use crate::math::digamma;
use crate::scenario::{DataRegime, FilterKind, HumanDistribution, Scenario, VarianceEstimator};
use crate::sim::web::web_active;
use crate::sim::{independent_identical_lineages, TheoryCurve};

/// The theory curves of [`Gaussian`](super::Gaussian) for `scenario`, whose variance estimator
/// is `estimator`: none where the closed forms do not apply.
pub(super) fn curves(scenario: &Scenario, estimator: VarianceEstimator) -> Vec<TheoryCurve> {
    let pure = scenario.human_fraction == 0.0
        && scenario.data == DataRegime::Replace
        && scenario.filter.kind == FilterKind::None
        && !web_active(scenario);
    if !pure {
        return Vec::new();
    }
    if scenario.model_count > 1 {
        if !independent_identical_lineages(scenario) || scenario.temperature != 1.0 {
            return Vec::new();
        }
        return vec![TheoryCurve {
            metric: "variance",
            label: format!("pool of {} independent models: E[variance]", scenario.model_count),
            values: (0..=scenario.generations)
                .map(|t| expected_pooled_variance(t, scenario.samples, scenario.model_count, estimator))
                .collect(),
        }];
    }
    let m = scenario.samples;
    let (g, t) = (scenario.generations, scenario.temperature);
    let mut curves = vec![TheoryCurve {
        metric: "variance",
        label: match estimator {
            VarianceEstimator::Mle => "E[variance] = (T(M-1)/M)^t".into(),
            VarianceEstimator::Unbiased => "E[variance] = T^t".into(),
        },
        values: (0..=g).map(|i| expected_variance(i, m, estimator, t)).collect(),
    }];
    if scenario.human == HumanDistribution::Normal {
        curves.push(TheoryCurve {
            metric: "variance",
            label: "typical run: exp E[log variance]".into(),
            values: (0..=g).map(|i| expected_log_variance(i, m, estimator, t).exp()).collect(),
        });
    }
    curves
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

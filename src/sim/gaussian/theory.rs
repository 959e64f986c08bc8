//! The closed forms of the Gaussian family: the expected variance of a single lineage, of a
//! pool of independent lineages and of models sharing one pool, the expected log variance of the typical run, and the theory
//! curves the page draws where they apply.

use crate::math::digamma;
use crate::scenario::{DataRegime, FilterKind, HumanDistribution, Scenario, VarianceEstimator};
use crate::sim::web::web_active;
use crate::sim::{independent_identical_lineages, TheoryCurve};

/// The theory curves of [`Gaussian`](super::Gaussian) for `scenario`, whose variance estimator
/// is `estimator`: none where the closed forms do not apply. All need pure refitting (no human
/// data, `replace`, no filter, a clean web) and no blind spot; several models also need
/// identical ones (`model_spread` 0) and either no shared pool (independent lineages) or a fully
/// shared one.
pub(super) fn curves(scenario: &Scenario, estimator: VarianceEstimator) -> Vec<TheoryCurve> {
    let pure = scenario.human_fraction == 0.0
        && scenario.data == DataRegime::Replace
        && scenario.filter.kind == FilterKind::None
        && scenario.blind_spot == 0.0
        && !web_active(scenario);
    if !pure {
        return Vec::new();
    }
    let (m, k, temperature) = (scenario.samples, scenario.model_count, scenario.temperature);
    let g = scenario.generations;
    if k > 1 {
        if independent_identical_lineages(scenario) {
            return vec![TheoryCurve {
                metric: "variance",
                label: format!("pool of {k} independent models: E[variance]"),
                values: (0..=g).map(|t| expected_pooled_variance(t, m, k, estimator, temperature)).collect(),
            }];
        }
        if scenario.shared_pool == 1.0 && scenario.model_spread == 0.0 {
            return vec![TheoryCurve {
                metric: "variance",
                label: format!("{k} models training on their shared pool: E[variance]"),
                values: (0..=g).map(|t| expected_shared_pool_variance(t, m, k, estimator, temperature)).collect(),
            }];
        }
        return Vec::new();
    }
    let mut curves = vec![TheoryCurve {
        metric: "variance",
        label: match estimator {
            VarianceEstimator::Mle => "E[variance] = (T(M-1)/M)^t".into(),
            VarianceEstimator::Unbiased => "E[variance] = T^t".into(),
        },
        values: (0..=g).map(|i| expected_variance(i, m, estimator, temperature)).collect(),
    }];
    if scenario.human == HumanDistribution::Normal {
        curves.push(TheoryCurve {
            metric: "variance",
            label: "typical run: exp E[log variance]".into(),
            // libm (pure Rust) rather than the platform's exp and ln: the page (wasm) and the command
            // line then give the same bits, so a downloaded run equals `collapse run` byte for byte.
            values: (0..=g).map(|i| libm::exp(expected_log_variance(i, m, estimator, temperature))).collect(),
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

/// E[mean_t²] of one lineage (human mean 0, variance 1, M samples, temperature T): the mean of
/// M draws from N(μ_{t−1}, T σ²_{t−1}) adds T E[σ²_{t−1}]/M each generation, so
/// E[μ_t²] = (T/M) Σ_{s<t} V_s with V_s = E[variance_s] (any human of variance 1: only second
/// moments enter).
fn expected_mean_square(t: u32, m: u32, estimator: VarianceEstimator, temperature: f64) -> f64 {
    (0..t).map(|s| expected_variance(s, m, estimator, temperature)).sum::<f64>() * temperature / f64::from(m)
}

/// E[variance_t] of the pool of K independent identical lineages, each refit to M samples at
/// temperature T, the pool refit to exactly M outputs of each model (generated at T).
///
/// Derivation: the pool's KM outputs have sum of squares SS = Σ_k within_k + M Σ_k (x̄_k − x̄)².
/// E[within_k] = (M − 1) T V_t; the output means x̄_k = μ_k + e_k (Var e_k = T σ_k²/M) are
/// independent across lineages with variance E[μ_t²] + T V_t/M, so E[Σ (x̄_k − x̄)²] is K − 1
/// times that. Hence E[SS] = T V_t (KM − 1) + M (K − 1) E[μ_t²], and
/// - `mle` (lineages divide by M, the pool by KM): E = T V_t (1 − 1/(KM)) + (1 − 1/K) E[μ_t²],
///   V_t = (T(M−1)/M)^t; at T = 1, (1 − 1/(KM)) V_t + (1 − 1/K)(1 − V_t);
/// - `unbiased` (lineages divide by M − 1, the pool by KM − 1): E = T V_t + M (K − 1) E[μ_t²]/(KM − 1),
///   V_t = T^t; at T = 1, 1 + (K − 1) t/(KM − 1).
///
/// E[μ_t²] is [`expected_mean_square`]. Generation 0 is the human distribution: 1.
pub fn expected_pooled_variance(t: u32, m: u32, models: u32, estimator: VarianceEstimator, temperature: f64) -> f64 {
    if t == 0 {
        return 1.0;
    }
    let (mf, k) = (f64::from(m), f64::from(models));
    let v = expected_variance(t, m, estimator, temperature);
    let mu2 = expected_mean_square(t, m, estimator, temperature);
    match estimator {
        VarianceEstimator::Mle => temperature * v * (1.0 - 1.0 / (k * mf)) + (1.0 - 1.0 / k) * mu2,
        VarianceEstimator::Unbiased => temperature * v + mf * (k - 1.0) * mu2 / (k * mf - 1.0),
    }
}

/// E[variance_t] of the pool when K identical models all train on the shared pool
/// (`shared_pool` = 1): each model draws its M training items from the mixture of the K previous
/// models (each item from a model chosen uniformly), the pool refit to M outputs of each.
///
/// Derivation: let S be the models' mean variance and D the spread of their means,
/// (1/K) Σ (μ_k − μ̄)², so the mixture they generate at temperature T has variance G = T S + D
/// (generation 0 generates the human distribution: G₀ = T). Given G_{t−1}, the K new models are
/// independent fits to M draws each: E[S_t] = c G_{t−1} (c = (M−1)/M for `mle`, 1 for
/// `unbiased`) and E[D_t] = (K−1)/(KM) G_{t−1}, so E[G_t] = ρ E[G_{t−1}] with
/// ρ = T c + (K−1)/(KM): the mixture drifts like one population of KM. The pool of M outputs per
/// model has E[SS | models] = T K S (M − 1/K) + K M D, so
/// - `mle`: E[variance_t] = T (1 − 1/(KM)) E[S_t] + E[D_t]; at T = 1 with r = 1 − 1/(KM),
///   r^t − (M−1) r^(t−1)/(K M²);
/// - `unbiased` (pool divides by KM − 1): E[variance_t] = T E[S_t] + KM E[D_t]/(KM − 1).
///
/// Both with E[S_t] = c T ρ^(t−1), E[D_t] = (K−1)/(KM) T ρ^(t−1), for t ≥ 1; generation 0: 1.
pub fn expected_shared_pool_variance(
    t: u32,
    m: u32,
    models: u32,
    estimator: VarianceEstimator,
    temperature: f64,
) -> f64 {
    if t == 0 {
        return 1.0;
    }
    let (mf, k) = (f64::from(m), f64::from(models));
    let c = match estimator {
        VarianceEstimator::Mle => (mf - 1.0) / mf,
        VarianceEstimator::Unbiased => 1.0,
    };
    let spread = (k - 1.0) / (k * mf);
    let rho = temperature * c + spread;
    let g = temperature * rho.powi(t as i32 - 1);
    let (s, d) = (c * g, spread * g);
    match estimator {
        VarianceEstimator::Mle => temperature * (1.0 - 1.0 / (k * mf)) * s + d,
        VarianceEstimator::Unbiased => temperature * s + k * mf * d / (k * mf - 1.0),
    }
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
    f64::from(t) * (digamma((m - 1.0) / 2.0) + libm::log(2.0 / d) + libm::log(temperature))
}

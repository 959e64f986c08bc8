//! The closed forms of the token family: the expected Gini–Simpson index under Wright–Fisher
//! resampling with and without fresh human data, its fixed point, the pool of independent
//! lineages, and the theory curves the page draws where they apply.

use super::metrics::gini_simpson;
use crate::scenario::{DataRegime, FilterKind, HumanData, Scenario};
use crate::sim::web::web_active;
use crate::sim::{independent_identical_lineages, TheoryCurve};

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

/// The theory curves of [`Tokens`](super::Tokens) for `scenario`, whose human distribution is
/// `human`: none where the closed forms do not apply. They apply with no filter (or `keep` = 1),
/// temperature 1, top-p 1, `replace`, a clean web, no blind spot, and human data drawn fresh
/// each generation when there is any (a fixed human sample is not a fresh draw); with several
/// models also `model_spread` 0 and either `shared_pool` = 0 (independent lineages,
/// [`pooled_gini_simpson`]) or `shared_pool` = 1 (every model trains on the pool,
/// [`shared_pool_gini_simpson`]).
pub(super) fn curves(scenario: &Scenario, human: &[f64]) -> Vec<TheoryCurve> {
    let n = scenario.samples as usize;
    let n_human = scenario.human_count().min(n);
    let pure = (scenario.filter.kind == FilterKind::None || scenario.filter.keep >= 1.0)
        && scenario.temperature == 1.0
        && scenario.top_p >= 1.0
        && scenario.data == DataRegime::Replace
        && !web_active(scenario)
        && scenario.blind_spot == 0.0
        && (n_human == 0 || scenario.human_data == HumanData::Fresh);
    let shared = scenario.model_count > 1 && scenario.shared_pool == 1.0 && scenario.model_spread == 0.0;
    if !pure || !(scenario.model_count == 1 || independent_identical_lineages(scenario) || shared) {
        return Vec::new();
    }
    let d_star = gini_simpson(human);
    let g = scenario.generations;
    let k = scenario.model_count;
    if shared {
        let label = if n_human == 0 {
            format!("pool of {k} models sharing one pool: E[Gini–Simpson] = A_t - (1 - 1/N) A_(t-1)/(KN), A_t = D0 (1 - 1/(KN))^t")
        } else {
            format!("pool of {k} models sharing one pool, with fresh human data: E[Gini–Simpson]")
        };
        return vec![TheoryCurve {
            metric: "gini_simpson",
            label,
            values: shared_pool_curve(g as usize, d_star, k, n_human, n),
        }];
    }
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
    if k > 1 {
        // The pool of K independent lineages, E[D_pool,t] = D* - (D* - D_t)/K - D_t/(KN): see
        // [`pooled_gini_simpson`]. Its fixed point is the same map of the lineage's (linear in
        // D_t), drawn flat.
        curves[0].label = format!("pool of {k} independent models: E[Gini–Simpson] = D* - (D* - D_t)/K - D_t/(KN)");
        for (t, v) in curves[0].values.iter_mut().enumerate() {
            *v = pooled_gini_simpson(*v, d_star, k, n, t);
        }
        if let Some(fixed) = curves.get_mut(1) {
            fixed.label = format!("pool of {k} independent models: fixed point");
            let value = pooled_gini_simpson(fixed.values[0], d_star, k, n, 1);
            fixed.values.iter_mut().for_each(|v| *v = value);
        }
    }
    curves
}

/// E[Gini–Simpson] of the pool of K independent lineages whose own expectation is `d_lineage`
/// = D_t at generation t, measured as the loop measures it: one model fitted to exactly
/// `output` = N draws from each of the K models (stratified, KN in all). At generation 0 the
/// pool is the human distribution itself.
///
/// Derivation. Let q_k be model k's distribution, m = (1/K) Σ_k q_k their mixture, and o_k ~
/// Multinomial(N, q_k) independent; the pool is p̂ = (1/(KN)) Σ_k o_k. Given the q_k,
/// E[p̂_i] = m_i and Var p̂_i = (1/(K²N)) Σ_k q_ki (1 - q_ki), so
/// E[Σ p̂_i² | q] = Σ m_i² + (1/(KN)) · (1/K) Σ_k (1 - Σ q_ki²).
/// The lineages are independent with E[q_k] = p*, so E[Σ m_i²] = (1 - D_t)/K + (1 - 1/K)(1 - D*),
/// and E[1 - Σ q_ki²] = D_t. Hence
///
/// E[D_pool,t] = D* - (D* - D_t)/K - D_t/(KN).
///
/// (The between-model term is not multiplied by 1 - 1/(KN): the refit adds the within-model
/// sampling noise only, since every model contributes exactly N draws.) It holds with fresh
/// human data too, D_t then being [`expected_gini_simpson`] with the human share.
pub fn pooled_gini_simpson(d_lineage: f64, d_star: f64, models: u32, output: usize, t: usize) -> f64 {
    if t == 0 {
        return d_star;
    }
    let k = f64::from(models);
    d_star - (d_star - d_lineage) / k - d_lineage / (k * output as f64)
}

/// E[Gini–Simpson] of the pool at generation t when every model trains on the pool
/// (`shared_pool` = 1): K identical models, each fitted to `n_human` fresh human draws and
/// N - `n_human` draws from the mixture m_(t-1) of the previous generation's K models (each item
/// from a model chosen uniformly, so an item is one draw from m_(t-1)), the pool measured by a
/// fit to N outputs of each new model.
///
/// Derivation. The counts of all K training sets together are K n_h human draws and K(N - n_h)
/// draws from m_(t-1), so the new mixture m_t is the empirical distribution of one population of
/// KN: S^m_t = E[Σ m_t,i²] follows [`simpson_recurrence`] with (K n_h, KN), from S^m_0 = H*.
/// Each model alone is a training set of N (n_h human): E[Σ q_k,i²] = Q_t follows
/// [`simpson_recurrence`] from S^m_(t-1) with (n_h, N). The measured pool adds, as in
/// [`pooled_gini_simpson`], (1/(KN)) (1 - Q_t):
///
/// E[D_pool,t] = 1 - S^m_t - (1 - Q_t)/(KN).
///
/// Without human data, with A_t = D* (1 - 1/(KN))^t (Wright–Fisher in a population of KN) and
/// 1 - Q_t = (1 - 1/N) A_(t-1), this is E[D_pool,t] = A_t - (1 - 1/N) A_(t-1)/(KN) for t ≥ 1.
/// At generation 0 the pool is the human distribution.
pub fn shared_pool_gini_simpson(t: usize, d_star: f64, models: u32, n_human: usize, n: usize) -> f64 {
    shared_pool_curve(t, d_star, models, n_human, n)[t]
}

/// [`shared_pool_gini_simpson`] at generations 0..=`generations`.
fn shared_pool_curve(generations: usize, d_star: f64, models: u32, n_human: usize, n: usize) -> Vec<f64> {
    let k = models.max(1) as usize;
    let h_star = 1.0 - d_star;
    let kn = (k * n.max(1)) as f64;
    let mut values = Vec::with_capacity(generations + 1);
    values.push(d_star);
    let mut mixture = h_star;
    for _ in 0..generations {
        let own = simpson_recurrence(mixture, h_star, n_human, n);
        mixture = simpson_recurrence(mixture, h_star, k * n_human, k * n);
        values.push(1.0 - mixture - (1.0 - own) / kn);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::super::Tokens;
    use super::*;
    use crate::scenario::{Filter, HumanData};
    use crate::sim::tokens::fixtures::scenario;
    use crate::sim::Family;

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
            Scenario { blind_spot: 0.1, ..s.clone() },
            Scenario { human_fraction: 0.2, human_data: HumanData::Fixed, ..s.clone() },
            Scenario { model_count: 3, shared_pool: 0.5, ..s.clone() },
            Scenario { model_count: 3, shared_pool: 1.0, blind_spot: 0.1, ..s.clone() },
            Scenario { model_count: 3, model_spread: 0.5, ..s.clone() },
            Scenario { model_count: 3, shared_pool: 1.0, model_spread: 0.5, ..s.clone() },
            Scenario { model_count: 3, contamination_rate: 0.5, ..s.clone() },
        ] {
            assert!(f.theory(&other).is_empty(), "{other:?}");
        }
        // Fixed human data is harmless when there is none.
        assert_eq!(f.theory(&Scenario { human_data: HumanData::Fixed, ..s.clone() }), f.theory(&s));
        // Several models: the independent pool, or the shared pool, one curve each.
        let independent = f.theory(&Scenario { model_count: 3, ..s.clone() });
        assert_eq!(independent.len(), 1);
        assert!(independent[0].label.contains("independent"));
        let shared = f.theory(&Scenario { model_count: 3, shared_pool: 1.0, ..s.clone() });
        assert_eq!(shared.len(), 1);
        assert!(shared[0].label.contains("sharing"));
        assert!((shared[0].values[4] - shared_pool_gini_simpson(4, d_star, 3, 0, 100)).abs() < 1e-15);
        // With a single model `shared_pool` changes nothing.
        assert_eq!(f.theory(&Scenario { shared_pool: 1.0, ..s.clone() }), f.theory(&s));
    }

    #[test]
    fn pool_closed_forms_by_hand() {
        // Independent: D* - (D* - D_t)/K - D_t/(KN) with D* = 0.8, D_t = 0.5, K = 2, N = 10.
        let v = pooled_gini_simpson(0.5, 0.8, 2, 10, 3);
        assert!((v - (0.8 - 0.15 - 0.025)).abs() < 1e-15, "{v}");
        assert_eq!(pooled_gini_simpson(0.5, 0.8, 2, 10, 0), 0.8);
        // One model: the pool is a refit to N of its output, D_t (1 - 1/N) = D_(t+1).
        let one = pooled_gini_simpson(expected_gini_simpson(4, 0.8, 0, 10), 0.8, 1, 10, 4);
        assert!((one - expected_gini_simpson(5, 0.8, 0, 10)).abs() < 1e-15);
        // Shared, no human data: A_t - (1 - 1/N) A_(t-1)/(KN), A_t = D* (1 - 1/(KN))^t.
        let a = |t: i32| 0.8 * (1.0 - 1.0 / 20.0f64).powi(t);
        assert_eq!(shared_pool_gini_simpson(0, 0.8, 2, 0, 10), 0.8);
        for t in 1..=12 {
            let want = a(t) - 0.9 * a(t - 1) / 20.0;
            let got = shared_pool_gini_simpson(t as usize, 0.8, 2, 0, 10);
            assert!((got - want).abs() < 1e-14, "t {t}: {got} vs {want}");
        }
        // Shared with everything human: each generation is a fresh human draw of N per model and
        // the pool a refit to N of each, so E[D_pool] = D*(1 - 1/(KN)) - D*(1 - 1/N)/(KN).
        let all_human = shared_pool_gini_simpson(3, 0.8, 2, 10, 10);
        assert!((all_human - (0.8 * 0.95 - 0.8 * 0.9 / 20.0)).abs() < 1e-14, "{all_human}");
    }
}

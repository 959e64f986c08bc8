//! The closed forms of the token family: the expected Gini–Simpson index under Wright–Fisher
//! resampling with and without fresh human data, its fixed point, the pool of independent
//! lineages, and the theory curves the page draws where they apply.

use super::metrics::gini_simpson;
use crate::scenario::{DataRegime, FilterKind, Scenario};
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
/// `human`: none where the closed forms do not apply.
pub(super) fn curves(scenario: &Scenario, human: &[f64]) -> Vec<TheoryCurve> {
    let pure = (scenario.filter.kind == FilterKind::None || scenario.filter.keep >= 1.0)
        && scenario.temperature == 1.0
        && scenario.top_p >= 1.0
        && scenario.data == DataRegime::Replace
        && !web_active(scenario)
        && (scenario.model_count == 1 || independent_identical_lineages(scenario));
    if !pure {
        return Vec::new();
    }
    let n = scenario.samples as usize;
    let n_human = scenario.human_count().min(n);
    let d_star = gini_simpson(human);
    let g = scenario.generations;
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
    if scenario.model_count > 1 {
        // The pool of K independent lineages: E[Σ p̄²] = S_t / K + (1 - 1/K) H* (lineages are
        // independent with E[p_k] = p*), and the pool model is refit to K N output draws.
        let k = f64::from(scenario.model_count);
        for curve in &mut curves {
            curve.label = format!("pool of {k} independent models: {}", curve.label);
            for (t, v) in curve.values.iter_mut().enumerate() {
                *v = pooled_gini_simpson(*v, d_star, scenario.model_count, n, t);
            }
        }
    }
    curves
}

/// E[Gini–Simpson] of the pool of K independent lineages whose own expectation is `d_lineage`
/// at generation t: the mixture p̄ has E[D(p̄)] = D* - (D* - D_t)/K, and the pool model is refit
/// to `output` draws from each of the K models, which multiplies by 1 - 1/(K output). At
/// generation 0 the pool is the human distribution itself.
pub fn pooled_gini_simpson(d_lineage: f64, d_star: f64, models: u32, output: usize, t: usize) -> f64 {
    if t == 0 {
        return d_star;
    }
    let k = f64::from(models);
    (1.0 - 1.0 / (k * output as f64)) * (d_star - (d_star - d_lineage) / k)
}

#[cfg(test)]
mod tests {
    use super::super::Tokens;
    use super::*;
    use crate::scenario::{FamilyKey, Filter};
    use crate::sim::Family;

    fn scenario(vocab: u32, samples: u32, generations: u32) -> Scenario {
        Scenario { vocab, samples, generations, ..Scenario::default_for(FamilyKey::named("tokens")) }
    }

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
        ] {
            assert!(f.theory(&other).is_empty(), "{other:?}");
        }
    }
}

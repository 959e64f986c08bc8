//! The pool of several bell-curve models against exact theory: independent lineages, and models
//! that all train on their shared pool. Many seeded runs at small K and M, tolerances tight
//! enough that the same data rejects the nearly-right formulas.

use collapse::experiment::Experiment;
use collapse::scenario::{Scenario, VarianceEstimator};
use collapse::sim::gaussian::{expected_pooled_variance, expected_shared_pool_variance};
use collapse::sim::Run;
use collapse::summary::Stat;

fn runs(scenario: &Scenario, count: u32) -> Vec<Run> {
    let experiment = Experiment::new(scenario, None).unwrap();
    (0..count).map(|r| experiment.run(r)).collect()
}

fn pool_variance(runs: &[Run], t: usize) -> Stat {
    Stat::of(&runs.iter().map(|r| r.series("variance").unwrap()[t]).collect::<Vec<_>>())
}

fn tolerance(s: &Stat) -> f64 {
    4.0 * s.se + 1e-3
}

fn assert_close(s: Stat, expected: f64, what: &str) {
    assert!(
        (s.mean - expected).abs() <= tolerance(&s),
        "{what}: Monte Carlo {:.5} ± {:.5} (se) vs theory {expected:.5}",
        s.mean,
        s.se
    );
}

/// The formula this replaces: (1 − 1/(KM))(V_t + (1 − V_t)(1 − 1/K)) (MLE, T = 1).
fn old_pooled(t: u32, m: u32, k: u32) -> f64 {
    let v = (f64::from(m - 1) / f64::from(m)).powi(t as i32);
    (1.0 - 1.0 / f64::from(k * m)) * (v + (1.0 - v) * (1.0 - 1.0 / f64::from(k)))
}

fn base(k: u32, m: u32, generations: u32, seed: u32) -> Scenario {
    Scenario { samples: m, generations, model_count: k, seed, ..Scenario::default() }
}

#[test]
fn the_pool_of_independent_lineages_has_its_expected_variance_and_not_the_old_one() {
    let (k, m) = (2, 5);
    let runs = runs(&base(k, m, 10, 41), 20_000);
    let mut rejected = 0;
    for t in 1..=10usize {
        let expected = expected_pooled_variance(t as u32, m, k, VarianceEstimator::Mle, 1.0);
        // At T = 1: (1 − 1/(KM)) V_t + (1 − 1/K)(1 − V_t).
        let v = 0.8f64.powi(t as i32);
        assert!((expected - (0.9 * v + 0.5 * (1.0 - v))).abs() < 1e-12);
        let s = pool_variance(&runs, t);
        assert_close(s, expected, &format!("pool variance_{t}"));
        if (s.mean - old_pooled(t as u32, m, k)).abs() > tolerance(&s) {
            rejected += 1;
        }
        assert!((runs[0].theory[0].values[t] - expected).abs() < 1e-12);
    }
    assert!(rejected >= 5, "the old formula is rejected at only {rejected} of 10 generations");
    assert!((pool_variance(&runs, 10).mean - old_pooled(10, m, k)).abs() > tolerance(&pool_variance(&runs, 10)));
    assert_eq!(runs[0].theory[0].label, "pool of 2 independent models: E[variance]");
}

#[test]
fn the_independent_pool_follows_the_temperature_and_the_unbiased_estimator() {
    let hot = runs(&Scenario { temperature: 0.8, ..base(3, 5, 8, 42) }, 10_000);
    for t in [1usize, 2, 4, 8] {
        let expected = expected_pooled_variance(t as u32, 5, 3, VarianceEstimator::Mle, 0.8);
        assert_close(pool_variance(&hot, t), expected, &format!("T = 0.8: pool variance_{t}"));
        assert!((hot[0].theory[0].values[t] - expected).abs() < 1e-12);
    }
    // Unbiased (lineages divide by M − 1, the pool by KM − 1): 1 + (K − 1) t/(KM − 1) at T = 1.
    // The mean is carried by rare wide runs, so stay at small t.
    let unbiased = runs(&Scenario { variance_estimator: VarianceEstimator::Unbiased, ..base(2, 10, 4, 43) }, 10_000);
    for t in 1..=4usize {
        let expected = expected_pooled_variance(t as u32, 10, 2, VarianceEstimator::Unbiased, 1.0);
        assert!((expected - (1.0 + t as f64 / 19.0)).abs() < 1e-12);
        assert_close(pool_variance(&unbiased, t), expected, &format!("unbiased pool variance_{t}"));
    }
}

#[test]
fn models_on_a_shared_pool_drift_like_one_population_of_k_m() {
    let (k, m) = (2u32, 5u32);
    let runs = runs(&Scenario { shared_pool: 1.0, ..base(k, m, 10, 44) }, 20_000);
    let r = 1.0 - 1.0 / f64::from(k * m);
    let mut rejected_plain = 0;
    let mut rejected_independent = 0;
    for t in 1..=10usize {
        let expected = expected_shared_pool_variance(t as u32, m, k, VarianceEstimator::Mle, 1.0);
        // r^t − (M − 1) r^(t−1)/(K M²).
        let brief = r.powi(t as i32) - f64::from(m - 1) * r.powi(t as i32 - 1) / f64::from(k * m * m);
        assert!((expected - brief).abs() < 1e-12);
        let s = pool_variance(&runs, t);
        assert_close(s, expected, &format!("shared pool variance_{t}"));
        // Nearly right: the mixture's own drift r^t, without the pool's refit.
        if (s.mean - r.powi(t as i32)).abs() > tolerance(&s) {
            rejected_plain += 1;
        }
        let independent = expected_pooled_variance(t as u32, m, k, VarianceEstimator::Mle, 1.0);
        if (s.mean - independent).abs() > tolerance(&s) {
            rejected_independent += 1;
        }
        assert!((runs[0].theory[0].values[t] - expected).abs() < 1e-12);
    }
    assert!(rejected_plain >= 8, "r^t is rejected at only {rejected_plain} generations");
    assert!(rejected_independent >= 8, "the independent curve is rejected at only {rejected_independent}");
    assert_eq!(runs[0].theory[0].label, "2 models training on their shared pool: E[variance]");
    // Temperature and the unbiased estimator (the general forms).
    let hot = self::runs(&Scenario { shared_pool: 1.0, temperature: 0.9, ..base(3, 5, 6, 45) }, 10_000);
    for t in [1usize, 3, 6] {
        let expected = expected_shared_pool_variance(t as u32, 5, 3, VarianceEstimator::Mle, 0.9);
        assert_close(pool_variance(&hot, t), expected, &format!("T = 0.9: shared pool variance_{t}"));
    }
    let unbiased = self::runs(
        &Scenario { shared_pool: 1.0, variance_estimator: VarianceEstimator::Unbiased, ..base(2, 10, 4, 46) },
        10_000,
    );
    for t in 1..=4usize {
        let expected = expected_shared_pool_variance(t as u32, 10, 2, VarianceEstimator::Unbiased, 1.0);
        assert_close(pool_variance(&unbiased, t), expected, &format!("unbiased shared pool variance_{t}"));
    }
}

#[test]
fn pool_curves_are_offered_only_where_they_are_exact() {
    let theory = |s: Scenario| Experiment::new(&s, None).unwrap().run(0).theory;
    let multi = base(3, 20, 5, 1);
    assert_eq!(theory(multi.clone()).len(), 1);
    assert_eq!(theory(Scenario { shared_pool: 1.0, ..multi.clone() }).len(), 1);
    for s in [
        Scenario { shared_pool: 0.5, ..multi.clone() },
        Scenario { model_spread: 1.0, ..multi.clone() },
        Scenario { model_spread: 1.0, shared_pool: 1.0, ..multi.clone() },
        Scenario { blind_spot: 0.2, ..multi.clone() },
        Scenario { blind_spot: 0.2, shared_pool: 1.0, ..multi.clone() },
        Scenario { human_fraction: 0.1, ..multi.clone() },
        Scenario { contamination_rate: 0.3, shared_pool: 1.0, ..multi.clone() },
        Scenario { data: collapse::scenario::DataRegime::Accumulate, shared_pool: 1.0, ..multi.clone() },
        // One model with a blind spot: the single-lineage curves no longer hold.
        Scenario { blind_spot: 0.2, ..Scenario::default() },
    ] {
        assert!(theory(s.clone()).is_empty(), "{s:?}");
    }
}

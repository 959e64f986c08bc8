//! Statistical tests of the Gaussian family against exact theory: many seeded replicates, the
//! Monte Carlo mean compared with the closed form within a few standard errors.

use collapse::experiment::Experiment;
use collapse::scenario::{DataRegime, HumanDistribution, Scenario, VarianceEstimator};
use collapse::sim::gaussian::{expected_log_variance, expected_variance};
use collapse::sim::Run;
use collapse::summary::Stat;

fn runs(scenario: &Scenario, count: u32) -> Vec<Run> {
    let experiment = Experiment::new(scenario, None).unwrap();
    (0..count).map(|r| experiment.run(r)).collect()
}

fn at(runs: &[Run], metric: &str, t: usize, f: impl Fn(f64) -> f64) -> Stat {
    let values: Vec<f64> = runs.iter().map(|r| f(r.series(metric).unwrap()[t])).collect();
    Stat::of(&values)
}

/// |observed mean - expected| within 4 standard errors plus a small absolute slack.
fn assert_close(stat: Stat, expected: f64, slack: f64, what: &str) {
    let tolerance = 4.0 * stat.se + slack;
    assert!(
        (stat.mean - expected).abs() <= tolerance,
        "{what}: Monte Carlo mean {:.5} ± {:.5} (se) vs theory {expected:.5}",
        stat.mean,
        stat.se
    );
}

#[test]
fn mle_mean_variance_decays_as_m_minus_one_over_m_to_the_t() {
    let scenario = Scenario { samples: 10, generations: 30, seed: 11, ..Scenario::default() };
    let runs = runs(&scenario, 4000);
    for t in [1, 2, 5, 10, 20, 30] {
        let expected = expected_variance(t as u32, 10, VarianceEstimator::Mle, 1.0);
        assert_close(at(&runs, "variance", t, |v| v), expected, 1e-3, &format!("E[variance_{t}]"));
    }
    // The typical run collapses much faster than the mean: at t = 30 the median variance is far
    // below E[variance] = 0.9^30 = 0.042 and matches exp E[log variance].
    let median = at(&runs, "variance", 30, |v| v).median;
    assert!(median < 0.25 * expected_variance(30, 10, VarianceEstimator::Mle, 1.0), "median {median}");
    let log = at(&runs, "variance", 30, f64::ln);
    assert_close(log, expected_log_variance(30, 10, VarianceEstimator::Mle, 1.0), 0.02, "E[log variance_30]");
}

#[test]
fn unbiased_variance_is_a_martingale_whose_log_still_falls_linearly() {
    let scenario = Scenario {
        samples: 20,
        generations: 40,
        seed: 12,
        variance_estimator: VarianceEstimator::Unbiased,
        ..Scenario::default()
    };
    let runs = runs(&scenario, 4000);
    // The mean is carried by rare large runs, so test it only while the spread is moderate.
    for t in [1, 3, 6] {
        assert_close(at(&runs, "variance", t, |v| v), 1.0, 2e-3, &format!("E[variance_{t}] (unbiased)"));
    }
    for t in [5, 20, 40] {
        let expected = expected_log_variance(t as u32, 20, VarianceEstimator::Unbiased, 1.0);
        assert!(expected < 0.0);
        assert_close(at(&runs, "variance", t, f64::ln), expected, 0.01, &format!("E[log variance_{t}] (unbiased)"));
    }
}

#[test]
fn temperature_multiplies_the_expected_variance_by_t_each_generation() {
    let scenario = Scenario { samples: 50, generations: 10, temperature: 0.8, seed: 13, ..Scenario::default() };
    let runs = runs(&scenario, 3000);
    for t in [1, 4, 10] {
        let expected = expected_variance(t as u32, 50, VarianceEstimator::Mle, 0.8);
        assert_close(at(&runs, "variance", t, |v| v), expected, 1e-3, &format!("E[variance_{t}] at T = 0.8"));
    }
}

#[test]
fn replacing_lets_the_mean_wander_while_accumulating_keeps_it_bounded() {
    // Replace: E[mean_t^2] = 1 - ((M-1)/M)^t. Accumulate: generation k's new data moves the
    // mean by a step of variance ≈ sigma^2 / (M k^2), so E[mean_t^2] ≤ (π²/6) / M (Gerstgrasser
    // et al.'s bound), for every t.
    let m = 10;
    let base = Scenario { samples: m, generations: 100, seed: 14, ..Scenario::default() };
    let replace = runs(&base, 3000);
    let accumulate = runs(&Scenario { data: DataRegime::Accumulate, ..base.clone() }, 3000);
    for t in [10, 50, 100] {
        let expected = 1.0 - expected_variance(t as u32, m, VarianceEstimator::Mle, 1.0);
        assert_close(at(&replace, "mean", t, |x| x * x), expected, 5e-3, &format!("replace E[mean_{t}^2]"));
        let acc = at(&accumulate, "mean", t, |x| x * x);
        let bound = std::f64::consts::PI.powi(2) / 6.0 / m as f64;
        assert!(acc.mean + 4.0 * -acc.se <= bound, "accumulate E[mean_{t}^2] = {} exceeds {bound}", acc.mean);
    }
    // And the variance does not collapse when accumulating.
    assert!(at(&accumulate, "variance", 100, |v| v).median > 0.5);
    assert!(at(&replace, "variance", 100, |v| v).median < 0.01);
}

#[test]
fn fresh_human_data_stops_the_variance_collapse() {
    let base = Scenario { samples: 20, generations: 200, seed: 15, ..Scenario::default() };
    let with_human = runs(&Scenario { human_fraction: 0.2, ..base.clone() }, 500);
    let stat = at(&with_human, "variance", 200, |v| v);
    assert!(stat.median > 0.6 && stat.median < 1.1, "median variance with 20% human data: {}", stat.median);
    assert!(at(&with_human, "w2_to_human", 200, |v| v).median < 0.5);
}

#[test]
fn a_single_gaussian_loses_heavy_tails_at_the_first_generation() {
    let scenario =
        Scenario { samples: 1000, generations: 1, human: HumanDistribution::HeavyTailed, ..Scenario::default() };
    let runs = runs(&scenario, 200);
    assert!((at(&runs, "tail_mass", 0, |v| v).mean - 0.02).abs() < 1e-12);
    let first = at(&runs, "tail_mass", 1, |v| v);
    assert!(first.p90 < 0.015, "tail mass after one refit: {first:?}");
    assert!(at(&runs, "w2_to_human", 1, |v| v).median > 0.05);
}

#[test]
fn the_variance_theory_curve_is_offered_only_where_it_is_exact() {
    let pure = Scenario::default();
    let run = Experiment::new(&pure, None).unwrap().run(0);
    assert_eq!(run.theory.len(), 2);
    assert_eq!(run.theory[0].values.len(), 101);
    for s in [
        Scenario { human_fraction: 0.1, ..Scenario::default() },
        Scenario { data: DataRegime::Accumulate, ..Scenario::default() },
    ] {
        assert!(Experiment::new(&s, None).unwrap().run(0).theory.is_empty());
    }
}

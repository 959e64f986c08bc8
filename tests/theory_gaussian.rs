//! Statistical tests of the Gaussian family against exact theory: many seeded replicates, the
//! Monte Carlo mean compared with the closed form within a few standard errors.

use collapse::experiment::Experiment;
use collapse::scenario::{DataRegime, Filter, FilterKind, HumanDistribution, Scenario, VarianceEstimator};
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

#[test]
fn tail_mass_reads_two_percent_for_every_human_and_falls_under_refitting() {
    for human in [HumanDistribution::Normal, HumanDistribution::HeavyTailed, HumanDistribution::Bimodal] {
        let run = Experiment::new(&Scenario { human, generations: 1, ..Scenario::default() }, None).unwrap().run(0);
        assert!((run.series("tail_mass").unwrap()[0] - 0.02).abs() < 1e-12, "{human:?}");
    }
    // Pure refitting: the curve narrows, so its own tails thin out wherever it has drifted (the
    // old measure, beyond the human percentiles, rose to about 0.03 here as curves drifted).
    let runs = runs(&Scenario { samples: 10, generations: 40, seed: 16, ..Scenario::default() }, 3000);
    let tail: Vec<Stat> = [5usize, 10, 20].iter().map(|&t| at(&runs, "tail_mass", t, |v| v)).collect();
    assert!(tail[0].mean + 4.0 * tail[0].se < 0.02, "E[tail_mass_5] = {}", tail[0].mean);
    for pair in tail.windows(2) {
        assert!(pair[1].mean + 4.0 * (pair[0].se + pair[1].se) < pair[0].mean, "{pair:?}");
    }
}

#[test]
fn the_model_grows_sure_of_itself_while_human_data_surprises_it_more() {
    let scenario = Scenario { samples: 10, generations: 30, seed: 17, ..Scenario::default() };
    let runs = runs(&scenario, 4000);
    let normal_entropy = 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E).log2();
    for metric in ["self_entropy_bits", "human_cross_entropy_bits"] {
        assert!((runs[0].series(metric).unwrap()[0] - normal_entropy).abs() < 1e-12, "{metric}");
    }
    // Exactly: E[self_entropy_t] = ½ log2(2πe) + E[ln variance_t]/(2 ln 2).
    for t in [1usize, 5, 10, 30] {
        let expected = normal_entropy
            + expected_log_variance(t as u32, 10, VarianceEstimator::Mle, 1.0) / (2.0 * std::f64::consts::LN_2);
        assert_close(at(&runs, "self_entropy_bits", t, |v| v), expected, 1e-3, &format!("E[self entropy_{t}]"));
    }
    let cross: Vec<Stat> =
        [1usize, 5, 10, 30].iter().map(|&t| at(&runs, "human_cross_entropy_bits", t, |v| v)).collect();
    assert!(cross[0].mean > normal_entropy);
    for pair in cross.windows(2) {
        assert!(pair[0].mean + 4.0 * (pair[0].se + pair[1].se) < pair[1].mean, "{pair:?}");
    }
    // Mixture models (every second model with a spread) have both, by quadrature.
    let s = Scenario { model_count: 2, model_spread: 1.0, samples: 200, generations: 5, ..Scenario::default() };
    let run = Experiment::new(&s, None).unwrap().run(0);
    for t in 0..=5 {
        let own = run.lineage_series(1, "self_entropy_bits").unwrap()[t];
        let cross = run.lineage_series(1, "human_cross_entropy_bits").unwrap()[t];
        assert!(own.is_finite() && cross.is_finite() && cross >= own - 0.05, "t {t}: {own} vs {cross}");
    }
}

#[test]
fn the_diversity_filter_slows_collapse_without_reversing_it() {
    for (m, count) in [(20u32, 3000u32), (100, 600)] {
        let scenario = Scenario {
            samples: m,
            generations: 50,
            filter: Filter { kind: FilterKind::Diversity, keep: 0.2 },
            seed: 18,
            ..Scenario::default()
        };
        let runs = runs(&scenario, count);
        for t in 1..=50usize {
            let s = at(&runs, "variance", t, |v| v);
            // Never above the human variance (the old filter grew it about 3% a generation).
            assert!(s.mean <= 1.0 + 4.0 * s.se + 1e-3, "M {m}: E[variance_{t}] = {} ± {}", s.mean, s.se);
            if t >= 10 {
                let plain = expected_variance(t as u32, m, VarianceEstimator::Mle, 1.0);
                assert!(s.mean - 4.0 * s.se > plain, "M {m}: E[variance_{t}] = {} vs no filter {plain}", s.mean);
            }
        }
    }
}

#[test]
fn overflowed_numbers_stay_non_finite() {
    // T = 5 multiplies the variance by about 5 a generation: it overflows near generation 440.
    let scenario = Scenario { temperature: 5.0, generations: 500, ..Scenario::default() };
    let experiment = Experiment::new(&scenario, None).unwrap();
    for r in 0..3 {
        let run = experiment.run(r);
        let variance = run.series("variance").unwrap();
        let first =
            variance.iter().position(|v| !v.is_finite()).expect("the variance overflows within 500 generations");
        assert!(first > 300 && variance[first - 1] > 1e200, "run {r}: overflow at {first}");
        for metric in ["variance", "w2_to_human", "self_entropy_bits", "human_cross_entropy_bits"] {
            let series = run.series(metric).unwrap();
            for (t, v) in series.iter().enumerate().skip(first) {
                assert!(!v.is_finite(), "run {r}: {metric} at {t} reads {v} after the overflow");
            }
        }
        // The tail mass of an infinitely wide curve is 1 (or NaN), never the perfect 0.
        let tail = run.series("tail_mass").unwrap();
        assert!(tail[first..].iter().all(|v| v.is_nan() || *v == 1.0), "run {r}");
    }
}

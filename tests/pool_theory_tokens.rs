//! The pool of several token models against its closed forms: independent lineages
//! ([`pooled_gini_simpson`]), every model training on the pool ([`shared_pool_gini_simpson`]),
//! and what blind spots do to the pool. Many seeded runs; each Monte Carlo mean within 4
//! standard errors plus a tiny slack of the formula, and at small K and N far enough from the
//! nearly-right formulas to reject them with the same data.

use collapse::experiment::Experiment;
use collapse::rng::replicate_rng;
use collapse::scenario::{FamilyKey, Scenario};
use collapse::sim::tokens::{
    expected_gini_simpson, gini_simpson, pooled_gini_simpson, shared_pool_gini_simpson, zipf_probs, Tokens,
};
use collapse::sim::{simulate, LoopConfig, ModelSpec, Run};
use collapse::summary::Stat;

fn runs(scenario: &Scenario, count: u32) -> Vec<Run> {
    let experiment = Experiment::new(scenario, None).unwrap();
    (0..count).map(|r| experiment.run(r)).collect()
}

fn stat(runs: &[Run], f: impl Fn(&Run) -> f64) -> Stat {
    Stat::of(&runs.iter().map(f).collect::<Vec<_>>())
}

fn pool_at(runs: &[Run], t: usize) -> Stat {
    stat(runs, |r| r.series("gini_simpson").unwrap()[t])
}

fn assert_close(s: Stat, expected: f64, slack: f64, what: &str) {
    assert!(
        (s.mean - expected).abs() <= 4.0 * s.se + slack,
        "{what}: Monte Carlo {:.5} ± {:.5} (se) vs theory {expected:.5}",
        s.mean,
        s.se
    );
}

/// The same data rejects `wrong`: it lies more than 4 standard errors plus the slack away.
fn assert_rejects(s: Stat, wrong: f64, slack: f64, what: &str) {
    assert!(
        (s.mean - wrong).abs() > 4.0 * s.se + slack,
        "{what}: Monte Carlo {:.5} ± {:.5} (se) cannot reject {wrong:.5}",
        s.mean,
        s.se
    );
}

fn tokens(vocab: u32, samples: u32, generations: u32) -> Scenario {
    Scenario { vocab, samples, generations, seed: 31, ..Scenario::default_for(FamilyKey::named("tokens")) }
}

/// The formula before the re-derivation: the refit factor multiplied the between-model term too.
fn old_pooled(d_lineage: f64, d_star: f64, k: f64, n: f64) -> f64 {
    (1.0 - 1.0 / (k * n)) * (d_star - (d_star - d_lineage) / k)
}

#[test]
fn the_pool_of_independent_token_lineages_keeps_its_expected_diversity() {
    // Theory: E[D_pool,t] = D* - (D* - D_t)/K - D_t/(K N), D_t one lineage's Wright–Fisher
    // expectation; with fresh human data D_t follows the recurrence instead.
    for human_fraction in [0.0, 0.2] {
        let s = Scenario { model_count: 4, human_fraction, ..tokens(40, 100, 40) };
        let runs = runs(&s, 1000);
        let d_star = gini_simpson(&zipf_probs(40, s.zipf_exponent));
        let n_human = s.human_count();
        for t in [1usize, 5, 20, 40] {
            let lineage = expected_gini_simpson(t as u32, d_star, n_human, 100);
            let pool = pooled_gini_simpson(lineage, d_star, 4, 100, t);
            assert_close(pool_at(&runs, t), pool, 2e-3, &format!("pool D_{t} at rho {human_fraction}"));
            assert_close(
                stat(&runs, |r| r.lineage_series(2, "gini_simpson").unwrap()[t]),
                lineage,
                2e-3,
                &format!("model 3's D_{t}"),
            );
            // The curve the page draws dashed is this expectation.
            assert!((runs[0].theory[0].values[t] - pool).abs() < 1e-12);
        }
    }
}

#[test]
fn small_independent_pools_match_the_stratified_refit_and_reject_the_old_formula() {
    // K = 2 models of N = 10 tokens over 5 types: the pool is refit to exactly 10 outputs of
    // each, so only the within-model noise D_t/(KN) is lost, not a share 1/(KN) of everything.
    let (k, n) = (2u32, 10u32);
    for human_fraction in [0.0, 0.2] {
        let s = Scenario { model_count: k, human_fraction, ..tokens(5, n, 12) };
        let runs = runs(&s, 40_000);
        let d_star = gini_simpson(&zipf_probs(5, s.zipf_exponent));
        let n_human = s.human_count();
        let curve = &runs[0].theory[0];
        assert!(curve.label.contains("independent"), "{}", curve.label);
        for t in 1..=12usize {
            let lineage = expected_gini_simpson(t as u32, d_star, n_human, n as usize);
            let want = pooled_gini_simpson(lineage, d_star, k, n as usize, t);
            assert!((curve.values[t] - want).abs() < 1e-15);
            let measured = pool_at(&runs, t);
            assert_close(measured, want, 1e-4, &format!("pool D_{t} at rho {human_fraction}"));
            if t >= 6 && human_fraction == 0.0 {
                let old = old_pooled(lineage, d_star, f64::from(k), f64::from(n));
                assert_rejects(measured, old, 1e-4, &format!("old formula at t {t}"));
            }
        }
    }
}

#[test]
fn a_shared_pool_is_one_population_of_k_n_measured_by_a_stratified_refit() {
    // Every model trains on N items of the previous models' mixture, so the mixture is
    // Wright–Fisher in a population of KN: A_t = D*(1 - 1/(KN))^t, and the measured pool is
    // E[D_pool,t] = A_t - (1 - 1/N) A_(t-1)/(KN).
    let (k, n) = (2u32, 10u32);
    let s = Scenario { model_count: k, shared_pool: 1.0, ..tokens(5, n, 12) };
    let shared = runs(&s, 40_000);
    let d_star = gini_simpson(&zipf_probs(5, s.zipf_exponent));
    let kn = f64::from(k * n);
    let a = |t: usize| d_star * (1.0 - 1.0 / kn).powi(t as i32);
    let curve = &shared[0].theory;
    assert_eq!(curve.len(), 1);
    assert!(curve[0].label.contains("sharing"), "{}", curve[0].label);
    for t in 1..=12usize {
        let want = a(t) - (1.0 - 1.0 / f64::from(n)) * a(t - 1) / kn;
        assert!((shared_pool_gini_simpson(t, d_star, k, 0, n as usize) - want).abs() < 1e-14);
        assert!((curve[0].values[t] - want).abs() < 1e-14);
        let measured = pool_at(&shared, t);
        assert_close(measured, want, 1e-4, &format!("shared pool D_{t}"));
        // Nearly right: the mixture itself (forgetting the refit's noise), and the formula for
        // independent lineages.
        assert_rejects(measured, a(t), 1e-4, &format!("A_{t} without the refit"));
        if t >= 3 {
            let independent = pooled_gini_simpson(expected_gini_simpson(t as u32, d_star, 0, 10), d_star, k, 10, t);
            assert_rejects(measured, independent, 1e-4, &format!("the independent pool at t {t}"));
        }
        // Each model alone: one training set of N drawn from the mixture, (1 - 1/N) A_(t-1).
        assert_close(
            stat(&shared, |r| r.lineage_series(1, "gini_simpson").unwrap()[t]),
            (1.0 - 1.0 / f64::from(n)) * a(t - 1),
            1e-4,
            &format!("model 2's D_{t}"),
        );
    }
    // With fresh human data the same argument runs on the recurrence (K n_h human in KN).
    let s = Scenario { human_fraction: 0.2, ..s.clone() };
    let mixed = runs(&s, 40_000);
    for t in [1usize, 2, 4, 8, 12] {
        let want = shared_pool_gini_simpson(t, d_star, k, 2, n as usize);
        assert!((mixed[0].theory[0].values[t] - want).abs() < 1e-15);
        assert_close(pool_at(&mixed, t), want, 1e-4, &format!("shared pool D_{t} at rho 0.2"));
    }
}

/// `replicates` runs of `s` with views, through the loop itself: the pool's model at every
/// generation, and each model's blocked types.
fn pool_views(s: &Scenario, replicates: u32) -> (Vec<Vec<bool>>, Vec<Vec<Vec<f64>>>) {
    let family = Tokens::new(s, &[]);
    let models: Vec<ModelSpec<Tokens>> = (0..s.model_count)
        .map(|k| ModelSpec { family: family.clone().with_blind_spot(&s.blind_spot_of(k)), bias: s.sampling_bias() })
        .collect();
    let blocked = models.iter().map(|m| m.family.blocked().unwrap().to_vec()).collect();
    let config = LoopConfig::of(s);
    let pools = (0..replicates)
        .map(|r| {
            let (_, views) = simulate(&models, &family, &config, &mut replicate_rng(s.seed, r), true);
            views.into_iter().map(|v| v.model_probs).collect()
        })
        .collect();
    (blocked, pools)
}

#[test]
fn distinct_blind_spots_are_covered_by_the_pool_and_a_shared_one_never_is() {
    // Four models, each unable to produce a tenth of the human word mass (their own parts of the
    // outer zone are then disjoint). Model j's lineage is
    // fitted to the human distribution restricted to what it can produce, and drift keeps that
    // in expectation: E[q_j,t,i] = p*_i / (1 - m_j) off its blocked set B_j (m_j = p*(B_j)),
    // so the pool holds E[p̂_i] = (1/K) Σ_{j: i ∉ B_j} p*_i / (1 - m_j).
    let s = Scenario { model_count: 4, blind_spot: 0.1, ..tokens(200, 1000, 10) };
    let human = zipf_probs(200, s.zipf_exponent);
    let (blocked, pools) = pool_views(&s, 400);
    let mass = |set: &[bool], p: &[f64]| -> f64 { p.iter().zip(set).filter(|(_, &b)| b).map(|(x, _)| x).sum() };
    let m: Vec<f64> = blocked.iter().map(|b| mass(b, &human)).collect();
    for (k, set) in blocked.iter().enumerate() {
        let expected: f64 = (0..4)
            .map(|j| {
                let covered: f64 = (0..200).filter(|&i| set[i] && !blocked[j][i]).map(|i| human[i]).sum();
                covered / (1.0 - m[j]) / 4.0
            })
            .sum();
        assert!(
            expected > 0.5 * m[k],
            "model {k}'s blind spot ({:.3} of the human mass) is covered by the others",
            m[k]
        );
        for t in [1usize, 5, 10] {
            let on_spot = Stat::of(&pools.iter().map(|views| mass(set, &views[t])).collect::<Vec<_>>());
            assert_close(on_spot, expected, 1e-4, &format!("pool mass on model {k}'s blind spot at t {t}"));
        }
    }
    // One blind spot for all: the pool never produces a word of it, no better than any model.
    let shared = Scenario { blind_spot_overlap: 1.0, ..s.clone() };
    let (blocked, pools) = pool_views(&shared, 50);
    assert!(blocked.iter().all(|b| *b == blocked[0]));
    assert!(mass(&blocked[0], &human) > 0.06);
    for views in &pools {
        for pool in &views[1..] {
            assert_eq!(mass(&blocked[0], pool), 0.0);
        }
    }
}

#[test]
fn where_drift_is_slow_distinct_blind_spots_keep_the_pool_whole_and_shared_ones_do_not() {
    // 50,000 tokens over 500 words: drift loses few words in 10 generations, so what each model
    // lacks is its blind spot. (With fewer tokens than words, as in tests/mixing.rs's
    // `distinct_blind_spots_make_mixing_pay_and_shared_ones_do_not`, drift itself loses
    // different rare words in every lineage, and the pool of four independent lineages holds
    // about twice the words of its best model with or without blind spots.)
    let distinct = Scenario { model_count: 4, blind_spot: 0.2, ..tokens(500, 50_000, 10) };
    let surviving = |s: &Scenario| {
        let run = Experiment::new(s, None).unwrap().run(0);
        let pool = run.series("surviving_types").unwrap()[10];
        let best = (0..4).map(|k| run.lineage_series(k, "surviving_types").unwrap()[10]).fold(0.0, f64::max);
        (pool, best)
    };
    let (pool, best) = surviving(&distinct);
    assert!(pool >= 0.98 * 500.0 && pool > best, "pool {pool} vs best lineage {best}");
    let shared = Scenario { blind_spot_overlap: 1.0, ..distinct.clone() };
    let blocked = Tokens::new(&shared, &[]).with_blind_spot(&shared.blind_spot_of(0));
    let blocked_count = blocked.blocked().unwrap().iter().filter(|&&b| b).count() as f64;
    let (pool_shared, best_shared) = surviving(&shared);
    assert!(pool_shared <= 500.0 - blocked_count, "pool {pool_shared}, {blocked_count} words blocked for all");
    assert!(pool_shared < 1.2 * best_shared, "pool {pool_shared} vs best lineage {best_shared}");
    assert!(pool_shared < pool, "sharing the blind spots loses the benefit of mixing");
}

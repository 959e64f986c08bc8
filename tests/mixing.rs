//! Several models, a web that fills with AI text, and a provenance detector: statistical tests
//! where theory applies (the pool of independent lineages, the contaminated share), and tests of
//! the topology and the detector's bookkeeping. The token pool's theory is in
//! `tests/pool_theory_tokens.rs`.

use collapse::experiment::Experiment;
use collapse::scenario::{FamilyKey, Scenario};
use collapse::sim::Run;
use collapse::summary::Stat;

fn runs(scenario: &Scenario, count: u32) -> Vec<Run> {
    let experiment = Experiment::new(scenario, None).unwrap();
    (0..count).map(|r| experiment.run(r)).collect()
}

fn stat(runs: &[Run], f: impl Fn(&Run) -> f64) -> Stat {
    Stat::of(&runs.iter().map(f).collect::<Vec<_>>())
}

fn assert_close(s: Stat, expected: f64, slack: f64, what: &str) {
    assert!(
        (s.mean - expected).abs() <= 4.0 * s.se + slack,
        "{what}: Monte Carlo {:.5} ± {:.5} (se) vs theory {expected:.5}",
        s.mean,
        s.se
    );
}

fn tokens(vocab: u32, samples: u32, generations: u32) -> Scenario {
    Scenario { vocab, samples, generations, seed: 31, ..Scenario::default_for(FamilyKey::named("tokens")) }
}

#[test]
fn a_shared_pool_ties_the_lineages_together() {
    // Independent lineages wander apart (E[(m1 - m2)^2] = 2(1 - ((M-1)/M)^t)); training on the
    // shared pool keeps them together.
    let base = Scenario { samples: 20, generations: 30, model_count: 2, seed: 33, ..Scenario::default() };
    let gap = |runs: &[Run]| {
        stat(runs, |r| {
            let d = r.lineage_series(0, "mean").unwrap()[30] - r.lineage_series(1, "mean").unwrap()[30];
            d * d
        })
    };
    let apart = gap(&runs(&base, 1000));
    assert_close(apart, 2.0 * (1.0 - 0.95f64.powi(30)), 0.01, "E[(m1 - m2)^2] of independent lineages");
    let together = gap(&runs(&Scenario { shared_pool: 1.0, ..base.clone() }, 1000));
    assert!(together.mean < 0.2 * apart.mean, "shared pool gap {} vs independent {}", together.mean, apart.mean);
}

#[test]
fn with_one_model_the_pool_is_the_model_itself() {
    let s = tokens(100, 500, 10);
    let alone = Experiment::new(&s, None).unwrap().run(0);
    let shared = Scenario { shared_pool: 1.0, model_spread: 1.0, blind_spot_overlap: 1.0, ..s.clone() };
    let same = Experiment::new(&shared, None).unwrap().run(0);
    assert_eq!(alone.metrics, same.metrics);
    assert!(alone.lineages.is_empty());
}

#[test]
fn distinct_blind_spots_make_mixing_pay_and_shared_ones_do_not() {
    // Four models, each unable to produce its own fifth of the human word mass, with so many
    // draws per word (N = 100 V) that drift barely loses words in ten generations: what the pool
    // keeps is what the blind spots leave.
    let distinct = Scenario { model_count: 4, blind_spot: 0.2, ..tokens(500, 50_000, 10) };
    let run = Experiment::new(&distinct, None).unwrap().run(0);
    assert_eq!(run.lineages.len(), 4);
    let pool = run.series("surviving_types").unwrap()[10];
    let best = (0..4).map(|k| run.lineage_series(k, "surviving_types").unwrap()[10]).fold(0.0, f64::max);
    // Every word is still written by some model: the pool keeps the whole vocabulary, which no
    // single model can.
    assert!(pool >= 0.98 * 500.0 && pool > best, "pool {pool} vs best lineage {best}");
    // The same blind spot for all: the pool is no better than its best model.
    let shared = Scenario { blind_spot_overlap: 1.0, ..distinct.clone() };
    let run = Experiment::new(&shared, None).unwrap().run(0);
    let pool_shared = run.series("surviving_types").unwrap()[10];
    let best_shared = (0..4).map(|k| run.lineage_series(k, "surviving_types").unwrap()[10]).fold(0.0, f64::max);
    assert!(pool_shared < 1.05 * best_shared, "pool {pool_shared} vs best lineage {best_shared}");
    assert!(pool_shared < pool, "sharing the blind spots loses the benefit of mixing");
}

#[test]
fn the_contaminated_share_rises_as_c_times_t_minus_one_over_t() {
    // Without a detector the training set keeps its size and its real human share is
    // rho (1 - c (t-1)/t).
    let s = Scenario {
        samples: 200,
        generations: 6,
        human_fraction: 0.5,
        contamination_rate: 0.3,
        seed: 34,
        ..Scenario::default()
    };
    let runs = runs(&s, 1000);
    for t in 1..=6usize {
        let expected = 0.5 * (1.0 - 0.3 * (t as f64 - 1.0) / t as f64);
        assert_close(
            stat(&runs, |r| r.series("real_human_share").unwrap()[t]),
            expected,
            1e-3,
            &format!("real human share_{t}"),
        );
        assert!(runs.iter().all(|r| r.series("training_size").unwrap()[t] == 200.0));
    }
}

#[test]
fn the_detector_drops_what_it_flags_and_false_positives_cost_human_data() {
    // c = 1: a share (t-1)/t of what is scraped is model text. A perfect detector drops all of
    // it, so E[training size_t] = 60 deliberate synthetic + 40/t human, all real human kept.
    let s = Scenario {
        samples: 100,
        generations: 4,
        human_fraction: 0.4,
        contamination_rate: 1.0,
        detector_recall: 1.0,
        seed: 35,
        ..Scenario::default()
    };
    let perfect = runs(&s, 2000);
    for t in 1..=4usize {
        assert_close(
            stat(&perfect, |r| r.series("training_size").unwrap()[t]),
            60.0 + 40.0 / t as f64,
            0.05,
            &format!("size_{t}"),
        );
    }
    assert!(perfect
        .iter()
        .all(|r| r.series("training_size").unwrap()[1] == 100.0 && r.series("real_human_share").unwrap()[1] == 0.4));
    // A clean web and a detector with 25% false positives: E[size] = 100 - 0.25 * 40.
    let s = Scenario {
        samples: 100,
        generations: 3,
        human_fraction: 0.4,
        detector_false_positive_rate: 0.25,
        seed: 36,
        ..Scenario::default()
    };
    let wary = runs(&s, 2000);
    assert_close(
        stat(&wary, |r| r.series("training_size").unwrap()[2]),
        90.0,
        0.05,
        "training size with false positives",
    );
}

#[test]
fn each_model_reports_its_own_share_of_real_human_data_and_the_pool_their_mean() {
    let s = Scenario {
        samples: 60,
        generations: 8,
        model_count: 3,
        human_fraction: 0.5,
        contamination_rate: 0.9,
        detector_false_positive_rate: 0.3,
        ..Scenario::default()
    };
    let run = Experiment::new(&s, None).unwrap().run(0);
    for t in 1..=8 {
        let shares: Vec<f64> = (0..3).map(|k| run.lineage_series(k, "real_human_share").unwrap()[t]).collect();
        let sizes: Vec<f64> = (0..3).map(|k| run.lineage_series(k, "training_size").unwrap()[t]).collect();
        assert!((run.series("real_human_share").unwrap()[t] - shares.iter().sum::<f64>() / 3.0).abs() < 1e-12);
        assert!((run.series("training_size").unwrap()[t] - sizes.iter().sum::<f64>() / 3.0).abs() < 1e-12);
    }
    // The models draw their scraped data independently, so their counts differ somewhere.
    let differ = (1..=8).any(|t| {
        run.lineage_series(0, "training_size").unwrap()[t] != run.lineage_series(1, "training_size").unwrap()[t]
    });
    assert!(differ);
}

#[test]
fn a_detector_removes_biased_model_text_but_costs_data() {
    // A pipeline that means to train on human data only, on a web where most new text is
    // written by models that sample with bias (T = 0.7, narrower than they learned).
    let base = Scenario {
        samples: 200,
        generations: 60,
        human_fraction: 1.0,
        contamination_rate: 0.8,
        temperature: 0.7,
        seed: 37,
        ..Scenario::default()
    };
    let at_end = |s: &Scenario, metric: &str| stat(&runs(s, 300), |r| r.series(metric).unwrap()[60]);
    let detector = Scenario { detector_recall: 0.95, detector_false_positive_rate: 0.05, ..base.clone() };
    // Without a detector the biased text narrows the models; with one they stay near human.
    let (none, good) = (at_end(&base, "variance"), at_end(&detector, "variance"));
    assert!(none.mean < 0.85 && good.mean > 0.9, "variance {} without, {} with a detector", none.mean, good.mean);
    let (none, good) = (at_end(&base, "w2_to_human"), at_end(&detector, "w2_to_human"));
    assert!(good.mean + 4.0 * good.se < none.mean, "W2 with a detector {} vs none {}", good.mean, none.mean);
    let (none, good) = (at_end(&base, "real_human_share"), at_end(&detector, "real_human_share"));
    assert!(good.mean > 0.75 && none.mean < 0.25, "real human share {} with, {} without", good.mean, none.mean);
    // The cost: unbiased model text is still data. Dropping it leaves a quarter of the training
    // set, and the fit is noisier.
    let unbiased = Scenario { temperature: 1.0, ..base.clone() };
    let kept = at_end(&Scenario { temperature: 1.0, ..detector.clone() }, "training_size");
    assert!(kept.mean < 60.0, "training size with the detector {}", kept.mean);
    let (none, good) =
        (at_end(&unbiased, "w2_to_human"), at_end(&Scenario { temperature: 1.0, ..detector }, "w2_to_human"));
    assert!(none.mean < good.mean, "unbiased text: W2 {} without vs {} with a detector", none.mean, good.mean);
}

#[test]
fn spread_gaussian_models_alternate_single_and_mixture_forms() {
    // On a two-bump human distribution, model 2 (a mixture) stays close while model 1 (one
    // normal) merges the bumps at the first refit.
    let s = Scenario {
        human: collapse::scenario::HumanDistribution::Bimodal,
        samples: 1000,
        generations: 3,
        model_count: 2,
        model_spread: 0.01,
        ..Scenario::default()
    };
    let run = Experiment::new(&s, None).unwrap().run(0);
    let single = run.lineage_series(0, "w2_to_human").unwrap()[1];
    let mixture = run.lineage_series(1, "w2_to_human").unwrap()[1];
    assert!(mixture < 0.6 * single, "mixture {mixture} vs single {single}");
}

#[test]
fn text_models_of_different_orders_mix() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");
    let bytes = std::fs::read(path).expect("run scripts/fetch-corpus.sh first");
    let corpus = std::sync::Arc::new(collapse::corpus::Corpus::from_bytes(&bytes).unwrap());
    let s = Scenario {
        model_count: 3,
        model_spread: 1.0,
        samples: 5000,
        generations: 3,
        ..Scenario::default_for(FamilyKey::named("text"))
    };
    let run = Experiment::new(&s, Some(&corpus)).unwrap().run_with_views(0);
    assert_eq!(run.lineages.len(), 3);
    assert_eq!(run.views.len(), 4);
    // The pool can produce at least as many words as any one model.
    let pool = run.series("types").unwrap()[3];
    for k in 0..3 {
        assert!(pool >= run.lineage_series(k, "types").unwrap()[3], "model {k}");
    }
}

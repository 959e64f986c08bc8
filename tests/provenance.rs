//! A web that fills with AI text and what a provenance detector does with it: reweighting
//! toward likely-human text against dropping what is flagged. (That each generation's text is
//! drawn from the models that wrote it is tested beside the loop, in `src/sim/mod.rs`.)

use collapse::experiment::Experiment;
use collapse::scenario::{DetectorMode, Scenario};
use collapse::sim::Run;
use collapse::summary::Stat;

fn runs(scenario: &Scenario, count: u32) -> Vec<Run> {
    let experiment = Experiment::new(scenario, None).unwrap();
    (0..count).map(|r| experiment.run(r)).collect()
}

/// Mean and standard error of `metric` at generation `t`.
fn at(runs: &[Run], metric: &str, t: usize) -> Stat {
    Stat::of(&runs.iter().map(|r| r.series(metric).unwrap()[t]).collect::<Vec<_>>())
}

fn noisy_web() -> Scenario {
    Scenario {
        samples: 400,
        generations: 8,
        human_fraction: 1.0,
        contamination_rate: 0.6,
        detector_recall: 0.7,
        detector_false_positive_rate: 0.2,
        seed: 5,
        ..Scenario::default()
    }
}

#[test]
fn reweighting_keeps_more_data_than_dropping_and_more_human_text_than_no_detector() {
    let drop = runs(&noisy_web(), 400);
    let reweight = runs(&Scenario { detector_mode: DetectorMode::Reweight, ..noisy_web() }, 400);
    let none = runs(&Scenario { detector_recall: 0.0, detector_false_positive_rate: 0.0, ..noisy_web() }, 400);
    let t = 8;
    let (kept_drop, kept_reweight) = (at(&drop, "training_size", t), at(&reweight, "training_size", t));
    assert!(
        kept_reweight.mean > kept_drop.mean + 4.0 * (kept_drop.se + kept_reweight.se),
        "{kept_reweight:?} vs {kept_drop:?}"
    );
    let (human_none, human_reweight, human_drop) =
        (at(&none, "real_human_share", t), at(&reweight, "real_human_share", t), at(&drop, "real_human_share", t));
    assert!(human_reweight.mean > human_none.mean + 4.0 * (human_none.se + human_reweight.se));
    assert!(human_reweight.mean < human_drop.mean, "dropping is stricter: {human_reweight:?} vs {human_drop:?}");
    // The expected share at generation t follows from the keep probabilities: with model share
    // s = c (t-1)/t, kept human (1-s)(1 - f + f w), kept model s(1 - r + r w), w the flagged
    // items' relative weight.
    let (c, r, f) = (0.6, 0.7, 0.2);
    let s = c * (t as f64 - 1.0) / t as f64;
    let p_human_flagged = (1.0 - s) * f / ((1.0 - s) * f + s * r);
    let p_human_unflagged = (1.0 - s) * (1.0 - f) / ((1.0 - s) * (1.0 - f) + s * (1.0 - r));
    let w = p_human_flagged / p_human_unflagged;
    let (human, model) = ((1.0 - s) * (1.0 - f + f * w), s * (1.0 - r + r * w));
    let expected = human / (human + model);
    // A ratio of binomials: its mean is within a small bias of the ratio of means at n = 400.
    assert!(
        (human_reweight.mean - expected).abs() < 4.0 * human_reweight.se + 0.002,
        "{human_reweight:?} vs {expected}"
    );
}

#[test]
fn a_perfect_detector_reweights_as_it_drops() {
    let perfect = Scenario { detector_recall: 1.0, detector_false_positive_rate: 0.0, ..noisy_web() };
    let drop = runs(&perfect, 20);
    let reweight = runs(&Scenario { detector_mode: DetectorMode::Reweight, ..perfect }, 20);
    for (a, b) in drop.iter().zip(&reweight) {
        assert_eq!(a.metrics, b.metrics);
    }
}

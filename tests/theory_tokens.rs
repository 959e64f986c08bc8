//! Statistical tests of the token family against its closed forms: many seeded replicates, the
//! Monte Carlo mean compared with the exact expectation within 4 standard errors plus a small
//! absolute slack.

use collapse::rng::replicate_rng;
use collapse::scenario::{FamilyKey, Scenario};
use collapse::sim::tokens::TokensView;
use collapse::sim::tokens::{expected_gini_simpson, fixed_point_gini_simpson, gini_simpson, Tokens};
use collapse::sim::{simulate_one, Family, Run};

/// Mean and standard error of the mean.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn scenario(vocab: u32, samples: u32, generations: u32, human_fraction: f64) -> Scenario {
    Scenario {
        vocab,
        samples,
        generations,
        human_fraction,
        seed: 2024,
        ..Scenario::default_for(FamilyKey::named("tokens"))
    }
}

/// `replicates` runs of `s`, replicate r on stream r of the seed.
fn runs(s: &Scenario, replicates: u32) -> (Tokens, Vec<Run>) {
    let (family, runs) = runs_with_views(s, replicates, false);
    (family, runs.into_iter().map(|(run, _)| run).collect())
}

/// The same, each run with its per-generation views when `with_views`.
fn runs_with_views(s: &Scenario, replicates: u32, with_views: bool) -> (Tokens, Vec<(Run, Vec<TokensView>)>) {
    let family = Tokens::new(s, &[]);
    let runs = (0..replicates).map(|r| simulate_one(&family, s, &mut replicate_rng(s.seed, r), with_views)).collect();
    (family, runs)
}

/// Metric `name` at generation `t` across runs.
fn at(runs: &[Run], name: &str, t: usize) -> Vec<f64> {
    runs.iter().map(|run| run.series(name).unwrap()[t]).collect()
}

fn assert_close(what: &str, xs: &[f64], expected: f64, slack: f64) {
    let (mean, se) = mean_se(xs);
    assert!(
        (mean - expected).abs() <= 4.0 * se + slack,
        "{what}: Monte Carlo mean {mean:.6} (se {se:.2e}) vs expected {expected:.6}"
    );
}

#[test]
fn gini_simpson_decays_as_wright_fisher_without_human_data() {
    let (n, g) = (100, 30);
    let s = scenario(50, n, g, 0.0);
    let (family, runs) = runs(&s, 2000);
    let d_star = gini_simpson(family.human_probs());
    // The run carries the same curve as the closed form: D0 (1 - 1/N)^t.
    let theory = &runs[0].theory;
    assert_eq!(theory.len(), 1);
    for t in 0..=g {
        let want = d_star * (1.0 - 1.0 / f64::from(n)).powi(t as i32);
        assert!((theory[0].values[t as usize] - want).abs() < 1e-12);
        assert!((expected_gini_simpson(t, d_star, 0, n as usize) - want).abs() < 1e-12);
    }
    for t in [1u32, 2, 5, 10, 20, 30] {
        let xs = at(&runs, "gini_simpson", t as usize);
        assert_close(&format!("E[D_{t}]"), &xs, expected_gini_simpson(t, d_star, 0, n as usize), 5e-4);
    }
    // By t = 30 the decay is clearly visible: (0.99)^30 = 0.74.
    let (late, se) = mean_se(&at(&runs, "gini_simpson", 30));
    assert!(d_star - late > 50.0 * se, "{late} vs {d_star}");
}

#[test]
fn fresh_human_data_follows_the_recurrence_to_its_fixed_point() {
    let (n, g, rho) = (200, 30, 0.2);
    let s = scenario(50, n, g, rho);
    let n_human = s.human_count();
    assert_eq!(n_human, 40);
    let (family, runs) = runs(&s, 1500);
    let d_star = gini_simpson(family.human_probs());
    let theory = &runs[0].theory;
    assert_eq!(theory.len(), 2);
    let fixed = fixed_point_gini_simpson(d_star, n_human, n as usize);
    assert!(theory[1].values.iter().all(|&v| (v - fixed).abs() < 1e-15));
    for t in [1u32, 2, 3, 5, 10, 30] {
        let want = expected_gini_simpson(t, d_star, n_human, n as usize);
        assert!((theory[0].values[t as usize] - want).abs() < 1e-15);
        assert_close(&format!("E[D_{t}]"), &at(&runs, "gini_simpson", t as usize), want, 5e-4);
    }
    // Settled: the per-run average over generations 15..=30 estimates the fixed point.
    let settled: Vec<f64> =
        runs.iter().map(|run| run.series("gini_simpson").unwrap()[15..].iter().sum::<f64>() / 16.0).collect();
    assert_close("fixed point", &settled, fixed, 5e-4);
    // ...which is far above where drift alone would have taken the diversity by t = 30.
    let (mean, se) = mean_se(&settled);
    let drift_only = expected_gini_simpson(30, d_star, 0, n as usize);
    assert!(mean - drift_only > 20.0 * se && fixed < d_star, "{mean} {drift_only} {fixed} {d_star}");
}

#[test]
fn expected_model_probabilities_stay_at_the_human_distribution() {
    for (rho, generations) in [(0.0, 10u32), (0.3, 10)] {
        let s = scenario(50, 100, generations, rho);
        let (family, runs) = runs_with_views(&s, 2000, true);
        let human = family.human_probs().to_vec();
        let probs =
            |t: usize, i: usize| -> Vec<f64> { runs.iter().map(|(_, views)| views[t].model_probs[i]).collect() };
        for t in [1usize, 3, 10] {
            for i in [0usize, 1, 4, 19, 49] {
                assert_close(&format!("rho {rho}: E[p_{i},{t}]"), &probs(t, i), human[i], 1e-4);
            }
        }
        // Generation 0's model is p* itself.
        assert_eq!(probs(0, 7), vec![human[7]; runs.len()]);
        assert_eq!(family.human_model(), human);
    }
}

#[test]
fn the_model_grows_confident_and_wrong_about_human_text() {
    use collapse::sim::tokens::{entropy_bits, human_cross_entropy_bits};
    // Generation 0 is the human distribution: its smoothed cross-entropy is the human entropy
    // plus the smoothing's cost, 0 ≤ H(p*, q') - H* ≤ log2(1 + V/N) (q'_i ≥ N p*_i / (N + V)).
    for (vocab, samples) in [(10_000, 10_000), (1000, 100_000), (1000, 2000)] {
        let s = scenario(vocab, samples, 1, 0.0);
        let (family, runs) = runs(&s, 1);
        let human = family.human_probs();
        let h_star = entropy_bits(human);
        let cross = runs[0].series("human_cross_entropy_bits").unwrap()[0];
        assert_eq!(cross, human_cross_entropy_bits(human, human, f64::from(samples)));
        let bound = (1.0 + f64::from(vocab) / f64::from(samples)).log2();
        assert!(cross >= h_star && cross - h_star <= bound, "V {vocab}, N {samples}: {cross} vs H* {h_star}");
        assert_eq!(runs[0].series("entropy_bits").unwrap()[0], h_star);
    }
    // Under drift the model's entropy falls (it grows sure of its own output) while its error on
    // human data rises: Gibbs keeps the cross-entropy above H* in every run.
    let s = scenario(1000, 2000, 30, 0.0);
    let (family, runs) = runs(&s, 300);
    let h_star = entropy_bits(family.human_probs());
    let mut previous: Option<((f64, f64), (f64, f64))> = None;
    for t in [0usize, 1, 5, 10, 30] {
        let own = mean_se(&at(&runs, "entropy_bits", t));
        let cross = mean_se(&at(&runs, "human_cross_entropy_bits", t));
        assert!(at(&runs, "human_cross_entropy_bits", t).iter().all(|&x| x >= h_star - 1e-12));
        if let Some((own_before, cross_before)) = previous {
            assert!(own.0 < own_before.0 - 4.0 * (own.1 + own_before.1), "t {t}: entropy {own:?} after {own_before:?}");
            assert!(
                cross.0 > cross_before.0 + 4.0 * (cross.1 + cross_before.1),
                "t {t}: cross-entropy {cross:?} after {cross_before:?}"
            );
        }
        previous = Some((own, cross));
    }
    let ((own, _), (cross, _)) = previous.unwrap();
    assert!(own < h_star - 0.5 && cross > h_star + 0.5, "t 30: entropy {own}, cross-entropy {cross}, H* {h_star}");
}

#[test]
fn the_diversity_filter_keeps_words_by_flattening_the_frequencies() {
    use collapse::scenario::{Filter, FilterKind};
    use collapse::sim::tokens::entropy_bits;
    // Defaults (10,000 words, N = 10,000), keeping half of twice the synthetic draws by
    // water-filling: more words survive than with no filter, but the model ends flatter than
    // human text (entropy above H*) and further from it in total variation.
    let plain = Scenario { seed: 7, ..Scenario::default_for(FamilyKey::named("tokens")) };
    let filtered = Scenario { filter: Filter { kind: FilterKind::Diversity, keep: 0.5 }, ..plain.clone() };
    let (family, none) = runs(&plain, 4);
    let (_, diverse) = runs(&filtered, 4);
    let h_star = entropy_bits(family.human_probs());
    let g = plain.generations as usize;
    for t in [10usize, g] {
        let (h, _) = mean_se(&at(&diverse, "entropy_bits", t));
        let (h_none, _) = mean_se(&at(&none, "entropy_bits", t));
        assert!(
            h > h_star + 1.0 && h_none < h_star,
            "t {t}: entropy {h} with the filter, {h_none} without, H* {h_star}"
        );
        let (tv, tv_se) = mean_se(&at(&diverse, "tv_to_human", t));
        let (tv_none, tv_none_se) = mean_se(&at(&none, "tv_to_human", t));
        assert!(tv > tv_none + 4.0 * (tv_se + tv_none_se), "t {t}: TV {tv} with the filter, {tv_none} without");
        let (kept, _) = mean_se(&at(&diverse, "surviving_types", t));
        let (kept_none, _) = mean_se(&at(&none, "surviving_types", t));
        assert!(kept > kept_none, "t {t}: {kept} words survive with the filter, {kept_none} without");
    }
}

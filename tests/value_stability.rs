//! Pins exact numbers of seeded runs. A share link must reproduce the same pictures forever, so a
//! change here means a change of the random streams or the samplers: change it deliberately. The
//! same values are checked in the browser by `tests/web.rs` (the tolerance allows for the last
//! bit of transcendental functions differing between platforms' math libraries).

use collapse::experiment::Experiment;
use collapse::scenario::Scenario;

fn series(query: &str, metric: &str, generations: usize) -> Vec<f64> {
    let scenario = Scenario::from_query(query).unwrap();
    let run = Experiment::new(&scenario, None).unwrap().run(&scenario, 0, false);
    run.series(metric).unwrap()[..=generations].to_vec()
}

fn assert_pinned(got: &[f64], want: &[f64]) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= 1e-12 * w.abs().max(1.0), "got {got:?}, pinned {want:?}");
    }
}

#[test]
fn gaussian_default_scenario_seed_one() {
    assert_pinned(&series("", "variance", 3), &[1.0, 0.9159831859151696, 0.8578243617039406, 1.0620609017053066]);
}

#[test]
fn the_page_and_the_command_line_see_the_same_numbers() {
    // The page keeps per-generation views; that must not change the random stream.
    let scenario = Scenario::default();
    let experiment = Experiment::new(&scenario, None).unwrap();
    let with_views = experiment.run(&scenario, 0, true);
    let without = experiment.run(&scenario, 0, false);
    assert_eq!(with_views.metrics, without.metrics);
}

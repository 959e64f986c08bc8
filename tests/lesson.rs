//! The guided lesson (`www/lesson.json`): every chapter is a valid scenario of the one schema,
//! its highlights name real metrics and controls of its family, and the run the page shows for
//! it (replicate 0, the same seed) does what the chapter's text says it does.

use std::sync::{Arc, OnceLock};

use collapse::corpus::Corpus;
use collapse::experiment::Experiment;
use collapse::families;
use collapse::scenario::{Scenario, LESSON_CHAPTERS};
use collapse::sim::Run;
use serde_json::Value;

fn lesson() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/lesson.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid JSON: {e}"))
}

fn chapters() -> Vec<Value> {
    lesson()["chapters"].as_array().expect("chapters is an array").clone()
}

fn moby_dick() -> Arc<Corpus> {
    static CORPUS: OnceLock<Arc<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path} ({e}): run scripts/fetch-corpus.sh"));
            Arc::new(Corpus::from_bytes(&bytes).unwrap())
        })
        .clone()
}

fn scenario_of(id: &str) -> Scenario {
    let chapter = chapters().into_iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no chapter {id}"));
    Scenario::from_query(chapter["query"].as_str().unwrap()).unwrap()
}

/// The run and its control, as the page shows them (replicate 0).
fn runs(scenario: &Scenario) -> (Run, Run) {
    let corpus = moby_dick();
    let experiment = Experiment::new(scenario, Some(&corpus)).unwrap();
    let control = experiment.control(Some(&corpus)).unwrap().run(0);
    (experiment.run(0), control)
}

fn series(run: &Run, metric: &str) -> Vec<f64> {
    run.series(metric).unwrap_or_else(|| panic!("no metric {metric}"))
}

fn with(scenario: &Scenario, key: &str, value: &str) -> Scenario {
    scenario.with_setting(key, value).unwrap()
}

#[test]
fn the_lesson_has_every_chapter_each_a_valid_scenario_with_real_highlights() {
    let lesson = lesson();
    for key in ["start", "chapter", "previous", "next", "end", "look", "question", "keys", "loading"] {
        assert!(lesson["ui"][key].as_str().is_some_and(|s| !s.is_empty()), "ui.{key} is missing");
    }
    let chapters = chapters();
    assert_eq!(chapters.len(), LESSON_CHAPTERS as usize, "the schema's `lesson` range and the file agree");
    for (n, chapter) in chapters.iter().enumerate() {
        let id = chapter["id"].as_str().unwrap();
        let query = chapter["query"].as_str().unwrap();
        let scenario = Scenario::from_query(query).unwrap_or_else(|e| panic!("chapter {}: {query}: {e}", n + 1));
        assert_eq!(scenario.to_query(), query, "chapter {id}: the query is canonical (what the address will show)");
        assert_eq!(scenario.lesson, 0, "chapter {id}: the page adds `lesson` itself");
        assert!(Scenario::from_query(&format!("{query}&lesson={}", n + 1)).is_ok());
        for field in ["title", "question"] {
            assert!(chapter[field].as_str().is_some_and(|s| s.len() > 10), "chapter {id}: {field}");
        }
        let paragraphs = chapter["text"].as_array().unwrap();
        assert!(!paragraphs.is_empty() && paragraphs.iter().all(|p| p.as_str().is_some_and(|s| s.len() > 40)));
        assert!(chapter["look"].as_array().is_some_and(|l| !l.is_empty()), "chapter {id}: look");
        let family = families::find(scenario.model.as_str()).unwrap();
        let (run, _) = runs(&Scenario { generations: 2, gen: 0, ..scenario.clone() });
        let highlights = chapter["highlight"].as_array().unwrap();
        assert!((1..=2).contains(&highlights.len()), "chapter {id}: one or two things to look at");
        for h in highlights {
            let h = h.as_str().unwrap();
            let ok = match h.split_once(':') {
                Some(("metric", key)) => run.metric_names.contains(&key),
                Some(("control", "play")) => true,
                Some(("control", key)) => family.all_controls().contains(&key),
                Some(("analysis", kind)) => ["stops", "mixing"].contains(&kind),
                None if h == "view" => true,
                None if h == "confidence" => family.confidence.is_some(),
                _ => false,
            };
            assert!(ok, "chapter {id}: highlight `{h}` names nothing on its page");
        }
    }
}

#[test]
fn chapter_1_a_typical_run_collapses_far_below_the_average() {
    let s = scenario_of("photocopy");
    let (run, control) = runs(&s);
    let variance = series(&run, "variance");
    let average = run.theory.iter().find(|c| c.metric == "variance").unwrap().values.clone();
    assert!((average[300] - 0.99f64.powi(300)).abs() < 1e-9, "the dashed line is ((M-1)/M)^t");
    assert!(variance[300] < average[300] / 10.0, "{} vs {}", variance[300], average[300]);
    assert!(series(&control, "variance")[300] > 0.5);
}

#[test]
fn chapter_2_rare_words_go_long_before_diversity_falls() {
    let (run, control) = runs(&scenario_of("tails"));
    let types = series(&run, "surviving_types");
    let gini = series(&run, "gini_simpson");
    assert!(types[20] < 60.0 && series(&control, "surviving_types")[20] > 200.0, "{}", types[20]);
    assert!(gini[20] > 0.92 && gini[0] - gini[20] < 0.03, "early: {}", gini[20]);
    assert!(gini[500] < 0.75, "late: {}", gini[500]);
}

#[test]
fn chapter_3_top_p_cuts_the_tail_at_the_first_generation() {
    let (run, control) = runs(&scenario_of("sampling"));
    assert_eq!(series(&run, "tail_mass")[1], 0.0);
    let types = series(&run, "surviving_types");
    assert!(types[1] < 1400.0 && series(&control, "surviving_types")[1] > 2000.0);
    assert!(types[10] < 20.0, "{}", types[10]);
}

#[test]
fn chapter_4_the_model_grows_more_confident_as_it_grows_more_wrong() {
    let (run, control) = runs(&scenario_of("confident"));
    let own = series(&run, "self_perplexity");
    let human = series(&run, "heldout_perplexity");
    assert!(own[6] < own[0] / 4.0, "{own:?}");
    assert!(human[6] > 3.0 * human[0], "{human:?}");
    assert!(series(&control, "heldout_perplexity")[6] < 0.6 * human[6]);
}

#[test]
fn chapter_5_quality_filtering_collapses_and_diversity_only_slows_it() {
    let s = scenario_of("filtering");
    let quality = series(&runs(&s).0, "variance");
    assert!(quality[1] < 0.3 && quality[10] < 0.01, "{} {}", quality[1], quality[10]);
    let diversity = series(&runs(&with(&s, "filter.kind", "diversity")).0, "variance");
    assert!(diversity[100] > 0.1 && diversity[100] < 1.0, "{}", diversity[100]);
}

#[test]
fn chapter_6_a_small_floor_of_human_data_is_not_enough() {
    let s = scenario_of("floor");
    let (run, control) = runs(&s);
    let one = series(&run, "surviving_types")[200];
    assert!(one < 0.3 * series(&control, "surviving_types")[200], "{one}");
    let ten = series(&runs(&with(&s, "human_fraction", "0.1")).0, "surviving_types")[200];
    assert!(ten > 2.0 * one, "{ten} vs {one}");
    let fixed = series(&runs(&with(&with(&s, "human_fraction", "0.1"), "human_data", "fixed")).0, "surviving_types");
    assert!(fixed[200] < 0.6 * ten, "fixed {} vs fresh {ten}", fixed[200]);
}

#[test]
fn chapter_7_distinct_blind_spots_are_covered_and_shared_ones_are_not() {
    let s = scenario_of("mixing");
    let (run, control) = runs(&s);
    let pool = series(&run, "human_cross_entropy_bits");
    let human = series(&control, "human_cross_entropy_bits");
    assert!(pool[1] < human[1] + 0.1, "{} vs {}", pool[1], human[1]);
    let shared = series(&runs(&with(&s, "blind_spot_overlap", "1")).0, "human_cross_entropy_bits");
    assert!(shared[1] > pool[1] + 0.5 && shared[100] > pool[100] + 0.5);
}

#[test]
fn chapter_8_a_detector_restores_the_human_share_at_a_cost_in_data() {
    let s = scenario_of("provenance");
    let (run, _) = runs(&s);
    assert!(series(&run, "real_human_share")[60] < 0.3);
    let detected = runs(&with(&with(&s, "detector_recall", "0.95"), "detector_false_positive_rate", "0.05")).0;
    assert!(series(&detected, "real_human_share")[60] > 0.6);
    assert!(series(&detected, "training_size")[60] < 40.0);
}

//! The text family on the real default corpus (Moby-Dick, www/data/moby-dick.txt, fetched by
//! scripts/fetch-corpus.sh): the corpus is accepted, and a seeded run retrained on its own text
//! loses vocabulary and rare words while held-out perplexity rises.

use std::sync::{Arc, OnceLock};

use collapse::corpus::{Corpus, FIRST_WORD};
use collapse::experiment::Experiment;
use collapse::rng::replicate_rng;
use collapse::scenario::{DataRegime, FamilyKey, Scenario};
use collapse::sim::blind_spot::BlindSpot;
use collapse::sim::text::Text;
use collapse::sim::text::TextView;
use collapse::sim::{simulate_one, Family, Run};

fn moby_dick() -> Arc<Corpus> {
    static CORPUS: OnceLock<Arc<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");
            let bytes = std::fs::read(path).unwrap_or_else(|e| {
                panic!("cannot read {path} ({e}): run scripts/fetch-corpus.sh to fetch the default corpus")
            });
            Arc::new(Corpus::from_bytes(&bytes).unwrap_or_else(|e| panic!("{path}: {e}")))
        })
        .clone()
}

fn run(scenario: &Scenario) -> Run {
    run_with_views(scenario, false).0
}

fn run_with_views(scenario: &Scenario, with_views: bool) -> (Run, Vec<TextView>) {
    let family = Text::new(scenario, moby_dick());
    simulate_one(&family, scenario, &mut replicate_rng(scenario.seed, 0), with_views)
}

fn pure_bigram() -> Scenario {
    Scenario {
        generations: 6,
        samples: 20_000,
        ngram_order: 2,
        seed: 11,
        ..Scenario::default_for(FamilyKey::named("text"))
    }
}

#[test]
fn moby_dick_packed_for_the_page_workers_reads_back_equal_and_smaller() {
    let c = moby_dick();
    let packed = c.to_packed();
    assert_eq!(Corpus::from_packed(&packed).unwrap(), *c);
    // Varints: most tokens are among the 122 most frequent types and take one byte.
    assert!(packed.len() < 600_000, "{} bytes packed", packed.len());
}

#[test]
fn moby_dick_is_accepted_and_split() {
    let c = moby_dick();
    assert!((200_000..230_000).contains(&c.word_count()), "{} words", c.word_count());
    assert_eq!(&c.ranked_words()[..3], ["the", "of", "and"]);
    for w in ["ishmael", "whale", "don't", "sea-captain", "ahab's"] {
        assert!(c.id(w).is_some(), "{w} is a word type");
    }
    let (train, held) = (c.training_tokens().len(), c.heldout_tokens().len());
    let share = held as f64 / (train + held) as f64;
    assert!((0.07..0.13).contains(&share), "held-out share {share}");
    assert!(c.rare_words().len() > 5_000, "{} rare words", c.rare_words().len());
    assert!(c.rare_words().iter().all(|&w| w >= FIRST_WORD && (1..=2).contains(&c.training_count(w))));
}

#[test]
fn retraining_on_its_own_text_loses_words_and_raises_perplexity() {
    let scenario = pure_bigram();
    let r = run(&scenario);
    let types = r.series("types").unwrap();
    let rare = r.series("rare_word_share").unwrap();
    let ppl = r.series("heldout_perplexity").unwrap();
    let g = scenario.generations as usize;
    // Replace mode without human data: a word the model cannot produce never comes back.
    assert!(types.windows(2).all(|w| w[1] <= w[0]), "types {types:?}");
    assert!(rare.windows(2).all(|w| w[1] <= w[0]), "rare_word_share {rare:?}");
    // 20,000 words hold only a fraction of Moby-Dick's ~17,000 word types, and few rare words.
    assert!(types[1] < 0.5 * types[0] && types[g] < types[1], "types {types:?}");
    assert_eq!(rare[0], 1.0);
    assert!(rare[1] < 0.3 && rare[g] < rare[1], "rare_word_share {rare:?}");
    assert!(ppl[1] > ppl[0] && ppl[g] > ppl[1], "heldout_perplexity {ppl:?}");
    assert!(r.metrics.iter().flatten().all(|x| x.is_finite()));
    // Same seed, same run.
    assert_eq!(run(&scenario).metrics, r.metrics);
}

#[test]
fn accumulating_or_fresh_human_text_keeps_more_words() {
    let pure = run(&pure_bigram());
    let last = |r: &Run, m: &str| *r.series(m).unwrap().last().unwrap();
    let accumulate = run(&Scenario { data: DataRegime::Accumulate, ..pure_bigram() });
    assert!(last(&accumulate, "types") > last(&pure, "types"));
    assert!(last(&accumulate, "heldout_perplexity") < last(&pure, "heldout_perplexity"));
    let mixed = run(&Scenario { human_fraction: 0.5, ..pure_bigram() });
    assert!(last(&mixed, "types") > last(&pure, "types"));
}

#[test]
fn views_show_passages_and_lost_words() {
    let scenario = Scenario { generations: 3, ngram_order: 3, ..pure_bigram() };
    let (_, views) = run_with_views(&scenario, true);
    assert_eq!(views.len(), 4);
    let (v0, v3) = (&views[0], &views[3]);
    assert_eq!(v0.passage[0].text, "the");
    assert_eq!(v3.passage[0].text, "the");
    assert_eq!(v0.lost_count, 0);
    assert!(v3.lost_count > 5_000 && v3.lost_words.len() == 24);
    // Identical views from the same seed.
    assert_eq!(run_with_views(&scenario, true).1, views);
}

#[test]
fn a_blind_spot_is_never_written_and_is_lost_at_generation_one() {
    let c = moby_dick();
    let scenario = Scenario { generations: 1, ..pure_bigram() };
    let family = Text::new(&scenario, Arc::clone(&c)).with_blind_spot(&BlindSpot::of_model(0, 1, 0.2, 0.0));
    let blocked: Vec<u32> = (0..=c.type_count() as u32).filter(|&id| family.is_blocked(id)).collect();
    let mass = |ids: &[u32]| ids.iter().map(|&id| f64::from(c.training_count(id))).sum::<f64>();
    let words: Vec<u32> = (FIRST_WORD..c.type_count() as u32).collect();
    let share = mass(&blocked) / mass(&words);
    eprintln!("blind spot: {} words, {share:.4} of the word mass", blocked.len());
    assert!(blocked.iter().all(|&id| id >= FIRST_WORD && c.training_count(id) > 0));
    assert!((0.15..0.25).contains(&share), "blocked share {share}");
    // Generation 0's human model never writes a blocked word, so generation 1 lost them all.
    let bias = scenario.sampling_bias();
    let text = family.generate(&family.human_model(), 20_000, &bias, &mut replicate_rng(5, 0));
    assert_eq!(text.len(), 20_000);
    assert!(text.tokens.iter().all(|&w| !family.is_blocked(w)));
    let mut stats = family.empty_stats();
    family.add(&mut stats, &text);
    let m1 = family.fit(&stats);
    let lost: Vec<u32> = words.iter().copied().filter(|&id| c.training_count(id) > 0 && m1.count(id) == 0).collect();
    assert!(blocked.iter().all(|id| lost.binary_search(id).is_ok()), "the lost words include the blind spot");
    // The same through the registry: model 0's blind spot of the scenario.
    let blind = Scenario { blind_spot: 0.2, ..scenario.clone() };
    let r = Experiment::new(&blind, Some(&c)).unwrap().run(0);
    let (types, plain) = (r.series("types").unwrap(), run(&scenario).series("types").unwrap());
    eprintln!("types with the blind spot {types:?}, without {plain:?}");
    assert_eq!(types[0], plain[0]);
    assert!(types[1] <= types[0] - blocked.len() as f64 && types[1] < plain[1], "{types:?} {plain:?}");
    // Its passages and its measurement sample hold no blocked word; the most frequent lost word
    // shown is the most frequent blocked word.
    let (_, views) = simulate_one(&family, &scenario, &mut replicate_rng(scenario.seed, 0), true);
    assert!(views[1].passage.iter().all(|w| !family.is_blocked(c.id(&w.text).unwrap())));
    assert!(views[1].lost_count >= blocked.len());
    assert_eq!(views[1].lost_words[0], c.token(blocked[0]));
}

#[test]
fn the_pool_of_models_of_orders_one_to_three_starts_at_the_human_row() {
    // Regression: the pool was fitted and measured at the first model's order (a unigram,
    // held-out perplexity ~690) instead of the scenario's (the bigram's ~333).
    let c = moby_dick();
    let single = Scenario { generations: 1, ..Scenario::default_for(FamilyKey::named("text")) };
    let multi = Scenario { model_count: 3, model_spread: 1.0, ..single.clone() };
    assert_eq!((0..3).map(|k| multi.model_form(k).ngram_order).collect::<Vec<_>>(), [1, 2, 3]);
    let pooled = Experiment::new(&multi, Some(&c)).unwrap().run(0);
    let alone = Experiment::new(&single, Some(&c)).unwrap().run(0);
    assert_eq!(pooled.metrics[0], alone.metrics[0]);
    let ppl = pooled.series("heldout_perplexity").unwrap()[0];
    let unigram = pooled.lineage_series(0, "heldout_perplexity").unwrap()[0];
    eprintln!("generation 0 held-out perplexity: pool {ppl}, unigram model {unigram}");
    assert!((300.0..370.0).contains(&ppl), "{ppl}");
    assert!(unigram > 600.0, "{unigram}");
}

#[test]
fn the_model_grows_sure_of_its_own_text_while_it_gets_real_text_wrong() {
    let scenario = pure_bigram();
    let r = run(&scenario);
    let own = r.series("self_perplexity").unwrap();
    let ppl = r.series("heldout_perplexity").unwrap();
    eprintln!("self_perplexity {own:?}\nheldout_perplexity {ppl:?}");
    assert!(own[0].is_finite() && own[0] > 1.0);
    assert!(own[0] < ppl[0], "the human model knows its own text better than held-out text");
    assert!(own.windows(2).all(|w| w[1] < w[0]), "self_perplexity {own:?}");
    assert!(ppl.windows(2).all(|w| w[1] > w[0]), "heldout_perplexity {ppl:?}");
}

#[test]
fn the_first_drop_is_the_smaller_sample_and_the_gap_to_fresh_human_data_is_recursion() {
    // The control the page draws: the same model trained every generation on `samples` fresh
    // human words. Generation 1 loses about as much either way; the run then falls below it.
    let c = moby_dick();
    let defaults = Scenario { generations: 10, ..Scenario::default_for(FamilyKey::named("text")) };
    let control = Scenario { human_fraction: 1.0, ..defaults.clone() };
    let series = |s: &Scenario| {
        let r = Experiment::new(s, Some(&c)).unwrap().run(0);
        (r.series("types").unwrap(), r.series("rare_word_share").unwrap())
    };
    let ((types, rare), (control_types, control_rare)) = (series(&defaults), series(&control));
    eprintln!("run: types {types:?}\n  rare {rare:?}\ncontrol: types {control_types:?}\n  rare {control_rare:?}");
    assert_eq!(types[0], control_types[0]);
    let near = |a: f64, b: f64| (a - b).abs() <= 0.15 * b;
    assert!(types[1] < 0.3 * types[0] && near(types[1], control_types[1]), "{types:?} {control_types:?}");
    assert!(rare[1] < 0.2 && near(rare[1], control_rare[1]), "{rare:?} {control_rare:?}");
    assert!(types[10] < 0.7 * control_types[10], "{types:?} {control_types:?}");
    assert!(rare[10] < 0.7 * control_rare[10], "{rare:?} {control_rare:?}");
}

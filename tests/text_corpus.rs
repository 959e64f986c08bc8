//! The text family on the real default corpus (Moby-Dick, www/data/moby-dick.txt, fetched by
//! scripts/fetch-corpus.sh): the corpus is accepted, and a seeded run retrained on its own text
//! loses vocabulary and rare words while held-out perplexity rises.

use std::sync::{Arc, OnceLock};

use collapse::corpus::{Corpus, FIRST_WORD};
use collapse::rng::replicate_rng;
use collapse::scenario::{DataRegime, FamilyKey, Scenario};
use collapse::sim::text::Text;
use collapse::sim::text::TextView;
use collapse::sim::{simulate_one, Run};

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

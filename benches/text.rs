//! The text family on the full default corpus (Moby-Dick): corpus construction (tokenise,
//! rank, split) and one generation (generate 20,000 words + fit + measure) for bigrams and
//! trigrams. Needs www/data/moby-dick.txt (scripts/fetch-corpus.sh).

mod common;

use std::hint::black_box;
use std::sync::Arc;

use collapse::corpus::Corpus;
use collapse::rng::replicate_rng;
use collapse::scenario::{FamilyKey, Scenario};
use collapse::sim::text::Text;
use collapse::sim::{Bias, Family};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn moby_dick() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}; run scripts/fetch-corpus.sh first"))
}

fn corpus_construction(c: &mut Criterion) {
    let bytes = moby_dick();
    c.bench_function("text_corpus_moby_dick", |b| b.iter(|| Corpus::from_bytes(black_box(&bytes)).unwrap()));
    // What the page's later workers read instead (Corpus::to_packed).
    let packed = Corpus::from_bytes(&bytes).unwrap().to_packed();
    c.bench_function("text_corpus_moby_dick_packed", |b| b.iter(|| Corpus::from_packed(black_box(&packed)).unwrap()));
}

fn one_generation(c: &mut Criterion) {
    let corpus = Arc::new(Corpus::from_bytes(&moby_dick()).unwrap());
    let mut group = c.benchmark_group("text_generation_20000_words");
    group.sample_size(20);
    for order in [2u32, 3] {
        let scenario = Scenario { ngram_order: order, ..Scenario::default_for(FamilyKey::named("text")) };
        let family = Text::new(&scenario, Arc::clone(&corpus));
        let model = family.human_model();
        let bias = Bias { temperature: scenario.temperature, top_p: scenario.top_p };
        let mut rng = replicate_rng(1, 0);
        let mut out = vec![0.0; family.metric_names().len()];
        group.bench_with_input(BenchmarkId::new("order", order), &order, |b, _| {
            b.iter(|| {
                black_box(common::one_generation(
                    &family,
                    black_box(&model),
                    scenario.samples as usize,
                    &bias,
                    &mut rng,
                    &mut out,
                ))
            })
        });
    }
    // Top-p and temperature: each visited context's biased distribution is computed once.
    let scenario =
        Scenario { ngram_order: 3, temperature: 0.8, top_p: 0.9, ..Scenario::default_for(FamilyKey::named("text")) };
    let family = Text::new(&scenario, Arc::clone(&corpus));
    let model = family.human_model();
    let bias = Bias { temperature: scenario.temperature, top_p: scenario.top_p };
    let mut rng = replicate_rng(1, 0);
    let mut out = vec![0.0; family.metric_names().len()];
    group.bench_function("order_3_biased", |b| {
        b.iter(|| {
            black_box(common::one_generation(
                &family,
                black_box(&model),
                scenario.samples as usize,
                &bias,
                &mut rng,
                &mut out,
            ))
        })
    });
    group.finish();
}

fn family_construction(c: &mut Criterion) {
    let corpus = Arc::new(Corpus::from_bytes(&moby_dick()).unwrap());
    let mut group = c.benchmark_group("text_family_new");
    group.sample_size(20);
    for order in [2u32, 3] {
        let scenario = Scenario { ngram_order: order, ..Scenario::default_for(FamilyKey::named("text")) };
        group.bench_with_input(BenchmarkId::new("order", order), &order, |b, _| {
            b.iter(|| Text::new(black_box(&scenario), Arc::clone(&corpus)))
        });
    }
    group.finish();
}

criterion_group!(benches, corpus_construction, one_generation, family_construction);
criterion_main!(benches);

//! One generation of the token family (generate + fit + measure) at vocabulary 10,000: the cost
//! is O(V) whatever the number of tokens N, because a batch is one multinomial draw by
//! conditional binomials. The one-generation benchmark generates from p* itself, the worst case
//! (all 10,000 types alive); later generations have fewer surviving types and cost less.

mod common;

use std::hint::black_box;

use collapse::rng::replicate_rng;
use collapse::scenario::{FamilyKey, Scenario};
use collapse::sim::tokens::Tokens;
use collapse::sim::{simulate_one, Bias, Family};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn one_generation(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokens_generation_vocab_10000");
    for samples in [10_000u32, 1_000_000] {
        let scenario = Scenario { vocab: 10_000, samples, ..Scenario::default_for(FamilyKey::named("tokens")) };
        let family = Tokens::new(&scenario, &[]);
        let model = family.human_model();
        let bias = Bias { temperature: 1.0, top_p: 1.0 };
        let mut rng = replicate_rng(1, 0);
        let mut out = vec![0.0; family.metric_names().len()];
        group.bench_with_input(BenchmarkId::from_parameter(samples), &samples, |b, &n| {
            b.iter(|| {
                black_box(common::one_generation(&family, black_box(&model), n as usize, &bias, &mut rng, &mut out))
            })
        });
    }
    group.finish();
}

/// The default token scenario end to end: vocabulary 10,000, 10,000 tokens, 100 generations.
fn default_run(c: &mut Criterion) {
    let scenario = Scenario::default_for(FamilyKey::named("tokens"));
    let family = Tokens::new(&scenario, &[]);
    c.bench_function("tokens_default_run_100_generations", |b| {
        b.iter(|| {
            let (run, _) = simulate_one(&family, black_box(&scenario), &mut replicate_rng(scenario.seed, 0), false);
            black_box(run.metrics.len())
        })
    });
}

criterion_group!(benches, one_generation, default_run);
criterion_main!(benches);

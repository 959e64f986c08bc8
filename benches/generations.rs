//! What a reader waits for: one full re-simulation of each family's default scenario with the
//! page's per-generation views (what a slider move costs), and the command line's throughput
//! of replicate generations for the Gaussian (statistical tests run thousands of them).

use std::hint::black_box;
use std::sync::Arc;

use collapse::corpus::Corpus;
use collapse::experiment::Experiment;
use collapse::scenario::{FamilyKey, Scenario};
use criterion::{criterion_group, criterion_main, Criterion};

fn corpus() -> Arc<Corpus> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");
    let bytes = std::fs::read(path).expect("run scripts/fetch-corpus.sh first");
    Arc::new(Corpus::from_bytes(&bytes).unwrap())
}

fn resimulate(c: &mut Criterion) {
    let corpus = corpus();
    let mut group = c.benchmark_group("resimulate_with_views");
    for model in [FamilyKey::named("gaussian"), FamilyKey::named("tokens"), FamilyKey::named("text")] {
        let scenario = Scenario::default_for(model);
        group.bench_function(format!("{model:?}").to_lowercase(), |b| {
            b.iter(|| {
                let experiment = Experiment::new(&scenario, Some(&corpus)).unwrap();
                black_box(experiment.run_with_views(0))
            })
        });
    }
    group.finish();
}

fn gaussian_replicates(c: &mut Criterion) {
    // 100 replicates x 100 generations x 100 samples: 10,000 replicate generations.
    let scenario = Scenario::default();
    let experiment = Experiment::new(&scenario, None).unwrap();
    c.bench_function("gaussian_10000_replicate_generations", |b| {
        b.iter(|| (0..100).map(|r| black_box(experiment.run(r)).metrics.len()).sum::<usize>())
    });
}

criterion_group!(benches, resimulate, gaussian_replicates);
criterion_main!(benches);

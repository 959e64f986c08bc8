//! Shared by the benchmarks: one generation of a family as the loop runs it (generate from the
//! previous model, fit, measure), so every benchmark times the same work.

use collapse::rng::SimRng;
use collapse::sim::{Bias, Family};

/// Generates `n` items from `model`, fits a new model to them and measures it into `out`;
/// returns the first metric (to keep the work observable).
pub fn one_generation<F: Family>(
    family: &F,
    model: &F::Model,
    n: usize,
    bias: &Bias,
    rng: &mut SimRng,
    out: &mut [f64],
) -> f64 {
    let batch = family.generate(model, n, bias, rng);
    let mut stats = family.empty_stats();
    family.add(&mut stats, &batch);
    let fitted = family.fit(&stats);
    family.measure(&fitted, model, out);
    out[0]
}

//! Sampling from discrete distributions, shared by the token and text families: the sampling
//! bias of a language model (temperature, then nucleus truncation, the order used by common
//! decoders) and exact multinomial draws in O(V) rather than O(N).

use rand::RngExt;
use rand_distr::{Binomial, Distribution};

use crate::rng::SimRng;

/// Sampling bias applied whenever a model generates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bias {
    /// p^(1/T) for discrete families; N(mu, T sigma^2) for the Gaussian.
    pub temperature: f64,
    /// Nucleus truncation (discrete families).
    pub top_p: f64,
}

/// Applies the sampling bias to a probability vector (which need not be normalised):
/// q_i ∝ p_i^(1/T); then top-p keeps the smallest set of most likely types whose probability
/// reaches `top_p` (ties broken by lower index) and renormalises. Zero stays zero.
pub fn biased(p: &[f64], bias: &Bias) -> Vec<f64> {
    let mut q: Vec<f64> = if bias.temperature == 1.0 {
        p.to_vec()
    } else {
        // Work relative to the largest probability so p^(1/T) cannot underflow to all zeros.
        let max = p.iter().cloned().fold(0.0, f64::max);
        let inv_t = 1.0 / bias.temperature;
        p.iter().map(|&x| if x > 0.0 { libm::pow(x / max, inv_t) } else { 0.0 }).collect()
    };
    normalise(&mut q);
    if bias.top_p < 1.0 {
        let mut order: Vec<usize> = (0..q.len()).filter(|&i| q[i] > 0.0).collect();
        crate::order::sort_indices(&mut order, |i| crate::order::descending(q[i]));
        let mut cumulative = 0.0;
        let mut cut = order.len();
        for (rank, &i) in order.iter().enumerate() {
            cumulative += q[i];
            // A small tolerance so that exactly reaching top_p counts despite rounding.
            if cumulative >= bias.top_p - 1e-12 {
                cut = rank + 1;
                break;
            }
        }
        for &i in &order[cut..] {
            q[i] = 0.0;
        }
        normalise(&mut q);
    }
    q
}

/// Scales `p` to sum to 1 (leaves an all-zero vector alone, and one that sums to exactly 1,
/// which dividing by 1 would not change).
pub fn normalise(p: &mut [f64]) {
    let total: f64 = p.iter().sum();
    if total > 0.0 && total != 1.0 {
        p.iter_mut().for_each(|x| *x /= total);
    }
}

/// An exact multinomial draw of `n` items over probabilities `p` (summing to 1), by conditional
/// binomials: count_i ~ Binomial(n - drawn, p_i / remaining mass). Costs O(V) binomial draws,
/// however large `n` is, and stops early once all `n` are placed.
pub fn multinomial(n: u64, p: &[f64], rng: &mut SimRng) -> Vec<u32> {
    let mut counts = vec![0u32; p.len()];
    let mut left = n;
    let mut mass = 1.0;
    for (i, &pi) in p.iter().enumerate() {
        if left == 0 {
            break;
        }
        if pi <= 0.0 {
            continue;
        }
        let share = (pi / mass).clamp(0.0, 1.0);
        let k = binomial(left, share, rng);
        counts[i] = k as u32;
        left -= k;
        mass -= pi;
    }
    if left > 0 {
        // Rounding left a few items unplaced: give them to the last type with mass.
        if let Some(i) = p.iter().rposition(|&x| x > 0.0) {
            counts[i] += left as u32;
        }
    }
    counts
}

/// One Binomial(`n`, `p`) draw: 0 when `n` = 0 or `p` <= 0 and `n` when `p` >= 1, without
/// touching `rng`; otherwise one [`Binomial`] sample (0 if `p` is not a probability, e.g. NaN).
pub fn binomial(n: u64, p: f64, rng: &mut SimRng) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map(|b| b.sample(rng)).unwrap_or(0)
}

/// One draw from a categorical distribution given by (unnormalised) weights.
pub fn categorical(weights: &[f64], rng: &mut SimRng) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u: f64 = rng.random::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        u -= w;
        if u < 0.0 {
            return i;
        }
    }
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;

    fn bias(temperature: f64, top_p: f64) -> Bias {
        Bias { temperature, top_p }
    }

    #[test]
    fn temperature_matches_hand_computed_powers() {
        // p = (0.5, 0.25, 0.25), T = 0.5: p^2 = (0.25, 0.0625, 0.0625) / 0.375.
        let q = biased(&[0.5, 0.25, 0.25], &bias(0.5, 1.0));
        let want = [2.0 / 3.0, 1.0 / 6.0, 1.0 / 6.0];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        // T = 2 flattens: sqrt(p) normalised.
        let q = biased(&[0.64, 0.36, 0.0], &bias(2.0, 1.0));
        assert!((q[0] - 0.8 / 1.4).abs() < 1e-12 && q[2] == 0.0);
    }

    #[test]
    fn top_p_keeps_the_smallest_nucleus_reaching_p() {
        let p = [0.1, 0.5, 0.3, 0.1];
        // 0.5 < 0.7 <= 0.5 + 0.3: keep types 1 and 2.
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        let q = biased(&p, &bias(1.0, 0.7));
        assert!(close(&q, &[0.0, 0.5 / 0.8, 0.3 / 0.8, 0.0]), "{q:?}");
        // Exactly 0.8 keeps the same two.
        assert!(close(&biased(&p, &bias(1.0, 0.8)), &q));
        // Ties go to the lower index.
        let q = biased(&p, &bias(1.0, 0.85));
        assert!(close(&q, &[0.1 / 0.9, 0.5 / 0.9, 0.3 / 0.9, 0.0]), "{q:?}");
    }

    #[test]
    fn multinomial_places_exactly_n_and_never_draws_zero_mass_types() {
        let mut rng = replicate_rng(9, 0);
        let p = [0.2, 0.0, 0.5, 0.3, 0.0];
        for n in [0u64, 1, 7, 1000, 5_000_000] {
            let c = multinomial(n, &p, &mut rng);
            assert_eq!(c.iter().map(|&x| u64::from(x)).sum::<u64>(), n);
            assert!(c[1] == 0 && c[4] == 0);
        }
    }

    #[test]
    fn multinomial_has_the_right_means() {
        let mut rng = replicate_rng(10, 0);
        let p = [0.6, 0.3, 0.1];
        let runs = 2000;
        let n = 50u64;
        let mut sums = [0.0; 3];
        for _ in 0..runs {
            let c = multinomial(n, &p, &mut rng);
            for i in 0..3 {
                sums[i] += f64::from(c[i]);
            }
        }
        for i in 0..3 {
            let mean = sums[i] / runs as f64;
            let se = (n as f64 * p[i] * (1.0 - p[i]) / runs as f64).sqrt();
            assert!((mean - n as f64 * p[i]).abs() < 4.0 * se, "type {i}: {mean}");
        }
    }

    #[test]
    fn binomial_edge_cases_use_no_randomness() {
        let mut rng = replicate_rng(12, 0);
        let mut fresh = replicate_rng(12, 0);
        assert_eq!(binomial(0, 0.5, &mut rng), 0);
        assert_eq!(binomial(10, 0.0, &mut rng), 0);
        assert_eq!(binomial(10, -0.5, &mut rng), 0);
        assert_eq!(binomial(10, 1.0, &mut rng), 10);
        assert_eq!(binomial(10, 1.5, &mut rng), 10);
        assert_eq!(binomial(10, f64::NAN, &mut rng), 0);
        // The stream is untouched, and an ordinary draw is the `rand_distr` one.
        let want = Binomial::new(1000, 0.3).unwrap().sample(&mut fresh);
        assert_eq!(binomial(1000, 0.3, &mut rng), want);
    }

    #[test]
    fn categorical_follows_its_weights() {
        let mut rng = replicate_rng(11, 0);
        let w = [1.0, 0.0, 3.0];
        let mut hits = [0usize; 3];
        for _ in 0..40_000 {
            hits[categorical(&w, &mut rng)] += 1;
        }
        assert_eq!(hits[1], 0);
        let share = hits[2] as f64 / 40_000.0;
        assert!((share - 0.75).abs() < 4.0 * (0.75f64 * 0.25 / 40_000.0).sqrt());
    }
}

//! Measures of a distribution over types: the Zipf law of the human distribution, Shannon
//! entropy, the Gini–Simpson index and total variation distance.

use crate::sampling;

/// The Zipf law over `vocab` ranks: p_k = k^-s / Σ_j j^-s, k = 1..vocab (index k - 1).
pub fn zipf_probs(vocab: usize, exponent: f64) -> Vec<f64> {
    let mut p: Vec<f64> = (1..=vocab).map(|k| libm::pow(k as f64, -exponent)).collect();
    sampling::normalise(&mut p);
    p
}

/// Shannon entropy in bits, -Σ p_i log2 p_i (zero terms contribute nothing).
pub fn entropy_bits(p: &[f64]) -> f64 {
    // A fold from +0.0 so that a point mass gives 0, not -0.
    p.iter().filter(|&&x| x > 0.0).fold(0.0, |h, &x| h - x * libm::log2(x))
}

/// Gini–Simpson index 1 - Σ p_i².
pub fn gini_simpson(p: &[f64]) -> f64 {
    1.0 - p.iter().map(|x| x * x).sum::<f64>()
}

/// The cross-entropy of the human distribution `human` = p* under `model` = q, in bits, with the
/// model smoothed so that it is finite when types have vanished:
///
/// H(p*, q') = -Σ p*_i log2 q'_i,   q'_i = (n q_i + 1) / (n + V),
///
/// add-one (Laplace) smoothing of the counts n q_i of a training set of `n` items (the scenario's
/// `samples`), V = the number of types. It is the model's error on human data: at least the human
/// entropy (Gibbs), and growing as the model loses the words human text uses. Types with p*_i = 0
/// contribute nothing.
///
/// Computed as log2(n + V) Σ p*_i − Σ_{q_i > 0} p*_i log2(n q_i + 1) (a dead type's term is
/// p*_i log2(n + V)), the same sums in the same order as the family's measure over the model's
/// support.
pub fn human_cross_entropy_bits(human: &[f64], model: &[f64], n: f64) -> f64 {
    let log_total = libm::log2(n + human.len() as f64);
    let (mut mass, mut live) = (0.0, 0.0);
    for (&p, &q) in human.iter().zip(model) {
        if p > 0.0 {
            mass += p;
            if q > 0.0 {
                live += p * libm::log2(n * q + 1.0);
            }
        }
    }
    log_total * mass - live
}

/// Total variation distance ½ Σ |p_i - q_i|, clamped to [0, 1].
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    (0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::super::Tokens;
    use super::*;
    use crate::sim::tokens::fixtures::{close, scenario};

    #[test]
    fn zipf_weights_match_hand_computed_values() {
        // s = 1 over 3 ranks: (1, 1/2, 1/3) / (11/6).
        assert!(close(&zipf_probs(3, 1.0), &[6.0 / 11.0, 3.0 / 11.0, 2.0 / 11.0], 1e-15));
        // s = 2: (1, 1/4) / (5/4).
        assert!(close(&zipf_probs(2, 2.0), &[0.8, 0.2], 1e-15));
        // s = 0 is uniform.
        assert!(close(&zipf_probs(4, 0.0), &[0.25; 4], 1e-15));
        let f = Tokens::new(&scenario(10_000, 100, 1), &[]);
        let p = f.human_probs();
        assert_eq!(p.len(), 10_000);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.windows(2).all(|w| w[0] > w[1]));
        // p_1 / p_10 = 10^1.1 for the default exponent.
        assert!((p[0] / p[9] - 10f64.powf(1.1)).abs() < 1e-9);
    }

    #[test]
    fn cross_entropy_is_add_one_smoothed_by_hand() {
        // p* = (1/2, 1/2), q = (1, 0), n = 2: q' = (3/4, 1/4), H = ½ log2(4/3) + ½ log2 4.
        let h = human_cross_entropy_bits(&[0.5, 0.5], &[1.0, 0.0], 2.0);
        assert!((h - (0.5 * (4.0f64 / 3.0).log2() + 1.0)).abs() < 1e-12, "{h}");
        // q = p* uniform: q' = p*, so the cross-entropy is the entropy, log2 4 = 2 bits.
        assert!((human_cross_entropy_bits(&[0.25; 4], &[0.25; 4], 100.0) - 2.0).abs() < 1e-12);
        // Finite for a point mass, and at least the human entropy (Gibbs).
        let p = zipf_probs(50, 1.1);
        let mut point = vec![0.0; 50];
        point[0] = 1.0;
        let h = human_cross_entropy_bits(&p, &point, 100.0);
        assert!(h.is_finite() && h > human_cross_entropy_bits(&p, &p, 100.0));
        assert!(human_cross_entropy_bits(&p, &p, 100.0) >= entropy_bits(&p) - 1e-12);
    }
}

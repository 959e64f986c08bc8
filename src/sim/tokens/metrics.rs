//! Measures of a distribution over types: the Zipf law of the human distribution, Shannon
//! entropy, the Gini–Simpson index and total variation distance.

use crate::sampling;

/// The Zipf law over `vocab` ranks: p_k = k^-s / Σ_j j^-s, k = 1..vocab (index k - 1).
pub fn zipf_probs(vocab: usize, exponent: f64) -> Vec<f64> {
    let mut p: Vec<f64> = (1..=vocab).map(|k| (k as f64).powf(-exponent)).collect();
    sampling::normalise(&mut p);
    p
}

/// Shannon entropy in bits, -Σ p_i log2 p_i (zero terms contribute nothing).
pub fn entropy_bits(p: &[f64]) -> f64 {
    // A fold from +0.0 so that a point mass gives 0, not -0.
    p.iter().filter(|&&x| x > 0.0).fold(0.0, |h, &x| h - x * x.log2())
}

/// Gini–Simpson index 1 - Σ p_i².
pub fn gini_simpson(p: &[f64]) -> f64 {
    1.0 - p.iter().map(|x| x * x).sum::<f64>()
}

/// Total variation distance ½ Σ |p_i - q_i|, clamped to [0, 1].
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    (0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::super::Tokens;
    use super::*;
    use crate::scenario::{FamilyKey, Scenario};

    fn scenario(vocab: u32, samples: u32, generations: u32) -> Scenario {
        Scenario { vocab, samples, generations, ..Scenario::default_for(FamilyKey::named("tokens")) }
    }

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
    }

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
}

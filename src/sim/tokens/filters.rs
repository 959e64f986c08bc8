//! The training-data filters on a batch of counts: `quality` keeps the most likely types,
//! `diversity` keeps as many distinct types as it can.

/// The `quality` filter on counts: keeps `keep` tokens, taking whole types in descending model
/// probability (ties: lower index first) until `keep` are kept; the type at the boundary keeps
/// only the tokens still needed. A batch of at most `keep` tokens is returned unchanged.
pub fn filter_quality(model: &[f64], counts: &[u32], keep: usize) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if keep as u64 >= total {
        return counts.to_vec();
    }
    let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    crate::order::sort_indices(&mut order, |i| crate::order::descending(model[i]));
    let mut out = vec![0u32; counts.len()];
    let mut left = keep as u64;
    for i in order {
        if left == 0 {
            break;
        }
        let k = u64::from(counts[i]).min(left);
        out[i] = k as u32;
        left -= k;
    }
    out
}

/// The `diversity` filter on counts: keeps `keep` tokens preserving as many distinct types as
/// possible, by water-filling (round robin): one token of every present type, then a second of
/// every type that has two, and so on. Exactly, every type keeps min(c_i, L) tokens with L the
/// largest level at which Σ min(c_i, L) ≤ `keep`; the r = `keep` - Σ min(c_i, L) tokens left
/// over (fewer than the types with c_i > L) go one each to the types with c_i > L that the
/// model finds least likely (ascending model probability, ties: lower index first). A batch of
/// at most `keep` tokens is returned unchanged.
///
/// Its cost: capping every type at L tokens flattens the frequencies. Words survive longer than
/// with no filter, but the model ends far flatter than human text (at the defaults, keeping half:
/// entropy about 11.2 bits against the human 8.4, total variation 0.78 against 0.55 with no
/// filter after 100 generations; `tests/theory_tokens.rs`).
pub fn filter_diversity(model: &[f64], counts: &[u32], keep: usize) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if keep as u64 >= total {
        return counts.to_vec();
    }
    let keep = keep as u64;
    let level_total = |level: u32| -> u64 { counts.iter().map(|&c| u64::from(c.min(level))).sum() };
    // Invariant: level_total(lo) <= keep < level_total(hi).
    let (mut lo, mut hi) = (0u32, counts.iter().copied().max().unwrap_or(0));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if level_total(mid) <= keep {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut out: Vec<u32> = counts.iter().map(|&c| c.min(lo)).collect();
    let mut extra = keep - level_total(lo);
    if extra > 0 {
        let mut above: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > lo).collect();
        crate::order::sort_indices(&mut above, |i| crate::order::key(model[i]));
        for i in above {
            if extra == 0 {
                break;
            }
            out[i] += 1;
            extra -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Tokens;
    use super::*;
    use crate::rng::replicate_rng;
    use crate::sim::tokens::fixtures::scenario;
    use crate::sim::{Bias, Family, Selection};

    #[test]
    fn quality_filter_keeps_the_most_likely_types_and_cuts_the_boundary_type() {
        let model = [0.1, 0.4, 0.2, 0.3];
        let counts = [5, 3, 4, 2];
        // Types by model probability: 1 (3 tokens), 3 (2), 2 (4 available, 1 needed), 0.
        assert_eq!(filter_quality(&model, &counts, 6), vec![0, 3, 1, 2]);
        assert_eq!(filter_quality(&model, &counts, 5), vec![0, 3, 0, 2]);
        assert_eq!(filter_quality(&model, &counts, 2), vec![0, 2, 0, 0]);
        assert_eq!(filter_quality(&model, &counts, 0), vec![0, 0, 0, 0]);
        assert_eq!(filter_quality(&model, &counts, 14), counts.to_vec());
        assert_eq!(filter_quality(&model, &counts, 20), counts.to_vec());
        // Ties go to the lower index.
        assert_eq!(filter_quality(&[0.25, 0.25, 0.5], &[2, 2, 2], 3), vec![1, 0, 2]);
    }

    #[test]
    fn diversity_filter_water_fills_and_breaks_the_last_level_by_rarity() {
        let model = [0.4, 0.1, 0.3, 0.1, 0.1];
        let counts = [5, 1, 3, 0, 2];
        // Levels: L = 1 keeps 4 tokens, L = 2 keeps 7 exactly.
        assert_eq!(filter_diversity(&model, &counts, 7), vec![2, 1, 2, 0, 2]);
        assert_eq!(filter_diversity(&model, &counts, 4), vec![1, 1, 1, 0, 1]);
        // keep 6: L = 1 (4 tokens), 2 more to the rarest of the types with > 1 token: 4 then 2.
        assert_eq!(filter_diversity(&model, &counts, 6), vec![1, 1, 2, 0, 2]);
        // keep 5: only type 4 gets a second token.
        assert_eq!(filter_diversity(&model, &counts, 5), vec![1, 1, 1, 0, 2]);
        // Fewer tokens than types: the rarest types under the model keep one each.
        assert_eq!(filter_diversity(&model, &counts, 2), vec![0, 1, 0, 0, 1]);
        // keep 10: L = 3 keeps 9, then type 0 (the only one above) gets the 10th.
        assert_eq!(filter_diversity(&model, &counts, 10), vec![4, 1, 3, 0, 2]);
        assert_eq!(filter_diversity(&model, &counts, 11), counts.to_vec());
        assert_eq!(filter_diversity(&model, &counts, 0), vec![0; 5]);
        // Ties in the model go to the lower index.
        assert_eq!(filter_diversity(&[0.2; 5], &counts, 5), vec![2, 1, 1, 0, 1]);
    }

    #[test]
    fn filters_through_the_family_keep_exactly_keep_tokens() {
        let f = Tokens::new(&scenario(1000, 100, 1), &[]);
        let mut rng = replicate_rng(4, 0);
        let model = f.human_model();
        let batch = f.generate(&model, 5000, &Bias { temperature: 1.0, top_p: 1.0 }, &mut rng);
        for kind in [Selection::Quality, Selection::Diversity] {
            let kept = f.filter(&model, batch.clone(), 1234, kind, &mut rng);
            assert_eq!(kept.iter().map(|&c| u64::from(c)).sum::<u64>(), 1234, "{kind:?}");
            assert!(kept.iter().zip(&batch).all(|(k, c)| k <= c));
        }
        let present = batch.iter().filter(|&&c| c > 0).count();
        let kept = f.filter(&model, batch.clone(), 1234, Selection::Diversity, &mut rng);
        assert_eq!(kept.iter().filter(|&&c| c > 0).count(), present.min(1234));
        let kept = f.filter(&model, batch.clone(), 1234, Selection::Quality, &mut rng);
        assert!(kept.iter().filter(|&&c| c > 0).count() < present);
    }
}

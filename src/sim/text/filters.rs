//! The sentence filters on oversampled synthetic text (`quality`, `diversity`; see the `text`
//! module doc): each ranks the sentences, then keeps whole sentences in that order until `keep`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Text, TextBatch, TextModel};
use crate::corpus::Corpus;
use crate::sim::Selection;

impl Text {
    /// `batch` cut to `keep` tokens by the filter `kind` (the whole batch when it is no longer).
    pub(super) fn filter_sentences(
        &self,
        model: &TextModel,
        batch: TextBatch,
        keep: usize,
        kind: Selection,
    ) -> TextBatch {
        if keep >= batch.len() {
            return batch;
        }
        match kind {
            Selection::Quality => {
                let order = self.quality_order(model, &batch);
                keep_sentences(&batch, order.into_iter(), keep)
            }
            Selection::Diversity => {
                let order = self.diversity_order(&batch, keep);
                keep_sentences(&batch, order.into_iter(), keep)
            }
        }
    }

    /// `quality`: the sentences by mean log-probability per event under `model`, highest first,
    /// ties in text order.
    fn quality_order(&self, model: &TextModel, batch: &TextBatch) -> Vec<usize> {
        let scores: Vec<f64> = batch
            .sentences()
            .enumerate()
            .map(|(i, s)| {
                let (sum, events) = self.sentence_log_prob(&model.0, s, batch.is_complete(i));
                sum / events.max(1) as f64
            })
            .collect();
        let mut order: Vec<usize> = (0..scores.len()).collect();
        crate::order::sort_indices(&mut order, |i| crate::order::descending(scores[i]));
        order
    }

    /// `diversity`: exact greedy by new word types, ties in text order (lazy evaluation: a
    /// sentence's gain can only shrink as more is kept), until the picks hold `keep` tokens.
    fn diversity_order(&self, batch: &TextBatch, keep: usize) -> Vec<usize> {
        let sentences: Vec<&[u32]> = batch.sentences().collect();
        let mut seen = vec![false; self.boundary as usize + 1];
        // Distinct unseen word types of a sentence; `stamp` marks the types counted in
        // evaluation number `epoch`.
        let mut stamp = vec![0usize; self.boundary as usize + 1];
        let mut epoch = 0usize;
        let mut gain = |sentence: &[u32], seen: &[bool]| {
            epoch += 1;
            let mut g = 0usize;
            for &w in sentence {
                if Corpus::is_word(w) && !seen[w as usize] && stamp[w as usize] != epoch {
                    stamp[w as usize] = epoch;
                    g += 1;
                }
            }
            g
        };
        let mut heap: BinaryHeap<(usize, Reverse<usize>)> =
            (0..sentences.len()).map(|i| (gain(sentences[i], &seen), Reverse(i))).collect();
        let mut order = Vec::new();
        let mut kept = 0;
        while kept < keep {
            let Some((stored, Reverse(i))) = heap.pop() else { break };
            let g = gain(sentences[i], &seen);
            if g < stored && heap.peek().is_some_and(|top| (g, Reverse(i)) < *top) {
                heap.push((g, Reverse(i)));
                continue;
            }
            for &w in sentences[i] {
                seen[w as usize] = true;
            }
            order.push(i);
            kept += sentences[i].len();
        }
        order
    }
}

/// Keeps whole sentences of `batch` in the order `picks` yields them until `keep` tokens, the
/// last one cut to hit `keep` exactly (a sentence already cut short is put last).
fn keep_sentences(batch: &TextBatch, picks: impl Iterator<Item = usize>, keep: usize) -> TextBatch {
    let sentences: Vec<&[u32]> = batch.sentences().collect();
    let mut chosen = Vec::new();
    let mut kept = 0;
    for i in picks {
        if kept >= keep {
            break;
        }
        chosen.push(i);
        kept += sentences[i].len();
    }
    // A sentence cut short has no end marker: it can only be the last one.
    if let Some(pos) = chosen.iter().position(|&i| !batch.is_complete(i)) {
        let cut = chosen.remove(pos);
        chosen.push(cut);
    }
    let mut out = TextBatch::default();
    for &i in &chosen {
        out.push_sentence(sentences[i]);
    }
    out.truncated = chosen.last().is_some_and(|&i| !batch.is_complete(i));
    out.truncate(keep);
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{batch, family, ids};
    use super::*;
    use crate::rng::replicate_rng;
    use crate::sim::Family;

    #[test]
    fn quality_filter_keeps_the_most_likely_sentences_and_cuts_to_keep() {
        let f = family("a b. a b. a b. a c.", 2);
        let (ab, ac) = (ids(&f, "a b ."), ids(&f, "a c ."));
        let mut rng = replicate_rng(1, 0);
        let m = f.human_model();
        // Scores: "a b ." beats "a c ." (b follows a three times out of four).
        let kept = f.filter(&m, batch(&[&ac, &ab, &ab], false), 4, Selection::Quality, &mut rng);
        assert_eq!(kept.tokens, [&ab[..], &ab[..1]].concat());
        assert_eq!((kept.sentence_ends.clone(), kept.truncated), (vec![3, 4], true));
        // Exactly two sentences: no cut.
        let kept = f.filter(&m, batch(&[&ac, &ab, &ac], false), 6, Selection::Quality, &mut rng);
        assert_eq!((kept.tokens.clone(), kept.truncated), ([&ab[..], &ac[..]].concat(), false));
        // A sentence that was cut short goes last, whatever its score.
        let kept = f.filter(&m, batch(&[&ac, &ab, &ab[..2]], true), 5, Selection::Quality, &mut rng);
        assert_eq!(kept.tokens, [&ab[..], &ab[..2]].concat());
        assert!(kept.truncated && kept.sentence_ends == [3, 5]);
        // Asking for everything returns the batch as it is.
        let all = batch(&[&ac, &ab], false);
        assert_eq!(f.filter(&m, all.clone(), 6, Selection::Quality, &mut rng), all);
    }

    #[test]
    fn diversity_filter_greedily_adds_new_word_types() {
        let f = family("a b c d e f g. a b c d e f g.", 2);
        let s0 = ids(&f, "a b .");
        let s1 = ids(&f, "c d c .");
        let s2 = ids(&f, "a e f g .");
        let s3 = ids(&f, "b c .");
        let b = batch(&[&s0, &s1, &s2, &s3], false);
        let mut rng = replicate_rng(1, 0);
        // Gains: s2 4 (a e f g); then s1 2 (c d) ties s3 (b c) and comes first; then s0 and s3
        // add b (1 each): s0 first. 5 + 4 + 3 = 12 tokens, cut to 11.
        let kept = f.filter(&f.human_model(), b, 11, Selection::Diversity, &mut rng);
        assert_eq!(kept.tokens, [&s2[..], &s1[..], &s0[..2]].concat());
        assert_eq!((kept.sentence_ends.clone(), kept.truncated), (vec![5, 9, 11], true));
    }
}

//! A batch of text ([`TextBatch`]): tokens sentence after sentence, cut to a length, merged;
//! and the human draws, excerpts of real training sentences.

use rand::RngExt;

use super::{Text, EXCERPT_TOKENS};
use crate::rng::SimRng;

/// One generation's text (or a human excerpt): tokens sentence after sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextBatch {
    pub tokens: Vec<u32>,
    /// Exclusive end offset of each sentence in `tokens`.
    pub sentence_ends: Vec<u32>,
    /// The last sentence was cut short: it is counted without an end marker.
    pub truncated: bool,
}

impl TextBatch {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The sentences, in order.
    pub fn sentences(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let mut start = 0usize;
        self.sentence_ends.iter().map(move |&e| {
            let s = &self.tokens[start..e as usize];
            start = e as usize;
            s
        })
    }

    /// Whether sentence `i` has its end (it is not the last one cut short).
    pub fn is_complete(&self, i: usize) -> bool {
        !(self.truncated && i + 1 == self.sentence_ends.len())
    }

    /// Appends `sentence` as a new sentence (nothing if it is empty).
    pub(super) fn push_sentence(&mut self, sentence: &[u32]) {
        if !sentence.is_empty() {
            self.tokens.extend_from_slice(sentence);
            self.sentence_ends.push(self.tokens.len() as u32);
        }
    }

    /// Cuts to `n` tokens: later sentences go, the one spanning `n` is cut short.
    pub(super) fn truncate(&mut self, n: usize) {
        if n >= self.tokens.len() {
            return;
        }
        self.tokens.truncate(n);
        while self.sentence_ends.last().is_some_and(|&e| e as usize > n) {
            self.sentence_ends.pop();
        }
        let last = self.sentence_ends.last().map_or(0, |&e| e as usize);
        self.truncated = last < n;
        if last < n {
            self.sentence_ends.push(n as u32);
        }
    }

    /// Appends `other`'s sentences. A cut-short last sentence of `self` then sits in the middle
    /// and is counted with an end marker: at most one extra boundary event per merged piece.
    pub(super) fn append(&mut self, other: TextBatch) {
        let offset = self.tokens.len() as u32;
        self.tokens.extend(other.tokens);
        self.sentence_ends.extend(other.sentence_ends.iter().map(|e| e + offset));
        self.truncated = other.truncated || (self.truncated && other.sentence_ends.is_empty());
    }
}

impl Text {
    /// Sentence `i` of the training part.
    pub(super) fn training_sentence(&self, i: usize) -> &[u32] {
        let ends = self.corpus.training_sentence_ends();
        let start = if i == 0 { 0 } else { ends[i - 1] as usize };
        &self.corpus.training_tokens()[start..ends[i] as usize]
    }

    /// Appends whole consecutive training sentences from sentence `first` (wrapping round) until
    /// `batch` holds `limit` tokens or this excerpt holds at least `excerpt` tokens, then cuts
    /// `batch` to `limit`.
    pub(super) fn excerpt(&self, batch: &mut TextBatch, first: usize, limit: usize, excerpt: usize) {
        let sentences = self.corpus.training_sentence_ends().len();
        let (mut i, mut taken) = (first, 0);
        while batch.len() < limit && taken < excerpt {
            let s = self.training_sentence(i);
            batch.push_sentence(s);
            taken += s.len();
            i = (i + 1) % sentences;
        }
        batch.truncate(limit);
    }

    /// A human draw of `n` tokens: excerpts of [`EXCERPT_TOKENS`] tokens or more, each from a
    /// uniformly random training sentence, until `n` (the last one cut); empty without sentences.
    pub(super) fn human_excerpts(&self, n: usize, rng: &mut SimRng) -> TextBatch {
        let mut batch = TextBatch::default();
        let sentences = self.corpus.training_sentence_ends().len();
        if sentences == 0 {
            return batch;
        }
        while batch.len() < n {
            let first = rng.random_range(0..sentences);
            self.excerpt(&mut batch, first, n, EXCERPT_TOKENS);
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{batch, family};
    use crate::rng::replicate_rng;
    use crate::sim::Family;

    #[test]
    fn human_draws_are_runs_of_real_training_sentences() {
        let mut text = String::new();
        for k in 0..40 {
            text.push_str(&format!(
                "{} is sentence {}. ",
                ["alpha", "beta", "gamma", "delta"][k % 4],
                "x".repeat(k + 1)
            ));
        }
        let f = family(&text, 2);
        let training: Vec<&[u32]> = f.corpus.training_sentences().collect();
        let mut rng = replicate_rng(3, 0);
        for n in [1, 7, 500, 3000] {
            let b = f.draw_human(n, &mut rng);
            assert_eq!(b.len(), n);
            let sentences: Vec<&[u32]> = b.sentences().collect();
            for (i, s) in sentences.iter().enumerate() {
                if b.is_complete(i) {
                    assert!(training.contains(s));
                } else {
                    assert!(training.iter().any(|t| t.starts_with(s)) && i + 1 == sentences.len());
                }
            }
        }
    }

    #[test]
    fn batch_truncation_cuts_or_drops_sentences() {
        let mut b = batch(&[&[6, 7, 0], &[8, 0], &[6]], true);
        b.truncate(5);
        assert_eq!((b.tokens.clone(), b.sentence_ends.clone(), b.truncated), (vec![6, 7, 0, 8, 0], vec![3, 5], false));
        b.truncate(4);
        assert_eq!((b.sentence_ends.clone(), b.truncated), (vec![3, 4], true));
        b.truncate(10);
        assert_eq!(b.len(), 4);
    }
}

//! The per-generation metrics ([`super::METRICS`], defined in the `text` module doc): the
//! measurement sample and its statistics, the rare-word share, the held-out perplexity and the
//! perplexity on the model's own measurement sample.

use super::{Text, TextBatch, TextModel};
use crate::corpus::Corpus;
use crate::rng::replicate_rng;

/// Salt of the measurement sample's model-derived generator.
const MEASURE_SALT: u32 = 0x6d65_6173;

impl Text {
    /// Perplexity of `model` on the corpus's held-out sentences (see the `text` module doc); NaN
    /// when nothing is held out.
    pub fn heldout_perplexity(&self, model: &TextModel) -> f64 {
        let (mut sum, mut events) = (0.0, 0usize);
        for sentence in self.corpus.heldout_sentences() {
            let (s, e) = self.sentence_log_prob(&model.0, sentence, true);
            sum += s;
            events += e;
        }
        if events == 0 {
            return f64::NAN;
        }
        libm::exp(-sum / events as f64)
    }

    /// Perplexity of `model` on `sample`, text it wrote (see the `text` module doc,
    /// `self_perplexity`): the same probability as [`Text::heldout_perplexity`], with an end
    /// event for every sentence but a last one cut short; NaN for an empty sample.
    pub fn self_perplexity(&self, model: &TextModel, sample: &TextBatch) -> f64 {
        let (mut sum, mut events) = (0.0, 0usize);
        for (i, sentence) in sample.sentences().enumerate() {
            let (s, e) = self.sentence_log_prob(&model.0, sentence, sample.is_complete(i));
            sum += s;
            events += e;
        }
        if events == 0 {
            return f64::NAN;
        }
        libm::exp(-sum / events as f64)
    }

    /// Share of the corpus's rare words that `model` can produce (1 when there are none).
    pub fn rare_word_share(&self, model: &TextModel) -> f64 {
        let rare = self.corpus.rare_words();
        if rare.is_empty() {
            return 1.0;
        }
        rare.iter().filter(|&&w| model.count(w) > 0).count() as f64 / rare.len() as f64
    }

    /// The sample the per-text metrics are computed on (see the `text` module doc).
    fn measurement_sample(&self, model: &TextModel) -> TextBatch {
        let fp = model.0.fingerprint;
        let mut rng = replicate_rng(fp as u32 ^ MEASURE_SALT, (fp >> 32) as u32);
        self.generate_text(model, self.measure_tokens, &self.bias, None, &mut rng)
    }

    /// Writes the metrics of `model` into `out`, in the order of [`super::METRICS`].
    pub(super) fn compute_metrics(&self, model: &TextModel, out: &mut [f64]) {
        let sample = self.measurement_sample(model);
        let (ttr, distinct_2, repeated_4) = sample_metrics(&sample.tokens);
        out.copy_from_slice(&[
            model.word_types() as f64,
            ttr,
            distinct_2,
            self.rare_word_share(model),
            self.heldout_perplexity(model),
            repeated_4,
            self.self_perplexity(model, &sample),
        ]);
    }
}

/// (type-token ratio of the words, distinct-2, repeated 4-gram share) of a token sequence.
pub fn sample_metrics(tokens: &[u32]) -> (f64, f64, f64) {
    // Only equal values need to end up next to each other: the keys sort through the shared
    // integer sorts (`crate::order`), in whatever order they give.
    let mut words: Vec<i64> = tokens.iter().copied().filter(|&t| Corpus::is_word(t)).map(i64::from).collect();
    let word_tokens = words.len();
    crate::order::sort_keys(&mut words);
    words.dedup();
    let ttr = if word_tokens > 0 { words.len() as f64 / word_tokens as f64 } else { 0.0 };

    let mut bigrams: Vec<i64> = tokens.windows(2).map(|w| (i64::from(w[0]) << 32) | i64::from(w[1])).collect();
    let n2 = bigrams.len();
    crate::order::sort_keys(&mut bigrams);
    bigrams.dedup();
    let distinct_2 = if n2 > 0 { bigrams.len() as f64 / n2 as f64 } else { 0.0 };

    let pair = |a: u32, b: u32| (u64::from(a) << 32) | u64::from(b);
    let mut fourgrams: Vec<(i64, u64)> =
        tokens.windows(4).map(|w| (pair(w[0], w[1]) as i64, pair(w[2], w[3]))).collect();
    let n4 = fourgrams.len();
    crate::order::sort_pairs(&mut fourgrams);
    let mut repeated = 0usize;
    let mut i = 0;
    while i < n4 {
        let j = i + fourgrams[i..].iter().take_while(|&&g| g == fourgrams[i]).count();
        if j - i > 1 {
            repeated += j - i;
        }
        i = j;
    }
    let repeated_4 = if n4 > 0 { repeated as f64 / n4 as f64 } else { 0.0 };
    (ttr, distinct_2, repeated_4)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{batch, family, ids};
    use super::*;
    use crate::sim::Family;

    #[test]
    fn heldout_perplexity_matches_a_hand_computation() {
        // Sentences 0..=8 alternate "a b." (0, 2, 4, 6, 8: five) and "a c." (four); sentence 9,
        // "a b.", is held out. Training next-token counts: a 9, b 5, c 4, "." 9, end 9: N = 36.
        // V = 6 punctuation + 3 words + 1 end = 10, so P1(w) = (c(w) + 1) / 46.
        // Bigram Witten-Bell on "a b . <end>":
        //   P(a | start) = (9 + 1 * 10/46) / (9 + 1)   [start: a 9 times, 1 type]
        //   P(b | a)     = (5 + 2 * 6/46)  / (9 + 2)   [a: b 5, c 4]
        //   P(. | b)     = (5 + 1 * 10/46) / (5 + 1)
        //   P(end | .)   = (9 + 1 * 10/46) / (9 + 1)
        // perplexity = (product)^(-1/4) = 1.29704...
        let mut text = String::new();
        for k in 0..10 {
            text.push_str(if k % 2 == 0 || k == 9 { "a b. " } else { "a c. " });
        }
        let f = family(&text, 2);
        assert_eq!(f.corpus.heldout_tokens(), ids(&f, "a b ."));
        let p = [
            (9.0 + 10.0 / 46.0) / 10.0,
            (5.0 + 12.0 / 46.0) / 11.0,
            (5.0 + 10.0 / 46.0) / 6.0,
            (9.0 + 10.0 / 46.0) / 10.0,
        ];
        let want = p.iter().product::<f64>().powf(-0.25);
        let got = f.heldout_perplexity(&f.human_model());
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert!((want - 1.29704).abs() < 1e-5);
        // Unigram: add-one only, P = 10/46, 6/46, 10/46, 10/46.
        let f1 = family(&text, 1);
        let want1 = (10.0f64 * 6.0 * 10.0 * 10.0 / 46f64.powi(4)).powf(-0.25);
        assert!((f1.heldout_perplexity(&f1.human_model()) - want1).abs() < 1e-12);
        // A model that lost b still gives it probability, so perplexity stays finite but rises.
        let mut stats = f.empty_stats();
        let ac = ids(&f, "a c .");
        f.add(&mut stats, &batch(&[&ac[..]; 9], false));
        let lost_b = f.fit(&stats);
        let ppl = f.heldout_perplexity(&lost_b);
        assert!(ppl.is_finite() && ppl > 2.0 * got, "{ppl}");
    }

    #[test]
    fn sample_metrics_match_a_hand_count() {
        // a b a b a b (ids 6, 7): 2 types / 6 tokens; bigrams ab ba ab ba ab: 2 / 5; 4-grams
        // abab baba abab: abab twice, so 2 of 3 positions repeat.
        let (ttr, d2, r4) = sample_metrics(&[6, 7, 6, 7, 6, 7]);
        assert!((ttr - 2.0 / 6.0).abs() < 1e-12 && (d2 - 0.4).abs() < 1e-12 && (r4 - 2.0 / 3.0).abs() < 1e-12);
        // Punctuation is not a word type but is part of the n-grams.
        let (ttr, d2, r4) = sample_metrics(&[6, 0, 7, 0]);
        assert!((ttr - 1.0).abs() < 1e-12 && (d2 - 1.0).abs() < 1e-12 && r4 == 0.0);
        assert_eq!(sample_metrics(&[]), (0.0, 0.0, 0.0));
    }
}

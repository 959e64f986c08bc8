//! Text generation: sentences drawn token by token from a model's continuation tables under the
//! sampling bias (temperature, then top-p, per context), backing off from dead-end contexts;
//! with a blind spot, its words are skipped in every context (see the `text` module doc).

use rand::RngExt;

use super::ngram::{context_key, ModelData, TextModel};
use super::{Text, TextBatch};
use crate::rng::SimRng;
use crate::sampling;
use crate::sim::Bias;

/// `Sampler::offsets` of a row not computed yet.
const UNCOMPUTED: u32 = u32::MAX;
/// `Sampler::offsets` of a row whose every continuation is in the blind spot.
const ALL_BLOCKED: u32 = u32::MAX - 1;

/// Draws next tokens, computing each context's biased distribution once (lazily).
struct Sampler<'a> {
    m: &'a ModelData,
    bias: Bias,
    /// The blind spot (by token id), if any: those continuations are never drawn.
    blocked: Option<&'a [bool]>,
    /// No bias (temperature 1, no top-p cut) and no blind spot: draws straight from the counts.
    plain: bool,
    /// Per level and row: offset into `cumulative`, or [`UNCOMPUTED`], or [`ALL_BLOCKED`].
    offsets: Vec<Vec<u32>>,
    /// The cumulative biased distributions of the contexts computed so far, one after another.
    cumulative: Vec<f64>,
}

impl<'a> Sampler<'a> {
    fn new(m: &'a ModelData, bias: &Bias, blocked: Option<&'a [bool]>) -> Sampler<'a> {
        let plain = blocked.is_none() && bias.temperature == 1.0 && bias.top_p >= 1.0;
        let offsets = if plain { Vec::new() } else { m.levels.iter().map(|l| vec![UNCOMPUTED; l.rows()]).collect() };
        Sampler { m, bias: *bias, blocked, plain, offsets, cumulative: Vec::new() }
    }

    /// The next token after `hist`, backing off to shorter contexts (from a context with no
    /// continuation, or whose every continuation is blocked); None for an empty model.
    fn next(&mut self, hist: &[u32; 2], rng: &mut SimRng) -> Option<u32> {
        for k in (1..=self.m.order).rev() {
            if let Some(row) = self.m.levels[k - 1].row(context_key(hist, k)) {
                if let Some(w) = self.draw(k - 1, row, rng) {
                    return Some(w);
                }
            }
        }
        None
    }

    /// A continuation of row `row` of level `li`: None when every continuation of a context
    /// (level > 0) is blocked. At the unigram level (`li` 0) a fully blocked row is drawn from
    /// unrestricted, so a model whose every word is blocked still writes.
    fn draw(&mut self, li: usize, row: usize, rng: &mut SimRng) -> Option<u32> {
        let level = &self.m.levels[li];
        let span = level.span(row);
        if self.plain {
            let u = rng.random_range(0..level.total(row));
            let i = level.cum[span.clone()].partition_point(|&c| c <= u);
            return Some(level.targets[span.start + i]);
        }
        if self.offsets[li][row] == UNCOMPUTED {
            let mut p: Vec<f64> = level.counts(row).map(f64::from).collect();
            if let Some(blocked) = self.blocked {
                let open: Vec<f64> = p
                    .iter()
                    .zip(&level.targets[span.clone()])
                    .map(|(&x, &t)| if blocked[t as usize] { 0.0 } else { x })
                    .collect();
                if open.iter().any(|&x| x > 0.0) {
                    p = open;
                } else if li > 0 {
                    self.offsets[li][row] = ALL_BLOCKED;
                    return None;
                }
            }
            let q = sampling::biased(&p, &self.bias);
            self.offsets[li][row] = self.cumulative.len() as u32;
            let mut acc = 0.0;
            for x in q {
                acc += x;
                self.cumulative.push(acc);
            }
        }
        if self.offsets[li][row] == ALL_BLOCKED {
            return None;
        }
        let off = self.offsets[li][row] as usize;
        let cum = &self.cumulative[off..off + span.len()];
        let u = rng.random::<f64>() * cum[cum.len() - 1];
        let mut i = cum.partition_point(|&c| c <= u);
        if i >= cum.len() {
            // Rounding: the last type with positive probability.
            i = (0..cum.len()).rev().find(|&j| cum[j] > if j > 0 { cum[j - 1] } else { 0.0 }).unwrap_or(0);
        }
        Some(level.targets[span.start + i])
    }
}

impl Text {
    /// `n` tokens of `model` under `bias`; the first sentence starts with `prompt` if given.
    pub fn generate_text(
        &self,
        model: &TextModel,
        n: usize,
        bias: &Bias,
        prompt: Option<u32>,
        rng: &mut SimRng,
    ) -> TextBatch {
        let mut batch = TextBatch::default();
        let m = &*model.0;
        if n == 0 || m.total == 0 {
            return batch;
        }
        let mut sampler = Sampler::new(m, bias, self.blocked.as_deref());
        let mut prompt = prompt;
        while batch.len() < n {
            let start = batch.len();
            let mut hist = [self.boundary; 2];
            if let Some(p) = prompt.take() {
                batch.tokens.push(p);
                hist = [hist[1], p];
            }
            let mut ended = false;
            let mut empty_draws = 0;
            while batch.len() < n {
                let Some(w) = sampler.next(&hist, rng) else { break };
                if w == self.boundary {
                    if batch.len() > start {
                        ended = true;
                        break;
                    }
                    // An empty sentence (possible with backoff or unigrams): draw again.
                    empty_draws += 1;
                    if empty_draws > 1000 {
                        break;
                    }
                    continue;
                }
                batch.tokens.push(w);
                hist = [hist[1], w];
            }
            if batch.len() == start {
                break;
            }
            batch.sentence_ends.push(batch.len() as u32);
            batch.truncated = !ended;
        }
        batch
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::fixtures::{batch, family, ids, PLAIN};
    use super::*;
    use crate::corpus::FIRST_WORD;
    use crate::rng::replicate_rng;
    use crate::sim::blind_spot::BlindSpot;
    use crate::sim::Family;

    /// `f` with exactly the words of `words` blocked.
    fn blocking(f: &Text, words: &str) -> Text {
        let mut blocked = vec![false; f.boundary as usize + 1];
        for id in ids(f, words) {
            blocked[id as usize] = true;
        }
        Text { blocked: Some(Arc::from(blocked)), ..f.clone() }
    }

    #[test]
    fn a_deterministic_model_reproduces_its_only_sentence_and_cuts_the_last() {
        let f = family("a b c. a b c. a b c.", 3);
        let mut rng = replicate_rng(1, 0);
        let b = f.generate(&f.human_model(), 10, &PLAIN, &mut rng);
        let s = ids(&f, "a b c .");
        assert_eq!(b.tokens, [&s[..], &s[..], &s[..2]].concat());
        assert_eq!((b.sentence_ends.clone(), b.truncated), (vec![4, 8, 10], true));
        let b = f.generate(&f.human_model(), 8, &PLAIN, &mut rng);
        assert_eq!(b.sentence_ends, [4, 8]);
        assert!(b.truncated, "stopping at n never draws the end marker");
        assert!(f.generate(&f.human_model(), 0, &PLAIN, &mut rng).is_empty());
    }

    #[test]
    fn a_dead_end_context_backs_off_instead_of_stopping() {
        let f = family("a b c. a b c. x y.", 3);
        // A text cut short after "x y": trigram context (x, y) and bigram context (y) have no
        // continuation, so generation falls back to the unigram distribution (x, y).
        let mut stats = f.empty_stats();
        f.add(&mut stats, &batch(&[&ids(&f, "x y")], true));
        let m = f.fit(&stats);
        let mut rng = replicate_rng(2, 0);
        let b = f.generate(&m, 50, &PLAIN, &mut rng);
        assert_eq!(b.len(), 50);
        assert_eq!(&b.tokens[..2], &ids(&f, "x y")[..]);
        assert!(b.tokens.iter().all(|&t| ids(&f, "x y").contains(&t)));
    }

    #[test]
    fn top_p_and_temperature_act_per_context() {
        // After "a": b three times, c once.
        let f = family("a b. a b. a b. a c.", 2);
        let (b_id, c_id) = (f.corpus.id("b").unwrap(), f.corpus.id("c").unwrap());
        let count_c = |bias: &Bias, seed: u32| {
            let mut rng = replicate_rng(seed, 0);
            let t = f.generate(&f.human_model(), 4000, bias, &mut rng);
            let c = t.tokens.iter().filter(|&&x| x == c_id).count() as f64;
            let b = t.tokens.iter().filter(|&&x| x == b_id).count() as f64;
            c / (b + c)
        };
        assert_eq!(count_c(&Bias { temperature: 1.0, top_p: 0.7 }, 3), 0.0);
        let plain = count_c(&PLAIN, 4);
        assert!((plain - 0.25).abs() < 0.04, "{plain}");
        // T = 0.5: 3^2 : 1 = 0.9 : 0.1.
        let cold = count_c(&Bias { temperature: 0.5, top_p: 1.0 }, 5);
        assert!((cold - 0.1).abs() < 0.03, "{cold}");
        // Same seed, same text.
        let mut r1 = replicate_rng(6, 0);
        let mut r2 = replicate_rng(6, 0);
        let bias = Bias { temperature: 0.7, top_p: 0.9 };
        assert_eq!(
            f.generate(&f.human_model(), 500, &bias, &mut r1),
            f.generate(&f.human_model(), 500, &bias, &mut r2)
        );
    }

    #[test]
    fn a_blocked_word_is_never_written_and_the_bias_acts_on_what_is_left() {
        // After "a": b three times, c once. With b blocked, c is all that is left after "a", so
        // even top-p 0.7 (which alone cuts c) writes c.
        let f = family("a b. a b. a b. a c.", 2);
        let g = blocking(&f, "b");
        let (b_id, c_id, a_id) = (f.corpus.id("b").unwrap(), f.corpus.id("c").unwrap(), f.corpus.id("a").unwrap());
        for bias in [PLAIN, Bias { temperature: 1.0, top_p: 0.7 }, Bias { temperature: 0.5, top_p: 1.0 }] {
            let t = g.generate(&g.human_model(), 2000, &bias, &mut replicate_rng(8, 0));
            assert_eq!(t.len(), 2000);
            assert!(!t.tokens.contains(&b_id), "{bias:?}");
            let after_a: Vec<u32> = t.tokens.windows(2).filter(|w| w[0] == a_id).map(|w| w[1]).collect();
            assert!(!after_a.is_empty() && after_a.iter().all(|&x| x == c_id), "{bias:?}");
        }
        // Without a blind spot (or an empty one), exactly the same draws as before.
        let spotless = f.clone().with_blind_spot(&BlindSpot::none());
        assert!(spotless.blocked.is_none());
        let bias = Bias { temperature: 0.7, top_p: 0.9 };
        for b in [PLAIN, bias] {
            assert_eq!(
                spotless.generate(&f.human_model(), 500, &b, &mut replicate_rng(9, 0)),
                f.generate(&f.human_model(), 500, &b, &mut replicate_rng(9, 0))
            );
        }
    }

    #[test]
    fn a_fully_blocked_context_backs_off_and_a_fully_blocked_unigram_draws_unrestricted() {
        // After "a" only b: with b blocked the bigram row of "a" is a dead end, so the next token
        // comes from the unigram distribution without b (a, c, ".", or the end).
        let f = family("a b. a b. c a b. c.", 2);
        let g = blocking(&f, "b");
        let (a_id, b_id) = (f.corpus.id("a").unwrap(), f.corpus.id("b").unwrap());
        let t = g.generate(&g.human_model(), 3000, &PLAIN, &mut replicate_rng(10, 0));
        assert_eq!(t.len(), 3000);
        assert!(!t.tokens.contains(&b_id));
        assert!(t.tokens.windows(2).any(|w| w[0] == a_id), "a is written and continued");
        // A model that knows only blocked words (a text cut short: no punctuation, no end)
        // draws them unrestricted rather than stall.
        let mut stats = f.empty_stats();
        f.add(&mut stats, &batch(&[&ids(&f, "a b")], true));
        let m = f.fit(&stats);
        let all = blocking(&f, "a b");
        let t = all.generate(&m, 50, &PLAIN, &mut replicate_rng(11, 0));
        assert_eq!(t.len(), 50);
        assert!(t.tokens.iter().all(|&x| ids(&f, "a b").contains(&x)));
    }

    #[test]
    fn a_blind_spot_blocks_words_only_and_holds_its_share_of_the_word_mass() {
        let f = family(&super::super::fixtures::small_text(), 2);
        let spot = BlindSpot::of_model(0, 1, 0.3, 0.0);
        let g = f.clone().with_blind_spot(&spot);
        let blocked: Vec<u32> = (0..=f.boundary).filter(|&id| g.is_blocked(id)).collect();
        assert!(!blocked.is_empty() && blocked.iter().all(|&id| id >= FIRST_WORD && id < f.boundary));
        let count = |id: u32| f64::from(f.corpus.training_count(id));
        let words: f64 = (FIRST_WORD..f.boundary).map(count).sum();
        let mass: f64 = blocked.iter().map(|&id| count(id)).sum::<f64>() / words;
        assert!(mass > 0.05 && mass < 0.6, "blocked mass {mass}");
        // Passages start with the most frequent word not blocked.
        let prompt = f.corpus.id(g.prompt().unwrap()).unwrap();
        assert!(!g.is_blocked(prompt) && (FIRST_WORD..prompt).all(|id| g.is_blocked(id)));
        let t = g.generate(&g.human_model(), 5000, &Bias { temperature: 0.8, top_p: 0.95 }, &mut replicate_rng(12, 0));
        assert!(t.tokens.iter().all(|&x| !g.is_blocked(x)));
    }
}

//! Text generation: sentences drawn token by token from a model's continuation tables under the
//! sampling bias (temperature, then top-p, per context), backing off from dead-end contexts.

use rand::RngExt;

use super::ngram::{context_key, ModelData, TextModel};
use super::{Text, TextBatch};
use crate::rng::SimRng;
use crate::sampling;
use crate::sim::Bias;

/// Draws next tokens, computing each context's biased distribution once (lazily).
struct Sampler<'a> {
    m: &'a ModelData,
    bias: Bias,
    /// No bias (temperature 1, no top-p cut): draws straight from the counts.
    plain: bool,
    /// Per level and row: offset into `cumulative`, or u32::MAX when not computed yet.
    offsets: Vec<Vec<u32>>,
    /// The cumulative biased distributions of the contexts computed so far, one after another.
    cumulative: Vec<f64>,
}

impl<'a> Sampler<'a> {
    fn new(m: &'a ModelData, bias: &Bias) -> Sampler<'a> {
        let plain = bias.temperature == 1.0 && bias.top_p >= 1.0;
        let offsets = if plain { Vec::new() } else { m.levels.iter().map(|l| vec![u32::MAX; l.rows()]).collect() };
        Sampler { m, bias: *bias, plain, offsets, cumulative: Vec::new() }
    }

    /// The next token after `hist`, backing off to shorter contexts; None for an empty model.
    fn next(&mut self, hist: &[u32; 2], rng: &mut SimRng) -> Option<u32> {
        for k in (1..=self.m.order).rev() {
            if let Some(row) = self.m.levels[k - 1].row(context_key(hist, k)) {
                return Some(self.draw(k - 1, row, rng));
            }
        }
        None
    }

    /// A continuation of row `row` of level `li`.
    fn draw(&mut self, li: usize, row: usize, rng: &mut SimRng) -> u32 {
        let level = &self.m.levels[li];
        let span = level.span(row);
        if self.plain {
            let u = rng.random_range(0..level.total(row));
            let i = level.cum[span.clone()].partition_point(|&c| c <= u);
            return level.targets[span.start + i];
        }
        if self.offsets[li][row] == u32::MAX {
            let p: Vec<f64> = level.counts(row).map(f64::from).collect();
            let q = sampling::biased(&p, &self.bias);
            self.offsets[li][row] = self.cumulative.len() as u32;
            let mut acc = 0.0;
            for x in q {
                acc += x;
                self.cumulative.push(acc);
            }
        }
        let off = self.offsets[li][row] as usize;
        let cum = &self.cumulative[off..off + span.len()];
        let u = rng.random::<f64>() * cum[cum.len() - 1];
        let mut i = cum.partition_point(|&c| c <= u);
        if i >= cum.len() {
            // Rounding: the last type with positive probability.
            i = (0..cum.len()).rev().find(|&j| cum[j] > if j > 0 { cum[j - 1] } else { 0.0 }).unwrap_or(0);
        }
        level.targets[span.start + i]
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
        let mut sampler = Sampler::new(m, bias);
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
    use super::super::fixtures::{batch, family, ids, PLAIN};
    use super::*;
    use crate::rng::replicate_rng;
    use crate::sim::Family;

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
}

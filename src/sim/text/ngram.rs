//! The n-gram tables: packed keys, the additive training statistics ([`TextStats`]), the fitted
//! model ([`TextModel`]) with its per-order continuation tables, and the smoothed probability
//! the held-out perplexity and the quality filter score with (see the `text` module doc).

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use super::Text;
use crate::corpus::FIRST_WORD;
use crate::rng::splitmix64;

/// Bits per token id in packed n-gram keys (three ids fit in a u64).
pub(super) const ID_BITS: u32 = 21;
/// The low [`ID_BITS`] bits: one token id of a packed key.
pub(super) const ID_MASK: u64 = (1 << ID_BITS) - 1;

/// A fast hasher for packed u64 keys (lookups only: nothing iterates a map where order matters).
#[derive(Clone, Copy, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = splitmix64(self.0 ^ x);
    }
}

/// A map keyed by packed n-gram or context keys.
type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// The packed key of the context of an order-k n-gram: the last k-1 tokens of `hist`
/// (`hist[1]` the newest).
pub(super) fn context_key(hist: &[u32; 2], k: usize) -> u64 {
    match k {
        1 => 0,
        2 => u64::from(hist[1]),
        _ => (u64::from(hist[0]) << ID_BITS) | u64::from(hist[1]),
    }
}

/// Additive training statistics: counts of packed n-grams (context << `ID_BITS` | next token).
#[derive(Clone, Debug, Default)]
pub struct TextStats {
    counts: KeyMap<u32>,
}

impl TextStats {
    /// Number of n-gram events counted (tokens plus sentence ends).
    pub fn events(&self) -> u64 {
        self.counts.values().map(|&c| u64::from(c)).sum()
    }

    /// Number of distinct n-grams.
    pub fn distinct(&self) -> usize {
        self.counts.len()
    }
}

/// The continuations of every context of one order.
#[derive(Clone, Debug, Default)]
pub(super) struct Level {
    /// Context key → row.
    index: KeyMap<u32>,
    /// Row r spans `row_start[r]..row_start[r + 1]` of `targets` and `cum`.
    row_start: Vec<u32>,
    /// Next tokens, ascending within a row.
    pub(super) targets: Vec<u32>,
    /// Cumulative counts within a row.
    pub(super) cum: Vec<u32>,
}

impl Level {
    /// From (packed key, count) entries sorted by key.
    fn from_sorted(entries: &[(u64, u32)]) -> Level {
        let mut level = Level {
            index: KeyMap::default(),
            row_start: Vec::new(),
            targets: Vec::with_capacity(entries.len()),
            cum: Vec::with_capacity(entries.len()),
        };
        let mut current: Option<u64> = None;
        let mut running = 0u32;
        for &(key, count) in entries {
            let context = key >> ID_BITS;
            if current != Some(context) {
                level.index.insert(context, level.row_start.len() as u32);
                level.row_start.push(level.targets.len() as u32);
                current = Some(context);
                running = 0;
            }
            running += count;
            level.targets.push((key & ID_MASK) as u32);
            level.cum.push(running);
        }
        level.row_start.push(level.targets.len() as u32);
        level
    }

    /// The row of `context`, if it has continuations.
    pub(super) fn row(&self, context: u64) -> Option<usize> {
        self.index.get(&context).map(|&r| r as usize)
    }

    /// Number of contexts.
    pub(super) fn rows(&self) -> usize {
        self.row_start.len() - 1
    }

    /// The entries of `row` in `targets` and `cum`.
    pub(super) fn span(&self, row: usize) -> Range<usize> {
        self.row_start[row] as usize..self.row_start[row + 1] as usize
    }

    /// Sum of the counts of `row`.
    pub(super) fn total(&self, row: usize) -> u32 {
        self.cum[self.row_start[row + 1] as usize - 1]
    }

    /// Count of `target` after the context of `row`.
    pub(super) fn count(&self, row: usize, target: u32) -> u32 {
        let span = self.span(row);
        match self.targets[span.clone()].binary_search(&target) {
            Ok(i) => {
                let j = span.start + i;
                self.cum[j] - if j > span.start { self.cum[j - 1] } else { 0 }
            }
            Err(_) => 0,
        }
    }

    /// The counts of `row`, in the order of its targets.
    pub(super) fn counts(&self, row: usize) -> impl Iterator<Item = u32> + '_ {
        let span = self.span(row);
        let start = span.start;
        span.map(move |j| self.cum[j] - if j > start { self.cum[j - 1] } else { 0 })
    }
}

/// The tables of a fitted model.
pub(super) struct ModelData {
    pub(super) order: usize,
    /// `levels[k - 1]`: contexts of k-1 tokens.
    pub(super) levels: Vec<Level>,
    /// Count of every id as a next token (the boundary's is the number of sentence ends).
    pub(super) unigram: Vec<u32>,
    /// Sum of `unigram`: the number of training events.
    pub(super) total: u64,
    /// Word types with a nonzero count.
    pub(super) types: usize,
    /// Generation 0: fitted to the human training part.
    pub(super) human: bool,
    /// A hash of the counts: seeds the passage and the measurement sample.
    pub(super) fingerprint: u64,
}

/// Sorts (context key, count) entries by key through the crate's one sort of integer pairs
/// ([`crate::order::sort_pairs`]; a `sort_by_key` of its own would be another copy of the sort
/// in the page's module). Equal keys end up ordered by count, which no caller depends on.
fn sort_entries(entries: &mut [(u64, u32)]) {
    let mut pairs: Vec<(i64, u64)> = entries.iter().map(|&(k, c)| (crate::order::unsigned(k), u64::from(c))).collect();
    crate::order::sort_pairs(&mut pairs);
    for (e, (k, c)) in entries.iter_mut().zip(pairs) {
        *e = (crate::order::unsigned_value(k), c as u32);
    }
}

/// A model with no data and `ids` unigram slots.
pub(super) fn empty_model(ids: usize) -> ModelData {
    ModelData {
        order: 1,
        levels: vec![Level::from_sorted(&[])],
        unigram: vec![0; ids],
        total: 0,
        types: 0,
        human: false,
        fingerprint: 0,
    }
}

/// A fitted n-gram model (cheap to clone: the tables are shared).
#[derive(Clone)]
pub struct TextModel(pub(super) Arc<ModelData>);

impl fmt::Debug for TextModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextModel")
            .field("order", &self.0.order)
            .field("events", &self.0.total)
            .field("types", &self.0.types)
            .field("human", &self.0.human)
            .finish_non_exhaustive()
    }
}

impl TextModel {
    /// The n-gram order.
    pub fn order(&self) -> usize {
        self.0.order
    }

    /// Whether this is generation 0's model (fitted to the human training part).
    pub fn is_human(&self) -> bool {
        self.0.human
    }

    /// Word types the model can produce.
    pub fn word_types(&self) -> usize {
        self.0.types
    }

    /// How often `id` was a next token in the training data (0: the model cannot produce it).
    pub fn count(&self, id: u32) -> u32 {
        self.0.unigram.get(id as usize).copied().unwrap_or(0)
    }

    /// Number of training events (tokens plus sentence ends).
    pub fn events(&self) -> u64 {
        self.0.total
    }
}

impl Text {
    /// The packed key of the order-n n-gram (`hist`'s context, `next`).
    fn ngram_key(&self, hist: &[u32; 2], next: u32) -> u64 {
        (context_key(hist, self.order) << ID_BITS) | u64::from(next)
    }

    /// Counts a sentence's n-grams into `stats`: one per token and, when `complete`, its end.
    pub(super) fn count_sentence(&self, stats: &mut TextStats, sentence: &[u32], complete: bool) {
        let mut hist = [self.boundary; 2];
        for &w in sentence {
            *stats.counts.entry(self.ngram_key(&hist, w)).or_insert(0) += 1;
            hist = [hist[1], w];
        }
        if complete {
            *stats.counts.entry(self.ngram_key(&hist, self.boundary)).or_insert(0) += 1;
        }
    }

    /// The model of `stats`: the continuation tables of every order 1..=n (see the module doc).
    pub(super) fn fit_stats(&self, stats: &TextStats, human: bool) -> TextModel {
        let mut entries: Vec<(u64, u32)> = stats.counts.iter().filter(|e| *e.1 > 0).map(|(&k, &c)| (k, c)).collect();
        sort_entries(&mut entries);
        let fingerprint = entries.iter().fold(0x243F_6A88_85A3_08D3u64, |h, &(k, c)| splitmix64(h ^ k) ^ u64::from(c));
        let mut levels = Vec::with_capacity(self.order);
        for k in (1..=self.order).rev() {
            levels.push(Level::from_sorted(&entries));
            if k > 1 {
                // Drop the oldest context token: the counts of order k-1.
                let mask = (1u64 << (ID_BITS * (k as u32 - 1))) - 1;
                entries.iter_mut().for_each(|e| e.0 &= mask);
                sort_entries(&mut entries);
                entries.dedup_by(|later, kept| {
                    if later.0 == kept.0 {
                        kept.1 += later.1;
                        true
                    } else {
                        false
                    }
                });
            }
        }
        levels.reverse();
        let mut data = empty_model(self.boundary as usize + 1);
        if levels[0].rows() > 0 {
            for (&w, count) in levels[0].targets.iter().zip(levels[0].counts(0)) {
                data.unigram[w as usize] = count;
            }
        }
        data.total = data.unigram.iter().map(|&c| u64::from(c)).sum();
        data.types =
            data.unigram[..self.boundary as usize].iter().skip(FIRST_WORD as usize).filter(|&&c| c > 0).count();
        data.order = self.order;
        data.levels = levels;
        data.human = human;
        data.fingerprint = fingerprint;
        TextModel(Arc::new(data))
    }

    /// The smoothed probability of `next` after `hist` (the `text` module doc, `heldout_perplexity`:
    /// Witten–Bell interpolation down to an add-one unigram).
    fn probability(&self, m: &ModelData, hist: &[u32; 2], next: u32) -> f64 {
        let vocabulary = f64::from(self.boundary) + 1.0;
        let mut p = (f64::from(m.unigram[next as usize]) + 1.0) / (m.total as f64 + vocabulary);
        for k in 2..=m.order {
            let level = &m.levels[k - 1];
            if let Some(row) = level.row(context_key(hist, k)) {
                let c_h = f64::from(level.total(row));
                let t_h = level.span(row).len() as f64;
                let c_hw = f64::from(level.count(row, next));
                p = (c_hw + t_h * p) / (c_h + t_h);
            }
        }
        p
    }

    /// Sum of ln P over a sentence's tokens and, when `complete`, its end; and the event count.
    pub(super) fn sentence_log_prob(&self, m: &ModelData, sentence: &[u32], complete: bool) -> (f64, usize) {
        let mut hist = [self.boundary; 2];
        let mut sum = 0.0;
        for &w in sentence {
            sum += libm::log(self.probability(m, &hist, w));
            hist = [hist[1], w];
        }
        if complete {
            sum += libm::log(self.probability(m, &hist, self.boundary));
        }
        (sum, sentence.len() + usize::from(complete))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{batch, family, ids};
    use super::*;
    use crate::sim::Family;

    #[test]
    fn bigram_counts_match_a_hand_count() {
        // "a b. a c.": ids a 6, b 7, c 8 (a is the most frequent; b before c), boundary 9.
        let f = family("a b. a c.", 2);
        assert_eq!(ids(&f, "a b c ."), [6, 7, 8, 0]);
        let m = f.human_model();
        let d = &m.0;
        // Next-token counts: a 2, b 1, c 1, "." 2, end 2.
        assert_eq!(d.unigram, [2, 0, 0, 0, 0, 0, 2, 1, 1, 2]);
        assert_eq!((d.total, d.types, m.word_types()), (8, 3, 3));
        let bigrams = &d.levels[1];
        let row = |ctx: u32| bigrams.row(u64::from(ctx)).unwrap();
        // After the start: a twice. After a: b once, c once. After ".": the end twice.
        assert_eq!((bigrams.span(row(9)).len(), bigrams.count(row(9), 6)), (1, 2));
        assert_eq!((bigrams.total(row(6)), bigrams.count(row(6), 7), bigrams.count(row(6), 8)), (2, 1, 1));
        assert_eq!(bigrams.count(row(0), 9), 2);
        assert_eq!(bigrams.rows(), 5, "contexts: start, a, b, c, '.'");
        assert!(bigrams.row(7).is_some() && bigrams.row(1).is_none());
    }

    #[test]
    fn trigram_lower_orders_equal_directly_counted_bigrams() {
        let text = "the whale, the sea. the white whale! call me the whale. me?";
        let tri = family(text, 3).human_model();
        let bi = family(text, 2).human_model();
        let (a, b) = (&tri.0.levels[1], &bi.0.levels[1]);
        assert_eq!((&a.row_start, &a.targets, &a.cum), (&b.row_start, &b.targets, &b.cum));
        assert_eq!(tri.0.unigram, bi.0.unigram);
        // Sentences: "the whale , the sea ." "the white whale !" "call me the whale ." "me ?":
        // (start, start) -> the twice, call once, me once.
        let f = family(text, 3);
        let t = ids(&f, "the call me");
        let top = &tri.0.levels[2];
        let start = top.row(context_key(&[f.boundary, f.boundary], 3)).unwrap();
        assert_eq!(
            (top.total(start), top.count(start, t[0]), top.count(start, t[1]), top.count(start, t[2])),
            (4, 2, 1, 1)
        );
        let the_whale = top.row(context_key(&[t[0], f.corpus.id("whale").unwrap()], 3)).unwrap();
        assert_eq!(top.total(the_whale), 2, "'the whale' is followed by ',' and '.'");
    }

    #[test]
    fn accumulated_stats_are_the_sum_of_the_batches() {
        let f = family("a b. a c. b c a.", 2);
        let x = batch(&[&ids(&f, "a b ."), &ids(&f, "c")], true);
        let y = batch(&[&ids(&f, "a c .")], false);
        let mut both = f.empty_stats();
        f.add(&mut both, &x);
        f.add(&mut both, &y);
        // a b . end | c (cut short: no end) | a c . end
        assert_eq!((both.events(), both.distinct()), (9, 7));
        let m = f.fit(&both);
        assert_eq!(m.count(f.boundary), 2);
        assert_eq!(m.count(f.corpus.id("c").unwrap()), 2);
        assert!(!m.is_human() && f.human_model().is_human());
    }
}

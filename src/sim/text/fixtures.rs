//! Shared helpers of the text family's unit tests.

use std::sync::Arc;

use super::{Text, TextBatch};
use crate::corpus::Corpus;
use crate::scenario::{FamilyKey, Scenario};
use crate::sim::Bias;

pub(super) fn corpus(text: &str) -> Arc<Corpus> {
    Arc::new(Corpus::build(text).unwrap())
}

pub(super) fn family(text: &str, order: u32) -> Text {
    let scenario = Scenario { ngram_order: order, ..Scenario::default_for(FamilyKey::named("text")) };
    Text::new(&scenario, corpus(text))
}

pub(super) fn ids(f: &Text, words: &str) -> Vec<u32> {
    words.split(' ').map(|w| f.corpus.id(w).unwrap_or_else(|| panic!("{w}"))).collect()
}

pub(super) fn batch(sentences: &[&[u32]], truncated: bool) -> TextBatch {
    let mut b = TextBatch::default();
    for s in sentences {
        b.push_sentence(s);
    }
    b.truncated = truncated;
    b
}

pub(super) const PLAIN: Bias = Bias { temperature: 1.0, top_p: 1.0 };

pub(super) fn small_text() -> String {
    // A tiny "book": 60 sentences over 30 word types with a few rare ones.
    let words = ["the", "whale", "sea", "ship", "white", "captain", "a", "of", "and", "deep"];
    let mut text = String::new();
    for k in 0..60 {
        let n = 3 + k % 5;
        let sentence: Vec<&str> = (0..n).map(|j| words[(k * 7 + j * 3) % words.len()]).collect();
        text.push_str(&sentence.join(" "));
        if k % 20 == 3 {
            text.push_str(&format!(" rare{}", ["x", "y", "z"][k / 20]));
        }
        text.push_str(if k % 3 == 0 { ", then. " } else { ". " });
    }
    text
}

//! What the page shows for a generation ([`TextView`]): a passage of the model's text and the
//! words it lost.

use rand::RngExt;

use super::{Text, TextBatch, TextModel, PASSAGE_TOKENS};
use crate::corpus::FIRST_WORD;
use crate::rng::replicate_rng;
use crate::sim::{GenerationView, MAX_LOST_WORDS};

/// Salt of the passage's generator (model-derived, and generation 0's excerpt).
const PASSAGE_SALT: u32 = 0x7061_7373;

/// One word of a view's passage.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PassageWord {
    pub text: String,
    /// A rare word of the human corpus (seen once or twice in its training part).
    pub rare: bool,
}

/// What the page shows for one generation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextView {
    /// [`PASSAGE_TOKENS`] tokens written by this generation's model, starting with the prompt
    /// word (the corpus's most frequent word); at generation 0 a real excerpt of the training
    /// part starting at a sentence that begins with the prompt word (when there is one).
    pub passage: Vec<PassageWord>,
    /// Words of the human training part the model can no longer produce, most frequent first,
    /// at most [`MAX_LOST_WORDS`].
    pub lost_words: Vec<String>,
    /// How many such words there are in all.
    pub lost_count: usize,
}

/// The passage as `[[word, rare], ...]` and the lost words.
impl GenerationView for TextView {
    fn details(&self) -> String {
        #[derive(serde::Serialize)]
        struct Details<'a> {
            passage: Vec<(&'a str, bool)>,
            lost_words: &'a [String],
            lost_count: usize,
        }
        let passage = self.passage.iter().map(|w| (w.text.as_str(), w.rare)).collect();
        let details = Details { passage, lost_words: &self.lost_words, lost_count: self.lost_count };
        serde_json::to_string(&details).unwrap_or_default()
    }
}

impl Text {
    /// The view of `model`.
    pub(super) fn text_view(&self, model: &TextModel) -> TextView {
        let passage = self
            .passage(model)
            .into_iter()
            .map(|id| PassageWord { text: self.corpus.token(id).to_string(), rare: self.corpus.is_rare(id) })
            .collect();
        let lost: Vec<u32> = (FIRST_WORD..self.boundary)
            .filter(|&id| self.corpus.training_count(id) > 0 && model.count(id) == 0)
            .collect();
        TextView {
            passage,
            lost_words: lost.iter().take(MAX_LOST_WORDS).map(|&id| self.corpus.token(id).to_string()).collect(),
            lost_count: lost.len(),
        }
    }

    /// The passage's tokens (see [`TextView::passage`]). Its generator has a fixed seed at
    /// generation 0 and is seeded from the model's counts after, so a model always shows the
    /// same passage.
    fn passage(&self, model: &TextModel) -> Vec<u32> {
        if model.is_human() {
            let sentences = self.corpus.training_sentence_ends().len();
            if sentences == 0 {
                return Vec::new();
            }
            let mut rng = replicate_rng(PASSAGE_SALT, 0);
            let starts: Vec<usize> =
                (0..sentences).filter(|&i| self.prompt.is_some_and(|p| self.training_sentence(i)[0] == p)).collect();
            let first = if starts.is_empty() {
                rng.random_range(0..sentences)
            } else {
                starts[rng.random_range(0..starts.len())]
            };
            let mut batch = TextBatch::default();
            self.excerpt(&mut batch, first, PASSAGE_TOKENS, usize::MAX);
            return batch.tokens;
        }
        let fp = model.0.fingerprint;
        let mut rng = replicate_rng(fp as u32 ^ PASSAGE_SALT, (fp >> 32) as u32);
        self.generate_text(model, PASSAGE_TOKENS, &self.bias, self.prompt, &mut rng).tokens
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::fixtures::{batch, corpus, small_text};
    use super::*;
    use crate::scenario::{FamilyKey, Scenario};
    use crate::sim::Family;

    #[test]
    fn views_show_a_prompted_passage_and_the_lost_words() {
        let c = corpus(&small_text());
        let scenario = Scenario { samples: 300, ..Scenario::default_for(FamilyKey::named("text")) };
        let f = Text::new(&scenario, Arc::clone(&c));
        assert_eq!(f.prompt(), Some(c.ranked_words()[0].as_str()));
        let human = f.human_model();
        let v0 = f.view(&human, &human, None, None);
        assert_eq!(v0.passage.len(), PASSAGE_TOKENS);
        assert_eq!(v0.passage[0].text, c.ranked_words()[0]);
        assert_eq!((v0.lost_count, v0.lost_words.len()), (0, 0));
        // The generation-0 passage is real training text.
        let text: Vec<u32> = v0.passage.iter().map(|w| c.id(&w.text).unwrap()).collect();
        let training = c.training_tokens();
        assert!(training.windows(20).any(|w| w == &text[..20]));
        // A model trained on one sentence lost most words; its passage starts with the prompt.
        let mut stats = f.empty_stats();
        let only: Vec<u32> = c.training_sentences().next().unwrap().to_vec();
        f.add(&mut stats, &batch(&[&only], false));
        let m = f.fit(&stats);
        let v = f.view(&m, &human, None, None);
        let again = f.view(&m, &human, None, None);
        assert_eq!(v, again, "the passage is reproducible");
        assert_eq!(v.passage.len(), PASSAGE_TOKENS);
        assert_eq!(v.passage[0].text, c.ranked_words()[0]);
        let producible = (FIRST_WORD..c.type_count() as u32).filter(|&i| c.training_count(i) > 0).count();
        assert_eq!(v.lost_count, producible - m.word_types());
        assert!(v.lost_words.len() == v.lost_count.min(MAX_LOST_WORDS));
        let rank = |w: &String| c.id(w).unwrap();
        assert!(v.lost_words.windows(2).all(|w| rank(&w[0]) < rank(&w[1])), "most frequent first");
        assert!(v0.passage.iter().all(|w| w.rare == c.is_rare(c.id(&w.text).unwrap())));
    }
}

//! Picks the model family a scenario names and runs it: the one entry point shared by the page,
//! the command line, the benchmarks and the tests.

use std::sync::Arc;

use crate::corpus::Corpus;
use crate::rng::replicate_rng;
use crate::scenario::{ModelKind, Scenario};
use crate::sim::gaussian::{Form, Gaussian};
use crate::sim::text::Text;
use crate::sim::tokens::Tokens;
use crate::sim::{simulate, Run};

/// A scenario made ready to run: the family is built once (its constants computed, the corpus
/// model trained), then any number of replicates can run from it.
/// The metric that answers "how far has collapse gone" for each family: the bell curve's
/// distance to the human distribution (its variance can shrink to nothing or, with a hot model,
/// explode), the number of words that survive, the words the text model can still write.
pub fn diversity_metric(model: ModelKind) -> &'static str {
    match model {
        ModelKind::Gaussian => "w2_to_human",
        ModelKind::Tokens => "surviving_types",
        ModelKind::Text => "types",
    }
}

/// One family per model (a single model has one; with several, model k's family carries its
/// own bias and form from `scenario.for_model(k)`).
pub enum Experiment {
    Gaussian(Vec<Gaussian>),
    Tokens(Vec<Tokens>),
    Text(Vec<Text>),
}

impl Experiment {
    /// `corpus` is the human text: the text model trains on it and the token model labels its
    /// types with its words, most frequent first (without it, types are labelled `#rank`).
    pub fn new(scenario: &Scenario, corpus: Option<&Arc<Corpus>>) -> Result<Experiment, String> {
        let models: Vec<Scenario> = (0..scenario.model_count).map(|k| scenario.for_model(k)).collect();
        Ok(match scenario.model {
            ModelKind::Gaussian => Experiment::Gaussian(
                (0..scenario.model_count)
                    .map(|k| {
                        let form = if scenario.model_bias(k).gaussian_mixture { Form::Mixture } else { Form::Single };
                        Gaussian::new(&models[k as usize]).with_form(form)
                    })
                    .collect(),
            ),
            ModelKind::Tokens => {
                // The Zipf law and labels are the same for every model (biases are passed per call).
                let labels = corpus.map(|c| c.ranked_words()).unwrap_or(&[]);
                Experiment::Tokens(vec![Tokens::new(&models[0], labels); models.len()])
            }
            ModelKind::Text => {
                let corpus = corpus.ok_or("the text model needs a human corpus (none is loaded)")?;
                // Fitting generation 0 to the book is the costly part: once per n-gram order, then
                // each model takes that fit with its own bias.
                let mut by_order: Vec<Text> = Vec::new();
                let mut families = Vec::with_capacity(models.len());
                for m in &models {
                    let order = m.ngram_order.clamp(1, 3) as usize;
                    let i = match by_order.iter().position(|t| t.order() == order) {
                        Some(i) => i,
                        None => {
                            by_order.push(Text::new(m, Arc::clone(corpus)));
                            by_order.len() - 1
                        }
                    };
                    families.push(by_order[i].with_scenario(m));
                }
                Experiment::Text(families)
            }
        })
    }

    /// Replicate `replicate` of `scenario` (stream `replicate` of its seed).
    pub fn run(&self, scenario: &Scenario, replicate: u32, with_views: bool) -> Run {
        let mut rng = replicate_rng(scenario.seed, replicate);
        match self {
            Experiment::Gaussian(families) => simulate(families, scenario, &mut rng, with_views),
            Experiment::Tokens(families) => simulate(families, scenario, &mut rng, with_views),
            Experiment::Text(families) => simulate(families, scenario, &mut rng, with_views),
        }
    }
}

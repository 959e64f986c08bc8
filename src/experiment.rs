//! Picks the model family a scenario names and runs it: the one entry point shared by the page,
//! the command line, the benchmarks and the tests.

use std::sync::Arc;

use crate::corpus::Corpus;
use crate::rng::replicate_rng;
use crate::scenario::{ModelKind, Scenario};
use crate::sim::gaussian::Gaussian;
use crate::sim::text::Text;
use crate::sim::tokens::Tokens;
use crate::sim::{simulate, Run};

/// A scenario made ready to run: the family is built once (its constants computed, the corpus
/// model trained), then any number of replicates can run from it.
pub enum Experiment {
    Gaussian(Gaussian),
    Tokens(Tokens),
    Text(Text),
}

impl Experiment {
    /// `corpus` is the human text: the text model trains on it and the token model labels its
    /// types with its words, most frequent first (without it, types are labelled `#rank`).
    pub fn new(scenario: &Scenario, corpus: Option<&Arc<Corpus>>) -> Result<Experiment, String> {
        Ok(match scenario.model {
            ModelKind::Gaussian => Experiment::Gaussian(Gaussian::new(scenario)),
            ModelKind::Tokens => {
                Experiment::Tokens(Tokens::new(scenario, corpus.map(|c| c.ranked_words()).unwrap_or(&[])))
            }
            ModelKind::Text => {
                let corpus = corpus.ok_or("the text model needs a human corpus (none is loaded)")?;
                Experiment::Text(Text::new(scenario, Arc::clone(corpus)))
            }
        })
    }

    /// Replicate `replicate` of `scenario` (stream `replicate` of its seed).
    pub fn run(&self, scenario: &Scenario, replicate: u32, with_views: bool) -> Run {
        let mut rng = replicate_rng(scenario.seed, replicate);
        match self {
            Experiment::Gaussian(f) => simulate(f, scenario, &mut rng, with_views),
            Experiment::Tokens(f) => simulate(f, scenario, &mut rng, with_views),
            Experiment::Text(f) => simulate(f, scenario, &mut rng, with_views),
        }
    }
}

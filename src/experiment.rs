//! Picks the model family a scenario names and runs it: the one entry point shared by the page,
//! the command line, the benchmarks and the tests.

use crate::rng::replicate_rng;
use crate::scenario::{ModelKind, Scenario};
use crate::sim::gaussian::Gaussian;
use crate::sim::tokens::Tokens;
use crate::sim::{simulate, Run};

/// A scenario made ready to run: the family is built once (its constants computed), then any
/// number of replicates can run from it.
pub enum Experiment {
    Gaussian(Gaussian),
    Tokens(Tokens),
}

impl Experiment {
    pub fn new(scenario: &Scenario) -> Result<Experiment, String> {
        match scenario.model {
            ModelKind::Gaussian => Ok(Experiment::Gaussian(Gaussian::new(scenario))),
            ModelKind::Tokens => Ok(Experiment::Tokens(Tokens::new(scenario, &[]))),
            other => Err(format!("model {other:?} is not available yet")),
        }
    }

    /// Replicate `replicate` of `scenario` (stream `replicate` of its seed).
    pub fn run(&self, scenario: &Scenario, replicate: u32, with_views: bool) -> Run {
        let mut rng = replicate_rng(scenario.seed, replicate);
        match self {
            Experiment::Gaussian(f) => simulate(f, scenario, &mut rng, with_views),
            Experiment::Tokens(f) => simulate(f, scenario, &mut rng, with_views),
        }
    }
}

/// Builds the family and runs one replicate.
pub fn run_replicate(scenario: &Scenario, replicate: u32, with_views: bool) -> Result<Run, String> {
    Ok(Experiment::new(scenario)?.run(scenario, replicate, with_views))
}

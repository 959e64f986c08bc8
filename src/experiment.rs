//! A scenario made ready to run: the one entry point shared by the page, the command line, the
//! analyses, the benchmarks and the tests.
//!
//! The registry ([`crate::families`]) builds a scenario into a [`Simulation`]: the family's
//! models (each with its own bias and form, computed once here) and the loop's settings. Any
//! number of replicates then run from it, with or without the per-generation views the page draws.

use std::any::Any;
use std::ops::Range;
use std::sync::Arc;

use crate::corpus::Corpus;
use crate::families::{FamilyInfo, HumanText};
use crate::render::{DrawResult, DrawView, Target};
use crate::rng::replicate_rng;
use crate::scenario::Scenario;
use crate::sim::{
    simulate_flat, simulate_observed, Computed, Family, FlatRun, GenerationView, Lockstep, LoopConfig, ModelSpec, Run,
    TheoryCurve,
};

/// A built scenario of some family, ready to run replicates.
pub trait Simulation: Send + Sync {
    /// Replicate `replicate` (stream `replicate` of the scenario's seed), metrics only.
    fn run(&self, replicate: u32) -> Run;
    /// The same metrics into `out`, its memory reused (no allocation per generation).
    fn run_flat(&self, replicate: u32, out: &mut FlatRun);
    /// The same replicate with each generation's view (identical metrics).
    fn run_with_views(&self, replicate: u32) -> ViewedRun;
    /// The same replicate with views, handing each generation to `observe` as it is computed
    /// (the page streams them); returns the metrics.
    fn run_streaming(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run;
    /// The same replicate without views, handing each generation's metrics to `observe` as they
    /// are computed (the command line prints them); returns the metrics.
    fn run_watched(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run;
    /// Replicates `replicates` advanced together a generation at a time, their rows those of
    /// [`Simulation::run_flat`] from generation 1 on; `None` where the scenario's runs take the
    /// general loop (see [`crate::sim::lockstep`]).
    fn lockstep(&self, replicates: Range<u32>) -> Option<Box<dyn Lockstep + '_>>;
    /// The closed forms that apply to every replicate.
    fn theory(&self) -> Arc<Vec<TheoryCurve>>;
}

/// A run and what the page shows of each of its generations.
pub struct ViewedRun {
    pub run: Run,
    /// `views[t]`: generation t's view (of the pool, with several models).
    pub views: Vec<Box<dyn ShownView>>,
}

impl std::ops::Deref for ViewedRun {
    type Target = Run;
    fn deref(&self) -> &Run {
        &self.run
    }
}

/// A family's view of one generation, as the page uses it: its details and its chart.
pub trait ShownView: Send + Sync {
    /// See [`GenerationView::details`].
    fn details(&self) -> String;
    /// Draws the view on `target`; `reference` is generation 0's view of the same run.
    fn draw(&self, reference: &dyn ShownView, target: Target<'_, '_>, generation: usize, scale: f64) -> DrawResult;
    fn as_any(&self) -> &dyn Any;
    /// The view in the compact form the page's worker sends (see [`crate::stream`]); the family's
    /// [`crate::families::FamilyInfo::decode_view`] reads it back.
    fn encode(&self) -> Vec<u8>;
}

/// Reads back a view of type `V` encoded by [`ShownView::encode`].
pub fn decode_view<V: ShownView + serde::de::DeserializeOwned + 'static>(
    bytes: &[u8],
) -> Result<Box<dyn ShownView>, String> {
    let view: V = postcard::from_bytes(bytes).map_err(|e| format!("a view could not be read ({e})"))?;
    Ok(Box::new(view))
}

impl<V: GenerationView + DrawView + serde::Serialize + Send + Sync + 'static> ShownView for V {
    fn details(&self) -> String {
        GenerationView::details(self)
    }

    fn draw(&self, reference: &dyn ShownView, target: Target<'_, '_>, generation: usize, scale: f64) -> DrawResult {
        let reference = reference.as_any().downcast_ref::<V>().ok_or("the reference view is of another family")?;
        DrawView::draw(self, reference, target, generation, scale)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a view serialises")
    }
}

/// The models of one run of a family `F`, with the scenario they came from.
pub struct Lineages<F: Family> {
    scenario: Scenario,
    config: LoopConfig,
    models: Vec<ModelSpec<F>>,
    /// The family the pool of several models is fitted and measured with: the scenario's own.
    pool: F,
    theory: Arc<Vec<TheoryCurve>>,
}

impl<F: Family> Lineages<F> {
    /// `models[k]` is model k, built from `scenario` with its own form and blind spot; `pool` is
    /// the family at the scenario's own settings.
    pub fn new(scenario: &Scenario, models: Vec<ModelSpec<F>>, pool: F) -> Lineages<F> {
        assert!(!models.is_empty(), "a run has at least one model");
        let theory = Arc::new(pool.theory(scenario));
        Lineages { scenario: scenario.clone(), config: LoopConfig::of(scenario), models, pool, theory }
    }

    fn simulate(
        &self,
        replicate: u32,
        with_views: bool,
        observe: Option<crate::sim::Observer<'_, F::View>>,
    ) -> (Run, Vec<F::View>) {
        let mut rng = replicate_rng(self.scenario.seed, replicate);
        let (mut run, views) = simulate_observed(&self.models, &self.pool, &self.config, &mut rng, with_views, observe);
        run.theory = self.theory.clone();
        (run, views)
    }
}

impl<F: Family> Lineages<F>
where
    F::View: ShownView + 'static,
{
    /// Replicate `replicate`, each generation handed to `observe` as it is computed (with its
    /// view when `with_views`).
    fn observed(&self, replicate: u32, with_views: bool, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run {
        let mut typed = |c: Computed<'_, F::View>| {
            observe(Computed {
                generation: c.generation,
                metric_names: c.metric_names,
                metrics: c.metrics,
                lineages: c.lineages,
                view: c.view.map(|v| v as &dyn ShownView),
            })
        };
        self.simulate(replicate, with_views, Some(&mut typed)).0
    }
}

impl<F> Simulation for Lineages<F>
where
    F: Family + Send + Sync,
    F::View: ShownView + 'static,
    F::Model: Send + Sync,
{
    fn run(&self, replicate: u32) -> Run {
        self.simulate(replicate, false, None).0
    }

    fn run_flat(&self, replicate: u32, out: &mut FlatRun) {
        let mut rng = replicate_rng(self.scenario.seed, replicate);
        simulate_flat(&self.models, &self.pool, &self.config, &mut rng, out);
    }

    fn run_with_views(&self, replicate: u32) -> ViewedRun {
        let (run, views) = self.simulate(replicate, true, None);
        ViewedRun { run, views: views.into_iter().map(|v| Box::new(v) as Box<dyn ShownView>).collect() }
    }

    fn run_streaming(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run {
        self.observed(replicate, true, observe)
    }

    fn run_watched(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run {
        self.observed(replicate, false, observe)
    }

    fn lockstep(&self, replicates: Range<u32>) -> Option<Box<dyn Lockstep + '_>> {
        let rngs = replicates.map(|r| replicate_rng(self.scenario.seed, r));
        crate::sim::lockstep(&self.models, &self.config, rngs)
    }

    fn theory(&self) -> Arc<Vec<TheoryCurve>> {
        self.theory.clone()
    }
}

/// A scenario built by its family, ready to run.
pub struct Experiment {
    scenario: Scenario,
    family: &'static FamilyInfo,
    simulation: Box<dyn Simulation>,
}

impl Experiment {
    /// Builds `scenario` with the family it names. `human` is the human text: a family that
    /// trains on it needs it; one that labels its types with its words uses it when given.
    pub fn new(scenario: &Scenario, human: Option<&Arc<Corpus>>) -> Result<Experiment, String> {
        let family = scenario.model.family();
        if family.human_text == HumanText::Required && human.is_none() {
            return Err(format!("the {} model needs a human text (none is loaded)", family.key));
        }
        let simulation = (family.prepare)(scenario, human)?;
        Ok(Experiment { scenario: scenario.clone(), family, simulation })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn family(&self) -> &'static FamilyInfo {
        self.family
    }

    /// Replicate `replicate` (stream `replicate` of the scenario's seed).
    pub fn run(&self, replicate: u32) -> Run {
        self.simulation.run(replicate)
    }

    /// [`Self::run`] into `out` (the same metrics, the rows of the pool back to back), reusing
    /// its memory: many replicates without an allocation per generation.
    pub fn run_flat(&self, replicate: u32, out: &mut FlatRun) {
        self.simulation.run_flat(replicate, out)
    }

    /// Replicates `replicates` advanced together, a generation at a time: their rows are those of
    /// [`Self::run_flat`] from generation 1 on (generation 0, the human distribution's, is every
    /// replicate's). `None` where the scenario's runs take the general loop: several models, a
    /// filter, a web, fixed human data or a model form without a loop on drawn statistics.
    pub fn lockstep(&self, replicates: Range<u32>) -> Option<Box<dyn Lockstep + '_>> {
        self.simulation.lockstep(replicates)
    }

    /// The control arm of this experiment (see [`Scenario::control`]), built with the same human
    /// text.
    pub fn control(&self, human: Option<&Arc<Corpus>>) -> Result<Experiment, String> {
        Experiment::new(&self.scenario.control(), human)
    }

    /// Replicate `replicate` with the views the page draws (the same metrics as [`Self::run`]).
    pub fn run_with_views(&self, replicate: u32) -> ViewedRun {
        self.simulation.run_with_views(replicate)
    }

    /// The closed forms that apply to every replicate of this experiment.
    pub fn theory(&self) -> Arc<Vec<TheoryCurve>> {
        self.simulation.theory()
    }

    /// [`Self::run_with_views`], handing each generation to `observe` as soon as it is computed
    /// (the views go to the observer only); returns the metrics.
    pub fn run_streaming(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run {
        self.simulation.run_streaming(replicate, observe)
    }

    /// [`Self::run`], handing each generation's metrics to `observe` as soon as they are computed
    /// (no views); returns the metrics.
    pub fn run_watched(&self, replicate: u32, observe: &mut dyn FnMut(Computed<'_, dyn ShownView>)) -> Run {
        self.simulation.run_watched(replicate, observe)
    }
}

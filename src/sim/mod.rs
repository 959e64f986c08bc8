//! The generation loop, one for every model family.
//!
//! Generation 0 is the human distribution itself (the "model" of generation 0 is exact; the page
//! shows a fresh human draw of `samples` items as the reference). Each generation t ≥ 1 then:
//! 1. draws `round(human_fraction * samples)` items fresh from the human distribution;
//! 2. lets generation t-1's model generate the rest (with its sampling bias), oversampling by
//!    `1 / filter.keep` and keeping that share through the filter, so the set stays `samples`;
//! 3. adds both to the training statistics (`replace` starts them afresh each generation,
//!    `accumulate` keeps everything gathered so far) and fits generation t's model to them.
//!
//! A family supplies its model, its batch of samples, and additive sufficient statistics (the
//! running sums that maximum likelihood needs), so `accumulate` costs no more than `replace`.
//! A run holds one or more models side by side (a single model is a pool of one); see
//! [`simulate`].

pub mod blind_spot;
mod family;
pub mod gaussian;
pub mod text;
pub mod tokens;
pub mod web;

use rand::{Rng, SeedableRng};

pub use family::{Bias, Family, GenerationView, Lockstep, Run, Selection, TheoryCurve, MAX_LOST_WORDS};

use crate::rng::SimRng;
use crate::scenario::{DataRegime, HumanData, Scenario};
use web::{Web, WEB_METRICS};

/// Whether a multi-model scenario pools *independent, identical* lineages: several models that
/// never read each other's output (`shared_pool` 0), with no spread of biases and a clean web.
/// Then the pool's expectation follows from one lineage's (see the families' `theory`).
pub fn independent_identical_lineages(scenario: &Scenario) -> bool {
    scenario.model_count > 1
        && scenario.shared_pool == 0.0
        && scenario.model_spread == 0.0
        && scenario.blind_spot == 0.0
        && !web::web_active(scenario)
}

/// One model of a run: its family (with its own form: n-gram order, single normal or mixture)
/// and the sampling bias it generates with. Built once, where the run is set up.
pub struct ModelSpec<F> {
    pub family: F,
    pub bias: Bias,
}

/// The loop's settings, read once from the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopConfig {
    pub generations: usize,
    /// Training-set size per generation (per model).
    pub samples: usize,
    /// Fresh human (or scraped) items per training set.
    pub scraped: usize,
    /// Synthetic items per training set, after the filter.
    pub synthetic: usize,
    /// Synthetic items generated before the filter (`synthetic / keep` when filtering).
    pub generated: usize,
    /// Of the generated items, how many come from the pool of all models.
    pub from_pool: usize,
    /// The filter on synthetic data, if any.
    pub filter: Option<Selection>,
    pub accumulate: bool,
    /// The contaminated web and the detector, when active.
    pub web: Option<Web>,
    /// The human share is one sample drawn at generation 1 and reused (`human_data = fixed`).
    pub fixed_human: bool,
}

impl LoopConfig {
    pub fn of(scenario: &Scenario) -> LoopConfig {
        let samples = scenario.samples as usize;
        let scraped = scenario.human_count().min(samples);
        let synthetic = samples - scraped;
        let filter = Selection::of(scenario.filter.kind).filter(|_| synthetic > 0);
        let generated =
            if filter.is_some() { (synthetic as f64 / scenario.filter.keep).ceil() as usize } else { synthetic };
        // With one model the pool is the model itself, so `shared_pool` changes nothing.
        let from_pool =
            if scenario.model_count > 1 { (scenario.shared_pool * generated as f64).round() as usize } else { 0 };
        LoopConfig {
            generations: scenario.generations as usize,
            samples,
            scraped,
            synthetic,
            generated,
            from_pool,
            filter,
            accumulate: scenario.data == DataRegime::Accumulate,
            web: Web::of(scenario),
            fixed_human: scenario.human_data == HumanData::Fixed,
        }
    }
}

/// One model's lineage during a run: its current model and, when accumulating, the statistics
/// of everything it has trained on.
struct Lineage<'a, F: Family> {
    spec: &'a ModelSpec<F>,
    model: F::Model,
    gathered: Option<F::Stats>,
    /// With fixed human data, the scrape of generation 1, reused every generation.
    fixed: Option<Scrape<F>>,
}

/// One training set's scraped share: the human items kept, the model-written items that passed
/// the detector (on a contaminated web), and the web columns (the real human share of the new
/// training data and its size).
struct Scrape<F: Family> {
    human: F::Batch,
    contaminated: Option<F::Batch>,
    web_row: [f64; 2],
}

/// `count` items drawn from the pool of the previous generation's models: each item comes from
/// a model chosen uniformly (the pooled output of equally productive models), so the counts per
/// model are one multinomial draw.
fn draw_from_pool<F: Family>(lineages: &[Lineage<F>], count: usize, rng: &mut SimRng) -> F::Batch {
    let writers: Vec<(&ModelSpec<F>, &F::Model)> = lineages.iter().map(|l| (l.spec, &l.model)).collect();
    draw_from(&writers, count, rng)
}

/// `count` items written by `writers` (each model's specification and fitted model), each item
/// by a writer chosen uniformly.
fn draw_from<F: Family>(writers: &[(&ModelSpec<F>, &F::Model)], count: usize, rng: &mut SimRng) -> F::Batch {
    let k = writers.len();
    let shares = crate::sampling::multinomial(count as u64, &vec![1.0 / k as f64; k], rng);
    let (first, first_model) = writers[0];
    let mut batch = first.family.generate(first_model, shares[0] as usize, &first.bias, rng);
    for (&(spec, model), &n) in writers.iter().zip(&shares).skip(1) {
        if n > 0 {
            let part = spec.family.generate(model, n as usize, &spec.bias, rng);
            first.family.merge(&mut batch, part);
        }
    }
    batch
}

/// Adds to `stats` the statistics of `count` items from the pool of the previous generation's
/// models (the counts per model as in [`draw_from_pool`]), drawn as statistics where the writer
/// can ([`Family::draw_stats`]) and generated otherwise.
fn add_from_pool<F: Family>(
    lineages: &[Lineage<F>],
    receiver: &F,
    count: usize,
    stats: &mut F::Stats,
    rng: &mut SimRng,
) {
    let k = lineages.len();
    let shares = crate::sampling::multinomial(count as u64, &vec![1.0 / k as f64; k], rng);
    for (lineage, &n) in lineages.iter().zip(&shares).filter(|(_, n)| **n > 0) {
        let (family, bias) = (&lineage.spec.family, &lineage.spec.bias);
        match family.draw_stats(&lineage.model, n as usize, bias, rng) {
            Some(part) => receiver.add_stats(stats, &part),
            None => receiver.add(stats, &family.generate(&lineage.model, n as usize, bias, rng)),
        }
    }
}

/// The models of past generations, as the writers of the web's model text: `generations[i]` holds
/// the models of generation `first + i`, at most `capacity` generations (the oldest are forgotten;
/// their text is then drawn from the oldest writers kept, see [`Web::writers_kept`]).
struct WebWriters<M> {
    first: usize,
    generations: std::collections::VecDeque<Vec<M>>,
    capacity: usize,
}

impl<M: Clone> WebWriters<M> {
    fn remember(&mut self, generation: usize, models: Vec<M>) {
        if self.generations.is_empty() {
            self.first = generation;
        }
        self.generations.push_back(models);
        if self.generations.len() > self.capacity {
            self.generations.pop_front();
            self.first += 1;
        }
    }

    /// The models of generation `s` (or the oldest kept).
    fn of(&self, s: usize) -> &[M] {
        let i = s.saturating_sub(self.first).min(self.generations.len() - 1);
        &self.generations[i]
    }
}

/// `count` > 0 items of model text scraped at generation t: each from the generation s < t that
/// wrote it (chosen uniformly: every generation added an equal increment to the web), by one of
/// that generation's models.
fn draw_web_text<F: Family>(
    specs: &[ModelSpec<F>],
    writers: &WebWriters<F::Model>,
    count: usize,
    generation: usize,
    rng: &mut SimRng,
) -> F::Batch
where
    F::Model: Clone,
{
    let by = |s: usize| -> Vec<(&ModelSpec<F>, &F::Model)> { specs.iter().zip(writers.of(s)).collect() };
    let counts = web::authors(count, generation, rng);
    let mut batch: Option<F::Batch> = None;
    for (i, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let part = draw_from(&by(i + 1), n as usize, rng);
        match batch.as_mut() {
            Some(all) => specs[0].family.merge(all, part),
            None => batch = Some(part),
        }
    }
    batch.expect("count > 0 items from some generation")
}

/// A generation's new model of one lineage, with what it trained on.
struct Fitted<F: Family> {
    model: F::Model,
    /// The statistics to carry on (`accumulate` only).
    gathered: Option<F::Stats>,
    /// The web columns: the real human share of the new training data, and its size.
    web_row: [f64; 2],
    /// The scrape to keep for the following generations (fixed human data, generation 1).
    keep_scrape: Option<Scrape<F>>,
}

/// Runs models side by side for `config.generations` generations. `models[k]` is model k (one
/// for a single model); `pool` is the family the pool is measured with. `with_views` keeps each
/// generation's drawing data (the page); the command line and the statistical tests leave it off.
///
/// Each generation every model k assembles its own training set: the scraped human share, then
/// its synthetic share, of which `from_pool` items come from the pool (the previous generation's
/// models, equally) and the rest from model k itself. With several models the pool of the new
/// generation is then measured by fitting one model of the `pool` family to `samples` items of
/// output from each model, pooled: what anyone training on that web learns. A single model is a
/// pool of one: the pool is the model, measured as it is.
///
/// The web (when active): the scraped share at generation t holds a share c (t-1)/t of text
/// written by models (each item by the generation that wrote it, see [`draw_web_text`]), and a
/// detector drops or down-weights what it flags (see [`web::Web::scrape`]).
pub fn simulate<F: Family>(
    models: &[ModelSpec<F>],
    pool: &F,
    config: &LoopConfig,
    rng: &mut SimRng,
    with_views: bool,
) -> (Run, Vec<F::View>) {
    simulate_observed(models, pool, config, rng, with_views, None)
}

/// What a run has just computed: generation `generation`'s metrics (of the pool, or the single
/// model), each model's own (several models only) and its view (when views are on).
pub struct Computed<'a, V: ?Sized> {
    pub generation: usize,
    /// The run's columns (as [`Run::metric_names`]).
    pub metric_names: &'a [&'static str],
    pub metrics: &'a [f64],
    pub lineages: Vec<&'a [f64]>,
    pub view: Option<&'a V>,
}

/// Something that watches a run generation by generation (the page streams generations with it).
pub type Observer<'o, V> = &'o mut dyn FnMut(Computed<'_, V>);

/// Where a run's rows of metrics go, one row per generation from 0.
pub trait Rows {
    /// Appends a row of `width` zeros and returns it.
    fn push_zeroed(&mut self, width: usize) -> &mut [f64];
    /// Row `t`.
    fn row(&self, t: usize) -> &[f64];
    /// Appends `row`.
    fn push(&mut self, row: &[f64]) {
        self.push_zeroed(row.len()).copy_from_slice(row);
    }
    /// Appends `rows` rows of `width` zeros and returns them back to back, where rows are stored
    /// so; otherwise `None`, and nothing is appended.
    fn push_zeroed_block(&mut self, _width: usize, _rows: usize) -> Option<&mut [f64]> {
        None
    }
}

/// A row per allocation, as [`Run::metrics`] holds them.
impl Rows for Vec<Vec<f64>> {
    fn push_zeroed(&mut self, width: usize) -> &mut [f64] {
        // Not `vec![0.0; width]`: a zeroed allocation bypasses the allocator's thread cache.
        let mut row = Vec::with_capacity(width);
        row.resize(width, 0.0);
        self.push(row);
        self.last_mut().expect("just pushed")
    }

    fn row(&self, t: usize) -> &[f64] {
        &self[t]
    }
}

/// Rows of one width back to back in one vector: a run of many generations without an
/// allocation per generation (the command line reuses one for all the runs of a thread).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlatRows {
    pub width: usize,
    /// Row t is `values[t * width..(t + 1) * width]`.
    pub values: Vec<f64>,
}

impl FlatRows {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.width).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl Rows for FlatRows {
    fn push_zeroed(&mut self, width: usize) -> &mut [f64] {
        debug_assert!(self.values.is_empty() || self.width == width, "rows of one width");
        self.width = width;
        let start = self.values.len();
        self.values.resize(start + width, 0.0);
        &mut self.values[start..]
    }

    fn row(&self, t: usize) -> &[f64] {
        &self.values[t * self.width..(t + 1) * self.width]
    }

    fn push(&mut self, row: &[f64]) {
        debug_assert!(self.values.is_empty() || self.width == row.len(), "rows of one width");
        self.width = row.len();
        self.values.extend_from_slice(row);
    }

    fn push_zeroed_block(&mut self, width: usize, rows: usize) -> Option<&mut [f64]> {
        debug_assert!(self.values.is_empty() || self.width == width, "rows of one width");
        self.width = width;
        let start = self.values.len();
        self.values.resize(start + width * rows, 0.0);
        Some(&mut self.values[start..])
    }
}

/// A run's metrics as [`Run`] holds them, the rows of the pool (or single model) in one
/// [`FlatRows`]; filled by [`simulate_flat`] (the same numbers as [`simulate`]).
#[derive(Clone, Debug, Default)]
pub struct FlatRun {
    pub metric_names: Vec<&'static str>,
    pub metrics: FlatRows,
    /// `lineages[k][t][m]` (empty with a single model).
    pub lineages: Vec<Vec<Vec<f64>>>,
}

/// [`simulate`] without views into `out` (its earlier contents replaced, its memory reused).
pub fn simulate_flat<F: Family>(
    models: &[ModelSpec<F>],
    pool: &F,
    config: &LoopConfig,
    rng: &mut SimRng,
    out: &mut FlatRun,
) {
    out.metrics.values.clear();
    let (names, lineages, _) = simulate_into(models, pool, config, rng, false, None, &mut out.metrics);
    out.metric_names = names;
    out.lineages = lineages;
}

/// [`simulate`], handing each generation to `observe` as soon as it is computed (generation 0
/// first). With an observer the views go to it and are not kept: the returned views are empty.
pub fn simulate_observed<F: Family>(
    models: &[ModelSpec<F>],
    pool: &F,
    config: &LoopConfig,
    rng: &mut SimRng,
    with_views: bool,
    observe: Option<Observer<'_, F::View>>,
) -> (Run, Vec<F::View>) {
    // Into flat rows, as `simulate_flat`: one instance of the loop serves both (in the page's
    // module, each instance of a family's loop is 12–16 KiB).
    let mut flat = FlatRows::default();
    let (metric_names, lineages, views) = simulate_into(models, pool, config, rng, with_views, observe, &mut flat);
    let metrics = flat.values.chunks_exact(flat.width.max(1)).map(<[f64]>::to_vec).collect();
    (Run { metric_names, metrics, lineages, theory: Default::default() }, views)
}

/// The names of the metrics, each lineage's rows (several models only) and the views.
type Simulated<V> = (Vec<&'static str>, Vec<Vec<Vec<f64>>>, Vec<V>);

/// The loop itself, the rows of the pool (or single model) written to `metrics`.
fn simulate_into<F: Family, S: Rows>(
    models: &[ModelSpec<F>],
    pool: &F,
    config: &LoopConfig,
    rng: &mut SimRng,
    with_views: bool,
    mut observe: Option<Observer<'_, F::View>>,
    metrics: &mut S,
) -> Simulated<F::View> {
    let several = models.len() > 1;
    let mut names: Vec<&'static str> = pool.metric_names().to_vec();
    if config.web.is_some() {
        names.extend_from_slice(WEB_METRICS);
    }
    let width = names.len();
    let family_width = pool.metric_names().len();
    let generations = config.generations;
    let mut lineage_metrics: Vec<Vec<Vec<f64>>> =
        vec![Vec::with_capacity(generations + 1); if several { models.len() } else { 0 }];
    let mut views = Vec::new();

    let mut lineages: Vec<Lineage<F>> = models
        .iter()
        .map(|spec| Lineage { spec, model: spec.family.human_model(), gathered: None, fixed: None })
        .collect();
    // What the top-level metrics and views describe: the pool, or the single model itself.
    let shown = if several { pool } else { &models[0].family };
    // A single model's training data is what the page shows of each generation.
    let shows = with_views && !several;
    // The common case, one model trained on statistics drawn directly with nothing to show,
    // filter or scrape from a web, runs in a loop of its own ([`by_stats`]): the same draws in
    // the same order as the general loop below, so the same numbers.
    let simple = !with_views && observe.is_none() && on_drawn_stats(models, config);

    // A row of metrics: the family's, then (on a contaminated web) the real human share and the
    // size of the generation's new training data.
    let row = |family: &F, model: &F::Model, previous: &F::Model, web_row: [f64; 2], row: &mut [f64]| {
        family.measure(model, previous, &mut row[..family_width]);
        if config.web.is_some() {
            row[family_width..].copy_from_slice(&web_row);
        }
    };
    let human_web_row = [1.0, config.samples as f64];
    let human = shown.human_model();
    row(shown, &human, &human, human_web_row, metrics.push_zeroed(width));
    for (k, lineage) in lineages.iter().enumerate().filter(|_| several) {
        let out = lineage_metrics[k].push_zeroed(width);
        row(&lineage.spec.family, &lineage.model, &lineage.model, human_web_row, out);
    }
    // The reference draw shown at generation 0 has its own generator, seeded by one draw from
    // the main stream whether or not views are kept: the page (views on) and the command line
    // (views off) then see identical numbers for the same seed. The same generator draws the
    // shown items of parts whose statistics were drawn directly (`Family::batch_given`).
    let mut reference_rng = SimRng::seed_from_u64(rng.next_u64());
    if with_views {
        let reference = shown.draw_human(config.samples, &mut reference_rng);
        views.push(shown.view(&human, &human, Some(&reference), None));
    }
    // Hands generation t (the last row pushed) to the observer, with its view, which it then owns.
    let mut hand_over = |t: usize, metrics: &[f64], lineages: &[Vec<Vec<f64>>], views: &mut Vec<F::View>| {
        if let Some(observe) = observe.as_mut() {
            let view = views.pop();
            observe(Computed {
                generation: t,
                metric_names: &names,
                metrics,
                lineages: lineages.iter().map(|l| l[t].as_slice()).collect(),
                view: view.as_ref(),
            });
        }
    };
    hand_over(0, metrics.row(0), &lineage_metrics, &mut views);
    if simple {
        by_stats(&models[0], config, rng, metrics, |family, model, previous, out| {
            row(family, model, previous, human_web_row, out)
        });
        return (names, lineage_metrics, views);
    }
    // The models that wrote the web's model text, generation by generation.
    let writes_web = config.web.is_some_and(|w| w.contamination_rate > 0.0);
    let mut writers = WebWriters {
        first: 1,
        generations: Default::default(),
        capacity: Web::writers_kept(config.samples, models.len()),
    };
    // The pool's model of the previous generation (several models only; one model is its own pool).
    let mut pool_model = several.then(|| human.clone());

    // Reused by every generation (no allocation per generation).
    let mut gathered: Vec<Option<F::Stats>> = Vec::with_capacity(lineages.len());
    let mut fitted: Vec<Fitted<F>> = Vec::with_capacity(lineages.len());
    for t in 1..=generations {
        // Accumulated statistics move out for the generation (no copy); the models stay in place,
        // since every lineage may draw from all of them.
        gathered.clear();
        gathered.extend(lineages.iter_mut().map(|l| l.gathered.take()));
        for (k, lineage) in lineages.iter().enumerate() {
            let (family, bias) = (&lineage.spec.family, &lineage.spec.bias);
            // Where nothing needs the items themselves (no filter, a fit from additive statistics),
            // the training statistics are drawn directly (`Family::draw_stats`); what the page
            // shows is then drawn given them from the view generator, never from `rng`, so the
            // page and the command line see the same numbers.
            let by_stats = config.filter.is_none() && family.trains_on_stats();
            let mut stats = gathered[k].take().unwrap_or_else(|| family.empty_stats());
            let human_stats = (by_stats && config.web.is_none() && !config.fixed_human)
                .then(|| family.draw_human_stats(config.scraped, rng))
                .flatten();
            // The scraped share: human, or written by earlier models; then the detector. With
            // fixed human data, generation 1's scrape is reused.
            let fresh = (human_stats.is_none() && lineage.fixed.is_none()).then(|| match &config.web {
                Some(web) => {
                    let scraped = web.scrape(config.scraped, t, rng);
                    let items = scraped.human + scraped.contaminated + config.synthetic;
                    let share = if items > 0 { scraped.human as f64 / items as f64 } else { 0.0 };
                    Scrape {
                        human: family.draw_human(scraped.human, rng),
                        contaminated: Some(if scraped.contaminated > 0 {
                            draw_web_text(models, &writers, scraped.contaminated, t, rng)
                        } else {
                            draw_from_pool(&lineages, 0, rng)
                        }),
                        web_row: [share, items as f64],
                    }
                }
                None => {
                    Scrape { human: family.draw_human(config.scraped, rng), contaminated: None, web_row: human_web_row }
                }
            });
            let mut human_shown: Option<F::Batch> = None;
            let web_row = match &human_stats {
                Some(part) => {
                    family.add_stats(&mut stats, part);
                    if shows {
                        human_shown = Some(family.batch_given(part, &mut reference_rng));
                    }
                    human_web_row
                }
                None => {
                    let scrape = lineage.fixed.as_ref().or(fresh.as_ref()).expect("a scrape, fresh or fixed");
                    family.add(&mut stats, &scrape.human);
                    if let Some(batch) = &scrape.contaminated {
                        family.add(&mut stats, batch);
                    }
                    scrape.web_row
                }
            };
            // The deliberate synthetic share: from the model itself and from the pool.
            let own = config.generated - config.from_pool;
            let own_stats = by_stats.then(|| family.draw_stats(&lineage.model, own, bias, rng)).flatten();
            let synthetic_shown = match own_stats {
                Some(part) => {
                    family.add_stats(&mut stats, &part);
                    if config.from_pool > 0 {
                        add_from_pool(&lineages, family, config.from_pool, &mut stats, rng);
                    }
                    shows.then(|| family.batch_given(&part, &mut reference_rng))
                }
                None => {
                    let mut synthetic = family.generate(&lineage.model, own, bias, rng);
                    if config.from_pool > 0 {
                        family.merge(&mut synthetic, draw_from_pool(&lineages, config.from_pool, rng));
                    }
                    if let Some(kind) = config.filter {
                        synthetic = family.filter(&lineage.model, synthetic, config.synthetic, kind, rng);
                    }
                    family.add(&mut stats, &synthetic);
                    Some(synthetic)
                }
            };
            let model = family.fit(&stats);
            if shows {
                let scrape = lineage.fixed.as_ref().or(fresh.as_ref());
                let human = human_shown.as_ref().or(scrape.map(|s| &s.human));
                views.push(family.view(&model, &lineage.model, human, synthetic_shown.as_ref()));
            }
            let keep_scrape = if config.fixed_human { fresh } else { None };
            let gathered = config.accumulate.then(|| {
                family.carry(&mut stats);
                stats
            });
            fitted.push(Fitted { model, gathered, web_row, keep_scrape });
        }

        if let Some(previous_pool) = pool_model.take() {
            // Measure each lineage, then the pool of the new generation's output.
            let mut pool_stats = pool.empty_stats();
            let mut pooled_output: Option<F::Batch> = None;
            // The pool's web columns: the mean over the models' training data.
            let mut pool_web_row = [0.0; 2];
            for (k, (lineage, new)) in lineages.iter().zip(&fitted).enumerate() {
                let family = &lineage.spec.family;
                row(family, &new.model, &lineage.model, new.web_row, lineage_metrics[k].push_zeroed(width));
                for (sum, x) in pool_web_row.iter_mut().zip(new.web_row) {
                    *sum += x / fitted.len() as f64;
                }
                let bias = &lineage.spec.bias;
                let drawn = pool.trains_on_stats().then(|| family.draw_stats(&new.model, config.samples, bias, rng));
                let output = match drawn.flatten() {
                    Some(part) => {
                        pool.add_stats(&mut pool_stats, &part);
                        with_views.then(|| pool.batch_given(&part, &mut reference_rng))
                    }
                    None => {
                        let output = family.generate(&new.model, config.samples, bias, rng);
                        pool.add(&mut pool_stats, &output);
                        Some(output)
                    }
                };
                if let Some(output) = output.filter(|_| with_views) {
                    match pooled_output.as_mut() {
                        Some(all) => pool.merge(all, output),
                        None => pooled_output = Some(output),
                    }
                }
            }
            let new_pool = pool.fit(&pool_stats);
            row(pool, &new_pool, &previous_pool, pool_web_row, metrics.push_zeroed(width));
            if with_views {
                views.push(pool.view(&new_pool, &previous_pool, None, pooled_output.as_ref()));
            }
            pool_model = Some(new_pool);
        } else {
            let (new, previous) = (&fitted[0], &lineages[0].model);
            row(shown, &new.model, previous, new.web_row, metrics.push_zeroed(width));
        }
        if writes_web {
            writers.remember(t, fitted.iter().map(|new| new.model.clone()).collect());
        }
        hand_over(t, metrics.row(t), &lineage_metrics, &mut views);
        for (lineage, new) in lineages.iter_mut().zip(fitted.drain(..)) {
            lineage.model = new.model;
            lineage.gathered = new.gathered;
            if new.keep_scrape.is_some() {
                lineage.fixed = new.keep_scrape;
            }
        }
    }

    (names, lineage_metrics, views)
}

/// Whether runs of `models` take the loop on drawn statistics when they keep no views ([`by_stats`]):
/// one model trained on statistics drawn directly, with nothing to filter or scrape from a web.
fn on_drawn_stats<F: Family>(models: &[ModelSpec<F>], config: &LoopConfig) -> bool {
    models.len() == 1
        && config.web.is_none()
        && !config.fixed_human
        && config.filter.is_none()
        && config.from_pool == 0
        && models[0].family.trains_on_stats()
}

/// Runs of `models` without views advanced together ([`Family::lockstep`]), one for each
/// generator in `rngs` (a replicate's generator, as [`simulate_flat`] is given it): their rows
/// are those of [`simulate_flat`] from generation 1 on. `None` where the runs take another loop
/// than the family's own on drawn statistics.
pub fn lockstep<'a, F: Family>(
    models: &'a [ModelSpec<F>],
    config: &'a LoopConfig,
    rngs: impl Iterator<Item = SimRng>,
) -> Option<Box<dyn Lockstep + 'a>> {
    if !on_drawn_stats(models, config) {
        return None;
    }
    // The draw that seeds the reference generator, which the loop on drawn statistics never uses
    // (see `simulate_into`).
    let rngs = rngs
        .map(|mut rng| {
            rng.next_u64();
            rng
        })
        .collect();
    models[0].family.lockstep(&models[0].bias, config, rngs)
}

/// Generations 1..=G of one model that trains on statistics drawn directly (see the general loop
/// in [`simulate_into`], whose draws this makes in the same order): no filter, no web, fresh
/// human data, no views. `measure(family, model, previous, row)` writes a row of metrics, the
/// family's own ([`Family::measure`]: with no web there are no others), so a family's own loop
/// ([`Family::loop_on_stats`]) runs instead where it has one.
#[inline(never)]
fn by_stats<F: Family, S: Rows>(
    spec: &ModelSpec<F>,
    config: &LoopConfig,
    rng: &mut SimRng,
    metrics: &mut S,
    measure: impl Fn(&F, &F::Model, &F::Model, &mut [f64]),
) {
    let width = metrics.row(0).len();
    let (family, bias) = (&spec.family, &spec.bias);
    debug_assert_eq!(width, family.metric_names().len(), "no web columns");
    if family.loop_on_stats(bias, config, rng, metrics) {
        return;
    }
    let mut model = family.human_model();
    let mut gathered: Option<F::Stats> = None;
    for _ in 1..=config.generations {
        let mut stats = gathered.take().unwrap_or_else(|| family.empty_stats());
        match family.draw_human_stats(config.scraped, rng) {
            Some(part) => family.add_stats(&mut stats, &part),
            None => family.add(&mut stats, &family.draw_human(config.scraped, rng)),
        }
        match family.draw_stats(&model, config.generated, bias, rng) {
            Some(part) => family.add_stats(&mut stats, &part),
            None => family.add(&mut stats, &family.generate(&model, config.generated, bias, rng)),
        }
        let new = family.fit(&stats);
        measure(family, &new, &model, metrics.push_zeroed(width));
        if config.accumulate {
            family.carry(&mut stats);
            gathered = Some(stats);
        }
        model = new;
    }
}

/// Runs one model of `family` with no bias of its own beyond the scenario's: the single-model
/// case of [`simulate`], for tests and benchmarks that hold a family directly.
pub fn simulate_one<F: Family + Clone>(
    family: &F,
    scenario: &Scenario,
    rng: &mut SimRng,
    with_views: bool,
) -> (Run, Vec<F::View>) {
    let spec = ModelSpec { family: family.clone(), bias: scenario.sampling_bias() };
    let (mut run, views) = simulate(std::slice::from_ref(&spec), family, &LoopConfig::of(scenario), rng, with_views);
    run.theory = std::sync::Arc::new(family.theory(scenario));
    (run, views)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_rng;
    use crate::sim::gaussian::{Gaussian, GaussianModel};

    #[test]
    fn the_loop_on_drawn_statistics_gives_the_general_loops_numbers() {
        use crate::scenario::DataRegime;
        let scenarios = [
            Scenario::default(),
            Scenario { data: DataRegime::Accumulate, human_fraction: 0.2, samples: 30, ..Scenario::default() },
        ];
        for scenario in scenarios {
            let family = Gaussian::new(&scenario);
            // Without views the run takes `by_stats`; with them, the general loop.
            let (fast, _) = simulate_one(&family, &scenario, &mut replicate_rng(3, 0), false);
            let (general, views) = simulate_one(&family, &scenario, &mut replicate_rng(3, 0), true);
            assert_eq!(views.len(), scenario.generations as usize + 1);
            assert_eq!(fast.metrics, general.metrics);
        }
    }

    #[test]
    fn web_text_comes_from_the_generations_that_wrote_it() {
        let scenario = Scenario::default();
        let spec = ModelSpec { family: Gaussian::new(&scenario), bias: scenario.sampling_bias() };
        let mut writers = WebWriters { first: 1, generations: Default::default(), capacity: 8 };
        // Generations 1, 2, 3 wrote text around 0, 10 and 20.
        for (t, mean) in [(1, 0.0), (2, 10.0), (3, 20.0)] {
            writers.remember(t, vec![GaussianModel::Normal { mean, variance: 0.01 }]);
        }
        let mut rng = replicate_rng(9, 0);
        let text = draw_web_text(std::slice::from_ref(&spec), &writers, 30_000, 4, &mut rng);
        for centre in [0.0, 10.0, 20.0] {
            let near = text.iter().filter(|x| (*x - centre).abs() < 1.0).count();
            assert!((near as f64 - 10_000.0).abs() < 400.0, "{near} items near {centre}");
        }
        // At generation 3 only generations 1 and 2 have written.
        let text = draw_web_text(std::slice::from_ref(&spec), &writers, 1000, 3, &mut rng);
        assert!(text.iter().all(|x| *x < 15.0));
        // Forgotten generations' text comes from the oldest writers kept.
        let mut short = WebWriters { first: 1, generations: Default::default(), capacity: 2 };
        for (t, mean) in [(1, 0.0), (2, 10.0), (3, 20.0)] {
            short.remember(t, vec![GaussianModel::Normal { mean, variance: 0.01 }]);
        }
        assert_eq!(short.of(1), short.of(2));
    }

    #[test]
    fn fixed_human_data_is_drawn_once_and_reused() {
        // All human, fixed: every generation trains on the same sample, so every model is the same.
        let fixed =
            Scenario { human_fraction: 1.0, human_data: HumanData::Fixed, generations: 5, ..Scenario::default() };
        let run = crate::experiment::Experiment::new(&fixed, None).unwrap().run(0);
        let variance = run.series("variance").unwrap();
        assert!(variance[1..].iter().all(|v| *v == variance[1]), "{variance:?}");
        // Fresh: a new sample every generation.
        let fresh = Scenario { human_data: HumanData::Fresh, ..fixed };
        let run = crate::experiment::Experiment::new(&fresh, None).unwrap().run(0);
        let variance = run.series("variance").unwrap();
        assert_ne!(variance[1], variance[2]);
    }
}

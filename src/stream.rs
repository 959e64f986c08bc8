//! What the page's simulation worker sends the page, and how the page puts it back together.
//!
//! The page simulates in a Web Worker so that its main thread never waits on a run: the worker
//! builds the scenario, streams the reader's run generation by generation (metrics and the view
//! of each), then the control run and the band of replicate runs, as [`Message`]s in a compact
//! binary form (postcard, with long vectors of numbers as blocks of bytes: see [`packed`]; a word
//! view holds one number per word of the vocabulary, up to 100,000). The page's own instance of
//! the module decodes them into an [`Assembled`] run and draws it. Everything here is plain
//! Rust, so the round trip is tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::experiment::{Experiment, ShownView};
use crate::families::{DecodeView, FamilyInfo};
use crate::render::Target;
use crate::sim::{Computed, Run, TheoryCurve};
use crate::summary::Summary;

/// One message from the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// A run begins: its columns, number of models and closed forms.
    Start(Header),
    /// One generation of the reader's run, in order from generation 0.
    Generation(Generation),
    /// The control run (fresh human data only), metrics only.
    Control(Metrics),
    /// The spread of replicate runs (complete or so far).
    Band(Band),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub metric_names: Vec<String>,
    /// Number of models shown one by one (0 with a single model).
    pub lineages: usize,
    /// Generations after generation 0.
    pub generations: usize,
    /// `(metric, label, values)` of each closed form.
    pub theory: Vec<(String, String, Vec<f64>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub generation: usize,
    pub metrics: Vec<f64>,
    pub lineages: Vec<Vec<f64>>,
    /// The family's view, encoded by [`ShownView::encode`].
    #[serde(with = "serde_bytes")]
    pub view: Option<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub metric_names: Vec<String>,
    pub metrics: Vec<Vec<f64>>,
}

/// The 10th, 50th and 90th percentiles of each metric across `replicates` runs of a scenario
/// (replicates 0, 1, …: the reader's run is replicate 0), `p10[t][m]`: computed by the same
/// [`Summary`] as `collapse run --runs R`, so the two agree value for value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Runs folded in so far.
    pub replicates: u32,
    /// Runs the band is planned for.
    pub planned: u32,
    pub metric_names: Vec<String>,
    pub p10: Vec<Vec<f64>>,
    pub median: Vec<Vec<f64>>,
    pub p90: Vec<Vec<f64>>,
}

impl Band {
    /// `(p10, median, p90)` of metric `name` across generations.
    pub fn series(&self, name: &str) -> Option<[Vec<f64>; 3]> {
        let m = self.metric_names.iter().position(|n| n == name)?;
        let column = |rows: &[Vec<f64>]| rows.iter().map(|row| row[m]).collect();
        Some([column(&self.p10), column(&self.median), column(&self.p90)])
    }
}

pub fn encode(message: &Message) -> Vec<u8> {
    postcard::to_allocvec(message).expect("a message serialises")
}

pub fn decode(bytes: &[u8]) -> Result<Message, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("a message from the simulation could not be read ({e})"))
}

/// The largest view, in bytes as the worker sends it, that the page keeps and draws on its own
/// thread: a bell-curve view is about 7 KB, a text view under 1 KB, a word view at generation 0
/// 8 bytes a word (80 KB at the default 10,000 words, about 3 ms of script to draw on the page;
/// later generations list only the words still alive, [`packed`]). Bigger ones (up to 800 KB
/// at 100,000 words, 20 to 50 ms a frame) are drawn by the painter worker, and the page keeps
/// none of them. A small view is drawn on the page because a round trip to a worker would only
/// delay it: on a machine with few cores the worker waits its turn beside the simulation (on
/// this project's 2-core machine the painter made the defaults' first frames 50 to 70 ms later).
pub const PAGE_VIEW_BYTES: usize = 256 * 1024;

/// A long `Vec<f64>` in the stream as one block of little-endian bytes (`#[serde(with =
/// "crate::stream::packed")]`): postcard reads a sequence one element at a time, which cost the
/// page's main thread about 25 ns per number (3 ms per generation of a 100,000-word view); a
/// block is read at memory speed. For the worker's binary form only, never JSON.
///
/// A block whose values are mostly zero lists only the others, with their indices: a word view
/// has a number per word of the vocabulary, but a word that dies stays dead, so a long run's
/// views are mostly zeros (100,000 words, 1,000,000 samples: 3,042 left at generation 200, 491
/// at 2,000). Stored this way, that run's 2,001 views take tens of MB instead of 1.6 GB in the
/// worker that keeps them. Every value comes back bit for bit.
pub mod packed {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    /// The first byte of a block: every value follows, 8 bytes each.
    const DENSE: u8 = 0;
    /// The first byte of a block: the number of values (u32), then each value that is not +0.0 as
    /// its index (u32, increasing) and its 8 bytes.
    const SPARSE: u8 = 1;
    /// The longest block read back (a word view has at most the schema's 100,000 words): a
    /// malformed length must not allocate gigabytes.
    const MAX_VALUES: usize = 1 << 24;

    pub fn serialize<S: Serializer>(values: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        let kept = values.iter().filter(|v| v.to_bits() != 0).count();
        let sparse = values.len() <= MAX_VALUES && 4 + 12 * kept < 8 * values.len();
        let mut bytes = Vec::with_capacity(1 + if sparse { 4 + 12 * kept } else { 8 * values.len() });
        if sparse {
            bytes.push(SPARSE);
            bytes.extend_from_slice(&(values.len() as u32).to_le_bytes());
            for (i, v) in values.iter().enumerate().filter(|(_, v)| v.to_bits() != 0) {
                bytes.extend_from_slice(&(i as u32).to_le_bytes());
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        } else {
            bytes.push(DENSE);
            for v in values {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        serializer.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        deserializer.deserialize_bytes(Numbers)
    }

    /// Reads the numbers straight from the message's bytes (no copy of the block first).
    struct Numbers;

    fn number(bytes: &[u8]) -> f64 {
        f64::from_le_bytes(bytes.try_into().expect("8 bytes"))
    }

    impl Visitor<'_> for Numbers {
        type Value = Vec<f64>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a block of little-endian f64, all of them or the non-zero ones with their indices")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<f64>, E> {
            match bytes.split_first() {
                Some((&DENSE, rest)) if rest.len() % 8 == 0 => Ok(rest.chunks_exact(8).map(number).collect()),
                Some((&SPARSE, rest)) if rest.len() >= 4 && (rest.len() - 4) % 12 == 0 => {
                    let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
                    if len > MAX_VALUES {
                        return Err(E::invalid_length(len, &"at most 2^24 values"));
                    }
                    let mut values = vec![0.0; len];
                    let mut next = 0; // the smallest index the next entry may have
                    for entry in rest[4..].chunks_exact(12) {
                        let i = u32::from_le_bytes(entry[..4].try_into().expect("4 bytes")) as usize;
                        if i < next || i >= len {
                            return Err(E::custom("a sparse block's indices must increase and stay below its length"));
                        }
                        values[i] = number(&entry[4..]);
                        next = i + 1;
                    }
                    Ok(values)
                }
                _ => Err(E::invalid_length(bytes.len(), &self)),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Block(#[serde(with = "super")] Vec<f64>);

        fn round_trip(values: Vec<f64>) -> usize {
            let bytes = postcard::to_allocvec(&Block(values.clone())).unwrap();
            let back: Block = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back.0.len(), values.len());
            for (a, b) in back.0.iter().zip(&values) {
                assert_eq!(a.to_bits(), b.to_bits(), "bit for bit");
            }
            bytes.len()
        }

        #[test]
        fn blocks_round_trip_bit_for_bit_and_mostly_zero_ones_list_only_the_rest() {
            assert!(round_trip(vec![]) <= 3);
            let dense: Vec<f64> = (0..1000).map(|i| 1.0 / (i + 1) as f64).collect();
            assert!(round_trip(dense) > 8000, "dense: every value");
            // 10 values left of 1,000 (and a -0.0 and a NaN, which are kept as they are).
            let mut sparse = vec![0.0; 1000];
            for i in (0..1000).step_by(100) {
                sparse[i] = 0.25 + i as f64;
            }
            sparse[7] = -0.0;
            sparse[999] = f64::NAN;
            let size = round_trip(sparse);
            assert!(size < 1 + 2 + 1 + 4 + 12 * 12 + 4, "sparse: {size} bytes");
            // Where two thirds or more of the values are non-zero, every value is written.
            let most: Vec<f64> = (0..999).map(|i| if i % 10 < 3 { 0.0 } else { 0.5 }).collect();
            assert!(round_trip(most) > 8 * 999);
        }

        #[test]
        fn malformed_blocks_are_errors_not_panics_or_huge_allocations() {
            let read = |block: Vec<u8>| {
                postcard::from_bytes::<Block>(&postcard::to_allocvec(&serde_bytes::ByteBuf::from(block)).unwrap())
            };
            let sparse = |len: u32, entries: &[(u32, f64)]| {
                let mut b = vec![SPARSE];
                b.extend_from_slice(&len.to_le_bytes());
                for (i, v) in entries {
                    b.extend_from_slice(&i.to_le_bytes());
                    b.extend_from_slice(&v.to_le_bytes());
                }
                b
            };
            assert_eq!(read(sparse(3, &[(0, 1.0), (2, 2.0)])).unwrap(), Block(vec![1.0, 0.0, 2.0]));
            assert!(read(sparse(3, &[(2, 1.0), (1, 2.0)])).is_err(), "indices out of order");
            assert!(read(sparse(3, &[(1, 1.0), (1, 2.0)])).is_err(), "an index twice");
            assert!(read(sparse(3, &[(3, 1.0)])).is_err(), "an index past the end");
            assert!(read(sparse(u32::MAX, &[])).is_err(), "a length of 4 billion");
            assert!(read(vec![DENSE, 1, 2, 3]).is_err(), "a dense block of 3 bytes");
            assert!(read(vec![7]).is_err(), "an unknown kind");
            assert!(read(vec![]).is_err(), "nothing");
        }
    }
}

fn names(run_names: &[&'static str]) -> Vec<String> {
    run_names.iter().map(|n| n.to_string()).collect()
}

/// The start message of a run of `experiment` (its columns come from `first`, generation 0).
pub fn header(experiment: &Experiment, first: &Computed<'_, dyn ShownView>) -> Header {
    let theory = experiment.theory();
    Header {
        metric_names: names(first.metric_names),
        lineages: first.lineages.len(),
        generations: experiment.scenario().generations as usize,
        theory: theory.iter().map(|c| (c.metric.to_string(), c.label.clone(), c.values.clone())).collect(),
    }
}

/// One computed generation as a message.
pub fn generation(computed: &Computed<'_, dyn ShownView>) -> Generation {
    Generation {
        generation: computed.generation,
        metrics: computed.metrics.to_vec(),
        lineages: computed.lineages.iter().map(|l| l.to_vec()).collect(),
        view: computed.view.map(|v| v.encode()),
    }
}

pub fn metrics(run: &Run) -> Metrics {
    Metrics { metric_names: names(&run.metric_names), metrics: run.metrics.clone() }
}

/// The name `name` as the family reports it (the `'static` string runs carry).
fn known_name(family: &FamilyInfo, name: &str) -> Result<&'static str, String> {
    family.metric(name).map(|m| m.key).ok_or_else(|| format!("the simulation reported an unknown metric {name:?}"))
}

/// A run rebuilt from messages, as far as it has arrived.
pub struct Assembled {
    pub run: Run,
    /// Each generation's view as the worker encoded it, read back only when it is shown (see
    /// [`Assembled::view`]): a word view holds a number per word alive (800 KB at 100,000 words
    /// at generation 0) and most generations of a long run are never drawn, so reading each as
    /// it arrived kept the page's main thread busy.
    views: Vec<Vec<u8>>,
    /// The largest view kept, in bytes: the page's main thread keeps only small views (see
    /// [`Assembled::views_up_to`]); a run whose generation 0 is bigger keeps none.
    view_limit: usize,
    /// Whether this run's views are kept (decided at generation 0).
    keep_views: bool,
    decode: DecodeView,
    /// Generation 0's view, the reference every generation is drawn over.
    reference: Option<Rc<dyn ShownView>>,
    /// The view read last, with its generation: a frame reads the same view several times.
    last: RefCell<Option<(usize, Rc<dyn ShownView>)>>,
    /// Generations after generation 0 the run will have.
    pub generations: usize,
    pub control: Option<Run>,
    pub band: Option<Band>,
}

impl Assembled {
    /// A run of `family` that has just started.
    pub fn start(family: &FamilyInfo, header: Header) -> Result<Assembled, String> {
        let metric_names = header.metric_names.iter().map(|n| known_name(family, n)).collect::<Result<Vec<_>, _>>()?;
        let theory = header
            .theory
            .into_iter()
            .map(|(metric, label, values)| Ok(TheoryCurve { metric: known_name(family, &metric)?, label, values }))
            .collect::<Result<Vec<_>, String>>()?;
        let run = Run {
            metric_names,
            metrics: Vec::with_capacity(header.generations + 1),
            lineages: vec![Vec::new(); header.lineages],
            theory: std::sync::Arc::new(theory),
        };
        Ok(Assembled {
            run,
            views: Vec::new(),
            view_limit: usize::MAX,
            keep_views: true,
            decode: family.decode_view,
            reference: None,
            last: RefCell::new(None),
            generations: header.generations,
            control: None,
            band: None,
        })
    }

    /// The same run keeping its views only if generation 0's is at most `bytes` long (no later
    /// view is longer: a word view lists only the words still alive, and each is drawn over
    /// generation 0's): the page's main thread keeps small views and draws them itself, and
    /// leaves big ones to its painter worker.
    pub fn views_up_to(mut self, bytes: usize) -> Assembled {
        self.view_limit = bytes;
        self
    }

    /// Generations whose views have arrived.
    pub fn view_count(&self) -> usize {
        self.views.len()
    }

    /// Generation 0's view.
    pub fn reference(&self) -> Option<Rc<dyn ShownView>> {
        self.reference.clone()
    }

    /// Generation `t`'s view (`None` before it arrived).
    pub fn view(&self, t: usize) -> Result<Option<Rc<dyn ShownView>>, String> {
        if t == 0 {
            return Ok(self.reference());
        }
        let Some(bytes) = self.views.get(t) else { return Ok(None) };
        if let Some((at, view)) = &*self.last.borrow() {
            if *at == t {
                return Ok(Some(view.clone()));
            }
        }
        let view: Rc<dyn ShownView> = Rc::from((self.decode)(bytes)?);
        *self.last.borrow_mut() = Some((t, view.clone()));
        Ok(Some(view))
    }

    /// Draws generation `t`'s view (the last arrived for a later `t`) on `target`, over
    /// generation 0's: what the page and its painter both draw.
    pub fn draw_view(&self, t: usize, target: Target<'_, '_>, scale: f64) -> Result<(), String> {
        let t = t.min(self.view_count().saturating_sub(1));
        let (Some(view), Some(reference)) = (self.view(t)?, self.reference()) else {
            return Err("this run has no views".into());
        };
        view.draw(reference.as_ref(), target, t, scale)
    }

    /// Generation `t`'s view details as JSON text (the last arrived for a later `t`; `{}` before
    /// any view arrived).
    pub fn details_json(&self, t: usize) -> Result<String, String> {
        let t = t.min(self.view_count().saturating_sub(1));
        Ok(self.view(t)?.map_or_else(|| "{}".into(), |view| view.details()))
    }

    /// Generations computed so far, generation 0 included.
    pub fn computed(&self) -> usize {
        self.run.metrics.len()
    }

    pub fn complete(&self) -> bool {
        self.computed() > self.generations
    }

    /// Adds a message to the run.
    pub fn apply(&mut self, family: &FamilyInfo, message: Message) -> Result<(), String> {
        match message {
            Message::Start(_) => return Err("a run started twice".into()),
            Message::Generation(g) => {
                if g.generation != self.computed() || g.lineages.len() != self.run.lineages.len() {
                    return Err(format!("generation {} arrived out of order", g.generation));
                }
                self.run.metrics.push(g.metrics);
                for (lineage, row) in self.run.lineages.iter_mut().zip(g.lineages) {
                    lineage.push(row);
                }
                if g.generation == 0 {
                    // All of a run's views or none, so that they stay numbered by generation.
                    self.keep_views = g.view.as_ref().is_some_and(|b| b.len() <= self.view_limit);
                }
                if let Some(bytes) = g.view.filter(|_| self.keep_views) {
                    if self.views.is_empty() {
                        self.reference = Some(Rc::from((self.decode)(&bytes)?));
                    }
                    self.views.push(bytes);
                }
            }
            Message::Control(m) => {
                let metric_names = m.metric_names.iter().map(|n| known_name(family, n)).collect::<Result<_, _>>()?;
                self.control =
                    Some(Run { metric_names, metrics: m.metrics, lineages: Vec::new(), theory: Default::default() });
            }
            Message::Band(band) => self.band = Some(band),
        }
        Ok(())
    }
}

/// Folds replicate runs of a scenario into its [`Band`], one run at a time (the worker yields
/// between runs, so a newer scenario stops it).
pub struct BandBuilder {
    planned: u32,
    summary: Option<Summary>,
    metric_names: Vec<&'static str>,
}

impl BandBuilder {
    pub fn new(planned: u32) -> BandBuilder {
        BandBuilder { planned: planned.max(1), summary: None, metric_names: Vec::new() }
    }

    /// Runs folded so far.
    pub fn replicates(&self) -> u32 {
        self.summary.as_ref().map_or(0, |s| s.runs() as u32)
    }

    pub fn done(&self) -> bool {
        self.replicates() >= self.planned
    }

    /// Folds in `run`, which must be the next replicate (`replicates()`) of the scenario.
    pub fn push(&mut self, run: &Run) {
        let columns = run.metric_names.len();
        let summary =
            self.summary.get_or_insert_with(|| Summary::new(run.metrics.len(), columns, self.planned as usize));
        if self.metric_names.is_empty() {
            self.metric_names = run.metric_names.clone();
        }
        summary.push_with(|t, values| values.extend_from_slice(&run.metrics[t]));
    }

    /// Runs and folds in the next replicate of `experiment`.
    pub fn step(&mut self, experiment: &Experiment) {
        let run = experiment.run(self.replicates());
        self.push(&run);
    }

    pub fn band(&self) -> Band {
        let stats = self.summary.as_ref().map(|s| s.stats()).unwrap_or_default();
        let pick = |f: fn(&crate::summary::Stat) -> f64| -> Vec<Vec<f64>> {
            stats.iter().map(|row| row.iter().map(f).collect()).collect()
        };
        Band {
            replicates: self.replicates(),
            planned: self.planned,
            metric_names: names(&self.metric_names),
            p10: pick(|s| s.p10),
            median: pick(|s| s.median),
            p90: pick(|s| s.p90),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::summary::Stat;

    /// Streams replicate 0 of `scenario` through the wire format and rebuilds it.
    fn round_trip(scenario: &Scenario) -> (Assembled, crate::experiment::ViewedRun) {
        round_trip_as(scenario, |a| a)
    }

    /// [`round_trip`], the rebuilt run made by `shape` from its start (the page's own:
    /// [`Assembled::views_up_to`]).
    fn round_trip_as(
        scenario: &Scenario,
        shape: impl FnOnce(Assembled) -> Assembled,
    ) -> (Assembled, crate::experiment::ViewedRun) {
        let experiment = Experiment::new(scenario, None).unwrap();
        let mut messages = Vec::new();
        let run = experiment.run_streaming(0, &mut |c| {
            if c.generation == 0 {
                messages.push(encode(&Message::Start(header(&experiment, &c))));
            }
            messages.push(encode(&Message::Generation(generation(&c))));
        });
        let control = experiment.control(None).unwrap().run(0);
        messages.push(encode(&Message::Control(metrics(&control))));
        let family = experiment.family();
        let mut messages = messages.iter().map(|m| decode(m).unwrap());
        let Some(Message::Start(h)) = messages.next() else { panic!("no start") };
        let mut assembled = shape(Assembled::start(family, h).unwrap());
        for m in messages {
            assembled.apply(family, m).unwrap();
        }
        assert_eq!(assembled.run.metrics, run.metrics);
        (assembled, experiment.run_with_views(0))
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Packed(#[serde(with = "packed")] Vec<f64>);

    #[test]
    fn packed_numbers_come_back_bit_for_bit_as_one_block() {
        let values = vec![0.0, -0.0, 1.5e-300, f64::MIN_POSITIVE / 3.0, f64::INFINITY, -7.25, 0.1];
        let bytes = postcard::to_allocvec(&Packed(values.clone())).unwrap();
        // One length byte, the block's kind (every value: few are zero), then the numbers' bytes
        // as they are.
        assert_eq!(bytes.len(), 1 + 1 + 8 * values.len());
        let back: Packed = postcard::from_bytes(&bytes).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.0), bits(&values));
        let nan: Packed = postcard::from_bytes(&postcard::to_allocvec(&Packed(vec![f64::NAN])).unwrap()).unwrap();
        assert!(nan.0[0].is_nan());
        // A block that is not whole numbers is refused, not cut.
        assert!(postcard::from_bytes::<Packed>(&[3, 1, 2, 3]).is_err());
    }

    #[test]
    fn a_streamed_run_arrives_whole_with_its_views() {
        for scenario in [
            Scenario { generations: 12, ..Scenario::default() },
            Scenario { generations: 6, model_count: 3, ..Scenario::default() },
            Scenario::from_query("model=tokens&generations=5&vocab=300").unwrap(),
        ] {
            let (assembled, direct) = round_trip(&scenario);
            assert!(assembled.complete());
            assert_eq!(assembled.run.metrics, direct.run.metrics);
            assert_eq!(assembled.run.lineages, direct.run.lineages);
            assert_eq!(assembled.run.metric_names, direct.run.metric_names);
            assert_eq!(assembled.run.theory.len(), direct.run.theory.len());
            assert_eq!(assembled.view_count(), direct.views.len());
            for (t, b) in direct.views.iter().enumerate() {
                assert_eq!(assembled.view(t).unwrap().unwrap().encode(), b.encode());
            }
            // Read again, and after another generation's, a view is the same.
            let last = direct.views.len() - 1;
            assert_eq!(assembled.view(last).unwrap().unwrap().encode(), direct.views[last].encode());
            assert_eq!(assembled.view(1).unwrap().unwrap().encode(), direct.views[1].encode());
            assert!(assembled.view(last + 1).unwrap().is_none());
            assert!(assembled.control.is_some());
        }
    }

    #[test]
    fn the_page_keeps_small_views_and_leaves_big_ones_to_its_painter() {
        // The page's main thread keeps the views only if generation 0's is small (the painter
        // worker holds big ones: a word view's generation 0 is 800 KB at 100,000 words); every
        // number it keeps either way.
        let scenario = Scenario::from_query("model=tokens&generations=5&vocab=300").unwrap();
        let (_, direct) = round_trip(&scenario);
        let size = direct.views[0].encode().len();
        assert!(size > 8 * 300, "a view of 300 words is {size} bytes");
        let (big, direct) = round_trip_as(&scenario, |a| a.views_up_to(size - 1));
        assert!(big.complete() && big.control.is_some());
        assert_eq!(big.run.metrics, direct.run.metrics);
        assert_eq!(big.view_count(), 0);
        assert!(big.reference().is_none() && big.view(0).unwrap().is_none() && big.view(3).unwrap().is_none());
        let (small, direct) = round_trip_as(&scenario, |a| a.views_up_to(size + 200));
        assert_eq!(small.view_count(), direct.views.len());
        assert_eq!(small.view(5).unwrap().unwrap().encode(), direct.views[5].encode());
    }

    #[test]
    fn out_of_order_generations_are_refused() {
        let scenario = Scenario { generations: 3, ..Scenario::default() };
        let experiment = Experiment::new(&scenario, None).unwrap();
        let family = experiment.family();
        let mut assembled = None;
        let mut second = None;
        experiment.run_streaming(0, &mut |c| {
            if c.generation == 0 {
                assembled = Some(Assembled::start(family, header(&experiment, &c)).unwrap());
            }
            if c.generation == 1 {
                second = Some(generation(&c));
            }
        });
        let err = assembled.unwrap().apply(family, Message::Generation(second.unwrap())).unwrap_err();
        assert!(err.contains("out of order"), "{err}");
    }

    #[test]
    fn the_band_is_the_command_lines_summary_of_the_same_replicates() {
        let scenario = Scenario { generations: 20, samples: 30, ..Scenario::default() };
        let experiment = Experiment::new(&scenario, None).unwrap();
        let mut builder = BandBuilder::new(25);
        while !builder.done() {
            builder.step(&experiment);
        }
        let band = builder.band();
        let runs: Vec<Run> = (0..25).map(|r| experiment.run(r)).collect();
        let expected = crate::summary::summarize(&runs);
        let v = band.metric_names.iter().position(|n| n == "variance").unwrap();
        for (t, row) in expected.iter().enumerate() {
            let Stat { p10, median, p90, .. } = row[v];
            assert_eq!([band.p10[t][v], band.median[t][v], band.p90[t][v]], [p10, median, p90]);
        }
        // The band is wide: one run is an anecdote.
        assert!(band.p90[20][v] > 2.0 * band.p10[20][v], "{} vs {}", band.p90[20][v], band.p10[20][v]);
    }
}

//! The worker's side: builds a scenario and computes what the page shows, as [`crate::stream`]
//! messages (bytes). The worker's script calls these one phase at a time and yields between
//! band replicates and analysis cells, so a newer scenario stops the older one there; the page
//! ends a long single call by ending the worker.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::{analysis_index, js_err, to_json};
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::experiment::Experiment;
use crate::families::thousands;
use crate::scenario::Scenario;
use crate::sim::Run;
use crate::stream::{self, BandBuilder, Message};

/// One scenario being computed, and the human text it trains on.
#[wasm_bindgen]
#[derive(Default)]
pub struct Simulator {
    corpus: Option<Arc<Corpus>>,
    experiment: Option<Experiment>,
    /// The reader's run (replicate 0), once streamed: the band's first replicate.
    shown: Option<Run>,
    band: Option<BandBuilder>,
    analyses: [Option<Analysis>; 2],
}

impl Simulator {
    /// Keeps `corpus` as the human text; returns its one-line summary.
    fn use_corpus(&mut self, corpus: Corpus) -> String {
        let summary = format!(
            "{} words, {} distinct",
            thousands(corpus.word_count() as u32),
            thousands(corpus.word_type_count() as u32)
        );
        self.corpus = Some(Arc::new(corpus));
        summary
    }

    fn experiment(&self) -> Result<&Experiment, JsValue> {
        self.experiment.as_ref().ok_or_else(|| js_err("no scenario was prepared"))
    }

    /// Streams the reader's run, handing each message's bytes to `emit` (the page's tests call
    /// this directly; [`Simulator::run`] is the worker's entry point).
    pub fn run_with(&mut self, emit: &mut dyn FnMut(Vec<u8>)) -> Result<(), JsValue> {
        let experiment = self.experiment()?;
        let run = experiment.run_streaming(0, &mut |computed| {
            if computed.generation == 0 {
                emit(stream::encode(&Message::Start(stream::header(experiment, &computed))));
            }
            emit(stream::encode(&Message::Generation(stream::generation(&computed))));
        });
        self.shown = Some(run);
        Ok(())
    }
}

#[wasm_bindgen]
impl Simulator {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Simulator {
        Simulator::default()
    }

    /// Loads the human text (bytes); returns a one-line summary. On error (empty, tiny, huge,
    /// binary or non-UTF-8 text) the text already loaded stays.
    pub fn set_corpus(&mut self, bytes: &[u8]) -> Result<String, JsValue> {
        Ok(self.use_corpus(Corpus::from_bytes(bytes).map_err(js_err)?))
    }

    /// Loads a human text in [`Simulator::packed_corpus`]'s form (another worker read it);
    /// returns the same summary as [`Simulator::set_corpus`].
    pub fn set_packed_corpus(&mut self, bytes: &[u8]) -> Result<String, JsValue> {
        Ok(self.use_corpus(Corpus::from_packed(bytes).map_err(js_err)?))
    }

    /// The human text loaded, in the compact form the page hands its other workers
    /// (`Corpus::to_packed`: they read it about ten times faster than the text).
    pub fn packed_corpus(&self) -> Result<Vec<u8>, JsValue> {
        Ok(self.corpus.as_ref().ok_or_else(|| JsValue::from_str("no human text is loaded"))?.to_packed())
    }

    /// Builds the scenario of a query (the family fits generation 0); drops anything computed
    /// for an earlier one.
    pub fn prepare(&mut self, query: &str) -> Result<(), JsValue> {
        let scenario = Scenario::from_query(query).map_err(js_err)?;
        *self = Simulator { corpus: self.corpus.take(), ..Simulator::default() };
        self.experiment = Some(Experiment::new(&scenario, self.corpus.as_ref()).map_err(js_err)?);
        Ok(())
    }

    /// Streams the reader's run (replicate 0, with views): calls `emit(bytes)` with a start
    /// message, then once per generation as soon as it is computed.
    pub fn run(&mut self, emit: &js_sys::Function) -> Result<(), JsValue> {
        let mut failure = None;
        self.run_with(&mut |bytes| {
            if let Err(e) = emit.call1(&JsValue::NULL, &js_sys::Uint8Array::from(bytes.as_slice())) {
                failure.get_or_insert(e);
            }
        })?;
        failure.map_or(Ok(()), Err)
    }

    /// The control run (fresh human data only), as a message.
    pub fn control(&self) -> Result<Vec<u8>, JsValue> {
        let control = self.experiment()?.control(self.corpus.as_ref()).map_err(js_err)?.run(0);
        Ok(stream::encode(&Message::Control(stream::metrics(&control))))
    }

    /// Plans the band of `replicates` runs (the reader's run is the first).
    pub fn band_start(&mut self, replicates: u32) -> Result<(), JsValue> {
        let shown = self.shown.as_ref().ok_or_else(|| js_err("the run has not been computed"))?;
        let mut band = BandBuilder::new(replicates);
        band.push(shown);
        self.band = Some(band);
        Ok(())
    }

    /// Computes the band's next replicate; returns whether the band is complete.
    pub fn band_step(&mut self) -> Result<bool, JsValue> {
        let experiment = self.experiment.as_ref().ok_or_else(|| js_err("no scenario was prepared"))?;
        let band = self.band.as_mut().ok_or_else(|| js_err("the band was not started"))?;
        if !band.done() {
            band.step(experiment);
        }
        Ok(band.done())
    }

    /// The band so far, as a message.
    pub fn band(&self) -> Result<Vec<u8>, JsValue> {
        let band = self.band.as_ref().ok_or_else(|| js_err("the band was not started"))?;
        Ok(stream::encode(&Message::Band(band.band())))
    }

    /// Plans analysis `kind` (`stops` or `mixing`) of the prepared scenario; returns
    /// `{"total": cells, "replicates": R}`.
    pub fn analysis_start(&mut self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let analysis = Analysis::plan(kind, self.experiment()?.scenario()).map_err(js_err)?;
        #[derive(serde::Serialize)]
        struct Reply {
            total: usize,
            replicates: u32,
        }
        let reply = Reply { total: analysis.cells.len(), replicates: analysis.replicates };
        self.analyses[i] = Some(analysis);
        Ok(to_json(&reply))
    }

    /// Computes the next cell of analysis `kind`; returns `{"completed", "total", "done"}`.
    pub fn analysis_step(&mut self, kind: &str) -> Result<String, JsValue> {
        let (i, _) = analysis_index(kind)?;
        let corpus = self.corpus.clone();
        let analysis = self.analyses[i].as_mut().ok_or_else(|| js_err("the analysis was not started"))?;
        if let Some(cell) = analysis.next_pending() {
            analysis.run_cell(cell, corpus.as_ref()).map_err(js_err)?;
        }
        let done = analysis.next_pending().is_none();
        #[derive(serde::Serialize)]
        struct Reply {
            completed: usize,
            total: usize,
            done: bool,
        }
        Ok(to_json(&Reply { completed: analysis.completed(), total: analysis.cells.len(), done }))
    }

    /// The chart of analysis `kind` so far (bytes for [`super::Explorer::set_analysis`]).
    pub fn analysis_chart(&self, kind: &str) -> Result<Vec<u8>, JsValue> {
        let (i, _) = analysis_index(kind)?;
        let analysis = self.analyses[i].as_ref().ok_or_else(|| js_err("the analysis was not started"))?;
        postcard::to_allocvec(&analysis.chart()).map_err(js_err)
    }

    /// The one-line summary of analysis `kind`, for the status line.
    pub fn analysis_summary(&self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let analysis = self.analyses[i].as_ref().ok_or_else(|| js_err("the analysis was not started"))?;
        Ok(format!("{}: {} settings × {} runs.", kind.question(), analysis.cells.len(), analysis.replicates))
    }
}

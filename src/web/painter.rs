//! The painter: a big main view drawn in a worker of its own, so that the costliest picture (a
//! word view plots up to 100,000 dots) never holds up the page's main thread. For each run whose
//! views are too big for the page to keep ([`super::PAGE_VIEW_BYTES`]) the page hands it the
//! run's start and generations after reading their numbers itself, and asks it for generation t
//! drawn on an `OffscreenCanvas` (an `ImageBitmap` the page puts on its canvas at once), for a
//! generation's details (the words lost, the text's passage), or for the view as SVG.

use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ImageBitmap, OffscreenCanvas};

use super::canvas::{svg_document, Measure};
use super::{js_err, PageCanvas};
use crate::families::FamilyInfo;
use crate::render::Target;
use crate::scenario::Scenario;
use crate::stream::{self, Assembled, Message};

/// A job's run as far as it has arrived (`None` until its start message).
struct JobRun {
    job: u32,
    family: &'static FamilyInfo,
    run: Option<Assembled>,
}

/// The views of the run on screen and of the newest job.
#[wasm_bindgen]
#[derive(Default)]
pub struct Painter {
    /// Oldest job first: the page asks for a job's pictures only while it is on screen, and a
    /// request for job j drops every older one.
    runs: Vec<JobRun>,
    /// The canvas drawn on, kept while its size does not change.
    canvas: Option<OffscreenCanvas>,
}

impl Painter {
    fn run(&self, job: u32) -> Result<&Assembled, JsValue> {
        self.runs
            .iter()
            .find(|r| r.job == job)
            .and_then(|r| r.run.as_ref())
            .ok_or_else(|| js_err(format!("the painter has no run of job {job}")))
    }
}

#[wasm_bindgen]
impl Painter {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Painter {
        Painter::default()
    }

    /// Job `job` (the settings of `query`) is on its way: its messages follow. Runs of older
    /// jobs that had not started to arrive are dropped (the page dropped them too).
    pub fn begin(&mut self, job: u32, query: &str) -> Result<(), JsValue> {
        let family = Scenario::from_query(query).map_err(js_err)?.model.family();
        self.runs.retain(|r| r.job < job && r.run.as_ref().is_some_and(|a| a.computed() > 0));
        self.runs.push(JobRun { job, family, run: None });
        Ok(())
    }

    /// Drops every run: the page shows a run of small views, which it draws itself.
    pub fn clear(&mut self) {
        self.runs.clear();
    }

    /// Takes one message of job `job` (the bytes the page read already); a job the painter was
    /// not told of, or dropped, is ignored.
    pub fn receive(&mut self, job: u32, bytes: &[u8]) -> Result<(), JsValue> {
        let Some(entry) = self.runs.iter_mut().find(|r| r.job == job) else { return Ok(()) };
        match (stream::decode(bytes).map_err(js_err)?, entry.run.as_mut()) {
            (Message::Start(header), None) => entry.run = Some(Assembled::start(entry.family, header).map_err(js_err)?),
            (message, Some(run)) => run.apply(entry.family, message).map_err(js_err)?,
            (_, None) => return Err(js_err("a message arrived before its run started")),
        }
        Ok(())
    }

    /// Generation t (or the last one arrived) of job `job`'s main view, drawn at `scale` device
    /// pixels per CSS pixel on `width` × `height` pixels. Older jobs are dropped.
    pub fn paint(
        &mut self,
        job: u32,
        generation: u32,
        width: u32,
        height: u32,
        scale: f64,
    ) -> Result<ImageBitmap, JsValue> {
        self.runs.retain(|r| r.job >= job);
        let (width, height) = (width.max(1), height.max(1));
        let canvas = match self.canvas.take() {
            Some(c) if c.width() == width && c.height() == height => c,
            _ => OffscreenCanvas::new(width, height)?,
        };
        let drawn = (|| {
            let backend =
                PageCanvas::offscreen(&canvas).ok_or_else(|| js_err("no 2D context on the painter's canvas"))?;
            let area = backend.into_drawing_area();
            let target = Target::Canvas(&area, std::marker::PhantomData);
            self.run(job)?.draw_view(generation as usize, target, scale).map_err(js_err)
        })();
        // The canvas is blank again once its picture is taken: it is reused for the next one.
        let bitmap = canvas.transfer_to_image_bitmap();
        self.canvas = Some(canvas);
        drawn?;
        bitmap
    }

    /// Generation t's main view as an SVG document of `width` × `height` CSS pixels.
    pub fn svg_view(&self, job: u32, generation: u32, width: u32, height: u32) -> Result<String, JsValue> {
        let run = self.run(job)?;
        svg_document(Measure::Offscreen, width, height, &|area| {
            run.draw_view(generation as usize, Target::Canvas(area, std::marker::PhantomData), 1.0).map_err(js_err)
        })
    }

    /// Family-specific details of generation t for the page's text (the words lost at this
    /// generation; for text also the generation's passage); `{}` when the family has none.
    pub fn details_json(&self, job: u32, generation: u32) -> Result<String, JsValue> {
        self.run(job)?.details_json(generation as usize).map_err(js_err)
    }
}

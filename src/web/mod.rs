//! The wasm-bindgen boundary. The page loads the module three times: on its main thread an
//! [`Explorer`] holds the settings, receives the run and draws its charts; in a Web Worker a
//! [`Simulator`] builds the scenario and streams the run, its control and the band of
//! replicates to it (see [`crate::stream`]), so no simulation ever holds up the page; in another
//! a [`Painter`] keeps big views and draws them on an `OffscreenCanvas`, so no big picture does
//! either (the page draws small ones itself: [`PAGE_VIEW_BYTES`]). JavaScript passes query
//! strings, bytes and canvases in and gets small values (numbers, short JSON, canonical queries,
//! captions) out; it knows nothing of the families but what [`Explorer::families_json`] reports.
//! Every export returns `Result`, so a bad input is a message, never a panic; the panic hook
//! turns any remaining bug into a readable console error.

use wasm_bindgen::prelude::*;

use crate::analysis::AnalysisKind;

mod canvas;
mod explorer;
mod look;
mod painter;
mod simulator;

pub use crate::stream::PAGE_VIEW_BYTES;
pub use canvas::PageCanvas;
pub use explorer::Explorer;
pub use painter::Painter;
pub use simulator::Simulator;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A reply to the page as JSON text (serialising the replies' types cannot fail).
fn to_json(reply: &impl serde::Serialize) -> String {
    serde_json::to_string(reply).unwrap_or_default()
}

fn js_err(message: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&message.to_string())
}

/// An analysis kind (`stops`, `mixing`) and its index in [`AnalysisKind::ALL`] (the order both
/// sides keep their analyses in).
fn analysis_index(kind: &str) -> Result<(usize, AnalysisKind), JsValue> {
    let kind = AnalysisKind::parse(kind).map_err(js_err)?;
    Ok((AnalysisKind::ALL.iter().position(|k| *k == kind).unwrap_or(0), kind))
}

//! The numbers behind the analysis charts, for the page's text summaries and data tables (a
//! chart is an image; its data must also be readable as text).

use wasm_bindgen::prelude::*;

use super::{analysis_index, js_err, Explorer};
use crate::analysis::Analysis;

#[wasm_bindgen]
impl Explorer {
    /// The lines of analysis `kind` as drawn now: `{"title", "x_label", "y_label", "lines":
    /// [{"label", "points": [[x, y], ...], "dashed", "color"}], "legend"}` (no lines before
    /// Compute).
    pub fn analysis_chart_json(&self, kind: &str) -> Result<String, JsValue> {
        let (i, kind) = analysis_index(kind)?;
        let chart = match &self.analyses[i] {
            Some(analysis) => analysis.chart(),
            None => Analysis::placeholder(kind),
        };
        serde_json::to_string(&chart).map_err(js_err)
    }
}

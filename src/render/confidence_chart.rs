//! "Confidently wrong": two metrics of one run on one chart, in the same unit — the model's
//! uncertainty about its own output (its entropy or perplexity on what it writes) and its error
//! on human data (cross-entropy or perplexity of human data under it) — with a marker at the
//! generation on screen. Confidence rising while accuracy falls is one picture.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{draw_legend, generation_frame, generation_points, Corner, Legend, Swatch};
use super::{draw_error, DrawResult, Theme};

/// The two series of the chart and how to label them.
pub struct ConfidenceSeries<'a> {
    pub title: &'a str,
    /// The model on its own output, generation by generation.
    pub own: &'a [f64],
    pub own_label: &'a str,
    /// Human data under the model.
    pub human: &'a [f64],
    pub human_label: &'a str,
    pub log_y: bool,
}

/// Both series with a legend and a marker at `generation`.
pub fn draw_confidence<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &ConfidenceSeries,
    generation: usize,
    scale: f64,
) -> DrawResult {
    let n = series.own.len().max(series.human.len()).max(2);
    let drawable = |v: f64| v.is_finite() && (!series.log_y || v > 0.0);
    let theme = Theme::new(scale);
    let values = series.own.iter().chain(series.human).cloned();
    let points = |vs: &[f64]| generation_points(vs, series.log_y);
    let both =
        [(series.own, series.own_label, theme.colors.model), (series.human, series.human_label, theme.colors.human)];
    let mut legend = Legend::new(Corner::UpperLeft);
    for (values, label, color) in both {
        legend.entry(label, Swatch::Line(color.stroke_width(theme.bold)));
        legend.lines.push(points(values));
    }
    let (mut chart, place) =
        generation_frame(root, &theme, series.title, n, values, series.log_y, false, Some(&legend))?;
    for ((values, _, color), line) in both.into_iter().zip(&legend.lines) {
        chart.draw_series(LineSeries::new(line.iter().copied(), color.stroke_width(theme.bold))).map_err(draw_error)?;
        if let Some(&v) = values.get(generation).filter(|v| drawable(**v)) {
            chart
                .draw_series(std::iter::once(Circle::new((generation as f64, v), theme.marker, color.filled())))
                .map_err(draw_error)?;
        }
    }
    draw_legend(root, &theme, &legend, place)?;
    root.present().map_err(draw_error)
}

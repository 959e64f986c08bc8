//! "Confidently wrong": two metrics of one run on one chart, in the same unit — the model's
//! uncertainty about its own output (its entropy or perplexity on what it writes) and its error
//! on human data (cross-entropy or perplexity of human data under it) — with a marker at the
//! generation on screen. Confidence rising while accuracy falls is one picture.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{draw_legend, frame, Axis, AxisLabels, Corner, Frame, Swatch};
use super::{draw_error, padded_range, palette, DrawResult, Theme};

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
    let values: Vec<f64> = series.own.iter().chain(series.human).cloned().filter(|&v| drawable(v)).collect();
    let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let y = match (values.is_empty(), series.log_y) {
        (true, _) => Axis::linear(0.0..1.0),
        (false, true) => Axis::log((lo / 1.3)..(hi * 1.3)),
        (false, false) => {
            let (lo, hi) = padded_range(lo, hi);
            Axis::linear(lo..hi)
        }
    };
    let theme = Theme::new(scale);
    let labels = Frame {
        title: Some(series.title),
        x: AxisLabels::new("generation").whole().ticks(6),
        y: AxisLabels::new("").ticks(5),
    };
    let mut chart = frame(root, &theme, &labels, Axis::linear(0.0..(n - 1) as f64), y)?;
    let points = |vs: &[f64]| -> Vec<(f64, f64)> {
        vs.iter().enumerate().filter(|(_, v)| drawable(**v)).map(|(t, &v)| (t as f64, v)).collect()
    };
    let mut legend = Vec::new();
    for (values, label, color) in
        [(series.own, series.own_label, palette::MODEL), (series.human, series.human_label, palette::HUMAN)]
    {
        let style = color.stroke_width(theme.bold);
        chart.draw_series(LineSeries::new(points(values), style)).map_err(draw_error)?;
        legend.push((label.to_string(), Swatch::Line(style)));
        if let Some(&v) = values.get(generation).filter(|v| drawable(**v)) {
            chart
                .draw_series(std::iter::once(Circle::new((generation as f64, v), theme.marker, color.filled())))
                .map_err(draw_error)?;
        }
    }
    draw_legend(&chart, &theme, Corner::UpperLeft, &legend)?;
    root.present().map_err(draw_error)
}

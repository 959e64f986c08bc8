//! The bell-curve view: one generation of the Gaussian model drawn against the human
//! distribution.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{draw_legend, frame, Axis, AxisLabels, Corner, Frame, Legend, Swatch};
use super::{draw_error, DrawResult, Theme};
use crate::sim::gaussian::{GaussianView, VIEW_BINS, VIEW_RANGE};

impl super::DrawView for GaussianView {
    fn draw_on<DB: DrawingBackend>(
        &self,
        reference: &Self,
        root: &DrawingArea<DB, Shift>,
        generation: usize,
        scale: f64,
    ) -> DrawResult {
        draw_gaussian(root, self, reference, generation, scale)
    }
}

/// Generation `generation`'s new training data as a histogram (human and synthetic samples
/// stacked), generation 0's draw as a faint outline, the human density and the fitted model.
pub fn draw_gaussian<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &GaussianView,
    reference: &GaussianView,
    generation: usize,
    scale: f64,
) -> DrawResult {
    let (lo, hi) = VIEW_RANGE;
    let width = (hi - lo) / VIEW_BINS as f64;
    let stacked: Vec<f64> = view.human_bins.iter().zip(&view.synthetic_bins).map(|(h, s)| h + s).collect();
    let reference_bins: Vec<f64> =
        reference.human_bins.iter().zip(&reference.synthetic_bins).map(|(h, s)| h + s).collect();
    // The y range reaches the highest bar, outline or curve (at least 0.45, just above the human
    // density's peak; at most 60), so a collapsing model visibly spikes upward.
    let peak = [&stacked, &reference_bins, &view.model_density, &view.human_density]
        .iter()
        .flat_map(|v| v.iter().cloned())
        .fold(0.45f64, f64::max);
    let y_max = (peak * 1.08).min(60.0);

    let theme = Theme::new(scale);
    let labels = Frame {
        title: None,
        x: AxisLabels::new("value (in human standard deviations)").whole(),
        y: AxisLabels::new("density"),
    };
    // The step outline of a histogram (what the legend must not cover of its bars).
    let outline = |bins: &[f64]| {
        let mut outline = Vec::with_capacity(2 * VIEW_BINS + 2);
        outline.push((lo, 0.0));
        for (i, &b) in bins.iter().enumerate() {
            let x0 = lo + i as f64 * width;
            outline.push((x0, b.min(y_max)));
            outline.push((x0 + width, b.min(y_max)));
        }
        outline.push((hi, 0.0));
        outline
    };
    let curve =
        |ys: &[f64]| -> Vec<(f64, f64)> { view.x.iter().cloned().zip(ys.iter().map(|y| y.min(y_max))).collect() };
    let mut legend = Legend::new(Corner::UpperRight);
    legend.lines = vec![outline(&stacked), curve(&view.human_density), curve(&view.model_density)];
    if generation > 0 {
        legend.lines.push(outline(&reference_bins));
        legend.entry("generation 0 (human sample)", Swatch::Line(theme.colors.faint.stroke_width(theme.normal)));
    }
    legend.entry("human distribution", Swatch::Dashed(theme.colors.human.stroke_width(theme.bold)));
    let model =
        if generation == 0 { "generation 0 = human".to_string() } else { format!("model of generation {generation}") };
    legend.entry(model, Swatch::Line(theme.colors.model.stroke_width(theme.bold)));
    let (mut chart, place) =
        frame(root, &theme, &labels, Axis::linear(lo..hi), Axis::linear(0.0..y_max), Some(&legend))?;

    let bar = |i: usize, bottom: f64, top: f64, color: ShapeStyle| {
        let x0 = lo + i as f64 * width;
        Rectangle::new([(x0, bottom), (x0 + width, top)], color)
    };
    chart
        .draw_series(
            view.human_bins
                .iter()
                .enumerate()
                .filter(|(_, &h)| h > 0.0)
                .map(|(i, &h)| bar(i, 0.0, h.min(y_max), theme.colors.human.mix(0.55).filled())),
        )
        .map_err(draw_error)?;
    chart
        .draw_series(view.synthetic_bins.iter().enumerate().filter(|(_, &s)| s > 0.0).map(|(i, &s)| {
            let h = view.human_bins[i];
            bar(i, h.min(y_max), (h + s).min(y_max), theme.colors.model.mix(0.45).filled())
        }))
        .map_err(draw_error)?;
    if generation > 0 {
        // Generation 0's draw as a faint step outline: where the photocopy started.
        chart
            .draw_series(LineSeries::new(
                legend.lines[3].iter().copied(),
                theme.colors.faint.stroke_width(theme.normal),
            ))
            .map_err(draw_error)?;
    }
    chart
        .draw_series(DashedLineSeries::new(
            legend.lines[1].iter().copied(),
            theme.dash,
            theme.gap,
            theme.colors.human.stroke_width(theme.bold),
        ))
        .map_err(draw_error)?;
    chart
        .draw_series(LineSeries::new(legend.lines[2].iter().copied(), theme.colors.model.stroke_width(theme.bold)))
        .map_err(draw_error)?;
    draw_legend(root, &theme, &legend, place)?;
    root.present().map_err(draw_error)
}

//! A metric across generations: the run as a solid line (over each model's thin line when
//! several are pooled), the control (the same model trained on fresh human data only) in the
//! human colour, the human value as a faint level, theory dashed, a marker at the generation on
//! screen.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{generation_frame, generation_points};
use super::{draw_error, DrawResult, Theme};

/// The data of one metric chart.
#[derive(Clone, Copy)]
pub struct MetricSeries<'a> {
    pub title: &'a str,
    /// The simulated value at generations 0, 1, ...
    pub values: &'a [f64],
    /// Expected curves (same length), drawn dashed.
    pub theory: &'a [&'a [f64]],
    /// Each model's own lineage when several models are pooled (thin lines under the pool's).
    pub lineages: &'a [Vec<f64>],
    /// The control: the same model trained every generation on fresh human data only, so the
    /// gap between it and the run is the photocopy effect (not the smaller sample).
    pub control: Option<&'a [f64]>,
    /// Logarithmic y axis (for quantities that decay geometrically).
    pub log_y: bool,
    /// Generations the axis spans (after generation 0): a run still streaming in has fewer values.
    pub generations: usize,
    /// `[p10, median, p90]` across replicate runs: the band of what usually happens.
    pub band: Option<[&'a [f64]; 3]>,
}

/// `series` with a marker at `generation`; on a log axis only its positive values are drawn.
pub fn draw_metric<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &MetricSeries,
    generation: usize,
    scale: f64,
) -> DrawResult {
    let n = (series.generations + 1).max(series.values.len()).max(2);
    let drawable = |v: f64| v.is_finite() && (!series.log_y || v > 0.0);
    let all = series
        .values
        .iter()
        .chain(series.theory.iter().flat_map(|c| c.iter()))
        .chain(series.lineages.iter().flat_map(|c| c.iter()))
        .chain(series.control.iter().flat_map(|c| c.iter()))
        .chain(series.band.iter().flat_map(|[lo, _, hi]| lo.iter().chain(hi.iter())))
        .cloned();
    let theme = Theme::new(scale);
    let (mut chart, _) = generation_frame(root, &theme, series.title, n, all, series.log_y, true, None)?;
    let points = |vs: &[f64]| generation_points(vs, series.log_y);
    if let Some([lo, median, hi]) = series.band {
        // The 10–90% range of the replicates as a shaded area, their median as a thin line.
        let mut outline = points(lo);
        outline.extend(points(hi).into_iter().rev());
        if outline.len() >= 3 {
            chart
                .draw_series(std::iter::once(Polygon::new(outline, theme.colors.model.mix(0.16))))
                .map_err(draw_error)?;
        }
        chart
            .draw_series(DashedLineSeries::new(
                points(median),
                theme.gap,
                theme.gap,
                theme.colors.model.mix(0.85).stroke_width(theme.normal),
            ))
            .map_err(draw_error)?;
    }
    for (k, lineage) in series.lineages.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(points(lineage), theme.colors.lineage(k).mix(0.75).stroke_width(theme.thin)))
            .map_err(draw_error)?;
    }
    if let Some(&human) = series.values.first().filter(|v| drawable(**v)) {
        // The human value (generation 0) as a faint level across the chart.
        let level =
            PathElement::new(vec![(0.0, human), ((n - 1) as f64, human)], theme.colors.faint.stroke_width(theme.thin));
        chart.draw_series(std::iter::once(level)).map_err(draw_error)?;
    }
    if let Some(control) = series.control {
        chart
            .draw_series(LineSeries::new(points(control), theme.colors.human.mix(0.9).stroke_width(theme.normal)))
            .map_err(draw_error)?;
    }
    for curve in series.theory {
        chart
            .draw_series(DashedLineSeries::new(
                points(curve),
                theme.dash,
                theme.gap,
                theme.colors.theory.stroke_width(theme.normal),
            ))
            .map_err(draw_error)?;
    }
    chart
        .draw_series(LineSeries::new(points(series.values), theme.colors.model.stroke_width(theme.bold)))
        .map_err(draw_error)?;
    if let Some(&v) = series.values.get(generation) {
        let (y0, y1) = (chart.y_range().start, chart.y_range().end);
        let t = generation as f64;
        let marker_line = PathElement::new(vec![(t, y0), (t, y1)], theme.colors.faint.stroke_width(theme.normal));
        chart.draw_series(std::iter::once(marker_line)).map_err(draw_error)?;
        if drawable(v) {
            chart
                .draw_series(std::iter::once(Circle::new((t, v), theme.marker, theme.colors.model.filled())))
                .map_err(draw_error)?;
        }
    }
    root.present().map_err(draw_error)
}

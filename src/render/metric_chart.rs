//! A metric across generations: the run as a solid line, theory dashed, a marker at the
//! generation on screen.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_error, font_family, padded_range, palette, DrawResult};

/// The data of one metric chart.
pub struct MetricSeries<'a> {
    pub title: &'a str,
    /// The simulated value at generations 0, 1, ...
    pub values: &'a [f64],
    /// Expected curves (same length), drawn dashed.
    pub theory: &'a [&'a [f64]],
    /// Each model's own lineage when several models are pooled (thin lines under the pool's).
    pub lineages: &'a [Vec<f64>],
    /// Logarithmic y axis (for quantities that decay geometrically).
    pub log_y: bool,
}

pub fn draw_metric<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &MetricSeries,
    generation: usize,
    scale: f64,
) -> DrawResult {
    root.fill(&WHITE).map_err(draw_error)?;
    let n = series.values.len().max(2);
    let all = series
        .values
        .iter()
        .chain(series.theory.iter().flat_map(|c| c.iter()))
        .chain(series.lineages.iter().flat_map(|c| c.iter()))
        .cloned();
    let finite: Vec<f64> = all.filter(|v| v.is_finite() && (!series.log_y || *v > 0.0)).collect();
    let lo = finite.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let x_range = 0.0..(n - 1) as f64;
    let font = (font_family(), 12.0 * scale).into_font().color(&palette::TEXT);
    let mut builder = ChartBuilder::on(root);
    builder
        .margin((8.0 * scale) as i32)
        .margin_right((24.0 * scale) as i32)
        .caption(series.title, (font_family(), 14.0 * scale).into_font().color(&palette::TEXT))
        .x_label_area_size((40.0 * scale) as i32)
        .y_label_area_size((52.0 * scale) as i32);

    if series.log_y && finite.is_empty() {
        return Err(format!("{}: nothing positive to draw on a log axis", series.title));
    }
    if series.log_y {
        let chart = builder.build_cartesian_2d(x_range, ((lo / 1.3)..(hi * 1.3)).log_scale()).map_err(draw_error)?;
        draw_metric_on(chart, series, generation, scale, &font)?;
    } else {
        let (lo, hi) = if finite.is_empty() { (0.0, 1.0) } else { (lo.min(0.0), hi) };
        let (lo, hi) = padded_range(lo, hi);
        let chart = builder.build_cartesian_2d(x_range, lo..hi).map_err(draw_error)?;
        draw_metric_on(chart, series, generation, scale, &font)?;
    }
    root.present().map_err(draw_error)
}

/// Axes, lineages, theory, the run and the marker, on either kind of y axis.
fn draw_metric_on<'a, DB, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    series: &MetricSeries,
    generation: usize,
    scale: f64,
    font: &TextStyle,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let stroke = (1.5 * scale).max(1.0) as u32;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc("generation")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| super::format_tick(*y))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(6)
        .y_labels(5)
        .draw()
        .map_err(draw_error)?;
    let drawable = |v: f64| v.is_finite() && (!series.log_y || v > 0.0);
    let points = |vs: &[f64]| -> Vec<(f64, f64)> {
        vs.iter().enumerate().filter(|(_, v)| drawable(**v)).map(|(t, &v)| (t as f64, v)).collect()
    };
    for (k, lineage) in series.lineages.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(points(lineage), palette::lineage(k).mix(0.75).stroke_width(stroke)))
            .map_err(draw_error)?;
    }
    for curve in series.theory {
        chart
            .draw_series(DashedLineSeries::new(
                points(curve),
                (5.0 * scale) as u32,
                (4.0 * scale) as u32,
                palette::THEORY.stroke_width(stroke),
            ))
            .map_err(draw_error)?;
    }
    chart
        .draw_series(LineSeries::new(points(series.values), palette::MODEL.stroke_width(stroke + 1)))
        .map_err(draw_error)?;
    if let Some(&v) = series.values.get(generation) {
        let (y0, y1) = (chart.y_range().start, chart.y_range().end);
        let t = generation as f64;
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(t, y0), (t, y1)], palette::FAINT.stroke_width(stroke))))
            .map_err(draw_error)?;
        if drawable(v) {
            chart
                .draw_series(std::iter::once(Circle::new((t, v), (4.0 * scale) as i32, palette::MODEL.filled())))
                .map_err(draw_error)?;
        }
    }
    Ok(())
}

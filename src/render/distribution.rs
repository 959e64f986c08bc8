//! The distribution of one generation drawn against the human distribution.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_error, font_family, palette, DrawResult};
use crate::sim::gaussian::{GaussianView, VIEW_BINS, VIEW_RANGE};

/// Generation `generation`'s new training data as a histogram (human and synthetic samples
/// stacked), generation 0's draw as a faint outline, the human density and the fitted model.
pub fn draw_gaussian<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &GaussianView,
    reference: &GaussianView,
    generation: usize,
    scale: f64,
) -> DrawResult {
    root.fill(&WHITE).map_err(draw_error)?;
    let (lo, hi) = VIEW_RANGE;
    let width = (hi - lo) / VIEW_BINS as f64;
    let stacked: Vec<f64> = view.human_bins.iter().zip(&view.synthetic_bins).map(|(h, s)| h + s).collect();
    let reference_bins: Vec<f64> =
        reference.human_bins.iter().zip(&reference.synthetic_bins).map(|(h, s)| h + s).collect();
    // Fix the y range at the larger of the human density's peak and the bars, so a collapsing
    // model visibly spikes rather than the axis rescaling it away.
    let peak = [&stacked, &reference_bins, &view.model_density, &view.human_density]
        .iter()
        .flat_map(|v| v.iter().cloned())
        .fold(0.45f64, f64::max);
    let y_max = (peak * 1.08).min(60.0);

    let mut chart = ChartBuilder::on(root)
        .margin((12.0 * scale) as i32)
        .margin_right((28.0 * scale) as i32)
        .x_label_area_size((34.0 * scale) as i32)
        .y_label_area_size((48.0 * scale) as i32)
        .build_cartesian_2d(lo..hi, 0.0..y_max)
        .map_err(draw_error)?;
    let label_font = (font_family(), 13.0 * scale).into_font().color(&palette::TEXT);
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc("value (in human standard deviations)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_desc("density")
        .label_style(label_font.clone())
        .axis_desc_style(label_font.clone())
        .draw()
        .map_err(draw_error)?;

    let bar = |i: usize, bottom: f64, top: f64, color: ShapeStyle| {
        let x0 = lo + i as f64 * width;
        Rectangle::new([(x0, bottom), (x0 + width, top)], color)
    };
    let stroke = (1.5 * scale).max(1.0) as u32;
    chart
        .draw_series(
            view.human_bins
                .iter()
                .enumerate()
                .filter(|(_, &h)| h > 0.0)
                .map(|(i, &h)| bar(i, 0.0, h.min(y_max), palette::HUMAN.mix(0.55).filled())),
        )
        .map_err(draw_error)?;
    chart
        .draw_series(view.synthetic_bins.iter().enumerate().filter(|(_, &s)| s > 0.0).map(|(i, &s)| {
            let h = view.human_bins[i];
            bar(i, h.min(y_max), (h + s).min(y_max), palette::MODEL.mix(0.45).filled())
        }))
        .map_err(draw_error)?;
    if generation > 0 {
        // Generation 0's draw as a faint step outline: where the photocopy started.
        let mut outline = Vec::with_capacity(2 * VIEW_BINS + 2);
        outline.push((lo, 0.0));
        for (i, &b) in reference_bins.iter().enumerate() {
            let x0 = lo + i as f64 * width;
            outline.push((x0, b.min(y_max)));
            outline.push((x0 + width, b.min(y_max)));
        }
        outline.push((hi, 0.0));
        chart
            .draw_series(LineSeries::new(outline, palette::FAINT.stroke_width(stroke)))
            .map_err(draw_error)?
            .label("generation 0 (human sample)")
            .legend(super::swatch(palette::FAINT, scale));
    }
    let curve =
        |ys: &[f64]| -> Vec<(f64, f64)> { view.x.iter().cloned().zip(ys.iter().map(|y| y.min(y_max))).collect() };
    chart
        .draw_series(DashedLineSeries::new(
            curve(&view.human_density),
            (6.0 * scale) as u32,
            (4.0 * scale) as u32,
            palette::HUMAN.stroke_width(stroke + 1),
        ))
        .map_err(draw_error)?
        .label("human distribution")
        .legend(super::swatch(palette::HUMAN.stroke_width(2), scale));
    chart
        .draw_series(LineSeries::new(curve(&view.model_density), palette::MODEL.stroke_width(stroke + 1)))
        .map_err(draw_error)?
        .label(if generation == 0 {
            "generation 0 = human".to_string()
        } else {
            format!("model of generation {generation}")
        })
        .legend(super::swatch(palette::MODEL.stroke_width(2), scale));
    super::draw_legend(&mut chart, SeriesLabelPosition::UpperRight, scale)?;
    root.present().map_err(draw_error)
}

//! The token view: a rank-frequency chart (log-log) of one generation's model over the human
//! Zipf law. Types the model can no longer produce are marked along the bottom, so the cut-off
//! tail is visible as the dots thin out and the grey rug grows from the right.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_error, font_family, palette, DrawResult};
use crate::sim::tokens::TokensView;

/// At most this many points of the human line (log-spaced ranks); the model draws every type.
const HUMAN_LINE_POINTS: usize = 400;

pub fn draw_tokens<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &TokensView,
    human: &[f64],
    generation: usize,
    scale: f64,
) -> DrawResult {
    root.fill(&WHITE).map_err(draw_error)?;
    let vocab = human.len().max(2);
    let smallest_human = human.iter().cloned().filter(|&p| p > 0.0).fold(1.0, f64::min);
    let smallest = view.model_probs.iter().cloned().filter(|&p| p > 0.0).fold(smallest_human, f64::min);
    let largest = human.iter().chain(&view.model_probs).cloned().fold(0.0, f64::max).max(1e-12);
    let (y_lo, y_hi) = (smallest / 4.0, (largest * 2.0).min(1.5));
    let font = (font_family(), 13.0 * scale).into_font().color(&palette::TEXT);

    let mut chart = ChartBuilder::on(root)
        .margin((12.0 * scale) as i32)
        .margin_right((28.0 * scale) as i32)
        .x_label_area_size((34.0 * scale) as i32)
        .y_label_area_size((60.0 * scale) as i32)
        .build_cartesian_2d((1.0..vocab as f64 * 1.15).log_scale(), (y_lo..y_hi).log_scale())
        .map_err(draw_error)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc("rank of the word in human text (1 = most frequent)")
        .y_desc("probability")
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .draw()
        .map_err(draw_error)?;

    let stroke = (1.5 * scale).max(1.0) as u32;
    let lost: Vec<usize> =
        (0..view.model_probs.len()).filter(|&i| view.model_probs[i] == 0.0 && human[i] > 0.0).collect();
    let rug_top = y_lo * (y_hi / y_lo).powf(0.035);
    chart
        .draw_series(lost.iter().map(|&i| {
            let x = (i + 1) as f64;
            PathElement::new(vec![(x, y_lo), (x, rug_top)], palette::FAINT.mix(0.6).stroke_width(1))
        }))
        .map_err(draw_error)?
        .label(format!("{} words the model can no longer produce", lost.len()))
        .legend(super::swatch(palette::FAINT.stroke_width(3), scale));

    let radius = (1.6 * scale).max(1.0) as i32;
    chart
        .draw_series(
            view.model_probs
                .iter()
                .enumerate()
                .filter(|(_, &p)| p > 0.0)
                .map(|(i, &p)| Circle::new(((i + 1) as f64, p), radius, palette::MODEL.mix(0.7).filled())),
        )
        .map_err(draw_error)?
        .label(if generation == 0 {
            "generation 0 = human".into()
        } else {
            format!("model of generation {generation}")
        })
        .legend(move |(x, y)| Circle::new((x + (9.0 * scale) as i32, y), radius + 1, palette::MODEL.filled()));

    let step = (vocab as f64).powf(1.0 / HUMAN_LINE_POINTS as f64);
    let mut ranks: Vec<usize> = (0..=HUMAN_LINE_POINTS).map(|k| step.powi(k as i32).round() as usize).collect();
    ranks.dedup();
    let line: Vec<(f64, f64)> =
        ranks.into_iter().filter(|&r| r >= 1 && r <= human.len()).map(|r| (r as f64, human[r - 1])).collect();
    chart
        .draw_series(DashedLineSeries::new(
            line,
            (6.0 * scale) as u32,
            (4.0 * scale) as u32,
            palette::HUMAN.stroke_width(stroke + 1),
        ))
        .map_err(draw_error)?
        .label("human word frequencies (Zipf)")
        .legend(super::swatch(palette::HUMAN.stroke_width(2), scale));
    super::draw_legend(&mut chart, SeriesLabelPosition::UpperRight, scale)?;
    root.present().map_err(draw_error)
}

//! The word-frequency view of the tokens model: a rank-frequency chart (log-log) of one
//! generation's model over the human Zipf law. Types the model can no longer produce are marked
//! along the bottom, so the cut-off tail is visible as the dots thin out and the grey rug grows
//! from the right.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{draw_legend, frame, Axis, AxisLabels, Corner, Frame, Legend, Swatch};
use super::{draw_error, DrawResult, Theme};
use crate::sim::tokens::TokensView;

/// At most this many points of the human line (log-spaced ranks); the model draws every type.
const HUMAN_LINE_POINTS: usize = 400;

/// Which square cells of `size` pixels of a drawing area have been drawn in: one bit each.
struct Cells {
    columns: i32,
    rows: i32,
    size: i32,
    bits: Vec<u64>,
}

impl Cells {
    fn new(width: u32, height: u32, size: i32) -> Self {
        let (columns, rows) = (width as i32 / size + 1, height as i32 / size + 1);
        Cells { columns, rows, size, bits: vec![0; (columns * rows) as usize / 64 + 1] }
    }

    /// Whether pixel `(x, y)` is the first drawn in its cell (a pixel off the area always is).
    fn first(&mut self, (x, y): (i32, i32)) -> bool {
        let (c, r) = (x.div_euclid(self.size), y.div_euclid(self.size));
        if !(0..self.columns).contains(&c) || !(0..self.rows).contains(&r) {
            return true;
        }
        let i = (r * self.columns + c) as usize;
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let first = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        first
    }
}

/// Generation 0's view of a run is the human distribution: the reference every generation is
/// drawn over.
impl super::DrawView for TokensView {
    fn draw_on<DB: DrawingBackend>(
        &self,
        reference: &Self,
        root: &DrawingArea<DB, Shift>,
        generation: usize,
        scale: f64,
    ) -> DrawResult {
        draw_tokens(root, self, &reference.model_probs, generation, scale)
    }
}

/// Generation `generation`'s model probabilities (one dot per word it can still produce) over
/// the human probabilities `human`, by human rank.
pub fn draw_tokens<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &TokensView,
    human: &[f64],
    generation: usize,
    scale: f64,
) -> DrawResult {
    let vocab = human.len().max(2);
    let smallest_human = human.iter().cloned().filter(|&p| p > 0.0).fold(1.0, f64::min);
    let smallest = view.model_probs.iter().cloned().filter(|&p| p > 0.0).fold(smallest_human, f64::min);
    let largest = human.iter().chain(&view.model_probs).cloned().fold(0.0, f64::max).max(1e-12);
    let (y_lo, y_hi) = (smallest / 4.0, (largest * 2.0).min(1.5));

    let theme = Theme::new(scale);
    let labels = Frame {
        title: None,
        x: AxisLabels::new("rank of the word in human text (1 = most frequent)").whole(),
        y: AxisLabels { format: |y| format!("{y:.0e}"), ..AxisLabels::new("probability") },
    };
    let (x, y) = (Axis::log(1.0..vocab as f64 * 1.15), Axis::log(y_lo..y_hi));
    let lost: Vec<usize> =
        (0..view.model_probs.len()).filter(|&i| view.model_probs[i] == 0.0 && human[i] > 0.0).collect();
    let rug_top = y_lo * (y_hi / y_lo).powf(0.035);
    let step = (vocab as f64).powf(1.0 / HUMAN_LINE_POINTS as f64);
    let mut ranks: Vec<usize> = (0..=HUMAN_LINE_POINTS).map(|k| step.powi(k as i32).round() as usize).collect();
    ranks.dedup();
    let line: Vec<(f64, f64)> =
        ranks.into_iter().filter(|&r| r >= 1 && r <= human.len()).map(|r| (r as f64, human[r - 1])).collect();
    let model_dots: Vec<(f64, f64)> =
        view.model_probs.iter().enumerate().filter(|(_, &p)| p > 0.0).map(|(i, &p)| ((i + 1) as f64, p)).collect();

    let radius = theme.dot;
    let mut legend = Legend::new(Corner::UpperRight);
    // The rug's swatch is drawn heavier than its lines so the faint colour shows in the legend.
    legend.entry(
        format!("{} words the model can no longer produce", lost.len()),
        Swatch::Line(theme.colors.faint.stroke_width(theme.bold + theme.thin)),
    );
    let model =
        if generation == 0 { "generation 0 = human".to_string() } else { format!("model of generation {generation}") };
    legend.entry(model, Swatch::Dot(theme.colors.model, radius + 1));
    legend.entry("human word frequencies (Zipf)", Swatch::Dashed(theme.colors.human.stroke_width(theme.bold)));
    // The rug, for the legend's placement: the band it fills (its first to last lost word), not
    // one line per word (up to 100,000 of them).
    if let (Some(&first), Some(&last)) = (lost.first(), lost.last()) {
        let (from, to) = ((first + 1) as f64, (last + 1) as f64);
        legend.lines = vec![vec![(from, y_lo), (to, y_lo)], vec![(from, rug_top), (to, rug_top)]];
    }
    legend.lines.push(line);
    legend.dots = model_dots;
    legend.dot = radius;
    let (mut chart, place) = frame(root, &theme, &labels, x, y, Some(&legend))?;

    // Thousands of dots and rug lines fall on the same few pixels at high ranks: each pixel cell
    // is drawn once (the picture is the same; drawing 10,000 shapes a frame was not).
    let (width, height) = root.dim_in_pixel();
    let cell = (radius / 2).max(1);
    let mut rug_cells = Cells::new(width, height, 1);
    let mut dot_cells = Cells::new(width, height, cell);
    let rug: Vec<usize> =
        lost.iter().copied().filter(|&i| rug_cells.first(chart.backend_coord(&((i + 1) as f64, y_lo)))).collect();
    let dots: Vec<(f64, f64)> =
        legend.dots.iter().copied().filter(|&xy| dot_cells.first(chart.backend_coord(&xy))).collect();
    chart
        .draw_series(rug.iter().map(|&i| {
            let x = (i + 1) as f64;
            PathElement::new(vec![(x, y_lo), (x, rug_top)], theme.colors.faint.mix(0.6).stroke_width(theme.thin))
        }))
        .map_err(draw_error)?;
    chart
        .draw_series(dots.into_iter().map(|xy| Circle::new(xy, radius, theme.colors.model.mix(0.7).filled())))
        .map_err(draw_error)?;
    let human_line = legend.lines.last().cloned().unwrap_or_default();
    chart
        .draw_series(DashedLineSeries::new(
            human_line,
            theme.dash,
            theme.gap,
            theme.colors.human.stroke_width(theme.bold),
        ))
        .map_err(draw_error)?;
    draw_legend(root, &theme, &legend, place)?;
    root.present().map_err(draw_error)
}

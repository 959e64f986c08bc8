//! The word-frequency view of the tokens model: a rank-frequency chart (log-log) of one
//! generation's model over the human Zipf law. Types the model can no longer produce are marked
//! along the bottom, so the cut-off tail is visible as the dots thin out and the grey rug grows
//! from the right.

use std::ops::Range;

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

/// `dots` (x ascending) thinned to the first in each cell of a grid over the log-log ranges `x`
/// and `y`, twice as fine as a `width` × `height` pixel area in cells of `cell` pixels. The
/// chart's plotting area lies inside that area, so its pixel cells are coarser than the grid's:
/// every dot left out lies within half a pixel cell of one kept, and drawn as the chart draws
/// them, one dot per pixel cell, the picture is the same to that half cell.
fn thin(
    dots: impl Iterator<Item = (f64, f64)>,
    x: Range<f64>,
    y: Range<f64>,
    (width, height): (u32, u32),
    cell: i32,
) -> Vec<(f64, f64)> {
    let (columns, rows) = (2 * (width as i32 / cell + 1), 2 * (height as i32 / cell + 1));
    let mut column = RankColumns::new(x, columns);
    let (log_lo, row_step) = (y.start.log2(), (y.end / y.start).log2() / f64::from(rows));
    let mut grid = Cells::new(columns as u32 + 1, rows as u32 + 1, 1);
    let table = log2_table();
    dots.filter(|&(x, y)| grid.first((column.column(x), ((rough_log2(y, table) - log_lo) / row_step).floor() as i32)))
        .collect()
}

/// `log2(1 + (i + 0.5) / 1024)` for each ten top bits `i` of a mantissa.
fn log2_table() -> &'static [f64; 1024] {
    static TABLE: std::sync::OnceLock<[f64; 1024]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| (1.0 + (i as f64 + 0.5) / 1024.0).log2()))
}

/// `log2(y)` of a positive normal `y` to within 0.0008, from its exponent and the top ten bits
/// of its mantissa: the grid needs a row, not the last digits, and `ln` costs about 40 ns in
/// wasm (100,000 words a frame).
fn rough_log2(y: f64, table: &[f64; 1024]) -> f64 {
    let bits = y.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023;
    f64::from(exponent) + table[((bits >> 42) & 0x3ff) as usize]
}

/// The grid column of each x on a log axis over `range` split into `columns` equal steps, for x
/// ascending: one `exp` per column passed instead of one `ln` per x.
struct RankColumns {
    lo: f64,
    step: f64,
    column: i32,
    next: f64,
}

impl RankColumns {
    fn new(range: Range<f64>, columns: i32) -> Self {
        let step = (range.end / range.start).ln() / f64::from(columns.max(1));
        RankColumns { lo: range.start, step, column: 0, next: range.start * step.exp() }
    }

    fn column(&mut self, x: f64) -> i32 {
        while x >= self.next && self.next.is_finite() {
            self.column += 1;
            self.next = self.lo * (f64::from(self.column + 1) * self.step).exp();
        }
        self.column
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
    let rug_top = y_lo * (y_hi / y_lo).powf(0.035);
    let step = (vocab as f64).powf(1.0 / HUMAN_LINE_POINTS as f64);
    let mut ranks: Vec<usize> = (0..=HUMAN_LINE_POINTS).map(|k| step.powi(k as i32).round() as usize).collect();
    ranks.dedup();
    let line: Vec<(f64, f64)> =
        ranks.into_iter().filter(|&r| r >= 1 && r <= human.len()).map(|r| (r as f64, human[r - 1])).collect();

    // Thousands of dots and rug lines fall on the same few pixels at high ranks: thinned first
    // on a grid over the data (see `thin`), so the legend's placement and the pixel filter below
    // map a few thousand points, not up to 100,000 words.
    let (width, height) = root.dim_in_pixel();
    let radius = theme.dot;
    let cell = (radius / 2).max(1);
    // The rug: one lost word per grid column (ranks ascending, so a column's first is kept).
    let mut rug_columns = RankColumns::new(x.range(), 2 * (width as i32 + 1));
    let (mut lost, mut lost_count, mut last_column) = (Vec::new(), 0, -1);
    for i in (0..view.model_probs.len()).filter(|&i| view.model_probs[i] == 0.0 && human[i] > 0.0) {
        lost_count += 1;
        let column = rug_columns.column((i + 1) as f64);
        if column != last_column {
            lost.push(i);
            last_column = column;
        }
    }
    let live_dots = view.model_probs.iter().enumerate().filter(|(_, &p)| p > 0.0).map(|(i, &p)| ((i + 1) as f64, p));
    let model_dots = thin(live_dots, x.range(), y_lo..y_hi, (width, height), cell);

    let mut legend = Legend::new(Corner::UpperRight);
    // The rug's swatch is drawn heavier than its lines so the faint colour shows in the legend;
    // no entry before there is a rug (generation 0 loses no word).
    if lost_count > 0 {
        let words = if lost_count == 1 { "word" } else { "words" };
        legend.entry(
            format!("{} {words} the model can no longer produce", crate::families::thousands(lost_count as u32)),
            Swatch::Line(theme.colors.faint.stroke_width(theme.bold + theme.thin)),
        );
    }
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

    // Each pixel cell is drawn once (the picture is the same; drawing 10,000 shapes a frame was not).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::frame::Axis;
    use plotters::coord::ranged1d::Ranged;
    use std::collections::HashSet;

    /// 100,000 words of a Zipf law refitted to a million draws: counts, many of them equal.
    fn zipf_counts() -> Vec<f64> {
        let total: f64 = (1..=100_000).map(|r| 1.0 / r as f64).sum();
        (1..=100_000).map(|r| ((1e6 / (r as f64 * total)) * (1.0 + 0.3 * (r as f64).sin())).round() / 1e6).collect()
    }

    #[test]
    fn thinned_dots_lie_within_half_a_pixel_cell_of_every_dot_and_are_far_fewer() {
        let probs = zipf_counts();
        let (x, y) = (1.0..115_000.0, 1e-7..0.2);
        let (width, height) = (1200, 600);
        // A plotting area inside the drawing area, as the chart's margins leave it.
        let pixel = |(px, py): (f64, f64)| {
            (Axis::log(x.clone()).map(&px, (70, 1180)), Axis::log(y.clone()).map(&py, (560, 12)))
        };
        let dots = || probs.iter().enumerate().filter(|(_, &p)| p > 0.0).map(|(i, &p)| ((i + 1) as f64, p));
        for cell in [1, 8] {
            let kept = thin(dots(), x.clone(), y.clone(), (width, height), cell);
            assert!(kept.len() * 5 < dots().count(), "{} of {} kept", kept.len(), dots().count());
            let at: HashSet<(i32, i32)> = kept.iter().map(|&d| pixel(d)).collect();
            // Half a cell, and a pixel for the mapping's rounding.
            let r = cell / 2 + 1;
            for dot in dots() {
                let (px, py) = pixel(dot);
                let near = (-r..=r).any(|dx| (-r..=r).any(|dy| at.contains(&(px + dx, py + dy))));
                assert!(near, "cell {cell}: the dot {dot:?} at {:?} has no kept dot near", (px, py));
            }
        }
    }

    #[test]
    fn the_rough_log2_is_within_its_bound() {
        let table = log2_table();
        for k in 0..200_000 {
            let y = 1e-9 * 1.000_137f64.powi(k);
            let error = (rough_log2(y, table) - y.log2()).abs();
            assert!(error < 0.0008, "log2 {y}: off by {error}");
        }
    }

    #[test]
    fn rank_columns_are_the_log_axis_split_evenly() {
        let mut columns = RankColumns::new(1.0..1000.0, 30);
        for rank in 1..1000 {
            let exact = ((rank as f64).ln() / (1000f64.ln() / 30.0)).floor() as i32;
            let column = columns.column(rank as f64);
            assert_eq!(column, exact, "rank {rank}");
        }
    }
}

//! The frame every chart is drawn in: background, margins, label areas, title, grid, tick labels
//! and axis descriptions in the [`Theme`]'s sizes, on linear or logarithmic axes; and the legend,
//! placed where it covers none of the data: in the first corner of the plotting area that the
//! series leave free, or else below the chart (on a phone's narrow charts, usually).

use std::ops::Range;

use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{cartesian::Cartesian2d, combinators::IntoLogRange, combinators::LogCoord, Shift};
use plotters::drawing::DrawingArea;
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, ShapeStyle, TRANSPARENT};

use super::{draw_error, format_tick, padded_range, DrawResult, Theme};

/// One axis of a chart: linear or logarithmic, so that either kind gives the same chart type.
pub(crate) enum Axis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
}

impl Clone for Axis {
    fn clone(&self) -> Axis {
        match self {
            Axis::Linear(a) => Axis::Linear(a.clone()),
            Axis::Log(a) => Axis::log(a.range()),
        }
    }
}

impl Axis {
    pub(crate) fn linear(range: Range<f64>) -> Axis {
        Axis::Linear(range.into())
    }

    /// A logarithmic axis over `range` (both ends positive).
    pub(crate) fn log(range: Range<f64>) -> Axis {
        Axis::Log(range.log_scale().into())
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Axis::Linear(a) => a.map(value, limit),
            Axis::Log(a) => a.map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Axis::Linear(a) => a.key_points(hint),
            Axis::Log(a) => a.key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Axis::Linear(a) => a.range(),
            Axis::Log(a) => a.range(),
        }
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> Range<i32> {
        match self {
            Axis::Linear(a) => a.axis_pixel_range(limit),
            Axis::Log(a) => a.axis_pixel_range(limit),
        }
    }
}

/// Only used where a [`Frame`] gives no formatter; frames always give one.
impl ValueFormatter<f64> for Axis {
    fn format(value: &f64) -> String {
        format_tick(*value)
    }
}

/// The chart context every chart draws on.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// How to label one axis.
pub(crate) struct AxisLabels<'s> {
    /// The axis description; none when empty.
    pub desc: &'s str,
    /// Tick label text.
    pub format: fn(&f64) -> String,
    /// At most this many ticks.
    pub ticks: usize,
}

impl<'s> AxisLabels<'s> {
    /// Up to eleven ticks (plotters' default) labelled with [`format_tick`].
    pub(crate) fn new(desc: &'s str) -> AxisLabels<'s> {
        AxisLabels { desc, format: |v| format_tick(*v), ticks: 11 }
    }

    /// Whole-number tick labels (for generations, ranks, standard deviations).
    pub(crate) fn whole(self) -> AxisLabels<'s> {
        AxisLabels { format: |v| format!("{v:.0}"), ..self }
    }

    pub(crate) fn ticks(self, ticks: usize) -> AxisLabels<'s> {
        AxisLabels { ticks, ..self }
    }
}

/// What a chart's frame shows besides its axes' ranges.
pub(crate) struct Frame<'s> {
    /// Drawn above the chart when there is one.
    pub title: Option<&'s str>,
    pub x: AxisLabels<'s>,
    pub y: AxisLabels<'s>,
}

/// Fills `root` with the background and draws the frame of a chart over `x` and `y`: title, grid,
/// ticks and axis descriptions, all in `theme`'s sizes. The series go on the returned chart; with
/// a `legend`, room is made for it where it covers none of its series, and the returned place is
/// where [`draw_legend`] draws it once the series are drawn.
pub(crate) fn frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: Axis,
    y: Axis,
    legend: Option<&Legend>,
) -> Result<(Chart<'a, DB>, Option<LegendPlace>), String> {
    root.fill(&theme.colors.background).map_err(draw_error)?;
    let title_font = theme.font(theme.title_size);
    let mut bottom = theme.margin;
    let mut place = None;
    if let Some(legend) = legend.filter(|l| !l.entries.is_empty()) {
        let (widths, row, pad) = measure_legend(root, theme, &legend.entries)?;
        let size = lay_out(&widths, row, pad, None);
        // The chart's geometry without drawing anything: the title's room (as plotters' caption
        // takes it) as a margin, no caption.
        let title = match frame.title {
            Some(title) => {
                let (_, h) = root.estimate_text_size(title, &title_font).map_err(draw_error)?;
                h as i32 + 2 * (h / 2).min(5) as i32
            }
            None => 0,
        };
        let mut builder = ChartBuilder::on(root);
        builder
            .margin(theme.margin)
            .margin_right(theme.margin_right)
            .margin_top(theme.margin + title)
            .x_label_area_size(theme.x_label_area)
            .y_label_area_size(theme.y_label_area);
        let probe = builder.build_cartesian_2d(x.clone(), y.clone()).map_err(draw_error)?;
        let (ox, oy) = root.get_base_pixel();
        place = Some(match free_corner(&probe, legend, &size) {
            Some((x0, y0)) => LegendPlace { x: x0 - ox, y: y0 - oy, size },
            None => {
                // Below the chart, under the x axis' description, centred, its entries in rows
                // as wide as the chart.
                let (width, height) = root.dim_in_pixel();
                let size = lay_out(&widths, row, pad, Some(width as i32 - 2 * theme.margin));
                bottom += size.height + pad;
                let x = ((width as i32 - size.width) / 2).max(0);
                LegendPlace { x, y: height as i32 - theme.margin - size.height, size }
            }
        });
    }
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(theme.margin)
        .margin_right(theme.margin_right)
        .margin_bottom(bottom)
        .x_label_area_size(theme.x_label_area)
        .y_label_area_size(theme.y_label_area);
    if let Some(title) = frame.title {
        builder.caption(title, title_font);
    }
    let mut chart = builder.build_cartesian_2d(x, y).map_err(draw_error)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(theme.colors.grid)
        .x_label_formatter(&frame.x.format)
        .y_label_formatter(&frame.y.format)
        .x_labels(frame.x.ticks)
        .y_labels(frame.y.ticks)
        .label_style(theme.font(theme.tick_size))
        .axis_desc_style(theme.font(theme.label_size));
    if !frame.x.desc.is_empty() {
        mesh.x_desc(frame.x.desc);
    }
    if !frame.y.desc.is_empty() {
        mesh.y_desc(frame.y.desc);
    }
    mesh.draw().map_err(draw_error)?;
    Ok((chart, place))
}

/// The frame of a chart across generations 0..`generations` (at least 2), with a y axis that holds
/// every drawable value (positive ones on a log axis; a linear axis starts at 0 when `from_zero`)
/// and `title` above, with room for `legend` (see [`frame`]). Returns the chart and where the
/// legend goes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn generation_frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    generations: usize,
    values: impl Iterator<Item = f64>,
    log_y: bool,
    from_zero: bool,
    legend: Option<&Legend>,
) -> Result<(Chart<'a, DB>, Option<LegendPlace>), String> {
    let drawable = |v: f64| v.is_finite() && (!log_y || v > 0.0);
    let finite: Vec<f64> = values.filter(|&v| drawable(v)).collect();
    let lo = finite.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let y = match (finite.is_empty(), log_y) {
        (true, true) => return Err(format!("{title}: nothing positive to draw on a log axis")),
        (true, false) => Axis::linear(0.0..1.0),
        (false, true) => Axis::log((lo / 1.3)..(hi * 1.3)),
        (false, false) => {
            let (lo, hi) = padded_range(if from_zero { lo.min(0.0) } else { lo }, hi);
            Axis::linear(lo..hi)
        }
    };
    let labels = Frame {
        title: Some(title),
        x: AxisLabels::new("generation").whole().ticks(6),
        y: AxisLabels::new("").ticks(5),
    };
    frame(root, theme, &labels, Axis::linear(0.0..(generations.max(2) - 1) as f64), y, legend)
}

/// The points of a series across generations that a chart can draw (finite; positive on a log axis).
pub(crate) fn generation_points(values: &[f64], log_y: bool) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite() && (!log_y || **v > 0.0))
        .map(|(t, &v)| (t as f64, v))
        .collect()
}

/// What a legend entry shows beside its label.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    /// A short line in this style.
    Line(ShapeStyle),
    /// A short dashed line in this style (for a series drawn dashed: theory, the human curve).
    Dashed(ShapeStyle),
    /// A filled dot of this colour and radius.
    Dot(RGBColor, i32),
}

/// The corners of the plotting area a legend can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// A chart's legend: its entries, and the series it must leave visible (in data coordinates, as
/// drawn: lines through their points, and dots).
pub(crate) struct Legend {
    pub entries: Vec<(String, Swatch)>,
    /// The corner tried first; then the upper right, upper left, lower right and lower left
    /// ones; and when the series leave none of them free, below the chart.
    pub corner: Corner,
    pub lines: Vec<Vec<(f64, f64)>>,
    pub dots: Vec<(f64, f64)>,
    /// The dots' radius, in pixels.
    pub dot: i32,
}

impl Legend {
    pub(crate) fn new(corner: Corner) -> Legend {
        Legend { entries: Vec::new(), corner, lines: Vec::new(), dots: Vec::new(), dot: 0 }
    }

    pub(crate) fn entry(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.entries.push((label.into(), swatch));
    }
}

/// A legend box's size and where each entry goes in it, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LegendSize {
    pub width: i32,
    pub height: i32,
    pad: i32,
    /// Each entry's swatch: its left end and the middle of its row, from the box's corner.
    cells: Vec<(i32, i32)>,
}

/// Where a legend is drawn: the top left corner of its box in the root's pixels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LegendPlace {
    pub x: i32,
    pub y: i32,
    pub size: LegendSize,
}

/// The width of each entry of `entries` (swatch and text), the height of a row and the padding.
/// Text is measured by the backend (on the page, the canvas's own `measureText`), never by
/// inserting styled elements into the document, so it draws under a strict
/// Content-Security-Policy.
fn measure_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[(String, Swatch)],
) -> Result<(Vec<i32>, i32, i32), String> {
    let font = theme.font(theme.legend_size);
    let sizes: Vec<(u32, u32)> = entries
        .iter()
        .map(|(label, _)| root.estimate_text_size(label, &font).map_err(draw_error))
        .collect::<Result<_, _>>()?;
    let pad = (theme.legend_size * 0.5).round() as i32;
    let row = sizes.iter().map(|s| s.1 as i32).max().unwrap_or(0).max(theme.swatch / 2) + pad / 2;
    Ok((sizes.iter().map(|s| theme.swatch + pad + s.0 as i32).collect(), row, pad))
}

/// A legend box of entries `widths` wide: one entry a row, or (`max_width`) side by side in rows
/// at most that wide.
fn lay_out(widths: &[i32], row: i32, pad: i32, max_width: Option<i32>) -> LegendSize {
    let (mut x, mut line, mut width) = (pad, 0, 0);
    let mut cells = Vec::with_capacity(widths.len());
    for &w in widths {
        if x > pad && max_width.is_none_or(|m| x + w + pad > m) {
            (x, line) = (pad, line + 1);
        }
        cells.push((x, pad + row * line + row / 2));
        width = width.max(x + w + pad);
        x += w + 2 * pad;
    }
    LegendSize { width, height: pad + row * (line + 1) + pad / 2, pad, cells }
}

/// Whether the segment `a`–`b` meets the rectangle `r` (`[x0, y0, x1, y1]`), by clipping it
/// (Liang–Barsky).
pub(crate) fn segment_meets(a: (f64, f64), b: (f64, f64), r: [f64; 4]) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - r[0]), (dx, r[2] - a.0), (-dy, a.1 - r[1]), (dy, r[3] - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// The first corner of the plotting area, in `legend`'s order, where its box of `size` covers
/// none of its series; `None` when the series leave no corner free (or the box does not fit).
fn free_corner<DB: DrawingBackend>(chart: &Chart<'_, DB>, legend: &Legend, size: &LegendSize) -> Option<(i32, i32)> {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let inset = size.pad;
    if size.width + 2 * inset > xs.end - xs.start || size.height + 2 * inset > ys.end - ys.start {
        return None;
    }
    let pixel = |p: &(f64, f64)| {
        let (x, y) = chart.backend_coord(p);
        (f64::from(x), f64::from(y))
    };
    let lines: Vec<Vec<(f64, f64)>> = legend.lines.iter().map(|l| l.iter().map(pixel).collect()).collect();
    let dots: Vec<(f64, f64)> = legend.dots.iter().map(pixel).collect();
    let order = [legend.corner, Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft];
    order.into_iter().find_map(|corner| {
        let x0 = match corner {
            Corner::UpperLeft | Corner::LowerLeft => xs.start + inset,
            Corner::UpperRight | Corner::LowerRight => xs.end - size.width - inset,
        };
        let y0 = match corner {
            Corner::UpperLeft | Corner::UpperRight => ys.start + inset,
            Corner::LowerLeft | Corner::LowerRight => ys.end - size.height - inset,
        };
        // A line's half width and a little air around the box.
        let near = 3.0;
        let r = [
            f64::from(x0) - near,
            f64::from(y0) - near,
            f64::from(x0 + size.width) + near,
            f64::from(y0 + size.height) + near,
        ];
        let covers_line = lines.iter().any(|line| match line.as_slice() {
            [only] => segment_meets(*only, *only, r),
            line => line.windows(2).any(|w| segment_meets(w[0], w[1], r)),
        });
        let d = f64::from(legend.dot);
        let covers_dot = dots.iter().any(|&(x, y)| x + d >= r[0] && x - d <= r[2] && y + d >= r[1] && y - d <= r[3]);
        (!covers_line && !covers_dot).then_some((x0, y0))
    })
}

/// Draws `legend`'s box at `place` on `root` (the area the chart was framed on).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &Legend,
    place: Option<LegendPlace>,
) -> DrawResult {
    let Some(LegendPlace { x: x0, y: y0, size }) = place else { return Ok(()) };
    let (x0, y0) = (x0.max(0), y0.max(0));
    let LegendSize { width: box_width, height: box_height, pad, cells } = size;
    root.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_width, y0 + box_height)],
        theme.colors.background.mix(0.85).filled(),
    ))
    .map_err(draw_error)?;
    root.draw(&Rectangle::new([(x0, y0), (x0 + box_width, y0 + box_height)], theme.colors.grid.stroke_width(1)))
        .map_err(draw_error)?;
    let text_style = theme.font(theme.legend_size).pos(Pos::new(HPos::Left, VPos::Center));
    for ((label, swatch), (dx, dy)) in legend.entries.iter().zip(cells) {
        let (x, y) = (x0 + dx, y0 + dy);
        match *swatch {
            Swatch::Line(style) => {
                root.draw(&PathElement::new(vec![(x, y), (x + theme.swatch, y)], style)).map_err(draw_error)?
            }
            Swatch::Dashed(style) => {
                // Three dashes across the swatch, as the series' dash pattern shows at its scale.
                let dash = (theme.swatch / 5).max(1);
                for k in 0..3 {
                    let x0 = x + 2 * k * dash;
                    root.draw(&PathElement::new(vec![(x0, y), (x0 + dash, y)], style)).map_err(draw_error)?;
                }
            }
            Swatch::Dot(color, radius) => {
                root.draw(&Circle::new((x + theme.swatch / 2, y), radius, color.filled())).map_err(draw_error)?
            }
        }
        root.draw(&Text::new(label.as_str(), (x + theme.swatch + pad, y), text_style.clone())).map_err(draw_error)?;
    }
    Ok(())
}

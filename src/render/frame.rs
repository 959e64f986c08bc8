//! The frame every chart is drawn in: background, margins, label areas, title, grid, tick labels
//! and axis descriptions in the [`Theme`]'s sizes, on linear or logarithmic axes; and the legend.

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

/// Fills `root` white and draws the frame of a chart over `x` and `y`: title, grid, ticks and
/// axis descriptions, all in `theme`'s sizes. The series go on the returned chart.
pub(crate) fn frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: Axis,
    y: Axis,
) -> Result<Chart<'a, DB>, String> {
    root.fill(&theme.colors.background).map_err(draw_error)?;
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(theme.margin)
        .margin_right(theme.margin_right)
        .x_label_area_size(theme.x_label_area)
        .y_label_area_size(theme.y_label_area);
    if let Some(title) = frame.title {
        builder.caption(title, theme.font(theme.title_size));
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
    Ok(chart)
}

/// The frame of a chart across generations 0..`generations` (at least 2), with a y axis that holds
/// every drawable value (positive ones on a log axis; a linear axis starts at 0 when `from_zero`)
/// and `title` above. Returns the chart and the test of what is drawable.
pub(crate) fn generation_frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    generations: usize,
    values: impl Iterator<Item = f64>,
    log_y: bool,
    from_zero: bool,
) -> Result<Chart<'a, DB>, String> {
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
    frame(root, theme, &labels, Axis::linear(0.0..(generations.max(2) - 1) as f64), y)
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

/// Where a legend goes, inside the plotting area.
#[derive(Clone, Copy)]
pub(crate) enum Corner {
    UpperLeft,
    UpperRight,
    LowerRight,
}

/// The legend box every chart uses, in a corner of the plotting area. Its text is measured by the
/// backend (on the page, the canvas's own `measureText`), never by inserting styled elements into
/// the document, so it draws under a strict Content-Security-Policy.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    theme: &Theme,
    corner: Corner,
    entries: &[(String, Swatch)],
) -> DrawResult {
    if entries.is_empty() {
        return Ok(());
    }
    let area = chart.plotting_area().strip_coord_spec();
    let (width, height) = area.dim_in_pixel();
    let font = theme.font(theme.legend_size);
    let sizes: Vec<(u32, u32)> = entries
        .iter()
        .map(|(label, _)| area.estimate_text_size(label, &font).map_err(draw_error))
        .collect::<Result<_, _>>()?;
    let pad = (theme.legend_size * 0.5).round() as i32;
    let row = sizes.iter().map(|s| s.1 as i32).max().unwrap_or(0).max(theme.swatch / 2) + pad / 2;
    let text_width = sizes.iter().map(|s| s.0 as i32).max().unwrap_or(0);
    let box_width = pad + theme.swatch + pad + text_width + pad;
    let box_height = pad + row * entries.len() as i32 + pad / 2;
    let inset = pad;
    let x0 = match corner {
        Corner::UpperLeft => inset,
        Corner::UpperRight | Corner::LowerRight => width as i32 - box_width - inset,
    };
    let y0 = match corner {
        Corner::UpperLeft | Corner::UpperRight => inset,
        Corner::LowerRight => height as i32 - box_height - inset,
    };
    let (x0, y0) = (x0.max(0), y0.max(0));
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + box_width, y0 + box_height)],
        theme.colors.background.mix(0.85).filled(),
    ))
    .map_err(draw_error)?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + box_width, y0 + box_height)], theme.colors.grid.stroke_width(1)))
        .map_err(draw_error)?;
    let text_style = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, swatch)) in entries.iter().enumerate() {
        let y = y0 + pad + row * i as i32 + row / 2;
        let x = x0 + pad;
        match *swatch {
            Swatch::Line(style) => {
                area.draw(&PathElement::new(vec![(x, y), (x + theme.swatch, y)], style)).map_err(draw_error)?
            }
            Swatch::Dashed(style) => {
                // Three dashes across the swatch, as the series' dash pattern shows at its scale.
                let dash = (theme.swatch / 5).max(1);
                for k in 0..3 {
                    let x0 = x + 2 * k * dash;
                    area.draw(&PathElement::new(vec![(x0, y), (x0 + dash, y)], style)).map_err(draw_error)?;
                }
            }
            Swatch::Dot(color, radius) => {
                area.draw(&Circle::new((x + theme.swatch / 2, y), radius, color.filled())).map_err(draw_error)?
            }
        }
        area.draw(&Text::new(label.as_str(), (x + theme.swatch + pad, y), text_style.clone())).map_err(draw_error)?;
    }
    Ok(())
}

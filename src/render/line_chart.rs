//! A plain line chart of computed points: the page's on-demand analyses (final diversity against
//! the human fraction; a pool of models against one model with the same data).

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

use super::{draw_error, font_family, padded_range, palette, DrawResult};

/// One line: its legend, points, and style (`color` indexes the lineage palette; the first
/// line drawn in the pool colour when it is 0).
#[derive(Clone, Debug, Deserialize)]
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    #[serde(default)]
    pub dashed: bool,
    #[serde(default)]
    pub color: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    /// Where the legend goes: "upper_left", "upper_right" or (the default) lower right.
    #[serde(default)]
    pub legend: String,
}

fn color(k: usize) -> RGBColor {
    [palette::MODEL, palette::HUMAN, palette::THEORY][k % 3]
}

pub fn draw_lines<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &LineChart, scale: f64) -> DrawResult {
    root.fill(&WHITE).map_err(draw_error)?;
    let points = || chart.lines.iter().flat_map(|l| l.points.iter()).filter(|(x, y)| x.is_finite() && y.is_finite());
    let (x_lo, x_hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| (a.min(*x), b.max(*x)));
    let (lo, hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, y)| (a.min(*y), b.max(*y)));
    let (x_lo, x_hi) = if x_lo < x_hi { (x_lo, x_hi) } else { (0.0, 1.0) };
    let font = (font_family(), 12.0 * scale).into_font().color(&palette::TEXT);
    let stroke = (1.5 * scale).max(1.0) as u32;
    let positive = points().all(|(_, y)| *y > 0.0);
    let mut builder = ChartBuilder::on(root);
    builder
        .margin((8.0 * scale) as i32)
        .margin_right((24.0 * scale) as i32)
        .caption(&chart.title, (font_family(), 14.0 * scale).into_font().color(&palette::TEXT))
        .x_label_area_size((40.0 * scale) as i32)
        .y_label_area_size((56.0 * scale) as i32);
    // Values spanning more than three orders of magnitude go on a log axis.
    if positive && hi / lo > 1e3 {
        let c = builder.build_cartesian_2d(x_lo..x_hi, ((lo / 1.5)..(hi * 1.5)).log_scale()).map_err(draw_error)?;
        draw_lines_on(c, chart, scale, stroke, &font)?;
    } else {
        let (y_lo, y_hi) = if lo <= hi { padded_range(lo.min(0.0), hi) } else { (0.0, 1.0) };
        let c = builder.build_cartesian_2d(x_lo..x_hi, y_lo..y_hi).map_err(draw_error)?;
        draw_lines_on(c, chart, scale, stroke, &font)?;
    }
    root.present().map_err(draw_error)
}

/// The axes, lines and legend, on either kind of y axis.
fn draw_lines_on<'a, DB, Y>(
    mut c: ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    chart: &LineChart,
    scale: f64,
    stroke: u32,
    font: &TextStyle,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let font = font.clone();
    c.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_label_formatter(&|x| super::format_tick(*x))
        .y_label_formatter(&|y| super::format_tick(*y))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .draw()
        .map_err(draw_error)?;
    for line in &chart.lines {
        let style = color(line.color).stroke_width(stroke + 1);
        let pts: Vec<(f64, f64)> =
            line.points.iter().cloned().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        let legend_style = style;
        let anno = if line.dashed {
            c.draw_series(DashedLineSeries::new(pts, (6.0 * scale) as u32, (4.0 * scale) as u32, style))
                .map_err(draw_error)?
        } else {
            c.draw_series(LineSeries::new(pts.clone(), style)).map_err(draw_error)?;
            c.draw_series(pts.into_iter().map(|p| Circle::new(p, (3.0 * scale) as i32, color(line.color).filled())))
                .map_err(draw_error)?
        };
        anno.label(line.label.as_str()).legend(super::swatch(legend_style, scale));
    }
    if !chart.lines.is_empty() {
        let position = match chart.legend.as_str() {
            "upper_left" => SeriesLabelPosition::UpperLeft,
            "upper_right" => SeriesLabelPosition::UpperRight,
            _ => SeriesLabelPosition::LowerRight,
        };
        super::draw_legend(&mut c, position, scale)?;
    }
    Ok(())
}

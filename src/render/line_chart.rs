//! A plain line chart of computed points: the page's on-demand analyses (final diversity against
//! the human fraction; a pool of models against one model with the same data).

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use super::frame::{draw_legend, frame, Axis, AxisLabels, Corner, Frame, Legend, Swatch};
use super::{draw_error, padded_range, DrawResult, Theme};

/// One line: its legend, points, and style. `color` picks the model colour (0), the human
/// colour (1) or the theory colour (2), cycling beyond; dashed lines have no point markers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    #[serde(default)]
    pub dashed: bool,
    #[serde(default)]
    pub color: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub lines: Vec<Line>,
    /// The corner the legend is tried in first: "upper_left", "upper_right" or (the default)
    /// lower right; it goes elsewhere when that corner would cover a line.
    #[serde(default)]
    pub legend: String,
}

fn color(theme: &Theme, k: usize) -> RGBColor {
    [theme.colors.model, theme.colors.human, theme.colors.theory][k % 3]
}

/// `chart`'s lines with their legend; the y axis is logarithmic when all values are positive
/// and span more than three orders of magnitude.
pub fn draw_lines<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &LineChart, scale: f64) -> DrawResult {
    let points = || chart.lines.iter().flat_map(|l| l.points.iter()).filter(|(x, y)| x.is_finite() && y.is_finite());
    let (x_lo, x_hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| (a.min(*x), b.max(*x)));
    let (lo, hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, y)| (a.min(*y), b.max(*y)));
    let (x_lo, x_hi) = if x_lo < x_hi { (x_lo, x_hi) } else { (0.0, 1.0) };
    let positive = points().all(|(_, y)| *y > 0.0);
    let y = if positive && hi / lo > 1e3 {
        Axis::log((lo / 1.5)..(hi * 1.5))
    } else {
        let (y_lo, y_hi) = if lo <= hi { padded_range(lo.min(0.0), hi) } else { (0.0, 1.0) };
        Axis::linear(y_lo..y_hi)
    };

    let theme = Theme::new(scale);
    let labels =
        Frame { title: Some(&chart.title), x: AxisLabels::new(&chart.x_label), y: AxisLabels::new(&chart.y_label) };
    let corner = match chart.legend.as_str() {
        "upper_left" => Corner::UpperLeft,
        "upper_right" => Corner::UpperRight,
        _ => Corner::LowerRight,
    };
    let mut legend = Legend::new(corner);
    legend.dot = theme.point;
    for line in &chart.lines {
        let style = color(&theme, line.color).stroke_width(theme.bold);
        legend.entry(line.label.clone(), if line.dashed { Swatch::Dashed(style) } else { Swatch::Line(style) });
        legend.lines.push(line.points.iter().cloned().filter(|(x, y)| x.is_finite() && y.is_finite()).collect());
    }
    let (mut c, place) = frame(root, &theme, &labels, Axis::linear(x_lo..x_hi), y, Some(&legend))?;
    for (line, pts) in chart.lines.iter().zip(&legend.lines) {
        let style = color(&theme, line.color).stroke_width(theme.bold);
        if line.dashed {
            c.draw_series(DashedLineSeries::new(pts.iter().copied(), theme.dash, theme.gap, style))
                .map_err(draw_error)?;
        } else {
            c.draw_series(LineSeries::new(pts.iter().copied(), style)).map_err(draw_error)?;
            c.draw_series(pts.iter().map(|&p| Circle::new(p, theme.point, color(&theme, line.color).filled())))
                .map_err(draw_error)?;
        }
    }
    draw_legend(root, &theme, &legend, place)?;
    root.present().map_err(draw_error)
}

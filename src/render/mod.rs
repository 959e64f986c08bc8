//! Charts, drawn with plotters on any backend: an HTML canvas on the page (`web`), SVG in the
//! native tests. Renderers receive plain data (a run's series, a generation's view) and never
//! touch the simulation.
//!
//! Every function takes a `scale` (the screen's device-pixel ratio) so that fonts and lines stay
//! the same physical size on high-DPI screens while the canvas has one pixel per device pixel.

mod distribution;
mod line_chart;
mod metric_chart;
mod rank_frequency;

pub use distribution::draw_gaussian;
pub use line_chart::{draw_lines, Line, LineChart};
pub use metric_chart::{draw_metric, MetricSeries};
pub use rank_frequency::draw_tokens;

use plotters::style::RGBColor;

/// Result of a drawing call; the message is shown in the page's status line.
pub type DrawResult = Result<(), String>;

/// Colours of the page, in one place (they match `www/style.css`).
pub mod palette {
    use super::RGBColor;
    /// Human data and the human distribution.
    pub const HUMAN: RGBColor = RGBColor(38, 110, 170);
    /// Synthetic data and the current model.
    pub const MODEL: RGBColor = RGBColor(214, 95, 40);
    /// Theory lines.
    pub const THEORY: RGBColor = RGBColor(40, 40, 40);
    /// Reference (generation 0) and grid.
    pub const FAINT: RGBColor = RGBColor(170, 170, 170);
    pub const GRID: RGBColor = RGBColor(228, 228, 228);
    pub const TEXT: RGBColor = RGBColor(34, 34, 34);
    /// One colour per model of a multi-model run (the pool is drawn in `MODEL`).
    pub const LINEAGES: [RGBColor; 8] = [
        RGBColor(102, 166, 30),
        RGBColor(117, 112, 179),
        RGBColor(231, 41, 138),
        RGBColor(166, 118, 29),
        RGBColor(27, 158, 119),
        RGBColor(102, 102, 102),
        RGBColor(230, 171, 2),
        RGBColor(31, 120, 180),
    ];

    pub fn lineage(k: usize) -> RGBColor {
        LINEAGES[k % LINEAGES.len()]
    }
}

pub(crate) fn font_family() -> &'static str {
    "sans-serif"
}

/// A legend entry's swatch: a short line in `style`.
pub(crate) fn swatch(
    style: impl Into<plotters::style::ShapeStyle>,
    scale: f64,
) -> impl Fn((i32, i32)) -> plotters::element::PathElement<(i32, i32)> {
    let style = style.into();
    move |(x, y)| plotters::element::PathElement::new(vec![(x, y), (x + (18.0 * scale) as i32, y)], style)
}

/// The legend box every chart uses, at `position`.
pub(crate) fn draw_legend<'a, DB, CT>(
    chart: &mut plotters::chart::ChartContext<'a, DB, CT>,
    position: plotters::chart::SeriesLabelPosition,
    scale: f64,
) -> DrawResult
where
    DB: plotters::backend::DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    use plotters::style::{Color, IntoFont, WHITE};
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(palette::GRID)
        .label_font((font_family(), 12.0 * scale).into_font().color(&palette::TEXT))
        .draw()
        .map_err(draw_error)
}

pub(crate) fn draw_error<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// Short tick labels: 0.5, 12, 1e-3, 2.5e4.
pub(crate) fn format_tick(y: f64) -> String {
    let a = y.abs();
    // Tick positions computed near zero carry rounding noise (6e-17): that is a zero.
    if a < 1e-12 {
        "0".into()
    } else if !(1e-2..1e4).contains(&a) {
        format!("{y:.0e}")
    } else if a >= 100.0 || (y - y.round()).abs() < 1e-9 {
        format!("{y:.0}")
    } else {
        let s = format!("{y:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A y-axis range with some headroom that never collapses to an empty interval.
pub(crate) fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    if (hi - lo).abs() < 1e-12 {
        let pad = if hi.abs() > 0.0 { hi.abs() * 0.1 } else { 1.0 };
        (lo - pad, hi + pad)
    } else {
        let pad = (hi - lo) * 0.06;
        (lo - pad, hi + pad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Experiment;
    use crate::scenario::Scenario;
    use crate::sim::View;
    use plotters::prelude::*;

    fn svg(draw: impl FnOnce(DrawingArea<SVGBackend, plotters::coord::Shift>) -> super::DrawResult) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (640, 360)).into_drawing_area();
            draw(root).unwrap();
        }
        out
    }

    #[test]
    fn gaussian_view_and_metric_charts_render_with_their_data() {
        let scenario = Scenario { generations: 10, ..Scenario::default() };
        let run = Experiment::new(&scenario, None).unwrap().run(&scenario, 0, true);
        let View::Gaussian(reference) = &run.views[0] else { panic!() };
        let View::Gaussian(now) = &run.views[10] else { panic!() };
        let picture = svg(|root| draw_gaussian(&root, now, reference, 10, 1.0));
        assert!(picture.contains("<rect"), "histogram bars are drawn");
        assert!(picture.contains("<polyline"), "density curves are drawn");

        let values = run.series("variance").unwrap();
        let theory: Vec<&[f64]> = run.theory.iter().map(|c| c.values.as_slice()).collect();
        let series = MetricSeries { title: "variance", values: &values, theory: &theory, lineages: &[], log_y: false };
        let picture = svg(|root| draw_metric(&root, &series, 4, 1.0));
        assert!(picture.contains("variance"));
        assert!(picture.matches("<polyline").count() >= 2, "the run and the theory line");
    }

    #[test]
    fn line_charts_draw_every_series_with_its_legend() {
        let chart = LineChart {
            title: "final diversity".into(),
            x_label: "human fraction".into(),
            y_label: "variance".into(),
            lines: vec![
                Line {
                    label: "M = 100".into(),
                    points: vec![(0.0, 0.2), (0.5, 0.9), (1.0, 1.0)],
                    dashed: false,
                    color: 0,
                },
                Line { label: "one model".into(), points: vec![(0.0, 0.5), (1.0, 0.5)], dashed: true, color: 1 },
            ],
            legend: String::new(),
        };
        let picture = svg(|root| draw_lines(&root, &chart, 1.0));
        assert!(picture.contains("M = 100") && picture.contains("one model") && picture.contains("human fraction"));
        assert!(picture.matches("<polyline").count() >= 2);
        let empty = LineChart { lines: Vec::new(), ..chart };
        assert!(svg(|root| draw_lines(&root, &empty, 1.0)).contains("final diversity"));
    }

    #[test]
    fn padded_range_never_collapses() {
        assert_eq!(padded_range(0.0, 0.0), (-1.0, 1.0));
        let (lo, hi) = padded_range(2.0, 2.0);
        assert!(lo < 2.0 && hi > 2.0);
        assert_eq!(padded_range(f64::NAN, 1.0), padded_range(0.0, 1.0));
    }
}

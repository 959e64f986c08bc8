//! Charts, drawn with plotters on any backend: on the page (`web`) an HTML canvas or, for "Save
//! as SVG", an SVG document ([`SvgWriter`]); natively SVG (the tests). Renderers receive plain data (a run's series, a generation's view) and never
//! touch the simulation.
//!
//! Every function takes a `scale` (the screen's device-pixel ratio) so that fonts and lines stay
//! the same physical size on high-DPI screens while the canvas has one pixel per device pixel.
//! The sizes for a scale are the [`Theme`]'s; every chart is drawn in the same frame (`frame.rs`).

mod bell_curve;
mod confidence_chart;
mod frame;
mod line_chart;
mod metric_chart;
mod svg;
mod theme;
mod view;
mod word_frequencies;

pub use bell_curve::draw_gaussian;
pub use confidence_chart::{draw_confidence, ConfidenceSeries};
pub use line_chart::{draw_lines, Line, LineChart};
pub use metric_chart::{draw_metric, MetricSeries};
pub use svg::SvgWriter;
pub use theme::{look, palette, set_look, Look, Palette, Theme};
pub use view::{DrawView, Target};
pub use word_frequencies::draw_tokens;

/// Result of a drawing call; the message is shown in the page's status line.
pub type DrawResult = Result<(), String>;

/// The text family shows passages of text, not a chart.
impl DrawView for crate::sim::text::TextView {
    fn draw_on<DB: plotters::prelude::DrawingBackend>(
        &self,
        _reference: &Self,
        _root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
        _generation: usize,
        _scale: f64,
    ) -> DrawResult {
        Err("the text view is shown as passages, not a chart".into())
    }
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
    use crate::sim::gaussian::Gaussian;
    use crate::sim::simulate_one;
    use plotters::prelude::*;

    fn svg_of(
        (width, height): (u32, u32),
        draw: impl FnOnce(DrawingArea<&mut SvgWriter, plotters::coord::Shift>) -> super::DrawResult,
    ) -> String {
        let mut writer = SvgWriter::new(width, height);
        draw((&mut writer).into_drawing_area()).unwrap();
        writer.finish()
    }

    fn svg(draw: impl FnOnce(DrawingArea<&mut SvgWriter, plotters::coord::Shift>) -> super::DrawResult) -> String {
        svg_of((640, 360), draw)
    }

    #[test]
    fn gaussian_view_and_metric_charts_render_with_their_data() {
        let scenario = Scenario { generations: 10, ..Scenario::default() };
        let family = Gaussian::new(&scenario);
        let (run, views) = simulate_one(&family, &scenario, &mut crate::rng::replicate_rng(1, 0), true);
        let picture = svg(|root| draw_gaussian(&root, &views[10], &views[0], 10, 1.0));
        assert!(picture.contains("<rect"), "histogram bars are drawn");
        assert!(picture.contains("<polyline"), "density curves are drawn");

        let values = run.series("variance").unwrap();
        let theory: Vec<&[f64]> = run.theory.iter().map(|c| c.values.as_slice()).collect();
        let control = vec![1.0; values.len()];
        let series = MetricSeries {
            title: "variance",
            values: &values,
            theory: &theory,
            lineages: &[],
            control: Some(&control),
            log_y: false,
            generations: values.len() - 1,
            band: None,
        };
        let picture = svg(|root| draw_metric(&root, &series, 4, 1.0));
        assert!(picture.contains("variance"));
        assert!(picture.matches("<polyline").count() >= 3, "the run, the control and the theory line");
        // With a band: its area and its median are drawn too.
        let (lo, hi): (Vec<f64>, Vec<f64>) = values.iter().map(|v| (v * 0.5, v * 1.5)).unzip();
        let banded = MetricSeries { band: Some([&lo, &values, &hi]), ..series };
        let picture = svg(|root| draw_metric(&root, &banded, 4, 1.0));
        assert!(picture.contains("<polygon"), "the band's area");

        // Through the type-erased views the page draws: the same picture.
        let shown = Experiment::new(&scenario, None).unwrap().run_with_views(0);
        assert_eq!(shown.metrics, run.metrics);
        let direct = svg(|root| draw_gaussian(&root, &views[10], &views[0], 10, 1.0));
        let erased = svg(|root| shown.views[10].draw(shown.views[0].as_ref(), Target::Svg(&root), 10, 1.0));
        assert_eq!(direct, erased);
    }

    #[test]
    fn the_confidence_chart_draws_both_series_with_their_legend() {
        let own = [3.0, 2.5, 2.0, 1.5];
        let human = [3.0, 3.4, 3.9, 4.5];
        let series = ConfidenceSeries {
            title: "Confidently wrong",
            own: &own,
            own_label: "its own output",
            human: &human,
            human_label: "human data",
            log_y: false,
        };
        let picture = svg(|root| draw_confidence(&root, &series, 2, 1.0));
        assert!(picture.contains("its own output") && picture.contains("human data"));
        assert!(picture.matches("<polyline").count() >= 2);
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
    fn the_theme_scales_every_size_with_the_device_pixel_ratio() {
        let (one, two) = (Theme::new(1.0), Theme::new(2.0));
        for (a, b) in [
            (one.label_size, two.label_size),
            (one.tick_size, two.tick_size),
            (one.title_size, two.title_size),
            (one.legend_size, two.legend_size),
        ] {
            assert_eq!(b, 2.0 * a);
        }
        for (a, b) in [(one.thin, two.thin), (one.bold, two.bold), (one.dash, two.dash), (one.gap, two.gap)] {
            assert_eq!(b, 2 * a);
        }
        // 1.5 CSS pixels: one device pixel at 1x, three at 2x (plotters strokes are whole pixels).
        assert_eq!((one.normal, two.normal), (1, 3));
        for (a, b) in [(one.margin, two.margin), (one.y_label_area, two.y_label_area), (one.swatch, two.swatch)] {
            assert_eq!(b, 2 * a);
        }
        assert_eq!(Theme::new(0.0), one, "a missing ratio draws at 1x");
    }

    #[test]
    fn the_looks_share_the_layout_and_the_projector_is_larger() {
        let (light, dark, projector) = (
            Theme::with_look(1.0, Look::Light),
            Theme::with_look(1.0, Look::Dark),
            Theme::with_look(1.0, Look::Projector),
        );
        assert_eq!(Theme::new(1.0), light, "the default look is light");
        assert_eq!((dark.tick_size, dark.bold), (light.tick_size, light.bold));
        assert!(
            projector.tick_size > light.tick_size && projector.bold > light.bold && projector.normal > light.normal
        );
        let lum = |c: plotters::style::RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        assert!(lum(dark.colors.background) < 150 && lum(dark.colors.text) > 600);
        // The run is drawn thicker than its control, so the two differ without colour too.
        assert!(light.bold >= 2 * light.normal);
        set_look(Look::Dark);
        assert_eq!(Theme::new(2.0).colors, palette::DARK);
        set_look(Look::Light);
        assert_eq!(Look::parse("projector"), Ok(Look::Projector));
        assert!(Look::parse("neon").unwrap_err().contains("light, dark, projector"));
    }

    #[test]
    fn a_dark_chart_is_drawn_on_a_dark_background() {
        let values = [1.0, 0.8, 0.5];
        let series = MetricSeries {
            title: "variance",
            values: &values,
            theory: &[],
            lineages: &[],
            control: None,
            log_y: false,
            generations: 2,
            band: None,
        };
        set_look(Look::Dark);
        let picture = svg(|root| draw_metric(&root, &series, 1, 1.0));
        set_look(Look::Light);
        assert!(picture.contains("#181A1F"), "the dark background fills the chart");
        assert!(!svg(|root| draw_metric(&root, &series, 1, 1.0)).contains("#181A1F"));
    }

    /// The element names of a well-formed XML document, in document order, or what is wrong with
    /// it (an unclosed or mismatched tag, an unquoted attribute, a bare `&` or `<`).
    fn well_formed(xml: &str) -> Result<Vec<String>, String> {
        let (mut open, mut names) = (Vec::new(), Vec::new());
        let mut rest = xml;
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            if text
                .replace("&lt;", "")
                .replace("&gt;", "")
                .replace("&amp;", "")
                .replace("&quot;", "")
                .replace("&apos;", "")
                .contains('&')
            {
                return Err(format!("a bare & in {text:?}"));
            }
            let end = rest[start..].find('>').ok_or("an unclosed <")? + start;
            let tag = &rest[start + 1..end];
            rest = &rest[end + 1..];
            if tag.starts_with('?') {
                continue;
            }
            if tag.contains('<') || tag.matches('"').count() % 2 != 0 {
                return Err(format!("a malformed tag <{tag}>"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                if open.pop().as_deref() != Some(name) {
                    return Err(format!("</{name}> closes nothing open"));
                }
                continue;
            }
            let name = tag.split_whitespace().next().ok_or("an empty tag")?.trim_end_matches('/').to_string();
            names.push(name.clone());
            if !tag.ends_with('/') {
                open.push(name);
            }
        }
        if open.is_empty() {
            Ok(names)
        } else {
            Err(format!("unclosed: {open:?}"))
        }
    }

    #[test]
    fn the_svg_writer_makes_a_standalone_document_with_the_canvas_fonts() {
        let values = [1.0, 0.8, 0.5, 0.45];
        let series = MetricSeries {
            title: "Variance <spread> & more",
            values: &values,
            theory: &[],
            lineages: &[],
            control: Some(&values),
            log_y: false,
            generations: 3,
            band: None,
        };
        let svg = svg_of((480, 300), |root| draw_metric(&root, &series, 2, 1.0));
        assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"300\" viewBox=\"0 0 480 300\">"), "{}", &svg[..200]);
        let names = well_formed(&svg).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names[0], "svg");
        assert!(svg.trim_end().ends_with("</svg>"));
        for name in ["rect", "line", "polyline", "circle", "text"] {
            assert!(names.iter().any(|n| n == name), "a <{name}>");
        }
        // The title, escaped, in the canvas's font and size; the ticks and the axis description.
        assert!(svg.contains(">Variance &lt;spread&gt; &amp; more</text>"), "the title");
        assert!(svg.contains("font-size=\"14.0\" font-family=\"sans-serif\""), "the title's font as on canvas");
        assert!(svg.contains("font-size=\"12.0\" font-family=\"sans-serif\""), "the ticks' font");
        assert!(svg.contains(">generation</text>") && svg.contains(">0.5</text>") && svg.contains(">3</text>"));
        assert!(svg.contains("fill=\"#FFFFFF\""), "the background");
    }

    /// The numbers of attribute `name` of an SVG element's tag.
    fn numbers(tag: &str, name: &str) -> Vec<f64> {
        let Some(start) = tag.find(&format!(" {name}=\"")) else { return Vec::new() };
        let value = &tag[start + name.len() + 3..];
        value[..value.find('"').unwrap()].split([' ', ',']).filter_map(|v| v.parse().ok()).collect()
    }

    /// In an SVG of a chart drawn by [`SvgWriter`]: the legend's box (the one translucent
    /// background rectangle, drawn after every series) and what of the data it covers: each dot,
    /// line or bar drawn before it that meets the box.
    fn legend_covers(svg: &str) -> (Option<[f64; 4]>, Vec<String>) {
        let tags: Vec<&str> = svg.split('<').collect();
        let Some(at) = tags.iter().position(|t| t.starts_with("rect") && t.contains("fill-opacity=\"0.850\"")) else {
            return (None, Vec::new());
        };
        let [x, y, w, h] = ["x", "y", "width", "height"].map(|a| numbers(tags[at], a)[0]);
        let r = [x, y, x + w, y + h];
        let covered = tags[..at]
            .iter()
            .filter(|tag| {
                if tag.starts_with("circle") {
                    let (cx, cy, d) = (numbers(tag, "cx")[0], numbers(tag, "cy")[0], numbers(tag, "r")[0]);
                    cx + d > r[0] && cx - d < r[2] && cy + d > r[1] && cy - d < r[3]
                } else if tag.starts_with("polyline") {
                    let p = numbers(tag, "points");
                    let p: Vec<(f64, f64)> = p.chunks(2).map(|c| (c[0], c[1])).collect();
                    p.windows(2).any(|w| frame::segment_meets(w[0], w[1], r))
                } else if tag.starts_with("rect") && tag.contains("fill-opacity") {
                    let [bx, by, bw, bh] = ["x", "y", "width", "height"].map(|a| numbers(tag, a)[0]);
                    bx < r[2] && bx + bw > r[0] && by < r[3] && by + bh > r[1]
                } else {
                    false
                }
            })
            .map(|t| t.chars().take(80).collect())
            .collect();
        (Some(r), covered)
    }

    #[test]
    fn no_legend_covers_the_data_on_a_phone_or_a_desktop() {
        // On a phone (charts 360 px wide, the page at 390) and a desktop, in the three looks: the
        // word view late and early in a run that loses words, the bell curve collapsing, and the
        // confidently-wrong chart, whose lines fill every corner.
        let tokens = Scenario::from_query("model=tokens&generations=40&samples=2000").unwrap();
        let tokens = Experiment::new(&tokens, None).unwrap().run_with_views(0);
        let gaussian = Scenario::from_query("generations=60&samples=20&seed=5").unwrap();
        let gaussian = Experiment::new(&gaussian, None).unwrap().run_with_views(0);
        let own: Vec<f64> = (0..21).map(|t| 55.0 * 0.9f64.powi(t)).collect();
        let human: Vec<f64> = (0..21).map(|t| 350.0 * 1.1f64.powi(t)).collect();
        let confidence = ConfidenceSeries {
            title: "Confidently wrong",
            own: &own,
            own_label: "Perplexity on its own text",
            human: &human,
            human_label: "Perplexity on held-out human text",
            log_y: true,
        };
        let mut below = 0;
        for look in [Look::Light, Look::Dark, Look::Projector] {
            set_look(look);
            for size in [(360, 260), (900, 340)] {
                let mut pictures = Vec::new();
                for t in [0, 3, 40] {
                    let (view, first) = (&tokens.views[t], tokens.views[0].as_ref());
                    pictures.push((
                        format!("tokens {t}"),
                        svg_of(size, |root| view.draw(first, Target::Svg(&root), t, 1.0)),
                    ));
                }
                for t in [0, 10, 60] {
                    let (view, first) = (&gaussian.views[t], gaussian.views[0].as_ref());
                    pictures.push((
                        format!("bell curve {t}"),
                        svg_of(size, |root| view.draw(first, Target::Svg(&root), t, 1.0)),
                    ));
                }
                pictures.push((
                    "confidence".into(),
                    svg_of((size.0, 200), |root| draw_confidence(&root, &confidence, 20, 1.0)),
                ));
                for (what, svg) in pictures {
                    let (legend, covered) = legend_covers(&svg);
                    let legend = legend.unwrap_or_else(|| panic!("{what} at {size:?} has its legend"));
                    assert!(
                        covered.is_empty(),
                        "{what} at {size:?} in {look:?}: the legend {legend:?} covers {covered:?}"
                    );
                    let height = if what == "confidence" { 200.0 } else { f64::from(size.1) };
                    assert!(
                        legend[0] >= 0.0 && legend[2] <= f64::from(size.0) && legend[3] <= height,
                        "{what}: {legend:?}"
                    );
                    // Below the chart when no corner is free: under all of the chart's text.
                    let before = &svg[..svg.find("fill-opacity=\"0.850\"").unwrap()];
                    let mut texts = before.split("<text").skip(1).filter_map(|t| numbers(t, "y").first().copied());
                    if texts.all(|y| y < legend[1]) {
                        below += 1;
                    }
                }
            }
        }
        set_look(Look::Light);
        assert!(below > 0, "some legends go below their chart");
    }

    #[test]
    fn padded_range_never_collapses() {
        assert_eq!(padded_range(0.0, 0.0), (-1.0, 1.0));
        let (lo, hi) = padded_range(2.0, 2.0);
        assert!(lo < 2.0 && hi > 2.0);
        assert_eq!(padded_range(f64::NAN, 1.0), padded_range(0.0, 1.0));
    }
}

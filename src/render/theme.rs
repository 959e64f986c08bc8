//! The look every chart shares: the palette, and the sizes of fonts, lines, dashes, margins and
//! label areas. Sizes are chosen in CSS pixels and multiplied by the device-pixel ratio here, in
//! [`Theme::new`], so that charts never scale anything by hand.

use plotters::style::{IntoFont, RGBColor, TextStyle};

/// Colours of the page, in one place (they match `www/style.css`).
pub mod palette {
    use super::RGBColor;
    /// Human data and the human distribution.
    pub const HUMAN: RGBColor = RGBColor(38, 110, 170);
    /// Synthetic data and the current model.
    pub const MODEL: RGBColor = RGBColor(214, 95, 40);
    /// Theory lines.
    pub const THEORY: RGBColor = RGBColor(40, 40, 40);
    /// Generation 0's outline, the lost-words rug and the marker of the generation on screen.
    pub const FAINT: RGBColor = RGBColor(170, 170, 170);
    /// Grid lines and the legend's border.
    pub const GRID: RGBColor = RGBColor(228, 228, 228);
    /// Tick labels, axis descriptions, titles and legend text.
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

    /// The colour of model `k`, cycling through [`LINEAGES`].
    pub fn lineage(k: usize) -> RGBColor {
        LINEAGES[k % LINEAGES.len()]
    }
}

/// Fonts, strokes and spacing in device pixels for one device-pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// The device-pixel ratio the sizes were computed for.
    pub scale: f64,
    pub font_family: &'static str,
    /// Axis descriptions ("generation", "density").
    pub label_size: f64,
    /// Tick labels.
    pub tick_size: f64,
    /// A chart's title.
    pub title_size: f64,
    /// Legend entries.
    pub legend_size: f64,
    /// Each model's own lineage, the lost-words rug.
    pub thin: u32,
    /// Theory curves, generation 0's outline, the marker of the generation on screen.
    pub normal: u32,
    /// The pool's or the model's line, the human distribution, analysis lines.
    pub bold: u32,
    /// Dashed (theory) lines: length of a dash and of the gap after it.
    pub dash: u32,
    pub gap: u32,
    /// Space around the chart; more on the right so the last x tick label fits.
    pub margin: i32,
    pub margin_right: i32,
    /// Height of the x axis' tick labels and description, width of the y axis'.
    pub x_label_area: i32,
    pub y_label_area: i32,
    /// Length of a legend entry's line.
    pub swatch: i32,
    /// Radii of the model's dots (word frequencies), of the points of an analysis line, and of
    /// the marker of the generation on screen.
    pub dot: i32,
    pub point: i32,
    pub marker: i32,
}

impl Theme {
    /// The theme for a screen with `scale` device pixels per CSS pixel.
    pub fn new(scale: f64) -> Theme {
        let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        // CSS pixels to device pixels, at least one (as for `stroke_width`, plotters wants integers).
        let px = |css: f64| (css * scale).max(1.0) as i32;
        let width = |css: f64| px(css) as u32;
        Theme {
            scale,
            font_family: "sans-serif",
            label_size: 13.0 * scale,
            tick_size: 12.0 * scale,
            title_size: 14.0 * scale,
            legend_size: 12.0 * scale,
            thin: width(1.0),
            normal: width(1.5),
            bold: width(2.0),
            dash: width(6.0),
            gap: width(4.0),
            margin: px(10.0),
            margin_right: px(26.0),
            x_label_area: px(38.0),
            y_label_area: px(56.0),
            swatch: px(18.0),
            dot: px(1.6),
            point: px(3.0),
            marker: px(4.0),
        }
    }

    /// The theme's font at `size` device pixels, in the text colour.
    pub fn font(&self, size: f64) -> TextStyle<'static> {
        (self.font_family, size).into_font().color(&palette::TEXT)
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::new(1.0)
    }
}

//! The look every chart shares: the palette, and the sizes of fonts, lines, dashes, margins and
//! label areas. Sizes are chosen in CSS pixels and multiplied by the device-pixel ratio here, in
//! [`Theme::new`], so that charts never scale anything by hand. Three looks (light, dark,
//! projector) share the layout; the page picks one ([`set_look`]).

use plotters::style::{IntoFont, RGBColor, TextStyle};

/// The page's looks: every chart is drawn in one of them (see [`set_look`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Look {
    #[default]
    Light,
    Dark,
    /// For a room: larger text, thicker lines, black text and darker grid on white.
    Projector,
}

impl Look {
    /// The look named `name` (`light`, `dark`, `projector`).
    pub fn parse(name: &str) -> Result<Look, String> {
        match name {
            "light" => Ok(Look::Light),
            "dark" => Ok(Look::Dark),
            "projector" => Ok(Look::Projector),
            other => {
                Err(format!("unknown theme `{}`; the themes are: light, dark, projector", crate::scenario::clip(other)))
            }
        }
    }
}

thread_local! {
    /// The look charts are drawn in: one page-wide setting, like the device-pixel ratio, chosen
    /// by the page (`Explorer.set_theme`); natively always the default.
    static LOOK: std::cell::Cell<Look> = const { std::cell::Cell::new(Look::Light) };
}

/// Sets the look every chart drawn from now on (on this thread) uses.
pub fn set_look(look: Look) {
    LOOK.with(|l| l.set(look));
}

/// The look charts are drawn in now.
pub fn look() -> Look {
    LOOK.with(|l| l.get())
}

/// Colours of one look. Hues are the Okabe–Ito palette, safe for every common colour-vision
/// deficiency; the meaning is also in the strokes (the run thick, its control thinner, theory
/// dashed, the human value a faint level). `www/style.css` uses the same colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    /// Human data and the human distribution (and the control, trained on human data).
    pub human: RGBColor,
    /// Synthetic data and the current model.
    pub model: RGBColor,
    /// Theory lines.
    pub theory: RGBColor,
    /// Generation 0's outline, the lost-words rug and the marker of the generation on screen.
    pub faint: RGBColor,
    /// Grid lines and the legend's border.
    pub grid: RGBColor,
    /// Tick labels, axis descriptions, titles and legend text.
    pub text: RGBColor,
    /// One colour per model of a multi-model run (the pool is drawn in `model`).
    pub lineages: [RGBColor; 8],
}

impl Palette {
    /// The colour of model `k`, cycling through the lineages.
    pub fn lineage(&self, k: usize) -> RGBColor {
        self.lineages[k % self.lineages.len()]
    }

    pub fn of(look: Look) -> Palette {
        match look {
            Look::Light => palette::LIGHT,
            Look::Dark => palette::DARK,
            Look::Projector => palette::PROJECTOR,
        }
    }
}

/// The palettes of the three looks.
pub mod palette {
    use super::{Palette, RGBColor};

    /// Okabe–Ito: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow.
    const BLUE: RGBColor = RGBColor(0, 114, 178);
    const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    const GREEN: RGBColor = RGBColor(0, 158, 115);
    const PURPLE: RGBColor = RGBColor(204, 121, 167);
    const ORANGE: RGBColor = RGBColor(230, 159, 0);
    const SKY: RGBColor = RGBColor(86, 180, 233);
    const YELLOW: RGBColor = RGBColor(240, 228, 66);

    pub const LIGHT: Palette = Palette {
        background: RGBColor(255, 255, 255),
        human: BLUE,
        model: VERMILLION,
        theory: RGBColor(40, 40, 40),
        faint: RGBColor(165, 165, 165),
        grid: RGBColor(228, 228, 228),
        text: RGBColor(34, 34, 34),
        lineages: [GREEN, PURPLE, ORANGE, SKY, RGBColor(102, 102, 102), RGBColor(170, 150, 0), RGBColor(0, 0, 0), BLUE],
    };

    pub const DARK: Palette = Palette {
        background: RGBColor(24, 26, 31),
        human: SKY,
        model: ORANGE,
        theory: RGBColor(215, 215, 215),
        faint: RGBColor(125, 125, 125),
        grid: RGBColor(58, 61, 68),
        text: RGBColor(232, 232, 232),
        lineages: [GREEN, PURPLE, VERMILLION, BLUE, RGBColor(160, 160, 160), YELLOW, RGBColor(255, 255, 255), SKY],
    };

    pub const PROJECTOR: Palette = Palette {
        background: RGBColor(255, 255, 255),
        human: BLUE,
        model: VERMILLION,
        theory: RGBColor(0, 0, 0),
        faint: RGBColor(110, 110, 110),
        grid: RGBColor(200, 200, 200),
        text: RGBColor(0, 0, 0),
        lineages: [GREEN, PURPLE, ORANGE, SKY, RGBColor(80, 80, 80), RGBColor(150, 130, 0), RGBColor(0, 0, 0), BLUE],
    };
}

/// Fonts, strokes and spacing in device pixels for one device-pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// The device-pixel ratio the sizes were computed for.
    pub scale: f64,
    pub look: Look,
    pub colors: Palette,
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
    /// The theme for a screen with `scale` device pixels per CSS pixel, in the current look
    /// ([`look`]).
    pub fn new(scale: f64) -> Theme {
        Theme::with_look(scale, look())
    }

    /// The theme of `look` for a screen with `scale` device pixels per CSS pixel. The projector
    /// look has larger text and thicker lines.
    pub fn with_look(scale: f64, look: Look) -> Theme {
        let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        let (text, stroke) = if look == Look::Projector { (1.3, 1.75) } else { (1.0, 1.0) };
        // CSS pixels to device pixels, at least one (as for `stroke_width`, plotters wants integers).
        let px = |css: f64| (css * scale).max(1.0) as i32;
        let width = |css: f64| px(css * stroke) as u32;
        Theme {
            scale,
            look,
            colors: Palette::of(look),
            font_family: "sans-serif",
            label_size: 13.0 * text * scale,
            tick_size: 12.0 * text * scale,
            title_size: 14.0 * text * scale,
            legend_size: 12.0 * text * scale,
            thin: width(1.0),
            normal: width(1.5),
            bold: width(3.0),
            dash: width(6.0),
            gap: width(4.0),
            margin: px(10.0),
            margin_right: px(26.0),
            x_label_area: px(38.0 * text),
            y_label_area: px(56.0 * text),
            swatch: px(18.0),
            dot: px(1.6),
            point: px(3.0),
            marker: px(4.0),
        }
    }

    /// The theme's font at `size` device pixels, in the text colour.
    pub fn font(&self, size: f64) -> TextStyle<'static> {
        (self.font_family, size).into_font().color(&self.colors.text)
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::new(1.0)
    }
}

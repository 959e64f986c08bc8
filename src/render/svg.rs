//! A small SVG writer: the page's "Save as SVG" (through `web::PageCanvas`, which measures the
//! text with the canvas) and natively a [`DrawingBackend`] of its own. Its text is written in the
//! font family and size the canvas draws (plotters' own SVG backend shrinks every font by a factor
//! of 1.24), anchored as the canvas anchors it, and the document stands alone (`xmlns`, `width`,
//! `height`, `viewBox`), so it opens in a browser, an editor or a word processor as drawn.
//!
//! The writer's methods are not generic: a chart's drawing code is instantiated once, for the
//! page's backend, and the page's module carries one copy of this writer beside it.

use std::fmt::Write;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// An SVG document being drawn, `width` × `height` pixels.
pub struct SvgWriter {
    size: (u32, u32),
    out: String,
}

/// Appends `text` with the XML special characters escaped (and control characters, which XML
/// does not allow, as spaces).
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        let entity = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            '"' => "&quot;",
            '\'' => "&apos;",
            c if c < ' ' => " ",
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(entity);
    }
}

/// `#RRGGBB`, and `attr`'s opacity when the colour is not opaque.
fn paint(out: &mut String, attr: &str, color: BackendColor) {
    let (r, g, b) = color.rgb;
    let _ = write!(out, " {attr}=\"#{r:02X}{g:02X}{b:02X}\"");
    if color.alpha < 1.0 {
        let _ = write!(out, " {attr}-opacity=\"{:.3}\"", color.alpha.max(0.0));
    }
}

impl SvgWriter {
    /// A new document of `width` × `height` pixels.
    pub fn new(width: u32, height: u32) -> SvgWriter {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
        );
        SvgWriter { size: (width, height), out }
    }

    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// The finished document.
    pub fn finish(&self) -> String {
        let mut svg = self.out.clone();
        svg.push_str("</svg>\n");
        svg
    }

    /// Opens an element `<tag` (its attributes follow; [`SvgWriter::close`] ends it).
    fn open(&mut self, tag: &str) -> &mut String {
        self.out.push('<');
        self.out.push_str(tag);
        &mut self.out
    }

    fn close(&mut self) {
        self.out.push_str("/>\n");
    }

    /// A stroke of `color`, `width` pixels wide, and no fill.
    fn stroke(&mut self, color: BackendColor, width: u32) {
        self.out.push_str(" fill=\"none\"");
        paint(&mut self.out, "stroke", color);
        let _ = write!(self.out, " stroke-width=\"{width}\"");
    }

    fn points(&mut self, points: &mut dyn Iterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in points.enumerate() {
            let _ = write!(self.out, "{}{x},{y}", if i == 0 { "" } else { " " });
        }
        self.out.push('"');
    }

    pub fn line(&mut self, from: BackendCoord, to: BackendCoord, color: BackendColor, width: u32) {
        if color.alpha == 0.0 {
            return;
        }
        let _ = write!(self.open("line"), " x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"", from.0, from.1, to.0, to.1);
        self.stroke(color, width);
        self.close();
    }

    pub fn rect(&mut self, a: BackendCoord, b: BackendCoord, color: BackendColor, width: u32, fill: bool) {
        if color.alpha == 0.0 {
            return;
        }
        let (x, y) = (a.0.min(b.0), a.1.min(b.1));
        let (w, h) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        let _ = write!(self.open("rect"), " x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"");
        if fill {
            paint(&mut self.out, "fill", color);
        } else {
            self.stroke(color, width);
        }
        self.close();
    }

    /// An open line through `points` (`fill`: a filled polygon).
    pub fn polyline(
        &mut self,
        points: &mut dyn Iterator<Item = BackendCoord>,
        color: BackendColor,
        width: u32,
        fill: bool,
    ) {
        if color.alpha == 0.0 {
            return;
        }
        self.open(if fill { "polygon" } else { "polyline" });
        self.points(points);
        if fill {
            paint(&mut self.out, "fill", color);
        } else {
            self.stroke(color, width);
        }
        self.close();
    }

    pub fn circle(&mut self, center: BackendCoord, radius: u32, color: BackendColor, width: u32, fill: bool) {
        if color.alpha == 0.0 {
            return;
        }
        let _ = write!(self.open("circle"), " cx=\"{}\" cy=\"{}\" r=\"{radius}\"", center.0, center.1);
        if fill {
            paint(&mut self.out, "fill", color);
        } else {
            self.stroke(color, width);
        }
        self.close();
    }

    /// `text` at `pos` in `style`'s family, size (in pixels, as the canvas draws it), colour,
    /// anchor and rotation.
    pub fn text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) {
        let family = style.family();
        self.text_with(
            text,
            pos,
            style.color(),
            style.size(),
            family.as_str(),
            style.style(),
            style.transform(),
            style.anchor(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn text_with(
        &mut self,
        text: &str,
        (x, y): BackendCoord,
        color: BackendColor,
        size: f64,
        family: &str,
        font_style: FontStyle,
        transform: FontTransform,
        anchor: plotters_backend::text_anchor::Pos,
    ) {
        if color.alpha == 0.0 {
            return;
        }
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Center => "middle",
            HPos::Right => "end",
        };
        // The canvas's baselines "top", "middle" and "bottom" (of the em box), as offsets from the
        // alphabetic baseline that every SVG renderer understands.
        let dy = match anchor.v_pos {
            VPos::Top => "0.8em",
            VPos::Center => "0.3em",
            VPos::Bottom => "-0.2em",
        };
        let out = self.open("text");
        let _ = write!(
            out,
            " x=\"{x}\" y=\"{y}\" dy=\"{dy}\" text-anchor=\"{align}\" font-size=\"{size:.1}\" font-family=\""
        );
        escape(out, family);
        out.push('"');
        match font_style {
            FontStyle::Normal => {}
            FontStyle::Bold => out.push_str(" font-weight=\"bold\""),
            other => {
                let _ = write!(out, " font-style=\"{}\"", other.as_str());
            }
        }
        let degrees = match transform {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
        };
        if degrees != 0 {
            let _ = write!(out, " transform=\"rotate({degrees} {x} {y})\"");
        }
        paint(out, "fill", color);
        out.push('>');
        escape(out, text);
        out.push_str("</text>\n");
    }
}

/// Natively a writer is a backend by itself, borrowed while a chart is drawn on it (text measured
/// by plotters' estimate); on the page `web::PageCanvas` wraps it and measures text with the canvas.
impl DrawingBackend for &mut SvgWriter {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.rect(point, (point.0 + 1, point.1 + 1), color, 0, true);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.line(from, to, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.rect(upper_left, bottom_right, style.color(), style.stroke_width(), fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.polyline(&mut path.into_iter(), style.color(), style.stroke_width(), false);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.circle(center, radius, style.color(), style.stroke_width(), fill);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.polyline(&mut vert.into_iter(), style.color(), 0, true);
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.text(text, style, pos);
        Ok(())
    }
}

//! The page's canvas backend: plotters' drawing calls on a canvas's 2D context, as
//! plotters-canvas makes them, but on a page canvas or an `OffscreenCanvas` in a worker alike,
//! and with text measured by the context's own `measureText`. (plotters measures text on wasm by
//! inserting a `<span>` with an inline `style` into the document, which a strict
//! Content-Security-Policy, `style-src 'self'`, forbids, and which a worker has no document
//! for.) The same backend writes SVG for the page's "Save as SVG", so a chart's drawing code is
//! instantiated once for all of them.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, OffscreenCanvas};

use crate::render::SvgWriter;

/// Line height of measured text, as a multiple of the font size (a browser's `normal`).
const LINE_HEIGHT: f64 = 1.2;

/// What a [`PageCanvas`] draws on: a canvas of `width` × `height` pixels through its 2D
/// context, or an SVG document (the page's "Save as SVG"). One backend type for both, so every
/// chart's drawing code is in the module once.
enum Surface {
    Canvas { width: u32, height: u32 },
    Svg(Rc<RefCell<SvgWriter>>),
}

/// A chart's drawing backend: a canvas on the page, an `OffscreenCanvas` in the painter worker
/// (which draws big views off the main thread, see `web::Painter`), or an SVG document.
pub struct PageCanvas {
    surface: Surface,
    /// The canvas's 2D context; for SVG, a context to measure text with. An
    /// `OffscreenCanvasRenderingContext2D` is held as a `CanvasRenderingContext2d`: the two
    /// share every method used here, and wasm-bindgen calls methods by name on the object.
    context: CanvasRenderingContext2d,
    /// The fill colour this backend last set on the canvas for a dot, while nothing else has
    /// drawn since: a chart's thousands of dots of one colour set it once, not once each.
    dot_fill: Option<(u8, u8, u8, f64)>,
}

fn context_of(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()
}

/// The 2D context of an `OffscreenCanvas` (see [`PageCanvas::context`] for its type).
fn offscreen_context(canvas: &OffscreenCanvas) -> Option<CanvasRenderingContext2d> {
    Some(canvas.get_context("2d").ok()??.unchecked_into::<CanvasRenderingContext2d>())
}

impl PageCanvas {
    fn drawing_on(context: CanvasRenderingContext2d, width: u32, height: u32) -> PageCanvas {
        PageCanvas { surface: Surface::Canvas { width, height }, context, dot_fill: None }
    }

    /// The backend of a canvas with a 2D context, or `None`.
    pub fn new(canvas: HtmlCanvasElement) -> Option<PageCanvas> {
        Some(PageCanvas::drawing_on(context_of(&canvas)?, canvas.width(), canvas.height()))
    }

    /// The backend of an `OffscreenCanvas` (in a worker), or `None`.
    pub fn offscreen(canvas: &OffscreenCanvas) -> Option<PageCanvas> {
        Some(PageCanvas::drawing_on(offscreen_context(canvas)?, canvas.width(), canvas.height()))
    }
}

/// Where a chart is drawn: a canvas, or an SVG document.
pub type Area = DrawingArea<PageCanvas, Shift>;

/// What measures the text of an SVG document: the chart's canvas on the page (the same fonts),
/// or in a worker an `OffscreenCanvas`.
pub enum Measure<'a> {
    Canvas(&'a HtmlCanvasElement),
    Offscreen,
}

/// A chart drawn by `draw` as a standalone SVG document of `width` × `height` CSS pixels (at
/// scale 1: a vector picture), its text measured by `measure`.
pub fn svg_document(
    measure: Measure<'_>,
    width: u32,
    height: u32,
    draw: &dyn Fn(&Area) -> Result<(), JsValue>,
) -> Result<String, JsValue> {
    let context = match measure {
        Measure::Canvas(canvas) => context_of(canvas),
        Measure::Offscreen => offscreen_context(&OffscreenCanvas::new(1, 1)?),
    }
    .ok_or_else(|| JsValue::from_str("no 2D context to measure the text with"))?;
    let writer = Rc::new(RefCell::new(SvgWriter::new(width.max(1), height.max(1))));
    let backend = PageCanvas { surface: Surface::Svg(writer.clone()), context, dot_fill: None };
    draw(&backend.into_drawing_area())?;
    let document = writer.borrow().finish();
    Ok(document)
}

fn css_color(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", color.alpha)
}

/// A call the canvas refused (only text transforms can fail).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "the canvas refused to draw: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn refused(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
}

/// A horizontal or vertical line moved half a pixel, so that a 1-pixel line covers whole pixels
/// instead of blurring over two (as plotters-canvas draws them).
fn crisp(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut from, mut to) = ((f64::from(from.0), f64::from(from.1)), (f64::from(to.0), f64::from(to.1)));
    if from.0 == to.0 {
        from.0 -= 0.5;
        to.0 -= 0.5;
    }
    if from.1 == to.1 {
        from.1 -= 0.5;
        to.1 -= 0.5;
    }
    (from, to)
}

/// Runs `$canvas` on the 2D context (which may set the canvas's fill colour; nothing is drawn
/// in a transparent colour `$alpha`), or `$svg` on `$w`, the SVG writer as a drawing backend of
/// its own (it cannot fail).
macro_rules! on {
    ($self:ident, $alpha:expr, $c:ident => $canvas:expr, $w:ident => $svg:expr) => {{
        $self.dot_fill = None;
        match &mut $self.surface {
            Surface::Canvas { .. } => {
                if $alpha == 0.0 {
                    return Ok(());
                }
                let $c = &$self.context;
                $canvas
            }
            Surface::Svg(writer) => {
                let mut $w = &mut *writer.borrow_mut();
                match $svg {
                    Ok(()) => Ok(()),
                    Err(DrawingErrorKind::FontError(e)) => Err(DrawingErrorKind::FontError(e)),
                    Err(DrawingErrorKind::DrawingError(never)) => match never {},
                }
            }
        }
    }};
}

impl DrawingBackend for PageCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        match &self.surface {
            Surface::Canvas { width, height } => (*width, *height),
            Surface::Svg(w) => w.borrow().size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<CanvasError>> {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, color.alpha, c => {
            fill_style(c, color);
            c.fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
            Ok(())
        }, w => w.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, style.color().alpha, c => {
            let (from, to) = crisp(from, to);
            line_style(c, style);
            c.begin_path();
            c.move_to(from.0, from.1);
            c.line_to(to.0, to.1);
            c.stroke();
            Ok(())
        }, w => w.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, style.color().alpha, c => {
            let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
            let (w, h) = (f64::from(bottom_right.0 - upper_left.0), f64::from(bottom_right.1 - upper_left.1));
            if fill {
                fill_style(c, style.color());
                c.fill_rect(x, y, w, h);
            } else {
                line_style(c, style);
                c.stroke_rect(x, y, w, h);
            }
            Ok(())
        }, w => w.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, style.color().alpha, c => {
            line_style(c, style);
            trace(c, path);
            c.stroke();
            Ok(())
        }, w => w.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        let color = style.color();
        if let (true, Surface::Canvas { .. }) = (fill, &self.surface) {
            if color.alpha == 0.0 {
                return Ok(());
            }
            // A chart's dots: the fill colour set only when it changes.
            let key = (color.rgb.0, color.rgb.1, color.rgb.2, color.alpha);
            if self.dot_fill != Some(key) {
                fill_style(&self.context, color);
                self.dot_fill = Some(key);
            }
            self.context.begin_path();
            // `arc` fails only for a negative radius, which a u32 cannot be.
            let _ = self.context.arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::TAU,
            );
            self.context.fill();
            return Ok(());
        }
        on!(self, color.alpha, c => {
            line_style(c, style);
            c.begin_path();
            let _ = c.arc(f64::from(center.0), f64::from(center.1), f64::from(radius), 0.0, std::f64::consts::TAU);
            c.stroke();
            Ok(())
        }, w => w.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, style.color().alpha, c => {
            fill_style(c, style.color());
            trace(c, vert);
            c.close_path();
            c.fill();
            Ok(())
        }, w => w.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<CanvasError>> {
        on!(self, style.color().alpha, c => {
            let turn = match style.transform() {
                FontTransform::None => 0.0,
                FontTransform::Rotate90 => 0.5,
                FontTransform::Rotate180 => 1.0,
                FontTransform::Rotate270 => 1.5,
            } * std::f64::consts::PI;
            let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
            if turn != 0.0 {
                c.save();
                c.translate(x, y).map_err(refused)?;
                c.rotate(turn).map_err(refused)?;
                (x, y) = (0.0, 0.0);
            }
            c.set_text_baseline(match style.anchor().v_pos {
                VPos::Top => "top",
                VPos::Center => "middle",
                VPos::Bottom => "bottom",
            });
            c.set_text_align(match style.anchor().h_pos {
                HPos::Left => "start",
                HPos::Right => "end",
                HPos::Center => "center",
            });
            fill_style(c, style.color());
            c.set_font(&font(style));
            c.fill_text(text, x, y).map_err(refused)?;
            if turn != 0.0 {
                c.restore();
            }
            Ok(())
        }, w => w.draw_text(text, style, pos))
    }

    /// The canvas measures the text in the font `draw_text` will use (in an SVG too: the
    /// document is drawn in the same fonts).
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.context.set_font(&font(style));
        let width = self.context.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        let lines = text.lines().count().max(1) as f64;
        Ok((width.ceil() as u32, (style.size() * LINE_HEIGHT * lines).ceil() as u32))
    }
}

/// Begins a new path on `c` through `points` (an empty path for none).
fn trace(c: &CanvasRenderingContext2d, points: impl IntoIterator<Item = BackendCoord>) {
    c.begin_path();
    let mut points = points.into_iter();
    if let Some(start) = points.next() {
        c.move_to(f64::from(start.0), f64::from(start.1));
        for next in points {
            c.line_to(f64::from(next.0), f64::from(next.1));
        }
    }
}

fn font(style: &impl BackendTextStyle) -> String {
    format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str())
}

fn line_style(c: &CanvasRenderingContext2d, style: &impl BackendStyle) {
    c.set_stroke_style_str(&css_color(style.color()));
    c.set_line_width(style.stroke_width() as f64);
}

fn fill_style(c: &CanvasRenderingContext2d, color: BackendColor) {
    c.set_fill_style_str(&css_color(color));
}

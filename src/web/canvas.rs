//! The page's canvas backend: plotters-canvas draws, but text is measured with the canvas's own
//! `measureText`. (plotters measures text on wasm by inserting a `<span>` with an inline `style`
//! into the document, which a strict Content-Security-Policy, `style-src 'self'`, forbids: one
//! console error per measured string and mis-sized labels.) The same backend writes SVG for the
//! page's "Save as SVG", so a chart's drawing code is instantiated once for both.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::render::SvgWriter;

/// Line height of measured text, as a multiple of the font size (a browser's `normal`).
const LINE_HEIGHT: f64 = 1.2;

/// What a [`PageCanvas`] draws on: the canvas itself, or an SVG document (the page's "Save as
/// SVG"). One backend type for both, so every chart's drawing code is in the module once.
enum Surface {
    Canvas(CanvasBackend),
    Svg(Rc<RefCell<SvgWriter>>),
}

pub struct PageCanvas {
    surface: Surface,
    context: CanvasRenderingContext2d,
    /// The fill colour this backend last set on the canvas for a dot, while nothing else has
    /// drawn since: a chart's thousands of dots of one colour set it once, not once each.
    dot_fill: Option<(u8, u8, u8, f64)>,
}

fn context_of(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()
}

impl PageCanvas {
    /// The backend of a canvas with a 2D context, or `None`.
    pub fn new(canvas: HtmlCanvasElement) -> Option<PageCanvas> {
        let context = context_of(&canvas)?;
        Some(PageCanvas {
            surface: Surface::Canvas(CanvasBackend::with_canvas_object(canvas)?),
            context,
            dot_fill: None,
        })
    }

    /// A backend that writes `svg` (`width` × `height` pixels), measuring its text with the 2D
    /// context of `measure` (the chart's canvas on the page: the same fonts), or `None`.
    pub fn svg(measure: &HtmlCanvasElement, svg: Rc<RefCell<SvgWriter>>) -> Option<PageCanvas> {
        Some(PageCanvas { surface: Surface::Svg(svg), context: context_of(measure)?, dot_fill: None })
    }
}

type Error = <CanvasBackend as DrawingBackend>::ErrorType;

/// Runs `$canvas` on the canvas backend `$c` (which may set the canvas's fill colour), or `$svg`
/// on `$w`, the SVG writer as a drawing backend of its own (it cannot fail).
macro_rules! on {
    ($self:ident, $c:ident => $canvas:expr, $w:ident => $svg:expr) => {{
        $self.dot_fill = None;
        match &mut $self.surface {
            Surface::Canvas($c) => $canvas,
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
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        match &self.surface {
            Surface::Canvas(c) => c.get_size(),
            Surface::Svg(w) => w.borrow().size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.draw_pixel(point, color), w => w.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.draw_line(from, to, style), w => w.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.draw_rect(upper_left, bottom_right, style, fill),
            w => w.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.draw_path(path, style),
            w => w.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let color = style.color();
        if fill && color.alpha > 0.0 && matches!(self.surface, Surface::Canvas(_)) {
            // As plotters-canvas fills a circle, with its colour set only when it changes.
            let key = (color.rgb.0, color.rgb.1, color.rgb.2, color.alpha);
            if self.dot_fill != Some(key) {
                let (r, g, b) = color.rgb;
                self.context.set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
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
        on!(self, c => c.draw_circle(center, radius, style, fill),
            w => w.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.fill_polygon(vert, style), w => w.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        on!(self, c => c.draw_text(text, style, pos), w => w.draw_text(text, style, pos))
    }

    /// The canvas measures the text in the font `draw_text` will use (in an SVG too: the
    /// document is drawn in the same fonts).
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        self.context.set_font(&format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str()));
        let width = self.context.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        let lines = text.lines().count().max(1) as f64;
        Ok((width.ceil() as u32, (style.size() * LINE_HEIGHT * lines).ceil() as u32))
    }
}

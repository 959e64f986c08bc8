//! Drawing a family's view of one generation on whichever backend the caller has: the page's
//! canvas (wasm) or SVG (tests, and exports natively). A family's view type implements
//! [`DrawView`] once, generically over the backend; [`Target`] picks the backend at run time so a
//! view can be drawn through a trait object.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, SVGBackend};

use super::DrawResult;

/// A drawing surface of a known backend.
pub enum Target<'a, 'b> {
    Svg(&'a DrawingArea<SVGBackend<'b>, Shift>),
    #[cfg(target_arch = "wasm32")]
    Canvas(&'a DrawingArea<plotters_canvas::CanvasBackend, Shift>),
}

/// A family's drawing of one generation.
pub trait DrawView: Sized {
    /// Draws generation `generation` of this view on `root`; `reference` is generation 0's view
    /// of the same run (the human data, drawn faintly for comparison).
    fn draw_on<DB: DrawingBackend>(
        &self,
        reference: &Self,
        root: &DrawingArea<DB, Shift>,
        generation: usize,
        scale: f64,
    ) -> DrawResult;

    /// [`DrawView::draw_on`] on a target of any backend.
    fn draw(&self, reference: &Self, target: Target<'_, '_>, generation: usize, scale: f64) -> DrawResult {
        match target {
            Target::Svg(root) => self.draw_on(reference, root, generation, scale),
            #[cfg(target_arch = "wasm32")]
            Target::Canvas(root) => self.draw_on(reference, root, generation, scale),
        }
    }
}

//! Drawing a family's view of one generation on whichever backend the caller has: the page's
//! canvas (wasm) or SVG (tests, and exports natively). A family's view type implements
//! [`DrawView`] once, generically over the backend; [`Target`] picks the backend at run time so a
//! view can be drawn through a trait object.

#[cfg(not(target_arch = "wasm32"))]
use super::SvgWriter;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::DrawResult;

/// A drawing surface of a known backend: the page's canvas in wasm, SVG natively (tests and
/// exports). Each build has only its own, so the page's module holds one copy of every chart.
pub enum Target<'a, 'b> {
    #[cfg(not(target_arch = "wasm32"))]
    Svg(&'a DrawingArea<&'b mut SvgWriter, Shift>),
    #[cfg(target_arch = "wasm32")]
    Canvas(&'a DrawingArea<crate::web::PageCanvas, Shift>, std::marker::PhantomData<&'b ()>),
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
            #[cfg(not(target_arch = "wasm32"))]
            Target::Svg(root) => self.draw_on(reference, root, generation, scale),
            #[cfg(target_arch = "wasm32")]
            Target::Canvas(root, _) => self.draw_on(reference, root, generation, scale),
        }
    }
}

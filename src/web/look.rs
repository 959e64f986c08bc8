//! The page's choice of look for every chart (light, dark, projector): the page resolves the
//! scenario's `theme` (for `auto`, the reader's `prefers-color-scheme`) and passes the result
//! here; charts drawn afterwards use it.

use wasm_bindgen::prelude::*;

use super::{js_err, Explorer};
use crate::render::{self, Look};

#[wasm_bindgen]
impl Explorer {
    /// Draws every chart from now on in `look` (`light`, `dark` or `projector`); an unknown
    /// name is an error and changes nothing.
    pub fn set_theme(look: &str) -> Result<(), JsValue> {
        render::set_look(Look::parse(look).map_err(js_err)?);
        Ok(())
    }
}

//! The wasm-bindgen boundary (filled in below).

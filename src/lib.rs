//! Model Collapse Explorer: what happens when a model is retrained on its own output,
//! generation after generation ("a photocopy of a photocopy").
//!
//! The crate is a pure simulation core (`scenario`, `sim`, `families`, `experiment`,
//! `analysis`, `summary`, `math`, `rng`) with no web dependency; `render` draws with plotters on
//! any backend; `web` (wasm32 only) is the thin wasm-bindgen boundary the page calls. The
//! registry (`families`) is the one place that lists the model families. The command line (`src/bin/collapse.rs`) is the page's
//! twin: same scenario schema, same simulation, statistics across replicates.

pub mod analysis;
pub mod corpus;
pub mod experiment;
pub mod export;
pub mod families;
pub mod math;
pub mod order;
pub mod presets;
pub mod render;
pub mod rng;
pub mod sampling;
pub mod scenario;
pub mod sim;
pub mod stream;
pub mod summary;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use experiment::Experiment;
pub use scenario::{FamilyKey, Scenario, ScenarioError};

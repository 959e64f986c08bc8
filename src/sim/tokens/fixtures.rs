//! Helpers shared by the token family's unit tests.

use crate::scenario::{FamilyKey, Scenario};

/// The token family's defaults with this vocabulary, training-set size and number of generations.
pub(super) fn scenario(vocab: u32, samples: u32, generations: u32) -> Scenario {
    Scenario { vocab, samples, generations, ..Scenario::default_for(FamilyKey::named("tokens")) }
}

/// Two vectors of the same length that agree to within `tol` everywhere.
pub(super) fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
}

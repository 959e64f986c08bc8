//! Blind spots of the bell curve: the ranges of values a model cannot generate, and exact
//! sampling of a normal restricted to the values it can.
//!
//! A blind spot is a set of intervals [u₀, u₁) of the human quantile axis (see
//! [`crate::sim::blind_spot`]); through the human quantile function F_h⁻¹ (with F_h⁻¹(0) = −∞ and
//! F_h⁻¹(1) = +∞) each becomes a range of values [F_h⁻¹(u₀), F_h⁻¹(u₁)). A normal N(m, s²) is
//! sampled outside those ranges by inverse CDF over its allowed probability mass: the allowed
//! part of the standardised axis is cut into segments that lie wholly below or wholly above 0,
//! each with its mass (differences of Φ below 0, of the survival function Φ(−z) above, so tails
//! keep their precision), a uniform draw over the total allowed mass picks a point, and
//! `normal_quantile` inverts it. A final guard moves a value that rounding left inside a blocked
//! range to the nearest allowed value, so no sample is ever blind.

use rand::RngExt;
use rand_distr::Open01;

use super::mixture::{mixture_quantile, Component};
use crate::math::{normal_cdf, normal_quantile};
use crate::rng::SimRng;
use crate::sim::blind_spot::BlindSpot;

/// Below this allowed mass a model sits (in floating point) entirely inside its blind spot; it is
/// then sampled without restriction (documented fallback: nothing else could be sampled).
pub(super) const MIN_ALLOWED_MASS: f64 = 1e-12;

/// The value ranges [lo, hi) of a blind spot, for the human distribution `human`: sorted,
/// disjoint and not touching.
pub(super) fn blocked_ranges(human: &[Component], spot: &BlindSpot) -> Vec<(f64, f64)> {
    let quantile = |u: f64| {
        if u <= 0.0 {
            f64::NEG_INFINITY
        } else if u >= 1.0 {
            f64::INFINITY
        } else {
            mixture_quantile(human, u)
        }
    };
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    for &(u0, u1) in spot.intervals() {
        let (lo, hi) = (quantile(u0), quantile(u1));
        if hi <= lo {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => ranges.push((lo, hi)),
        }
    }
    ranges
}

/// Whether `x` is in one of the blocked ranges.
pub(super) fn is_blocked(x: f64, blocked: &[(f64, f64)]) -> bool {
    blocked.iter().any(|&(lo, hi)| x >= lo && x < hi)
}

/// One piece of the allowed standardised axis [lo, hi), wholly at or below 0 (`upper` false) or
/// at or above 0 (`upper` true); `start` is Φ(lo) (lower) or Φ(−lo) (upper).
#[derive(Clone, Copy, Debug)]
struct Segment {
    upper: bool,
    start: f64,
    mass: f64,
}

/// A normal N(mean, sd²) restricted to the values outside the blocked ranges.
#[derive(Clone, Debug)]
pub(super) struct Restricted {
    mean: f64,
    sd: f64,
    segments: Vec<Segment>,
    /// The normal's probability outside the blocked ranges.
    pub mass: f64,
}

impl Restricted {
    /// `mean` and `sd` finite, `sd` > 0.
    pub(super) fn new(mean: f64, sd: f64, blocked: &[(f64, f64)]) -> Restricted {
        // The allowed gaps between blocked ranges, on the standardised axis.
        let mut gaps = Vec::with_capacity(blocked.len() + 1);
        let mut cursor = f64::NEG_INFINITY;
        for &(lo, hi) in blocked {
            let (zl, zh) = ((lo - mean) / sd, (hi - mean) / sd);
            if zl > cursor {
                gaps.push((cursor, zl));
            }
            cursor = cursor.max(zh);
        }
        if cursor < f64::INFINITY {
            gaps.push((cursor, f64::INFINITY));
        }
        let mut segments = Vec::with_capacity(gaps.len() + 1);
        for (lo, hi) in gaps {
            if lo < 0.0 {
                let top = hi.min(0.0);
                let start = normal_cdf(lo);
                segments.push(Segment { upper: false, start, mass: normal_cdf(top) - start });
            }
            if hi > 0.0 {
                let bottom = lo.max(0.0);
                let start = normal_cdf(-bottom);
                segments.push(Segment { upper: true, start, mass: start - normal_cdf(-hi) });
            }
        }
        segments.retain(|s| s.mass > 0.0);
        let mass = segments.iter().map(|s| s.mass).sum();
        Restricted { mean, sd, segments, mass }
    }

    /// One draw outside the blocked ranges (the allowed mass must be positive).
    pub(super) fn draw(&self, blocked: &[(f64, f64)], rng: &mut SimRng) -> f64 {
        loop {
            let u: f64 = rng.sample(Open01);
            let mut w = u * self.mass;
            let mut chosen = self.segments[self.segments.len() - 1];
            for s in &self.segments {
                if w < s.mass {
                    chosen = *s;
                    break;
                }
                w -= s.mass;
            }
            let w = w.min(chosen.mass);
            let z = if chosen.upper { -normal_quantile(chosen.start - w) } else { normal_quantile(chosen.start + w) };
            let x = self.mean + self.sd * z;
            // Rounding can only fail at probability ~2^-53: draw again.
            if x.is_finite() {
                return snap_out(x, blocked);
            }
        }
    }
}

/// `x`, or the nearest allowed value when rounding left it inside a blocked range [lo, hi):
/// the largest double below lo or hi itself.
fn snap_out(x: f64, blocked: &[(f64, f64)]) -> f64 {
    for &(lo, hi) in blocked {
        if x >= lo && x < hi {
            return if hi == f64::INFINITY || (lo > f64::NEG_INFINITY && x - lo < hi - x) {
                lo.next_down()
            } else {
                hi
            };
        }
    }
    x
}

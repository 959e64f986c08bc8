//! Blind spots: what makes models different. Each model cannot generate its own part of the
//! sample space; part of that blind spot may be shared by every model (a bias they all have).
//!
//! The rule, one for every family. A blind spot is a set of intervals of the *human quantile
//! axis* u ∈ (0, 1), so its size is the share of the human distribution's probability mass the
//! model cannot produce. Blind spots lie in the *outer zone* of the axis, u < 1/4 or u ≥ 3/4 (for
//! the bell curve: the values beyond its quartiles; no model is blind to the middle half of the
//! human distribution). Measure the zone by a coordinate z ∈ [0, 1/2): z = u below 1/4, z = u − 1/2
//! above 3/4. With blind-spot size b (at most 0.4) and overlap o, model k of K is blind to:
//! - the shared part, z ∈ [1/2 − o·b, 1/2), the same for every model (the upper extremes first);
//! - its own part of length (1 − o)·b, starting at z = k·(1/2 − o·b)/K and wrapping around within
//!   [0, 1/2 − o·b), so every model is blind to exactly b.
//!
//! Own parts of different models are disjoint while (1 − o)·b ≤ (1/2 − o·b)/K (for K = 4 models,
//! up to b = 0.125 with no overlap); beyond that neighbours overlap. At o = 1 every model has the
//! same blind spot (one shared bias); at o = 0 the blind spots are as distinct as the zone allows,
//! so the pool of all the models' output covers much more of the human distribution than any one.
//! Keeping blind spots out of the middle keeps the bell curve honest: a single normal refit to data
//! with a hole in its middle comes out wider than the curve that made it, generation after
//! generation.
//!
//! Each family maps the quantile axis onto its sample space: the bell curve through the human
//! distribution's quantile function (a blind spot is a range of values), the word families by
//! laying their types out in a fixed shuffled order (see [`blocked_types`]), so a blind spot is a
//! set of words holding that share of the human word mass, common and rare words alike.

use crate::rng::splitmix64;

/// The largest blind spot: the outer zone holds half the human mass, and a blind spot of more than
/// 0.4 of it would leave models little to differ by.
pub const MAX_SIZE: f64 = 0.4;
/// The length of the outer zone (u < 1/4 and u ≥ 3/4).
const ZONE: f64 = 0.5;

/// A model's blind spot: disjoint, sorted intervals [lo, hi) of the human quantile axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlindSpot {
    intervals: Vec<(f64, f64)>,
}

impl BlindSpot {
    /// No blind spot.
    pub fn none() -> BlindSpot {
        BlindSpot::default()
    }

    /// The blind spot of model `k` of `count`, of size `size` (a share of the human mass, 0 to 1)
    /// with a share `overlap` of it common to every model (see the module doc).
    pub fn of_model(k: u32, count: u32, size: f64, overlap: f64) -> BlindSpot {
        let (size, overlap) = (size.clamp(0.0, MAX_SIZE), overlap.clamp(0.0, 1.0));
        let shared = overlap * size;
        let own = size - shared;
        // Zone coordinates: the own parts wrap around within [0, room).
        let room = ZONE - shared;
        let mut zone = Vec::new();
        if own > 0.0 && room > 0.0 {
            let start = f64::from(k) * room / f64::from(count.max(1));
            let end = start + own.min(room);
            zone.push((start, end.min(room)));
            if end > room {
                zone.push((0.0, end - room));
            }
        }
        if shared > 0.0 {
            zone.push((room, ZONE));
        }
        // Zone coordinates to the quantile axis: [0, 1/4) as is, [1/4, 1/2) to [3/4, 1).
        let mut intervals = Vec::new();
        for (lo, hi) in zone {
            let lower = (lo.min(0.25), hi.min(0.25));
            let upper = (lo.max(0.25) + 0.5, hi.max(0.25) + 0.5);
            for (a, b) in [lower, upper] {
                if b > a {
                    intervals.push((a, b));
                }
            }
        }
        BlindSpot::from_intervals(intervals)
    }

    /// Sorted, merged intervals.
    fn from_intervals(mut intervals: Vec<(f64, f64)>) -> BlindSpot {
        crate::order::sort_by_key(&mut intervals, |a| crate::order::key(a.0));
        let mut merged: Vec<(f64, f64)> = Vec::new();
        for (lo, hi) in intervals {
            match merged.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        BlindSpot { intervals: merged }
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// The intervals [lo, hi) of the human quantile axis, sorted and disjoint.
    pub fn intervals(&self) -> &[(f64, f64)] {
        &self.intervals
    }

    /// Whether quantile `u` is in the blind spot.
    pub fn covers(&self, u: f64) -> bool {
        self.intervals.iter().any(|&(lo, hi)| u >= lo && u < hi)
    }

    /// The share of the human mass in the blind spot.
    pub fn mass(&self) -> f64 {
        self.intervals.iter().map(|(lo, hi)| hi - lo).sum()
    }
}

/// Salt of the fixed order in which types are laid out on the quantile axis.
const LAYOUT_SALT: u64 = 0x626c_696e_6473_706f;

/// Which types a blind spot blocks, for a family of discrete types with human probabilities
/// `human` (indexed by type; zero-probability types are never blocked): the types are laid out
/// on the quantile axis in a fixed shuffled order (by a hash of their index, the same for every
/// run and seed), each over an interval as long as its human probability, and a type is blocked
/// when the midpoint of its interval is in the blind spot.
pub fn blocked_types(spot: &BlindSpot, human: &[f64]) -> Vec<bool> {
    let mut blocked = vec![false; human.len()];
    if spot.is_empty() {
        return blocked;
    }
    let total: f64 = human.iter().filter(|p| **p > 0.0).sum();
    if total <= 0.0 {
        return blocked;
    }
    let mut order: Vec<usize> = (0..human.len()).filter(|&i| human[i] > 0.0).collect();
    crate::order::sort_indices(&mut order, |i| crate::order::unsigned(splitmix64(i as u64 ^ LAYOUT_SALT)));
    let mut before = 0.0;
    for i in order {
        let width = human[i] / total;
        blocked[i] = spot.covers(before + width / 2.0);
        before += width;
    }
    blocked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_parts_are_disjoint_and_the_shared_part_is_common() {
        let spots: Vec<BlindSpot> = (0..4).map(|k| BlindSpot::of_model(k, 4, 0.1, 0.0)).collect();
        assert_eq!(spots[0].intervals(), &[(0.0, 0.1)]);
        // Model 3 starts at z = 0.375, in the upper zone: u from 0.875.
        assert!((spots[3].intervals()[0].0 - 0.875).abs() < 1e-12);
        for (a, b) in [(0, 1), (1, 2), (2, 3)] {
            let (x, y) = (&spots[a], &spots[b]);
            assert!(
                !(0..1000).map(|i| f64::from(i) / 1000.0).any(|u| x.covers(u) && y.covers(u)),
                "{a} and {b} overlap"
            );
        }
        // Every model is blind to exactly b, and never to the middle half.
        for count in [1, 4, 8] {
            for k in 0..count {
                for (size, overlap) in [(0.1, 0.0), (0.4, 0.0), (0.4, 0.5), (0.25, 1.0)] {
                    let s = BlindSpot::of_model(k, count, size, overlap);
                    assert!((s.mass() - size).abs() < 1e-12, "K {count} k {k} b {size} o {overlap}: {s:?}");
                    assert!(!(250..750).any(|i| s.covers(f64::from(i) / 1000.0)), "{s:?} covers the middle");
                }
            }
        }
        // Fully shared: one blind spot for all, the upper extremes first.
        let shared: Vec<BlindSpot> = (0..4).map(|k| BlindSpot::of_model(k, 4, 0.2, 1.0)).collect();
        assert!(shared.iter().all(|s| s.intervals() == [(0.8, 1.0)]));
        let wide = BlindSpot::of_model(0, 4, 0.4, 1.0).intervals().to_vec();
        assert!((wide[0].0 - 0.1).abs() < 1e-12 && wide[0].1 == 0.25 && wide[1] == (0.75, 1.0), "{wide:?}");
        // Half shared: half its own, half the common one.
        let half = BlindSpot::of_model(2, 4, 0.2, 0.5);
        assert!((half.mass() - 0.2).abs() < 1e-12 && half.covers(0.95) && half.covers(0.21));
        assert!(BlindSpot::of_model(0, 1, 0.0, 0.5).is_empty());
    }

    #[test]
    fn blocked_types_hold_the_blind_spots_share_of_the_human_mass() {
        let human: Vec<f64> = (1..=2000).map(|k| 1.0 / f64::from(k)).collect();
        let total: f64 = human.iter().sum();
        let spot = BlindSpot::of_model(1, 4, 0.1, 0.0);
        let blocked = blocked_types(&spot, &human);
        let mass: f64 = human.iter().zip(&blocked).filter(|(_, b)| **b).map(|(p, _)| p / total).sum();
        assert!((mass - 0.1).abs() < 0.03, "blocked mass {mass}");
        // Distinct models block disjoint sets; a shared blind spot blocks the same set.
        let other = blocked_types(&BlindSpot::of_model(2, 4, 0.1, 0.0), &human);
        assert!(blocked.iter().zip(&other).all(|(a, b)| !(*a && *b)));
        let s1 = blocked_types(&BlindSpot::of_model(1, 4, 0.2, 1.0), &human);
        let s2 = blocked_types(&BlindSpot::of_model(2, 4, 0.2, 1.0), &human);
        assert_eq!(s1, s2);
        assert!(blocked_types(&BlindSpot::none(), &human).iter().all(|b| !b));
    }
}

//! Dense vectors over the vocabulary that also know their support (the ascending indices of
//! their non-zero entries), so that a generation costs O(surviving types) rather than O(V):
//! without human data a type at zero stays at zero, and the multinomial, the fit and the metrics
//! only ever visit the support. Each derefs to its dense slice (index = human rank − 1).

use std::ops::Deref;

/// A probability vector over the types and its support (the types with p > 0).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenModel {
    probs: Vec<f64>,
    support: Vec<u32>,
}

impl TokenModel {
    /// `probs` (indexed by rank − 1) with its support found by one scan.
    pub fn new(probs: Vec<f64>) -> TokenModel {
        let support = (0..probs.len() as u32).filter(|&i| probs[i as usize] > 0.0).collect();
        TokenModel { probs, support }
    }

    /// From `probs` and its support (ascending, exactly the positive entries).
    pub(super) fn from_support(probs: Vec<f64>, support: Vec<u32>) -> TokenModel {
        debug_assert!(support.iter().all(|&i| probs[i as usize] > 0.0));
        TokenModel { probs, support }
    }

    pub fn probs(&self) -> &[f64] {
        &self.probs
    }

    /// The ascending indices of the types with p > 0.
    pub fn support(&self) -> &[u32] {
        &self.support
    }
}

impl From<Vec<f64>> for TokenModel {
    fn from(probs: Vec<f64>) -> TokenModel {
        TokenModel::new(probs)
    }
}

impl Deref for TokenModel {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.probs
    }
}

impl PartialEq<Vec<f64>> for TokenModel {
    fn eq(&self, other: &Vec<f64>) -> bool {
        self.probs == *other
    }
}

/// Counts per type and their support (the types with a positive count). `C` is `u32` for a
/// batch, `u64` for training statistics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts<C> {
    counts: Vec<C>,
    support: Vec<u32>,
}

pub type TokenBatch = Counts<u32>;
pub type TokenStats = Counts<u64>;

impl<C: Copy + Default + PartialEq + std::ops::AddAssign + Into<u64>> Counts<C> {
    /// `counts` with its support found by one scan.
    pub fn new(counts: Vec<C>) -> Counts<C> {
        let zero = C::default();
        let support = (0..counts.len() as u32).filter(|&i| counts[i as usize] != zero).collect();
        Counts { counts, support }
    }

    /// All zeros over `vocab` types.
    pub fn zeros(vocab: usize) -> Counts<C> {
        Counts { counts: vec![C::default(); vocab], support: Vec::new() }
    }

    /// From dense counts and their support (ascending, exactly the positive entries).
    pub(super) fn from_parts(counts: Vec<C>, support: Vec<u32>) -> Counts<C> {
        debug_assert!(support.windows(2).all(|w| w[0] < w[1]));
        Counts { counts, support }
    }

    pub fn counts(&self) -> &[C] {
        &self.counts
    }

    /// The ascending indices of the types with a positive count.
    pub fn support(&self) -> &[u32] {
        &self.support
    }

    /// The sum of the counts.
    pub fn total(&self) -> u64 {
        self.support.iter().map(|&i| self.counts[i as usize].into()).sum()
    }

    /// Adds `other`'s counts, `convert`ed, visiting only its support: O(|support| of both).
    pub fn add<D: Copy>(&mut self, other: &Counts<D>, convert: impl Fn(D) -> C) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), C::default());
        }
        let zero = C::default();
        let fresh = other.support.iter().any(|&i| self.counts[i as usize] == zero);
        for &i in &other.support {
            self.counts[i as usize] += convert(other.counts[i as usize]);
        }
        if fresh {
            self.support = merge_sorted(&self.support, &other.support);
        }
    }
}

/// The sorted union of two ascending index lists.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl<C> Deref for Counts<C> {
    type Target = [C];
    fn deref(&self) -> &[C] {
        &self.counts
    }
}

impl<C: PartialEq> PartialEq<Vec<C>> for Counts<C> {
    fn eq(&self, other: &Vec<C>) -> bool {
        self.counts == *other
    }
}

impl<'a, C> IntoIterator for &'a Counts<C> {
    type Item = &'a C;
    type IntoIter = std::slice::Iter<'a, C>;
    fn into_iter(self) -> Self::IntoIter {
        self.counts.iter()
    }
}

impl From<Vec<u32>> for TokenBatch {
    fn from(counts: Vec<u32>) -> TokenBatch {
        Counts::new(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_counts_keeps_the_support_sorted_and_exact() {
        let mut s = TokenStats::zeros(6);
        s.add(&TokenBatch::from(vec![0, 2, 0, 1, 0, 0]), u64::from);
        s.add(&TokenBatch::from(vec![3, 0, 0, 4, 0, 1]), u64::from);
        assert_eq!(s, vec![3, 2, 0, 5, 0, 1]);
        assert_eq!(s.support(), &[0, 1, 3, 5]);
        assert_eq!(s.total(), 11);
        assert_eq!(TokenModel::new(vec![0.0, 0.5, 0.0, 0.5]).support(), &[1, 3]);
    }
}

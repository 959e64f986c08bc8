//! Dense vectors over the vocabulary that also know their support (the ascending indices of
//! their non-zero entries), so that a generation costs O(surviving types) rather than O(V):
//! without human data a type at zero stays at zero, and the multinomial, the fit and the metrics
//! only ever visit the support. Each derefs to its dense slice (index = human rank − 1).
//!
//! The dense vectors are recycled: dropping one zeroes its support (O(support)) and keeps the
//! vector for the next one of the same length made on the thread, so a generation allocates and
//! clears no O(V) memory.

use std::cell::RefCell;
use std::ops::Deref;

/// An element of a recycled dense vector (its zero is `Default`, all bits zero).
pub trait Dense: Copy + Default + 'static {
    /// Runs `f` on this thread's spare all-zero vectors of this element (`None` while the thread
    /// is being torn down).
    fn with_spares<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R>;
}

/// At most this many spare vectors per element type and thread.
const SPARES: usize = 8;

macro_rules! dense {
    ($t:ty, $pool:ident) => {
        thread_local! {
            static $pool: RefCell<Vec<Vec<$t>>> = const { RefCell::new(Vec::new()) };
        }
        impl Dense for $t {
            fn with_spares<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R> {
                $pool.try_with(|pool| pool.try_borrow_mut().ok().map(|mut pool| f(&mut pool))).ok().flatten()
            }
        }
    };
}
dense!(f64, SPARE_F64);
dense!(u32, SPARE_U32);
dense!(u64, SPARE_U64);

/// `len` zeros: a spare vector of that length if the thread has one, else a fresh one.
pub(super) fn zeroed<T: Dense>(len: usize) -> Vec<T> {
    T::with_spares(|spares| spares.iter().rposition(|v| v.len() == len).map(|k| spares.swap_remove(k)))
        .flatten()
        .unwrap_or_else(|| vec![T::default(); len])
}

/// Keeps `dense`, zero but at `support`, as a spare: zeroes `support` first. Spares of another
/// length are let go (the vocabulary changed).
fn recycle<T: Dense>(mut dense: Vec<T>, support: &[u32]) {
    if dense.is_empty() {
        return;
    }
    for &i in support {
        dense[i as usize] = T::default();
    }
    T::with_spares(|spares| {
        spares.retain(|v| v.len() == dense.len());
        if spares.len() < SPARES {
            spares.push(dense);
        }
    });
}

/// A probability vector over the types and its support (the types with p > 0).
#[derive(Clone, Debug, Default)]
pub struct TokenModel {
    probs: Vec<f64>,
    support: Vec<u32>,
    /// Whether every entry off the support is +0.0 (so the vector can be recycled).
    clean: bool,
}

impl Drop for TokenModel {
    fn drop(&mut self) {
        if self.clean {
            recycle(std::mem::take(&mut self.probs), &self.support);
        }
    }
}

impl TokenModel {
    /// `probs` (indexed by rank − 1) with its support found by one scan.
    pub fn new(probs: Vec<f64>) -> TokenModel {
        let support = (0..probs.len() as u32).filter(|&i| probs[i as usize] > 0.0).collect();
        let clean = probs.iter().all(|&p| p > 0.0 || p.to_bits() == 0);
        TokenModel { probs, support, clean }
    }

    /// From `probs` and its support (ascending, exactly the positive entries; every other entry
    /// +0.0).
    pub(super) fn from_support(probs: Vec<f64>, support: Vec<u32>) -> TokenModel {
        debug_assert!(support.iter().all(|&i| probs[i as usize] > 0.0));
        debug_assert_eq!(probs.iter().filter(|&&p| p.to_bits() != 0).count(), support.len());
        TokenModel { probs, support, clean: true }
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

impl PartialEq for TokenModel {
    fn eq(&self, other: &TokenModel) -> bool {
        self.probs == other.probs && self.support == other.support
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
pub struct Counts<C: Dense> {
    counts: Vec<C>,
    support: Vec<u32>,
}

impl<C: Dense> Drop for Counts<C> {
    fn drop(&mut self) {
        recycle(std::mem::take(&mut self.counts), &self.support);
    }
}

pub type TokenBatch = Counts<u32>;
pub type TokenStats = Counts<u64>;

impl<C: Dense + PartialEq + std::ops::AddAssign + Into<u64>> Counts<C> {
    /// `counts` with its support found by one scan.
    pub fn new(counts: Vec<C>) -> Counts<C> {
        let zero = C::default();
        let support = (0..counts.len() as u32).filter(|&i| counts[i as usize] != zero).collect();
        Counts { counts, support }
    }

    /// All zeros over `vocab` types.
    pub fn zeros(vocab: usize) -> Counts<C> {
        Counts { counts: zeroed(vocab), support: Vec::new() }
    }

    /// From dense counts and their support (ascending, exactly the positive entries).
    pub(super) fn from_parts(counts: Vec<C>, support: Vec<u32>) -> Counts<C> {
        debug_assert!(support.windows(2).all(|w| w[0] < w[1]));
        // Dropping it recycles `counts` by zeroing the support alone.
        debug_assert_eq!(counts.iter().filter(|&&c| c != C::default()).count(), support.len());
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
    pub fn add<D: Dense>(&mut self, other: &Counts<D>, convert: impl Fn(D) -> C) {
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

impl<C: Dense> Deref for Counts<C> {
    type Target = [C];
    fn deref(&self) -> &[C] {
        &self.counts
    }
}

impl<C: Dense + PartialEq> PartialEq<Vec<C>> for Counts<C> {
    fn eq(&self, other: &Vec<C>) -> bool {
        self.counts == *other
    }
}

impl<'a, C: Dense> IntoIterator for &'a Counts<C> {
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

    #[test]
    fn recycled_vectors_come_back_all_zero() {
        // Counts, then models, dropped with entries on their support: the next vectors of that
        // length made on the thread are the same allocations, and all zero.
        let batch = TokenBatch::from(vec![0, 7, 0, 0, 9]);
        let at = batch.counts().as_ptr();
        drop(batch);
        let zeros = TokenBatch::zeros(5);
        assert_eq!(zeros.counts().as_ptr(), at, "the spare is reused");
        assert_eq!(zeros, vec![0; 5]);
        assert!(zeros.support().is_empty());
        drop(TokenModel::new(vec![0.25, 0.0, 0.75]));
        let probs: Vec<f64> = zeroed(3);
        assert!(probs.iter().all(|p| p.to_bits() == 0));
        // A model with a -0.0 off its support is not kept (only +0.0 is zero for the next one).
        drop(TokenModel::new(vec![0.5, -0.0, 0.5]));
        let probs: Vec<f64> = zeroed(3);
        assert!(probs.iter().all(|p| p.to_bits() == 0));
    }
}

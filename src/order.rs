//! Sorting through a few shared instantiations of the standard library's sort: every `sort_by`
//! with its own closure or element type is a separate copy of the sort in the wasm module (a
//! stable one about 7 KiB), so the crate orders floats and indices through these helpers, which
//! sort integer keys. The results are exactly those of the stable sorts they replace.

/// The integer that orders as `f64::total_cmp` orders `x` (its bits, with the magnitude bits of
/// negative numbers flipped); [`value_of`] gives `x` back. Values equal under `total_cmp` have
/// the same bits, so sorting keys sorts the values exactly as sorting by `total_cmp` does.
pub fn key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

/// The value of a [`key`].
pub fn value_of(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

/// The key that orders `x` in descending `total_cmp` order.
pub fn descending(x: f64) -> i64 {
    !key(x)
}

/// The key that orders u64 values as they are.
pub fn unsigned(x: u64) -> i64 {
    (x ^ (1 << 63)) as i64
}

/// The value of an [`unsigned`] key.
pub fn unsigned_value(k: i64) -> u64 {
    (k as u64) ^ (1 << 63)
}

/// Sorts integer keys (the one instantiation behind [`sort_f64`]; also for any integers whose
/// order, or only their grouping into equal runs, is wanted).
pub fn sort_keys(keys: &mut [i64]) {
    keys.sort_unstable();
}

/// Sorts integer keys that are mostly two ascending runs one after the other, merging them in
/// linear time (any other arrangement is sorted by [`sort_keys`]).
pub fn sort_two_runs(keys: &mut [i64]) {
    let split = keys.windows(2).position(|w| w[0] > w[1]).map_or(keys.len(), |i| i + 1);
    let (first, second) = keys.split_at(split);
    if second.windows(2).any(|w| w[0] > w[1]) {
        return sort_keys(keys);
    }
    let mut merged = Vec::with_capacity(keys.len());
    let (mut i, mut j) = (0, 0);
    while i < first.len() && j < second.len() {
        if second[j] < first[i] {
            merged.push(second[j]);
            j += 1;
        } else {
            merged.push(first[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&first[i..]);
    merged.extend_from_slice(&second[j..]);
    keys.copy_from_slice(&merged);
}

/// Sorts `values` by `f64::total_cmp` (ascending; -NaN first, NaN last).
pub fn sort_f64(values: &mut [f64]) {
    let mut keys: Vec<i64> = values.iter().map(|&x| key(x)).collect();
    sort_keys(&mut keys);
    values.iter_mut().zip(keys).for_each(|(x, k)| *x = value_of(k));
}

/// The positions 0..n of `keys` ordered by key, equal keys in position order (the order a
/// stable sort by key gives).
pub fn order_by(keys: impl Iterator<Item = i64>) -> Vec<usize> {
    let mut pairs: Vec<(i64, u64)> = keys.zip(0u64..).collect();
    sort_pairs(&mut pairs);
    pairs.into_iter().map(|(_, i)| i as usize).collect()
}

/// Key-then-position pairs, ascending (the one instantiation behind [`order_by`]).
pub fn sort_pairs(pairs: &mut [(i64, u64)]) {
    pairs.sort_unstable();
}

/// Sorts `indices` by `key` of each, stably (equal keys keep their order).
pub fn sort_indices(indices: &mut [usize], key: impl Fn(usize) -> i64) {
    let order = order_by(indices.iter().map(|&i| key(i)));
    let sorted: Vec<usize> = order.into_iter().map(|j| indices[j]).collect();
    indices.copy_from_slice(&sorted);
}

/// Sorts `items` by `key` of each, stably.
pub fn sort_by_key<T: Clone>(items: &mut [T], key: impl Fn(&T) -> i64) {
    let order = order_by(items.iter().map(key));
    let sorted: Vec<T> = order.into_iter().map(|j| items[j].clone()).collect();
    items.clone_from_slice(&sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::splitmix64;

    const SPECIALS: [f64; 8] = [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 5e-324, -1e-310];

    fn values(n: u64, seed: u64) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let r = splitmix64(i ^ (seed << 32));
                match r % 4 {
                    0 => SPECIALS[(r >> 8) as usize % 8],
                    1 => ((r >> 11) % 5) as f64 - 2.0,
                    _ => ((r >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e6,
                }
            })
            .collect()
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn keys_order_as_total_cmp_and_give_the_values_back() {
        let v = values(3000, 1);
        for &a in &v {
            assert_eq!(value_of(key(a)).to_bits(), a.to_bits());
            for &b in v.iter().step_by(11) {
                assert_eq!(key(a).cmp(&key(b)), a.total_cmp(&b), "{a} vs {b}");
                assert_eq!(descending(a).cmp(&descending(b)), b.total_cmp(&a), "{a} vs {b}");
            }
        }
        assert!(
            unsigned(0) < unsigned(1)
                && unsigned(1 << 63) < unsigned(u64::MAX)
                && unsigned((1 << 63) - 1) < unsigned(1 << 63)
        );
        assert!([0, 1, (1 << 63) - 1, 1 << 63, u64::MAX].into_iter().all(|x| unsigned_value(unsigned(x)) == x));
    }

    #[test]
    fn the_helpers_give_what_the_stable_sorts_give() {
        for n in [0, 1, 2, 17, 100, 2000] {
            let v = values(n, n);
            let mut want = v.clone();
            want.sort_by(f64::total_cmp);
            let mut got = v.clone();
            sort_f64(&mut got);
            assert_eq!(bits(&got), bits(&want));
            // Indices by descending value, ties by index.
            let mut want: Vec<usize> = (0..v.len()).collect();
            want.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
            let mut got: Vec<usize> = (0..v.len()).collect();
            sort_indices(&mut got, |i| descending(v[i]));
            assert_eq!(got, want);
            // Items with equal keys keep their order.
            let items: Vec<(f64, usize)> =
                v.iter().map(|&x| (x.abs().floor(), 0)).enumerate().map(|(i, (x, _))| (x, i)).collect();
            let mut want = items.clone();
            want.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut got = items;
            sort_by_key(&mut got, |a| key(a.0));
            assert_eq!(got.iter().map(|a| a.1).collect::<Vec<_>>(), want.iter().map(|a| a.1).collect::<Vec<_>>());
        }
    }

    #[test]
    fn two_runs_merge_into_the_sorted_keys_and_anything_else_is_sorted() {
        let keys = |n: u64, seed: u64| -> Vec<i64> {
            (0..n).map(|i| (splitmix64(i ^ (seed << 32)) % 50) as i64 - 25).collect()
        };
        for (a, b) in [(0, 0), (0, 5), (5, 0), (1, 1), (7, 300), (512, 512), (300, 7)] {
            let (mut x, mut y) = (keys(a, a + 1), keys(b, b + 2));
            x.sort_unstable();
            y.sort_unstable();
            // Two runs; three runs (the second run itself out of order), which the merge must not take as two.
            for v in [[x.clone(), y.clone()].concat(), [x.clone(), y.clone(), x.clone()].concat()] {
                let mut want = v.clone();
                want.sort_unstable();
                let mut got = v;
                sort_two_runs(&mut got);
                assert_eq!(got, want, "runs of {a} and {b}");
            }
        }
    }
}

//! Statistics across replicate runs: for each generation and metric, the mean, its standard
//! error, and the 10th, 50th and 90th percentiles (the typical run and its spread; with
//! heavy-tailed metrics the median and the mean tell different stories).
//!
//! # Streaming
//! [`Summary`] folds runs one at a time into one accumulator per (generation, column). It is
//! **exact** ([`Summary::is_exact`]) when the runs are at most [`EXACT_MAX_RUNS`] (whatever the
//! memory), or when all its values fit in [`EXACT_MAX_BYTES`] (64 MiB: `8 · runs · rows ·
//! columns` bytes); otherwise it **streams**, and its memory does not grow with the runs:
//! - exact: each accumulator keeps the values themselves and the statistics are exactly those of
//!   [`Stat::of`] over the runs in replicate order (8 bytes per run and accumulator; the
//!   percentiles by selection, in linear time);
//! - streaming: it keeps running moments ([`Moments`], Welford) for the mean and standard error
//!   and a quantile sketch ([`Sketch`]) for p10, median and p90, at most
//!   `8 · SKETCH_K · (L + 1)` bytes with `L = ⌊log2(runs / SKETCH_K)⌋ + 1` (64 KiB at
//!   100,000 runs), whatever the number of runs.
//!
//! So beyond [`EXACT_MAX_RUNS`] runs a summary holds at most about 64 MiB of values or its
//! sketches, whichever is more; the default Gaussian scenario (100 generations, 6 columns) is
//! exact up to 13,842 runs, 50 generations up to 27,413.
//!
//! The sketch's percentiles are within a rank error of [`Sketch::rank_error_bound`] of the exact
//! ones (at most `runs · (L + 2) / (2 · SKETCH_K)`: 0.29% of the runs at 10,001 runs, 0.44% at
//! 100,000); see [`Sketch`].

use serde::Serialize;

use crate::order::{key, value_of as value};
use crate::sim::Run;

/// A number as the command line prints it: plain notation in the everyday range, exponent
/// notation beyond it (no 300-digit integers); a non-finite value (a run that overflowed, or a
/// metric undefined there) prints as JSON `null`, never as a number.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        "null".into()
    } else if x != 0.0 && !(1e-5..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Summary of one metric at one generation across runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    /// Standard error of the mean (0 for a single run).
    pub se: f64,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

impl Stat {
    pub fn of(values: &[f64]) -> Stat {
        Stat::of_with(values, &mut Vec::new())
    }

    /// [`Stat::of`], with `scratch` as the working copy for the percentiles (reused across
    /// calls, so summarising many columns allocates once).
    pub fn of_with(values: &[f64], scratch: &mut Vec<f64>) -> Stat {
        let n = values.len();
        if n == 0 {
            return Stat::EMPTY;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let se = if n > 1 {
            let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
            (var / n as f64).sqrt()
        } else {
            0.0
        };
        scratch.clear();
        scratch.extend_from_slice(values);
        let [p10, median, p90] = percentiles(scratch);
        Stat { mean, se, p10, median, p90 }
    }

    /// The statistics of no values: every one not a number.
    pub const EMPTY: Stat = Stat { mean: f64::NAN, se: f64::NAN, p10: f64::NAN, median: f64::NAN, p90: f64::NAN };
}

/// Linear-interpolation quantile of sorted data (the "type 7" rule of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let (i, frac) = position(sorted.len(), q);
    interpolate(sorted[i], sorted.get(i + 1).copied(), frac)
}

/// The 0-based index and fraction of the type-7 quantile `q` of `n` values.
fn position(n: usize, q: f64) -> (usize, f64) {
    let pos = q * (n - 1) as f64;
    (pos.floor() as usize, pos.fract())
}

fn interpolate(lo: f64, hi: Option<f64>, frac: f64) -> f64 {
    match hi {
        Some(hi) => lo + frac * (hi - lo),
        None => lo,
    }
}

/// The p10, median and p90 of `values` (not empty), byte for byte [`quantile`] of them sorted by
/// `total_cmp`, in linear time: selection (`select_nth_unstable_by`) of the median's rank in
/// the whole, of p10's in the part below and of p90's in the part above; the next order
/// statistic each interpolation needs is the least value beyond it. (Values equal under
/// `total_cmp` have the same bits, so any order the selection leaves among ties gives the same
/// numbers.) Reorders `values`.
pub fn percentiles(values: &mut [f64]) -> [f64; 3] {
    select_percentiles(values, f64::total_cmp, |x| x)
}

/// [`percentiles`] of the values of `keys` (see [`key`](crate::order::key)), by integer comparisons.
fn key_percentiles(keys: &mut [i64]) -> [f64; 3] {
    select_percentiles(keys, i64::cmp, value)
}

/// [`percentiles`] of items ordered by `cmp` as their values (`value`) are by `total_cmp`.
fn select_percentiles<T: Copy>(
    values: &mut [T],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Copy,
    value: impl Fn(T) -> f64,
) -> [f64; 3] {
    // The least item (`None` when empty).
    let least = |items: &[T]| items.iter().copied().min_by(cmp);
    let n = values.len();
    let (i50, f50) = position(n, 0.5);
    let (i10, f10) = position(n, 0.1);
    let (i90, f90) = position(n, 0.9);
    values.select_nth_unstable_by(i50, cmp);
    let median_next = least(&values[i50 + 1..]).map(&value);
    let at50 = value(values[i50]);
    let median = interpolate(at50, median_next, f50);
    let p10 = if i10 == i50 {
        interpolate(at50, median_next, f10)
    } else {
        let below = &mut values[..i50];
        below.select_nth_unstable_by(i10, cmp);
        let next = least(&below[i10 + 1..]).map_or(at50, &value);
        interpolate(value(values[i10]), Some(next), f10)
    };
    let p90 = if i90 == i50 {
        interpolate(at50, median_next, f90)
    } else {
        let above = &mut values[i50 + 1..];
        let j = i90 - i50 - 1;
        above.select_nth_unstable_by(j, cmp);
        interpolate(value(above[j]), least(&above[j + 1..]).map(&value), f90)
    };
    [p10, median, p90]
}

/// `summarize(runs)[t][m]`: metric m at generation t across all runs (the pool's metrics with
/// several models).
pub fn summarize(runs: &[Run]) -> Vec<Vec<Stat>> {
    summarize_tables(&runs.iter().map(|r| &r.metrics).collect::<Vec<_>>())
}

/// The same for model k's own lineage.
pub fn summarize_lineage(runs: &[Run], k: usize) -> Vec<Vec<Stat>> {
    summarize_tables(&runs.iter().map(|r| &r.lineages[k]).collect::<Vec<_>>())
}

/// `tables[r][t][m]` -> statistics across r.
fn summarize_tables(tables: &[&Vec<Vec<f64>>]) -> Vec<Vec<Stat>> {
    let Some(first) = tables.first() else { return Vec::new() };
    let mut column = Vec::with_capacity(tables.len());
    (0..first.len())
        .map(|t| {
            (0..first[t].len())
                .map(|m| {
                    column.clear();
                    column.extend(tables.iter().map(|table| table[t][m]));
                    Stat::of(&column)
                })
                .collect()
        })
        .collect()
}

/// Up to this many runs a [`Summary`] keeps every value and its statistics are exact (byte for
/// byte those of [`Stat::of`]), whatever the memory; beyond, it stays exact while its values fit
/// in [`EXACT_MAX_BYTES`], and the percentiles come from a [`Sketch`] otherwise.
pub const EXACT_MAX_RUNS: usize = 10_000;

/// Beyond [`EXACT_MAX_RUNS`] runs, a [`Summary`] whose values take at most this many bytes
/// (`8 · runs · rows · columns`: 64 MiB) still keeps them all and is exact.
pub const EXACT_MAX_BYTES: usize = 64 << 20;

/// Items per level of a [`Sketch`] (even).
pub const SKETCH_K: usize = 1024;

/// Running mean and variance (Welford), mergeable (Chan et al.): the same numbers, up to
/// rounding, whatever the order and grouping of the values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * (self.n as f64 * other.n as f64 / n as f64);
        self.n = n;
    }

    /// Standard error of the mean: sqrt(sample variance / n), 0 for one value.
    pub fn se(&self) -> f64 {
        if self.n > 1 {
            (self.m2 / (self.n - 1) as f64 / self.n as f64).sqrt()
        } else if self.n == 1 {
            0.0
        } else {
            f64::NAN
        }
    }
}

/// A mergeable quantile sketch of fixed size: a deterministic compactor hierarchy (in the manner
/// of Manku–Rajagopalan–Lindsay and KLL, without randomness).
///
/// Level h holds items of weight 2^h, fewer than `k` ([`SKETCH_K`]) of them. When a level
/// reaches k items they are sorted and every other one moves up a level (weight doubled),
/// alternately the even and the odd positions, so no count is lost: the weights always sum to
/// the number of values.
///
/// **Error bound.** Write R(x) for the number of values ≤ x and R̂(x) for the weight of the
/// sketch's items ≤ x. One compaction at level h changes R̂(x) by 0 or +2^h (even positions
/// kept) or by 0 or −2^h (odd positions), so alternating them, the C_h compactions of level h
/// move R̂(x) by at most ⌈C_h / 2⌉ · 2^h; and C_h ≤ ⌊⌊n / 2^h⌋ / k⌋ since each takes k items.
/// Hence for every x, |R̂(x) − R(x)| ≤ [`Sketch::rank_error_bound`]`(n)` =
/// Σ_h ⌈C_h/2⌉ · 2^h < n (L + 2) / (2k), L = ⌊log2(n/k)⌋ + 1 the number of levels that
/// compact. This holds for a sketch fed by [`Sketch::push`] and by merging sketches that never
/// compacted (fewer than k values each), as the command line does; merging sketches that did
/// compact adds their own bounds. A percentile of the sketch is then between the exact
/// percentiles at ranks `bound` below and `bound + 1` above (tested).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sketch {
    /// Each level's items as their [`key`](crate::order::key)s.
    levels: Vec<Vec<i64>>,
    /// Per level: whether its next compaction keeps the odd positions.
    odd: Vec<bool>,
    n: u64,
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// The number of values seen.
    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn push(&mut self, x: f64) {
        self.n += 1;
        self.insert(0, &[key(x)]);
    }

    /// [`Sketch::push`] of every value of `xs`, in order.
    pub fn extend(&mut self, xs: &[f64]) {
        self.n += xs.len() as u64;
        let mut keys = [0i64; 64];
        for part in xs.chunks(keys.len()) {
            keys.iter_mut().zip(part).for_each(|(k, &x)| *k = key(x));
            self.insert(0, &keys[..part.len()]);
        }
    }

    /// Inserts `keys` at `level` one after the other: as many as the level has room for at a
    /// time, compacting it whenever it reaches `k` items (exactly where one by one would).
    fn insert(&mut self, level: usize, mut keys: &[i64]) {
        if self.levels.len() <= level {
            self.levels.resize_with(level + 1, || Vec::with_capacity(SKETCH_K));
            self.odd.resize(level + 1, false);
        }
        while !keys.is_empty() {
            let items = &mut self.levels[level];
            let room = (SKETCH_K - items.len()).min(keys.len());
            items.extend_from_slice(&keys[..room]);
            keys = &keys[room..];
            if items.len() >= SKETCH_K {
                let mut items = std::mem::take(items);
                if level == 0 {
                    crate::order::sort_keys(&mut items);
                } else {
                    // A level above 0 holds two runs already sorted (two compactions' halves),
                    // merged in linear time.
                    crate::order::sort_two_runs(&mut items);
                }
                // Every other item moves up, from position 0 or 1 alternately.
                let start = usize::from(self.odd[level]);
                self.odd[level] = !self.odd[level];
                let kept = (items.len() - start).div_ceil(2);
                for i in 0..kept {
                    items[i] = items[start + 2 * i];
                }
                self.insert(level + 1, &items[..kept]);
                items.clear();
                self.levels[level] = items;
            }
        }
    }

    /// Adds another sketch's values (item by item, level by level).
    pub fn merge(&mut self, other: &Sketch) {
        self.n += other.n;
        for (level, items) in other.levels.iter().enumerate() {
            self.insert(level, items);
        }
    }

    /// The most |R̂(x) − R(x)| can be after n values (see the type's documentation).
    pub fn rank_error_bound(n: u64) -> u64 {
        let k = SKETCH_K as u64;
        (0..64).map(|h| ((n >> h) / k).div_ceil(2) << h).take_while(|&e| e > 0).sum()
    }

    /// The sketch's estimate of the number of values ≤ x.
    pub fn rank(&self, x: f64) -> u64 {
        let mut r = 0;
        for (h, items) in self.levels.iter().enumerate() {
            r += (items.iter().filter(|&&v| v <= key(x)).count() as u64) << h;
        }
        r
    }

    /// Type-7 quantiles (as [`quantile`]) of the values the sketch stands for: each item of
    /// weight w counts as w equal values.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        if self.n == 0 {
            return vec![f64::NAN; qs.len()];
        }
        let mut items: Vec<(i64, u64)> = Vec::new();
        for (h, level) in self.levels.iter().enumerate() {
            items.extend(level.iter().map(|&k| (k, 1u64 << h)));
        }
        // Equal keys are equal values: the order of their weights does not matter.
        crate::order::sort_pairs(&mut items);
        // The value at 0-based position j of the implied sorted array.
        let at = |j: u64| -> f64 {
            let mut cum = 0;
            for &(x, w) in &items {
                cum += w;
                if j < cum {
                    return value(x);
                }
            }
            items.last().map_or(f64::NAN, |l| value(l.0))
        };
        qs.iter()
            .map(|&q| {
                let pos = q * (self.n - 1) as f64;
                let (i, frac) = (pos.floor() as u64, pos.fract());
                let lo = at(i);
                if i + 1 < self.n {
                    lo + frac * (at(i + 1) - lo)
                } else {
                    lo
                }
            })
            .collect()
    }

    /// Values held (the memory is 8 bytes each, plus the levels' spare capacity).
    pub fn items(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }
}

/// Runs per chunk of an exact [`Summary`] that is filled by [`Summary::push`] (the command line
/// folds blocks of at most 64 runs, each one chunk).
const CHUNK_RUNS: usize = 64;

/// A block of consecutive runs of an exact [`Summary`]: `len` runs of every (row, column)
/// accumulator, cell after cell (cell c's values are `values[c * cap..c * cap + len]`, in run
/// order). One allocation per block of runs, not one per accumulator; merging copies the runs of
/// the other summary's chunks into a chunk with room for all the runs still planned, so a summary
/// filled by merging holds each accumulator's values side by side in one allocation.
#[derive(Clone, Debug, PartialEq)]
struct Chunk {
    cap: usize,
    len: usize,
    values: Vec<f64>,
}

impl Chunk {
    fn cell(&self, c: usize) -> &[f64] {
        &self.values[c * self.cap..c * self.cap + self.len]
    }
}

/// The accumulators of a [`Summary`]: every value (exact), or running moments and a sketch per
/// accumulator (streaming).
#[derive(Clone, Debug, PartialEq)]
enum Store {
    /// The runs in order, in chunks.
    Exact(Vec<Chunk>),
    Streaming(Vec<(Moments, Sketch)>),
}

/// Statistics across runs, folded one run at a time: `rows × columns` accumulators (a row per
/// generation, a column per metric), exact or streaming (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    rows: usize,
    columns: usize,
    store: Store,
    /// Runs an exact summary holds room for in a chunk it fills itself.
    chunk_runs: usize,
    /// The runs it is for in all (see [`Chunk`]).
    planned: usize,
    runs: u64,
}

impl Summary {
    /// A summary for `runs` runs in all: exact when [`Summary::is_exact`], streaming otherwise.
    pub fn new(rows: usize, columns: usize, runs: usize) -> Summary {
        Summary::with_store(rows, columns, runs, Summary::is_exact(rows, columns, runs))
    }

    /// The statistics a summary gives of `cells` accumulators whose runs' values are `values`,
    /// cell after cell (cell c's runs, in replicate order, are
    /// `values[c * runs..(c + 1) * runs]`): exact (those of [`Stat::of`]) or streaming (running
    /// moments and a sketch, fed in that order), as `exact` says (for the numbers of a whole
    /// summary, its [`Summary::is_exact`]). For statistics computed a generation at a time (runs
    /// in lockstep, [`crate::sim::Lockstep`]).
    ///
    /// # Panics
    /// If `values` is not `cells` runs of equal length.
    pub fn stats_of_cells(values: Vec<f64>, cells: usize, exact: bool) -> Vec<Stat> {
        let runs = values.len().checked_div(cells).unwrap_or(0);
        assert_eq!(runs * cells, values.len(), "{cells} cells of equal length");
        let mut summary = Summary::with_store(1, cells, runs, true);
        summary.store = Store::Exact(vec![Chunk { cap: runs, len: runs, values }]);
        summary.runs = runs as u64;
        if !exact {
            // Folded in run order, as a streaming summary takes exact ones.
            summary.promote();
        }
        summary.stats_of_rows(0..1).pop().expect("one row")
    }

    /// Whether a summary of `runs` runs of `rows × columns` accumulators keeps every value (and
    /// its statistics are exact): at most [`EXACT_MAX_RUNS`] runs, or at most
    /// [`EXACT_MAX_BYTES`] of values.
    pub fn is_exact(rows: usize, columns: usize, runs: usize) -> bool {
        runs <= EXACT_MAX_RUNS
            || runs.saturating_mul(rows).saturating_mul(columns).saturating_mul(size_of::<f64>()) <= EXACT_MAX_BYTES
    }

    fn with_store(rows: usize, columns: usize, runs: usize, exact: bool) -> Summary {
        let store = if exact {
            Store::Exact(Vec::new())
        } else {
            Store::Streaming(vec![(Moments::default(), Sketch::new()); rows * columns])
        };
        Summary { rows, columns, store, chunk_runs: runs.clamp(1, CHUNK_RUNS), planned: runs.max(1), runs: 0 }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Runs folded so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Folds one run: `row(t)` is its values at row t, one per column.
    ///
    /// # Panics
    /// If a row has the wrong number of values.
    pub fn push(&mut self, mut row: impl FnMut(usize) -> Vec<f64>) {
        self.push_with(|t, values| values.extend(row(t)));
    }

    /// [`Summary::push`] without a vector per row: `fill(t, values)` appends run's values at row
    /// t to `values` (empty at each call; one buffer serves every row).
    ///
    /// # Panics
    /// If a row has the wrong number of values.
    pub fn push_with(&mut self, mut fill: impl FnMut(usize, &mut Vec<f64>)) {
        let (rows, columns) = (self.rows, self.columns);
        let cells = rows * columns;
        let mut values = Vec::with_capacity(columns);
        let mut check = |t: usize, values: &mut Vec<f64>| {
            values.clear();
            fill(t, values);
            assert_eq!(values.len(), columns, "row {t} has {} values, not {columns}", values.len());
        };
        match &mut self.store {
            Store::Exact(chunks) => {
                if chunks.last().is_none_or(|c| c.len == c.cap) {
                    let cap = self.chunk_runs;
                    chunks.push(Chunk { cap, len: 0, values: vec![0.0; cells * cap] });
                }
                let chunk = chunks.last_mut().expect("a chunk with room");
                let (cap, j) = (chunk.cap, chunk.len);
                for t in 0..rows {
                    check(t, &mut values);
                    for (m, &x) in values.iter().enumerate() {
                        chunk.values[(t * columns + m) * cap + j] = x;
                    }
                }
                chunk.len += 1;
            }
            Store::Streaming(cells) => {
                for t in 0..rows {
                    check(t, &mut values);
                    for ((moments, sketch), &x) in cells[t * columns..].iter_mut().zip(&values) {
                        moments.push(x);
                        sketch.push(x);
                    }
                }
            }
        }
        self.runs += 1;
    }

    /// [`Summary::push`] of a run given as its rows back to back: `values[t * columns + m]` is
    /// column m at row t.
    ///
    /// # Panics
    /// If `values` does not hold `rows × columns` values.
    pub fn push_flat(&mut self, values: &[f64]) {
        let (rows, columns) = (self.rows, self.columns);
        assert_eq!(values.len(), rows * columns, "a run of {} values, not {rows} x {columns}", values.len());
        match &mut self.store {
            Store::Exact(chunks) => {
                if chunks.last().is_none_or(|c| c.len == c.cap) {
                    let cap = self.chunk_runs;
                    chunks.push(Chunk { cap, len: 0, values: vec![0.0; rows * columns * cap] });
                }
                let chunk = chunks.last_mut().expect("a chunk with room");
                let (cap, j) = (chunk.cap, chunk.len);
                for (cell, &x) in chunk.values.chunks_exact_mut(cap).zip(values) {
                    cell[j] = x;
                }
                chunk.len += 1;
            }
            Store::Streaming(cells) => {
                for ((moments, sketch), &x) in cells.iter_mut().zip(values) {
                    moments.push(x);
                    sketch.push(x);
                }
            }
        }
        self.runs += 1;
    }

    /// Folds in the runs of `other`, after this summary's own (for exact statistics, in
    /// replicate order: merge the summaries in the order of their runs).
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn merge(&mut self, other: &Summary) {
        self.check_shape(other);
        match &other.store {
            Store::Exact(chunks) if matches!(self.store, Store::Exact(_)) => {
                self.append_chunks(chunks);
            }
            theirs => {
                self.promote();
                let Store::Streaming(mine) = &mut self.store else { unreachable!("promoted") };
                match theirs {
                    Store::Exact(chunks) => fold_chunks(mine, chunks),
                    Store::Streaming(cells) => {
                        for ((moments, sketch), (m, s)) in mine.iter_mut().zip(cells) {
                            moments.merge(m);
                            sketch.merge(s);
                        }
                    }
                }
            }
        }
        self.runs += other.runs;
    }

    fn check_shape(&self, other: &Summary) {
        assert_eq!((self.rows, self.columns), (other.rows, other.columns), "summaries of different shapes");
    }

    /// Copies the runs of `chunks` after this summary's own, into its last chunk while it has
    /// room, else into a new one with room for the rest of the planned runs.
    fn append_chunks(&mut self, chunks: &[Chunk]) {
        let cells = self.rows * self.columns;
        let Store::Exact(mine) = &mut self.store else { unreachable!("an exact summary") };
        let mut held: usize = mine.iter().map(|c| c.len).sum();
        for chunk in chunks.iter().filter(|c| c.len > 0) {
            if mine.last().is_none_or(|last| last.cap - last.len < chunk.len) {
                let cap = self.planned.saturating_sub(held).max(chunk.len);
                mine.push(Chunk { cap, len: 0, values: vec![0.0; cells * cap] });
            }
            let last = mine.last_mut().expect("a chunk with room");
            for c in 0..cells {
                let at = c * last.cap + last.len;
                last.values[at..at + chunk.len].copy_from_slice(chunk.cell(c));
            }
            last.len += chunk.len;
            held += chunk.len;
        }
    }

    /// Makes an exact summary streaming, its runs folded in their order.
    fn promote(&mut self) {
        if let Store::Exact(chunks) = &self.store {
            let mut cells = vec![(Moments::default(), Sketch::new()); self.rows * self.columns];
            fold_chunks(&mut cells, chunks);
            self.store = Store::Streaming(cells);
        }
    }

    /// `stats()[t][column]`.
    pub fn stats(&self) -> Vec<Vec<Stat>> {
        self.stats_of_rows(0..self.rows)
    }

    /// [`Summary::stats`] computed by `threads` threads, each a share of the rows (the same
    /// numbers: every accumulator's statistics are computed on their own). Native only: one
    /// thread spawns none.
    pub fn stats_in_parallel(&self, threads: usize) -> Vec<Vec<Stat>> {
        let threads = threads.clamp(1, self.rows.max(1));
        if threads == 1 {
            return self.stats();
        }
        let per = self.rows.div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = (0..self.rows)
                .step_by(per)
                .map(|start| scope.spawn(move || self.stats_of_rows(start..(start + per).min(self.rows))))
                .collect();
            parts.into_iter().flat_map(|part| part.join().expect("a statistics thread")).collect()
        })
    }

    fn stats_of_rows(&self, rows: std::ops::Range<usize>) -> Vec<Vec<Stat>> {
        match &self.store {
            Store::Exact(chunks) => {
                let mut keys = Vec::new();
                rows.map(|t| exact_stats(chunks, t * self.columns..(t + 1) * self.columns, &mut keys)).collect()
            }
            Store::Streaming(cells) => rows
                .map(|t| {
                    cells[t * self.columns..(t + 1) * self.columns]
                        .iter()
                        .map(|(moments, sketch)| {
                            if moments.n == 0 {
                                return Stat::EMPTY;
                            }
                            let q = sketch.quantiles(&[0.1, 0.5, 0.9]);
                            Stat { mean: moments.mean, se: moments.se(), p10: q[0], median: q[1], p90: q[2] }
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// Accumulators whose sums [`exact_stats`] adds side by side.
const LANES: usize = 8;

/// [`Stat::of`] of each accumulator of `cells` in `chunks` (the same sums in the same order:
/// each accumulator's values in run order, from −0.0 as `Iterator::sum`; the sums of up to
/// [`LANES`] accumulators run side by side, each its own chain), the percentiles selected among
/// their keys (`keys` is the working copy).
fn exact_stats(chunks: &[Chunk], cells: std::ops::Range<usize>, keys: &mut Vec<i64>) -> Vec<Stat> {
    let n: usize = chunks.iter().map(|chunk| chunk.len).sum();
    if n == 0 || cells.is_empty() {
        return vec![Stat::EMPTY; cells.len()];
    }
    let mut stats = Vec::with_capacity(cells.len());
    for first in cells.clone().step_by(LANES) {
        let lanes = LANES.min(cells.end - first);
        // Lanes past the last accumulator repeat it (their sums are dropped).
        let cell: [usize; LANES] = std::array::from_fn(|lane| first + lane.min(lanes - 1));
        let mean = lane_sums(chunks, &cell, |_, x| x).map(|s| s / n as f64);
        let var =
            if n > 1 { lane_sums(chunks, &cell, |lane, x| (x - mean[lane]) * (x - mean[lane])) } else { [0.0; LANES] };
        for lane in 0..lanes {
            let se = if n > 1 { (var[lane] / (n - 1) as f64 / n as f64).sqrt() } else { 0.0 };
            keys.clear();
            chunks.iter().for_each(|chunk| keys.extend(chunk.cell(cell[lane]).iter().map(|&x| key(x))));
            let [p10, median, p90] = key_percentiles(keys);
            stats.push(Stat { mean: mean[lane], se, p10, median, p90 });
        }
    }
    stats
}

/// For each lane, the sum from −0.0 of `term(lane, x)` over the values x of accumulator
/// `cells[lane]` in `chunks`, in run order.
fn lane_sums(chunks: &[Chunk], cells: &[usize; LANES], term: impl Fn(usize, f64) -> f64) -> [f64; LANES] {
    let mut sum = [-0.0; LANES];
    for chunk in chunks {
        let columns: [&[f64]; LANES] = std::array::from_fn(|lane| chunk.cell(cells[lane]));
        // Position j of every lane's values: the chains advance together.
        #[allow(clippy::needless_range_loop)]
        for j in 0..chunk.len {
            for (lane, s) in sum.iter_mut().enumerate() {
                *s += term(lane, columns[lane][j]);
            }
        }
    }
    sum
}

/// Folds exact chunks into streaming accumulators, each accumulator's values in run order. The
/// moments go run by run across the accumulators (their divisions are independent, so they
/// overlap), the sketches accumulator by accumulator.
fn fold_chunks(cells: &mut [(Moments, Sketch)], chunks: &[Chunk]) {
    for chunk in chunks {
        for j in 0..chunk.len {
            for (c, (moments, _)) in cells.iter_mut().enumerate() {
                moments.push(chunk.values[c * chunk.cap + j]);
            }
        }
        for (c, (_, sketch)) in cells.iter_mut().enumerate() {
            sketch.extend(chunk.cell(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::splitmix64;

    /// Deterministic pseudo-random values in [0, 1).
    fn uniform(i: u64) -> f64 {
        (splitmix64(i) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn exact_rank(sorted: &[f64], x: f64) -> u64 {
        sorted.partition_point(|v| v.total_cmp(&x).is_le()) as u64
    }

    /// Every rank estimate within the bound, and each percentile between the exact percentiles
    /// `bound` ranks below and `bound + 1` above.
    fn check_bound(values: &[f64], sketch: &Sketch) {
        let n = values.len() as u64;
        assert_eq!(sketch.count(), n);
        let bound = Sketch::rank_error_bound(n);
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let step = (sorted.len() / 2000).max(1);
        for &x in sorted.iter().step_by(step) {
            let (r, e) = (sketch.rank(x), exact_rank(&sorted, x));
            assert!(r.abs_diff(e) <= bound, "rank of {x}: {r} vs {e}, bound {bound}");
        }
        let qs = [0.1, 0.5, 0.9];
        for (q, v) in qs.iter().zip(sketch.quantiles(&qs)) {
            let i = (q * (n - 1) as f64).floor() as u64;
            let lo = sorted[i.saturating_sub(bound) as usize];
            let hi = sorted[((i + 1 + bound).min(n - 1)) as usize];
            assert!(lo <= v && v <= hi, "q{q}: {v} not in [{lo}, {hi}] (bound {bound})");
        }
    }

    #[test]
    fn the_rank_error_bound_is_small_and_as_documented() {
        assert_eq!(Sketch::rank_error_bound(SKETCH_K as u64 - 1), 0);
        for n in [10_001u64, 50_000, 100_000, 1_000_000] {
            let l = (n as f64 / SKETCH_K as f64).log2().floor() as u64 + 1;
            let b = Sketch::rank_error_bound(n);
            assert!(b * 2 * SKETCH_K as u64 <= n * (l + 2), "{n}: {b}");
        }
        assert!(Sketch::rank_error_bound(10_001) as f64 / 10_001.0 < 0.003);
        assert!(Sketch::rank_error_bound(100_000) as f64 / 100_000.0 < 0.0045);
    }

    #[test]
    fn the_sketch_keeps_within_its_bound_on_hard_orders() {
        let n = 100_000u64;
        let orders: Vec<(&str, Vec<f64>)> = vec![
            ("random", (0..n).map(uniform).collect()),
            ("ascending", (0..n).map(|i| i as f64).collect()),
            ("descending", (0..n).map(|i| -(i as f64)).collect()),
            ("zigzag", (0..n).map(|i| if i % 2 == 0 { i as f64 } else { -(i as f64) }).collect()),
            ("few distinct", (0..n).map(|i| (splitmix64(i) % 7) as f64).collect()),
            ("heavy tail", (0..n).map(|i| 1.0 / (1e-12 + uniform(i)).powi(2)).collect()),
            ("with infinities", (0..n).map(|i| if i % 97 == 0 { f64::INFINITY } else { uniform(i) }).collect()),
        ];
        for (name, values) in orders {
            let mut sketch = Sketch::new();
            values.iter().for_each(|&x| sketch.push(x));
            assert!(sketch.items() <= SKETCH_K * 8, "{name}: {} items", sketch.items());
            check_bound(&values, &sketch);
            // Merging sketches of fewer than k values each, in order: the same sketch.
            let mut merged = Sketch::new();
            for chunk in values.chunks(37) {
                let mut part = Sketch::new();
                chunk.iter().for_each(|&x| part.push(x));
                merged.merge(&part);
            }
            assert_eq!(merged, sketch, "{name}");
        }
    }

    #[test]
    fn merged_sketches_that_compacted_keep_within_the_sum_of_their_bounds() {
        let values: Vec<f64> = (0..60_000).map(|i| uniform(i + 7)).collect();
        let mut parts: Vec<Sketch> = values
            .chunks(20_000)
            .map(|c| {
                let mut s = Sketch::new();
                c.iter().for_each(|&x| s.push(x));
                s
            })
            .collect();
        let mut all = parts.remove(0);
        for p in &parts {
            all.merge(p);
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let bound = 3 * Sketch::rank_error_bound(20_000) + Sketch::rank_error_bound(60_000);
        for &x in sorted.iter().step_by(97) {
            assert!(all.rank(x).abs_diff(exact_rank(&sorted, x)) <= bound);
        }
    }

    #[test]
    fn small_sketches_are_exact() {
        let values: Vec<f64> = (0..1000).map(uniform).collect();
        let mut sketch = Sketch::new();
        values.iter().for_each(|&x| sketch.push(x));
        let s = Stat::of(&values);
        assert_eq!(sketch.quantiles(&[0.1, 0.5, 0.9]), vec![s.p10, s.median, s.p90]);
    }

    #[test]
    fn moments_agree_with_the_two_pass_formulas_and_merge() {
        let values: Vec<f64> = (0..10_000).map(|i| 3.0 + uniform(i) * 1e3).collect();
        let s = Stat::of(&values);
        let mut m = Moments::default();
        values.iter().for_each(|&x| m.push(x));
        assert!((m.mean - s.mean).abs() < 1e-9 * s.mean && (m.se() - s.se).abs() < 1e-9 * s.se);
        let (mut a, mut b) = (Moments::default(), Moments::default());
        values[..3333].iter().for_each(|&x| a.push(x));
        values[3333..].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert_eq!(a.n, m.n);
        assert!((a.mean - m.mean).abs() < 1e-9 * m.mean && (a.se() - m.se()).abs() < 1e-9 * m.se());
    }

    #[test]
    fn a_summary_is_exact_up_to_the_threshold_and_streams_beyond() {
        let (rows, columns) = (3, 2);
        let value = |r: u64, t: usize, c: usize| uniform(r * 10 + (t * columns + c) as u64) * (t + 1) as f64;
        for runs in [1usize, 7, 200] {
            let mut parts: Vec<Summary> = Vec::new();
            for chunk in (0..runs as u64).collect::<Vec<_>>().chunks(3) {
                let mut part = Summary::new(rows, columns, chunk.len());
                for &r in chunk {
                    part.push(|t| (0..columns).map(|c| value(r, t, c)).collect());
                }
                parts.push(part);
            }
            let mut all = Summary::new(rows, columns, runs);
            parts.iter().for_each(|p| all.merge(p));
            assert_eq!(all.runs(), runs as u64);
            for (t, row) in all.stats().iter().enumerate() {
                for (c, stat) in row.iter().enumerate() {
                    let values: Vec<f64> = (0..runs as u64).map(|r| value(r, t, c)).collect();
                    assert_eq!(*stat, Stat::of(&values), "runs {runs}, row {t}, column {c}");
                }
            }
        }
        // Beyond the run threshold but within the memory budget: still exact.
        let runs = EXACT_MAX_RUNS + 5000;
        assert!(Summary::is_exact(1, 1, runs));
        let mut exact_all = Summary::new(1, 1, runs);
        for r in 0..runs as u64 {
            let mut part = Summary::new(1, 1, 1);
            part.push(|_| vec![uniform(r)]);
            exact_all.merge(&part);
        }
        let values: Vec<f64> = (0..runs as u64).map(uniform).collect();
        assert_eq!(exact_all.stats()[0][0], Stat::of(&values));
        // Beyond both: moments and sketch, within the sketch's bound.
        let mut all = Summary::with_store(1, 1, runs, false);
        let mut part = Summary::new(1, 1, 10);
        for r in 0..runs as u64 {
            part.push(|_| vec![uniform(r)]);
            if part.runs() == 10 {
                all.merge(&part);
                part = Summary::new(1, 1, 10);
            }
        }
        let mut values: Vec<f64> = (0..runs as u64).map(uniform).collect();
        let exact = Stat::of(&values);
        let got = all.stats()[0][0];
        assert!((got.mean - exact.mean).abs() < 1e-12 && (got.se - exact.se).abs() < 1e-12);
        values.sort_by(f64::total_cmp);
        let bound = Sketch::rank_error_bound(runs as u64) as usize;
        for (q, v) in [(0.1, got.p10), (0.5, got.median), (0.9, got.p90)] {
            let i = (q * (runs - 1) as f64).floor() as usize;
            assert!(values[i - bound] <= v && v <= values[i + 1 + bound], "{q}");
        }
        // Exact parts merged into a streaming summary are the same as one streaming summary.
        let mut mixed = Summary::new(1, 1, 10);
        mixed.push(|_| vec![1.0]);
        let mut streaming = Summary::new(1, 1, runs);
        streaming.push(|_| vec![2.0]);
        mixed.merge(&streaming);
        assert_eq!(mixed.stats()[0][0].mean, 1.5);
    }

    #[test]
    fn a_summary_is_exact_up_to_ten_thousand_runs_or_sixty_four_mebibytes() {
        // Workload C of the benchmark: 10,000 runs x 1,001 generations x 6 columns (480 MB).
        assert!(Summary::is_exact(1001, 6, EXACT_MAX_RUNS));
        assert!(!Summary::is_exact(1001, 6, EXACT_MAX_RUNS + 1));
        // Workload A: 20,000 runs x 51 generations x 6 columns (49 MB).
        assert!(Summary::is_exact(51, 6, 20_000));
        assert!(Summary::is_exact(101, 6, 13_842) && !Summary::is_exact(101, 6, 13_843));
        assert!(Summary::is_exact(51, 6, 27_413) && !Summary::is_exact(51, 6, 27_414));
        // The largest run the command line accepts streams, and nothing overflows.
        assert!(!Summary::is_exact(2001, 6, 100_000));
        assert!(!Summary::is_exact(usize::MAX, usize::MAX, usize::MAX));
    }

    #[test]
    fn a_run_pushed_as_flat_rows_is_the_same_as_row_by_row() {
        let (rows, columns) = (4, 3);
        for exact in [true, false] {
            let mut by_rows = Summary::with_store(rows, columns, 100, exact);
            let mut flat = Summary::with_store(rows, columns, 100, exact);
            for r in 0..100u64 {
                let values: Vec<f64> = (0..rows * columns).map(|i| uniform(r * 100 + i as u64)).collect();
                by_rows.push(|t| values[t * columns..(t + 1) * columns].to_vec());
                flat.push_flat(&values);
            }
            assert_eq!(flat, by_rows, "exact: {exact}");
            for threads in [1, 2, 3, 8] {
                assert_eq!(flat.stats_in_parallel(threads), flat.stats(), "exact: {exact}, threads {threads}");
            }
        }
    }

    #[test]
    fn stat_of_a_small_sample_is_hand_computed() {
        let s = Stat::of(&[4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!(s.mean, 3.0);
        assert!((s.se - (2.5f64 / 5.0).sqrt()).abs() < 1e-12);
        assert_eq!(s.median, 3.0);
        assert!((s.p10 - 1.4).abs() < 1e-12 && (s.p90 - 4.6).abs() < 1e-12);
        assert_eq!(Stat::of(&[7.0]).se, 0.0);
    }

    /// The percentiles as before selection: a full sort, then [`quantile`].
    fn sorted_percentiles(values: &[f64]) -> [f64; 3] {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        [quantile(&sorted, 0.1), quantile(&sorted, 0.5), quantile(&sorted, 0.9)]
    }

    #[test]
    fn selected_percentiles_are_those_of_a_full_sort_bit_for_bit() {
        let specials = [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1.0, f64::MIN_POSITIVE];
        let mut seed = 0u64;
        let mut scratch = Vec::new();
        for n in (1..=60).chain([99, 100, 101, 1000, 1001, 10_000]) {
            for kind in 0..6 {
                let values: Vec<f64> = (0..n)
                    .map(|_| {
                        seed += 1;
                        let u = uniform(seed);
                        match kind {
                            0 => u,
                            // Many ties.
                            1 => (u * 4.0).floor(),
                            // Ties, NaN, infinities and signed zeros mixed in.
                            2 | 3 if u < 0.3 => specials[(uniform((seed + 1) << 20) * 8.0) as usize],
                            2 => (u * 3.0).floor() - 1.0,
                            3 => u - 0.5,
                            // All equal.
                            4 => 2.5,
                            _ => specials[(u * 8.0) as usize],
                        }
                    })
                    .collect();
                let want = sorted_percentiles(&values);
                let got = percentiles(&mut values.clone());
                let bits = |v: [f64; 3]| v.map(f64::to_bits);
                let mut keys: Vec<i64> = values.iter().map(|&x| key(x)).collect();
                assert_eq!(bits(key_percentiles(&mut keys)), bits(want), "keys: n {n}, kind {kind}");
                assert_eq!(bits(got), bits(want), "n {n}, kind {kind}: {got:?} vs {want:?}");
                let stat = Stat::of_with(&values, &mut scratch);
                assert_eq!(bits([stat.p10, stat.median, stat.p90]), bits(want), "n {n}, kind {kind}");
            }
        }
    }
}

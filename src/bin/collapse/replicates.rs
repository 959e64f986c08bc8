//! Replicates across threads, folded into streaming summaries as they finish.
//!
//! Workers take blocks of consecutive replicates (at most [`MAX_BLOCK`]) in index order, fold
//! each block into a small exact [`Summary`], and the finished blocks are merged into the run's
//! summary in block order, so every accumulator sees the runs in replicate order whatever the
//! thread count (exact statistics are then byte for byte those of [`Stat::of`], and streaming
//! ones do not depend on the threads either). A worker does not start a block more than
//! `2 × threads` blocks ahead of the merged ones, so at most that many blocks wait in memory.
//!
//! Output is written when every run has finished: each generation's statistics need all runs,
//! and a run computes its generations in sequence (generation t needs t − 1), so no generation
//! is final before the last run ends; streaming by generation would mean running every
//! replicate again for each block of generations.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use collapse::experiment::Experiment;
use collapse::sim::TheoryCurve;
use collapse::summary::{Stat, Summary};

/// Most replicates per block.
pub const MAX_BLOCK: usize = 64;

/// What `run` prints for one scenario: the column names, `stats[t][column]`, and replicate 0's
/// closed forms.
pub struct Summarized {
    pub names: Vec<String>,
    pub stats: Vec<Vec<Stat>>,
    pub theory: std::sync::Arc<Vec<TheoryCurve>>,
}

pub use collapse::export::column_names;
use collapse::export::{flat_column_names, flat_replicate_row as row};
use collapse::sim::FlatRun;

struct Merged {
    next: usize,
    pending: BTreeMap<usize, Summary>,
    total: Option<Summary>,
    /// A worker is folding blocks into the total (outside the lock; it holds the total).
    merging: bool,
    first: Option<(Vec<String>, std::sync::Arc<Vec<TheoryCurve>>)>,
}

/// Runs replicates `0..runs` of `main` (and of `control`, the same replicate numbers) across
/// `threads` threads. Each replicate's randomness depends only on (seed, replicate).
pub fn summarize(
    main: &Experiment,
    control: Option<&Experiment>,
    runs: u32,
    threads: usize,
    progress: &mut Progress,
) -> Summarized {
    let runs = runs as usize;
    let threads = threads.clamp(1, runs.max(1));
    let block = runs.div_ceil(threads * 8).clamp(1, MAX_BLOCK);
    let blocks = runs.div_ceil(block);
    let window = 2 * threads;
    let state = Mutex::new(Merged { next: 0, pending: BTreeMap::new(), total: None, merging: false, first: None });
    let changed = Condvar::new();
    let claim = AtomicUsize::new(0);
    let done = AtomicU64::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    // One run and one control run per thread, their memory reused by every replicate.
                    let (mut run, mut control_run) = (FlatRun::default(), FlatRun::default());
                    loop {
                        let i = claim.fetch_add(1, Ordering::Relaxed);
                        if i >= blocks {
                            break;
                        }
                        {
                            let mut s = state.lock().unwrap();
                            while i >= s.next + window {
                                s = changed.wait(s).unwrap();
                            }
                        }
                        let range = i * block..((i + 1) * block).min(runs);
                        let mut part: Option<Summary> = None;
                        for r in range.clone() {
                            main.run_flat(r as u32, &mut run);
                            let control = control.map(|c| {
                                c.run_flat(r as u32, &mut control_run);
                                &control_run
                            });
                            let part = part.get_or_insert_with(|| {
                                let columns = flat_column_names(&run, control).len();
                                Summary::new(run.metrics.len(), columns, range.len())
                            });
                            if control.is_none() && run.lineages.is_empty() {
                                // The run's rows are the summary's columns, in order.
                                part.push_flat(&run.metrics.values);
                            } else {
                                part.push_with(|t, values| row(&run, control, t, values));
                            }
                            if r == 0 {
                                let first = (flat_column_names(&run, control), main.theory());
                                state.lock().unwrap().first = Some(first);
                            }
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        let mut s = state.lock().unwrap();
                        s.pending.insert(i, part.expect("a block has at least one replicate"));
                        if s.merging {
                            // The worker merging now takes this block in its turn.
                            continue;
                        }
                        // Merge the blocks that are next in order, folding each outside the lock so
                        // the other workers keep simulating (a streaming fold sorts sketches).
                        s.merging = true;
                        let mut total = s.total.take();
                        loop {
                            let next = s.next;
                            let Some(p) = s.pending.remove(&next) else { break };
                            drop(s);
                            total.get_or_insert_with(|| Summary::new(p.rows(), p.columns(), runs)).merge(&p);
                            s = state.lock().unwrap();
                            s.next += 1;
                            changed.notify_all();
                        }
                        s.total = total;
                        s.merging = false;
                        changed.notify_all();
                    }
                })
            })
            .collect();
        let mut s = state.lock().unwrap();
        while s.next < blocks && !workers.iter().all(|w| w.is_finished()) {
            s = changed.wait_timeout(s, Duration::from_millis(100)).unwrap().0;
            progress.tick(done.load(Ordering::Relaxed));
        }
    });
    progress.advance(runs as u64);
    let merged = state.into_inner().unwrap();
    let (names, theory) = merged.first.expect("replicate 0 ran");
    Summarized { names, stats: merged.total.expect("at least one run").stats_in_parallel(threads), theory }
}

/// A progress line on standard error (runs done / total, elapsed, estimated time left), redrawn
/// at most four times a second, only when standard error is a terminal and not `--quiet`.
pub struct Progress {
    enabled: bool,
    /// What is counted: "runs", or "generations" for a single run.
    unit: &'static str,
    total: u64,
    /// Runs of earlier scenarios (sweep cells).
    before: u64,
    start: Instant,
    last: Option<Instant>,
}

impl Progress {
    pub fn new(total: u64, quiet: bool) -> Progress {
        Progress::counting("runs", total, quiet)
    }

    /// A progress line counting `unit` (see [`Progress::unit`]).
    pub fn counting(unit: &'static str, total: u64, quiet: bool) -> Progress {
        let enabled = !quiet && std::io::stderr().is_terminal();
        Progress { enabled, unit, total, before: 0, start: Instant::now(), last: None }
    }

    /// `done` runs (or generations) of the current scenario have finished.
    pub fn tick(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last.is_some_and(|l| now - l < Duration::from_millis(250)) {
            return;
        }
        self.last = Some(now);
        let line = progress_line(self.unit, self.before + done, self.total, now - self.start);
        let _ = write!(std::io::stderr(), "\r{line}\x1b[K");
    }

    fn advance(&mut self, runs: u64) {
        self.before += runs;
    }

    /// Clears the line.
    pub fn finish(&self) {
        if self.enabled && self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}

/// `runs 1200/10000, 0:12 elapsed, about 1:28 left` (`unit` "runs").
pub fn progress_line(unit: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let left = if done == 0 {
        "time left unknown".to_string()
    } else {
        let rest = elapsed.as_secs_f64() * (total.saturating_sub(done)) as f64 / done as f64;
        format!("about {} left", clock(Duration::from_secs_f64(rest)))
    };
    format!("{unit} {done}/{total}, {} elapsed, {left}", clock(elapsed))
}

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_counts_runs_and_estimates_the_rest() {
        assert_eq!(
            progress_line("runs", 250, 1000, Duration::from_secs(30)),
            "runs 250/1000, 0:30 elapsed, about 1:30 left"
        );
        assert_eq!(progress_line("runs", 0, 10, Duration::ZERO), "runs 0/10, 0:00 elapsed, time left unknown");
        assert_eq!(
            progress_line("runs", 1, 2, Duration::from_secs(3725)),
            "runs 1/2, 1:02:05 elapsed, about 1:02:05 left"
        );
        assert_eq!(
            progress_line("generations", 51, 201, Duration::from_secs(10)),
            "generations 51/201, 0:10 elapsed, about 0:29 left"
        );
    }
}

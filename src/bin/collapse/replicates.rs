//! Replicates across threads, folded into streaming summaries as they finish.
//!
//! Runs run whole ([`summarize_by_runs`]): workers take blocks of consecutive replicates (at
//! most [`MAX_BLOCK`]) in index order, fold each block into a small exact [`Summary`], and the
//! finished blocks are merged into the run's summary in block order, so every accumulator sees
//! the runs in replicate order whatever the thread count (exact statistics are then byte for
//! byte those of [`Stat::of`], and streaming ones do not depend on the threads either). A worker does not start a block more than
//! `2 × threads` blocks ahead of the merged ones, so at most that many blocks wait in memory.
//!
//! Each generation's statistics need all runs. Where the runs advance in lockstep (a generation
//! of every run, then the next: [`summarize_in_lockstep`]) a generation is final as soon as it is
//! summarised and is handed on at once (the command line prints it); where each run is run whole
//! ([`summarize_by_runs`]: several models, a filter, a web, tokens, text), no generation is final
//! before the last run ends, and all are handed on then.
//!
//! The cells of an analysis are spread across the threads the same way, a cell at a time
//! ([`run_analysis`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use collapse::analysis::Analysis;
use collapse::corpus::Corpus;
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

/// Where [`summarize`] hands each generation as soon as its statistics are final: the column
/// names, the generation and its statistics (a column each). An error stops the runs and is
/// what `summarize` returns (the reader of the output went away).
pub type Emit<'a> = dyn FnMut(&[String], usize, &[Stat]) -> Result<(), String> + 'a;

/// Runs replicates `0..runs` of `main` (and of `control`, the same replicate numbers) across
/// `threads` threads, handing each generation to `emit` in order as soon as it is final. Each
/// replicate's randomness depends only on (seed, replicate). Where the runs can advance in
/// lockstep ([`Experiment::lockstep`]) they do, a generation at a time
/// ([`summarize_in_lockstep`]); otherwise each run is run whole ([`summarize_by_runs`]). Both give
/// the same numbers.
pub fn summarize(
    main: &Experiment,
    control: Option<&Experiment>,
    runs: u32,
    threads: usize,
    progress: &mut Progress,
    emit: &mut Emit<'_>,
) -> Result<Summarized, String> {
    match summarize_in_lockstep(main, control, runs, threads, progress, emit) {
        Some(summarized) => summarized,
        None => {
            let summarized = summarize_by_runs(main, control, runs, threads, progress);
            for (t, row) in summarized.stats.iter().enumerate() {
                emit(&summarized.names, t, row)?;
            }
            Ok(summarized)
        }
    }
}

/// [`summarize`] with the runs advanced together, a generation at a time, where they can be
/// ([`Experiment::lockstep`], of the control arm too); `None` otherwise. Each of the `threads`
/// threads (the calling one among them) owns a share of the runs (consecutive replicates). Each
/// generation they first advance their runs by one generation, then each summarises a share of
/// the columns across all runs, in replicate order ([`Summary::stats_of_cells`]), so the numbers are
/// those of the whole runs' summary ([`summarize_by_runs`]), byte for byte; the calling thread
/// then hands the generation to `emit`. What is held is a generation's rows and each run's state,
/// not every run's every generation: no memory to fault in for the values, and a generation's
/// values are summarised while they are in cache. An error from `emit` stops the runs.
pub fn summarize_in_lockstep(
    main: &Experiment,
    control: Option<&Experiment>,
    runs: u32,
    threads: usize,
    progress: &mut Progress,
    emit: &mut Emit<'_>,
) -> Option<Result<Summarized, String>> {
    use std::sync::atomic::AtomicBool;
    use std::sync::{Barrier, RwLock};
    main.lockstep(0..0)?;
    if let Some(control) = control {
        control.lockstep(0..0)?;
    }
    // Replicate 0 whole, for the column names and generation 0 (the human distribution's row,
    // every replicate's).
    let (mut first, mut first_control) = (FlatRun::default(), FlatRun::default());
    main.run_flat(0, &mut first);
    let first_control = control.map(|c| {
        c.run_flat(0, &mut first_control);
        &first_control
    });
    let names = flat_column_names(&first, first_control);
    let (width, main_width) = (names.len(), first.metric_names.len());
    let generations = main.scenario().generations as usize;
    let runs_n = runs as usize;
    // Exact or streaming, as the summary of whole runs would be.
    let exact = Summary::is_exact(generations + 1, width, runs_n);
    let threads = threads.clamp(1, runs_n.max(1));
    let mut row0 = Vec::with_capacity(width);
    row(&first, first_control, 0, &mut row0);
    let mut stats: Vec<Vec<Stat>> = Vec::with_capacity(generations + 1);
    let repeated: Vec<f64> = row0.iter().flat_map(|&x| std::iter::repeat_n(x, runs_n)).collect();
    stats.push(Summary::stats_of_cells(repeated, width, exact));
    if let Err(e) = emit(&names, 0, &stats[0]) {
        return Some(Err(e));
    }
    let shares: Vec<_> =
        (0..threads).map(|k| (runs_n * k / threads) as u32..(runs_n * (k + 1) / threads) as u32).collect();
    // Each thread's rows of the current generation, run after run.
    let rows: Vec<RwLock<Vec<f64>>> = shares.iter().map(|s| RwLock::new(vec![0.0; s.len() * width])).collect();
    let generation = std::sync::Mutex::new(vec![Stat::EMPTY; width]);
    let (barrier, stop) = (Barrier::new(threads), AtomicBool::new(false));
    // Thread k's part of every generation; `then` (the calling thread's) takes each generation's
    // statistics once all are in and says whether to go on.
    let advance = |k: usize, mut then: Option<&mut dyn FnMut(usize, Vec<Stat>) -> bool>| {
        let share = shares[k].clone();
        let n = share.len();
        let mut steps = main.lockstep(share.clone()).expect("a lockstep, as for no runs");
        let mut control_steps = control.map(|c| c.lockstep(share).expect("a lockstep, as for no runs"));
        let (mut own, mut theirs) = (vec![0.0; n * main_width], vec![0.0; n * (width - main_width)]);
        // The columns this thread summarises, each across all runs in replicate order.
        let columns: Vec<usize> = (k..width).step_by(threads).collect();
        for t in 1..=generations {
            {
                let mut mine = rows[k].write().expect("no thread panicked");
                match control_steps.as_mut() {
                    None => steps.step(&mut mine),
                    Some(control_steps) => {
                        steps.step(&mut own);
                        control_steps.step(&mut theirs);
                        let pairs = own.chunks_exact(main_width).zip(theirs.chunks_exact(width - main_width));
                        for (out, (a, b)) in mine.chunks_exact_mut(width).zip(pairs) {
                            out[..main_width].copy_from_slice(a);
                            out[main_width..].copy_from_slice(b);
                        }
                    }
                }
            }
            barrier.wait();
            // Set by the calling thread only between the two waits of different generations, so
            // every thread reads the same value here.
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let mut values = Vec::with_capacity(columns.len() * runs_n);
            for &c in &columns {
                for part in &rows {
                    let part = part.read().expect("no thread panicked");
                    values.extend(part.chunks_exact(width).map(|r| r[c]));
                }
            }
            let summarised = Summary::stats_of_cells(values, columns.len(), exact);
            let mut done = generation.lock().expect("no thread panicked");
            columns.iter().zip(summarised).for_each(|(&c, stat)| done[c] = stat);
            drop(done);
            barrier.wait();
            if let Some(then) = then.as_mut() {
                let done = generation.lock().expect("no thread panicked").clone();
                if !then(t, done) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    };
    let mut failed = None;
    let by_generations = progress.count_generations(runs_n as u64, generations as u64);
    std::thread::scope(|scope| {
        for k in 1..threads {
            let advance = &advance;
            scope.spawn(move || advance(k, None));
        }
        let mut then = |t: usize, done: Vec<Stat>| {
            stats.push(done);
            if let Err(e) = emit(&names, t, &stats[t]) {
                failed = Some(e);
                return false;
            }
            let done = if by_generations { t } else { runs_n * t / generations };
            progress.tick(done as u64);
            true
        };
        advance(0, Some(&mut then));
    });
    progress.advance(runs_n as u64);
    Some(match failed {
        Some(e) => Err(e),
        None => Ok(Summarized { names, stats, theory: main.theory() }),
    })
}

/// [`summarize`] with each replicate run whole, in blocks across the threads (see the module
/// documentation).
pub fn summarize_by_runs(
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

/// Computes every pending cell of `analysis` on `threads` threads (the calling one among them):
/// each free thread takes the next cell in order. A cell's value depends only on the cell, so
/// the result is [`Analysis::run_all`]'s whatever the threads; the first error in cell order is
/// returned. The progress line (on a terminal, unless `quiet`) counts the cells done.
pub fn run_analysis(
    analysis: &mut Analysis,
    human: Option<&Arc<Corpus>>,
    threads: usize,
    quiet: bool,
) -> Result<(), String> {
    let pending: Vec<usize> = (0..analysis.cells.len()).filter(|&i| analysis.cells[i].value.is_none()).collect();
    let threads = threads.clamp(1, pending.len().max(1));
    let (next, done) = (AtomicUsize::new(0), AtomicU64::new(0));
    let values = Mutex::new(vec![None; pending.len()]);
    let mut progress = Progress::counting("cells", pending.len() as u64, quiet);
    let plan = &*analysis;
    // Computes cells until none is left; `tick` is called after each of this thread's cells.
    let work = |tick: &mut dyn FnMut(u64)| loop {
        let j = next.fetch_add(1, Ordering::Relaxed);
        let Some(&i) = pending.get(j) else { break };
        let value = plan.cell_value(i, human);
        values.lock().expect("no thread panicked")[j] = Some(value);
        tick(done.fetch_add(1, Ordering::Relaxed) + 1);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| work(&mut |_| {}));
        }
        work(&mut |n| progress.tick(n));
    });
    progress.finish();
    for (i, value) in pending.into_iter().zip(values.into_inner().expect("no thread panicked")) {
        analysis.cells[i].value = Some(value.expect("every cell was taken")?);
    }
    Ok(())
}

/// A progress line on standard error (runs done / total, elapsed, estimated time left), redrawn
/// at most four times a second, only when standard error is a terminal and not `--quiet`.
pub struct Progress {
    enabled: bool,
    /// What is counted: "runs", or "generations" for a single run or for one scenario's runs
    /// in lockstep ([`Progress::count_generations`]).
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

    /// Runs advancing in lockstep are all at the same generation: where this line counts the
    /// `runs` of one scenario (not a sweep's cells), it counts its `generations` instead, since
    /// "runs 5000/10000" would say that half of them have finished when each is half done.
    /// Whether it now does; otherwise the caller counts run-equivalents, `runs × t / generations`.
    pub fn count_generations(&mut self, runs: u64, generations: u64) -> bool {
        let lone = self.unit == "runs" && self.before == 0 && self.total == runs;
        if lone {
            (self.unit, self.total) = ("generations", generations);
        }
        lone
    }

    /// `runs` more runs finished, counted by other lines (cells computed side by side).
    pub fn done_elsewhere(&mut self, runs: u64) {
        self.advance(runs);
        self.tick(0);
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
    use collapse::scenario::{DataRegime, Scenario};

    fn quiet() -> Progress {
        Progress::new(0, true)
    }

    fn ignore(_: &[String], _: usize, _: &[Stat]) -> Result<(), String> {
        Ok(())
    }

    /// Every statistic's bits, so that a NaN equals itself and −0 differs from 0.
    fn bits(s: &Summarized) -> Vec<Vec<[u64; 5]>> {
        let stat = |s: &Stat| [s.mean, s.se, s.p10, s.median, s.p90].map(f64::to_bits);
        s.stats.iter().map(|row| row.iter().map(stat).collect()).collect()
    }

    #[test]
    fn runs_in_lockstep_give_the_numbers_of_whole_runs() {
        let base = Scenario { generations: 12, ..Scenario::default() };
        let scenarios = [
            base.clone(),
            Scenario { samples: 2, ..base.clone() },
            Scenario { data: DataRegime::Accumulate, human_fraction: 0.3, samples: 30, ..base.clone() },
            Scenario { temperature: 0.8, human_fraction: 0.1, ..base.clone() },
        ];
        for scenario in scenarios {
            let main = Experiment::new(&scenario, None).unwrap();
            let control = main.control(None).unwrap();
            for (control, runs) in [(None, 37), (Some(&control), 37), (None, 1)] {
                let whole = summarize_by_runs(&main, control, runs, 2, &mut quiet());
                for threads in [1, 3] {
                    let lockstep = summarize_in_lockstep(&main, control, runs, threads, &mut quiet(), &mut ignore)
                        .expect("a single normal advances in lockstep")
                        .unwrap();
                    assert_eq!(lockstep.names, whole.names);
                    assert_eq!(bits(&lockstep), bits(&whole), "{scenario:?}, {runs} runs, {threads} threads");
                }
            }
        }
    }

    #[test]
    fn streaming_summaries_in_lockstep_give_the_numbers_of_whole_runs() {
        // Past the exact summary's run count and memory: moments and sketches, fed in run order.
        let scenario = Scenario { generations: 300, samples: 2, ..Scenario::default() };
        let runs = collapse::summary::EXACT_MAX_RUNS as u32 + 2_000;
        assert!(!Summary::is_exact(301, 6, runs as usize));
        let main = Experiment::new(&scenario, None).unwrap();
        let whole = summarize_by_runs(&main, None, runs, 2, &mut quiet());
        let lockstep = summarize_in_lockstep(&main, None, runs, 2, &mut quiet(), &mut ignore).unwrap().unwrap();
        assert_eq!(bits(&lockstep), bits(&whole));
    }

    #[test]
    fn only_runs_on_drawn_statistics_advance_in_lockstep() {
        for scenario in [
            Scenario { model_count: 3, ..Scenario::default() },
            Scenario { blind_spot: 0.2, ..Scenario::default() },
            Scenario::default_for(collapse::scenario::FamilyKey::named("tokens")),
        ] {
            let main = Experiment::new(&scenario, None).unwrap();
            assert!(main.lockstep(0..4).is_none(), "{scenario:?}");
            assert!(summarize_in_lockstep(&main, None, 4, 1, &mut quiet(), &mut ignore).is_none());
        }
    }

    #[test]
    fn runs_in_lockstep_count_generations_unless_they_are_a_sweeps_cell() {
        let main = Experiment::new(&Scenario { generations: 12, ..Scenario::default() }, None).unwrap();
        let mut lone = Progress::new(37, true);
        summarize_in_lockstep(&main, None, 37, 2, &mut lone, &mut ignore).unwrap().unwrap();
        assert_eq!((lone.unit, lone.total), ("generations", 12));
        // A sweep's line counts the runs of all its cells.
        let mut sweep = Progress::new(74, true);
        summarize_in_lockstep(&main, None, 37, 2, &mut sweep, &mut ignore).unwrap().unwrap();
        assert_eq!((sweep.unit, sweep.total), ("runs", 74));
        // Runs run whole are counted as runs.
        let several =
            Experiment::new(&Scenario { generations: 12, model_count: 2, ..Scenario::default() }, None).unwrap();
        let mut whole = Progress::new(5, true);
        summarize(&several, None, 5, 2, &mut whole, &mut ignore).unwrap();
        assert_eq!((whole.unit, whole.total), ("runs", 5));
    }

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

//! `collapse sweep`: the Cartesian product of `--grid` values, one scenario per cell, each run
//! as `run` would run it; `--shard i/n` runs the cells whose index is ≡ i − 1 (mod n).
//!
//! Cells are numbered from 0 in the order of nested loops over the grids as given: the first
//! `--grid` varies slowest, the last fastest. Each line (JSON) or row (CSV) is one generation of
//! one cell and starts with the cell's index, so a stable numeric sort on it puts the lines of
//! any set of shards in the unsharded order (every cell is wholly in one shard, its lines in
//! generation order). CSV columns are the union over *all* cells (not only the shard's), in
//! order of first appearance, empty where a cell has no such column; every shard prints the same
//! header.

use std::io::{self, Write};
use std::sync::Arc;

use collapse::corpus::Corpus;
use collapse::experiment::Experiment;
use collapse::scenario::Scenario;
use collapse::summary::Stat;
use serde_json::Value;

use crate::input::clip;
use crate::output::{cell, write_json_lines, Table, PARTS};
use crate::replicates::{self, Progress, Summarized};
use crate::theory_columns;

/// One grid: a scenario key and its values.
pub struct Grid {
    pub key: String,
    pub values: Vec<String>,
}

/// Parses `KEY=V1,V2,...`.
pub fn parse_grid(arg: &str) -> Result<Grid, String> {
    let (key, values) = arg
        .split_once('=')
        .ok_or_else(|| format!("--grid `{}`: no `=`; write KEY=V1,V2,..., e.g. --grid samples=10,100", clip(arg)))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("--grid `{}`: no key before `=`; write KEY=V1,V2,...", clip(arg)));
    }
    let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
    if values.iter().any(String::is_empty) {
        return Err(format!("--grid {}: an empty value; write KEY=V1,V2,... with no empty entry", clip(key)));
    }
    if !Scenario::keys().iter().any(|k| k == key) {
        return Err(format!("--grid {}: unknown key; `collapse keys` lists them", clip(key)));
    }
    Ok(Grid { key: key.to_string(), values })
}

/// Parses `i/n`, 1 ≤ i ≤ n.
pub fn parse_shard(arg: &str) -> Result<(usize, usize), String> {
    let bad = || format!("--shard `{}` is not i/n with whole numbers 1 ≤ i ≤ n", clip(arg));
    let (i, n) = arg.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if i == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// One cell: its index, its grid values (as the scenario holds them) and its scenario.
pub struct CellPlan {
    pub index: usize,
    pub values: Vec<Value>,
    pub scenario: Scenario,
}

/// Every cell of the product, in order, each scenario validated (grid values apply after the
/// scenario file, the preset and `--set`).
pub fn plan(text: &str, sets: &[(String, String)], grids: &[Grid]) -> Result<Vec<CellPlan>, String> {
    for (i, g) in grids.iter().enumerate() {
        if grids[..i].iter().any(|h| h.key == g.key) {
            return Err(format!("--grid {}: given twice; list all its values in one --grid", g.key));
        }
        // Each value on its own first, for a message naming it.
        for v in &g.values {
            let mut settings = sets.to_vec();
            settings.push((g.key.clone(), v.clone()));
            Scenario::from_json_with_settings(text, &settings)
                .map_err(|e| format!("--grid {}={}: {e}", g.key, clip(v)))?;
        }
    }
    let count: usize = grids.iter().map(|g| g.values.len()).product();
    if count > 1_000_000 {
        return Err(format!("--grid: {count} cells; at most 1000000 are accepted"));
    }
    (0..count)
        .map(|index| {
            let mut rest = index;
            let mut choice = vec![0; grids.len()];
            for (slot, g) in choice.iter_mut().zip(grids).rev() {
                *slot = rest % g.values.len();
                rest /= g.values.len();
            }
            let mut settings = sets.to_vec();
            settings.extend(grids.iter().zip(&choice).map(|(g, &c)| (g.key.clone(), g.values[c].clone())));
            let scenario =
                Scenario::from_json_with_settings(text, &settings).map_err(|e| format!("cell {index}: {e}"))?;
            let whole = serde_json::to_value(&scenario).unwrap_or(Value::Null);
            let values = grids
                .iter()
                .map(|g| g.key.split('.').try_fold(&whole, |v, part| v.get(part)).cloned().unwrap_or(Value::Null))
                .collect();
            Ok(CellPlan { index, values, scenario })
        })
        .collect()
}

pub struct SweepOptions<'a> {
    pub runs: u32,
    pub threads: usize,
    pub csv: bool,
    pub control: bool,
    pub theory: bool,
    pub shard: (usize, usize),
    pub quiet: bool,
    pub corpus: Option<&'a Arc<Corpus>>,
}

/// The columns a cell prints (statistics, then plain numbers), from a one-generation run of
/// replicate 0 (the names do not depend on the number of generations).
fn probe(scenario: &Scenario, o: &SweepOptions) -> Result<(Vec<String>, Vec<String>), String> {
    let short = Scenario { generations: 1, ..scenario.clone() };
    let run = Experiment::new(&short, o.corpus)?.run(0);
    let control = if o.control { Some(Experiment::new(&short.control(), o.corpus)?.run(0)) } else { None };
    let names = replicates::column_names(&run, control.as_ref());
    let plain = if o.theory { theory_columns(&run.theory).into_iter().map(|(n, _)| n).collect() } else { Vec::new() };
    Ok((names, plain))
}

fn union(into: &mut Vec<String>, names: Vec<String>) {
    for n in names {
        if !into.contains(&n) {
            into.push(n);
        }
    }
}

pub fn run(out: &mut impl Write, grids: &[Grid], cells: &[CellPlan], o: &SweepOptions) -> Result<(), String> {
    let write_err = |e: io::Error| format!("writing output: {e}");
    let (i, n) = o.shard;
    let mine: Vec<&CellPlan> = cells.iter().filter(|c| c.index % n == i - 1).collect();
    let (mut all_names, mut all_plain) = (Vec::new(), Vec::new());
    if o.csv {
        for c in cells {
            let (names, plain) = probe(&c.scenario, o).map_err(|e| format!("cell {}: {e}", c.index))?;
            union(&mut all_names, names);
            union(&mut all_plain, plain);
        }
        write!(out, "cell").map_err(write_err)?;
        for g in grids {
            write!(out, ",{}", g.key).map_err(write_err)?;
        }
        write!(out, ",generation").map_err(write_err)?;
        for name in &all_names {
            for part in PARTS {
                write!(out, ",{name}.{part}").map_err(write_err)?;
            }
        }
        for name in &all_plain {
            write!(out, ",{name}").map_err(write_err)?;
        }
        writeln!(out).map_err(write_err)?;
    }
    let replicates = mine.len() as u64 * u64::from(o.runs);
    let mut progress = Progress::new(replicates, o.quiet);
    // A cell's runs share the threads; with fewer runs than threads a cell cannot use them all,
    // so cells then run side by side, `side` at a time, each on its share of the threads. Each
    // cell's numbers do not depend on its threads, and cells are written in order.
    let side = (o.threads / o.runs.max(1) as usize).clamp(1, mine.len().max(1));
    let (threads, runs) = ((o.threads / side).max(1), u64::from(o.runs));
    for group in mine.chunks(side) {
        let summaries: Vec<Result<Summarized, String>> = if let [c] = group {
            vec![summarize_cell(c, o, threads, &mut progress)]
        } else {
            let summaries = std::thread::scope(|scope| {
                let cells: Vec<_> = group
                    .iter()
                    .map(|c| scope.spawn(move || summarize_cell(c, o, threads, &mut Progress::new(runs, true))))
                    .collect();
                cells.into_iter().map(|cell| cell.join().expect("no thread panicked")).collect()
            });
            progress.done_elsewhere(runs * group.len() as u64);
            summaries
        };
        for (c, s) in group.iter().zip(summaries) {
            write_cell(out, grids, c, &s?, o, &all_names, &all_plain).map_err(write_err)?;
        }
    }
    progress.finish();
    Ok(())
}

/// Cell `c`'s runs summarised on `threads` threads.
fn summarize_cell(
    c: &CellPlan,
    o: &SweepOptions,
    threads: usize,
    progress: &mut Progress,
) -> Result<Summarized, String> {
    let main = Experiment::new(&c.scenario, o.corpus).map_err(|e| format!("cell {}: {e}", c.index))?;
    let control = if o.control {
        Some(Experiment::new(&c.scenario.control(), o.corpus).map_err(|e| format!("cell {}: {e}", c.index))?)
    } else {
        None
    };
    replicates::summarize(&main, control.as_ref(), o.runs, threads, progress, &mut |_, _, _| Ok(()))
}

/// Writes cell `c` whole: its lines carry the cell's keys, and cells follow each other.
fn write_cell(
    out: &mut impl Write,
    grids: &[Grid],
    c: &CellPlan,
    s: &Summarized,
    o: &SweepOptions,
    all_names: &[String],
    all_plain: &[String],
) -> io::Result<()> {
    let plain = if o.theory { theory_columns(&s.theory) } else { Vec::new() };
    if o.csv {
        write_cell_csv(out, c, &s.names, &s.stats, &plain, all_names, all_plain)?;
    } else {
        let mut prefix = format!("\"cell\":{},", c.index);
        for (g, v) in grids.iter().zip(&c.values) {
            prefix.push_str(&format!("\"{}\":{v},", g.key));
        }
        let table = Table { names: &s.names, stats: &s.stats, plain: &plain };
        write_json_lines(out, &table, &prefix)?;
    }
    out.flush()
}

fn write_cell_csv(
    out: &mut impl Write,
    c: &CellPlan,
    names: &[String],
    stats: &[Vec<Stat>],
    plain: &[(String, Vec<f64>)],
    all_names: &[String],
    all_plain: &[String],
) -> io::Result<()> {
    let missing =
        names.iter().find(|n| !all_names.contains(n)).or(plain.iter().map(|p| &p.0).find(|n| !all_plain.contains(n)));
    if let Some(name) = missing {
        return Err(io::Error::other(format!("cell {}: column {name} was not in the header", c.index)));
    }
    let grid: String = c
        .values
        .iter()
        .map(|v| match v {
            Value::String(s) => format!(",{s}"),
            other => format!(",{other}"),
        })
        .collect();
    for (t, row) in stats.iter().enumerate() {
        write!(out, "{}{grid},{t}", c.index)?;
        for name in all_names {
            match names.iter().position(|n| n == name) {
                Some(j) => {
                    let s = row[j];
                    write!(out, ",{},{},{},{},{}", cell(s.mean), cell(s.se), cell(s.p10), cell(s.median), cell(s.p90))?
                }
                None => write!(out, ",,,,,")?,
            }
        }
        for name in all_plain {
            let value = plain.iter().find(|p| &p.0 == name).and_then(|p| p.1.get(t).copied()).unwrap_or(f64::NAN);
            write!(out, ",{}", cell(value))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

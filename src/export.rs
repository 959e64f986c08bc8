//! A run as the command line writes it: the columns of one replicate (the pool's metrics, each
//! model's, the control's), statistics across replicates per generation, the closed forms as
//! plain columns, in JSON lines or CSV. The command line (`collapse run`) and the page's
//! "download the numbers" both write through here, so a run downloaded from the page is byte for
//! byte what `collapse run --control --theory` prints for the same scenario and seed.

use std::io::{self, Write};

use crate::sim::{FlatRun, Run, TheoryCurve};
use crate::summary::{Stat, Summary};

/// A number as printed (see [`collapse::summary::format_number`]).
pub use crate::summary::format_number as num;

/// A CSV cell: the number, or empty where it is not finite.
pub fn cell(x: f64) -> String {
    if x.is_finite() {
        num(x)
    } else {
        String::new()
    }
}

pub const PARTS: [&str; 5] = ["mean", "se", "p10", "median", "p90"];

/// What `run` prints: per generation, statistics across the runs for each named column, then
/// plain numbers (the theory).
pub struct Table<'a> {
    pub names: &'a [String],
    /// `stats[t][column]`.
    pub stats: &'a [Vec<Stat>],
    pub plain: &'a [(String, Vec<f64>)],
}

/// One JSON object per generation; `prefix` (`"cell":0,"samples":10,` or empty) opens each.
pub fn write_json_lines(out: &mut impl Write, table: &Table, prefix: &str) -> io::Result<()> {
    for (t, row) in table.stats.iter().enumerate() {
        write_json_line(out, table, t, row, prefix)?;
    }
    Ok(())
}

/// Generation `t`'s object (`row`: its statistics, a column each) of [`write_json_lines`].
pub fn write_json_line(out: &mut impl Write, table: &Table, t: usize, row: &[Stat], prefix: &str) -> io::Result<()> {
    write!(out, "{{{prefix}\"generation\":{t}")?;
    for (name, s) in table.names.iter().zip(row) {
        write!(
            out,
            ",\"{name}\":{{\"mean\":{},\"se\":{},\"p10\":{},\"median\":{},\"p90\":{}}}",
            num(s.mean),
            num(s.se),
            num(s.p10),
            num(s.median),
            num(s.p90)
        )?;
    }
    for (name, values) in table.plain {
        write!(out, ",\"{name}\":{}", num(values.get(t).copied().unwrap_or(f64::NAN)))?;
    }
    writeln!(out, "}}")
}

pub fn write_csv(out: &mut impl Write, table: &Table) -> io::Result<()> {
    write_csv_header(out, table)?;
    for (t, row) in table.stats.iter().enumerate() {
        write_csv_row(out, table, t, row)?;
    }
    Ok(())
}

/// The header line of [`write_csv`] (`table.stats` is not read).
pub fn write_csv_header(out: &mut impl Write, table: &Table) -> io::Result<()> {
    write!(out, "generation")?;
    for name in table.names {
        for part in PARTS {
            write!(out, ",{name}.{part}")?;
        }
    }
    for (name, _) in table.plain {
        write!(out, ",{name}")?;
    }
    writeln!(out)
}

/// Generation `t`'s line (`row`: its statistics) of [`write_csv`].
pub fn write_csv_row(out: &mut impl Write, table: &Table, t: usize, row: &[Stat]) -> io::Result<()> {
    write!(out, "{t}")?;
    for s in row {
        write!(out, ",{},{},{},{},{}", cell(s.mean), cell(s.se), cell(s.p10), cell(s.median), cell(s.p90))?;
    }
    for (_, values) in table.plain {
        write!(out, ",{}", cell(values.get(t).copied().unwrap_or(f64::NAN)))?;
    }
    writeln!(out)
}

/// The columns of one replicate: the pool's metrics, each model's (`model_k.`), the control
/// arm's (`control.`).
pub fn column_names(run: &Run, control: Option<&Run>) -> Vec<String> {
    columns(&run.metric_names, run.lineages.len(), control.map(|c| &c.metric_names[..]))
}

/// [`column_names`] of runs filled by [`crate::experiment::Experiment::run_flat`].
pub fn flat_column_names(run: &FlatRun, control: Option<&FlatRun>) -> Vec<String> {
    columns(&run.metric_names, run.lineages.len(), control.map(|c| &c.metric_names[..]))
}

/// The columns of a replicate with these metrics, `lineages` models of its own (several models)
/// and a control arm with those metrics (see [`column_names`]).
pub fn columns(metrics: &[&str], lineages: usize, control: Option<&[&str]>) -> Vec<String> {
    let mut names: Vec<String> = metrics.iter().map(|n| n.to_string()).collect();
    for k in 0..lineages {
        names.extend(metrics.iter().map(|n| format!("model_{}.{n}", k + 1)));
    }
    if let Some(c) = control {
        names.extend(c.iter().map(|n| format!("control.{n}")));
    }
    names
}

/// Appends one replicate's columns at row `t` to `values`.
pub fn replicate_row(run: &Run, control: Option<&Run>, t: usize, values: &mut Vec<f64>) {
    values.extend_from_slice(&run.metrics[t]);
    for lineage in &run.lineages {
        values.extend_from_slice(&lineage[t]);
    }
    if let Some(c) = control {
        values.extend_from_slice(&c.metrics[t]);
    }
}

/// [`replicate_row`] of runs filled by [`crate::experiment::Experiment::run_flat`].
pub fn flat_replicate_row(run: &FlatRun, control: Option<&FlatRun>, t: usize, values: &mut Vec<f64>) {
    use crate::sim::Rows;
    values.extend_from_slice(run.metrics.row(t));
    for lineage in &run.lineages {
        values.extend_from_slice(&lineage[t]);
    }
    if let Some(c) = control {
        values.extend_from_slice(c.metrics.row(t));
    }
}

/// Closed forms where they apply: the first curve of a metric is `theory.<metric>`, further
/// ones `theory.<metric>.2`, ... (the page's legend order).
pub fn theory_columns(curves: &[TheoryCurve]) -> Vec<(String, Vec<f64>)> {
    let mut plain: Vec<(String, Vec<f64>)> = Vec::new();
    for curve in curves {
        let n = plain.iter().filter(|(name, _)| name.split('.').nth(1) == Some(curve.metric)).count();
        let suffix = if n == 0 { String::new() } else { format!(".{}", n + 1) };
        plain.push((format!("theory.{}{suffix}", curve.metric), curve.values.clone()));
    }
    plain
}

/// The command line's output for one replicate, `collapse run --runs 1 [--control] [--theory]`
/// (statistics of a single value: the value, a standard error of 0).
pub fn write_single_run(
    out: &mut impl Write,
    run: &Run,
    control: Option<&Run>,
    theory: bool,
    csv: bool,
) -> io::Result<()> {
    let names = column_names(run, control);
    let mut summary = Summary::new(run.metrics.len(), names.len(), 1);
    summary.push_with(|t, values| replicate_row(run, control, t, values));
    let stats = summary.stats();
    let plain = if theory { theory_columns(&run.theory) } else { Vec::new() };
    let table = Table { names: &names, stats: &stats, plain: &plain };
    if csv {
        write_csv(out, &table)
    } else {
        write_json_lines(out, &table, "")
    }
}

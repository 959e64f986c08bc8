//! How results are printed: numbers, JSON lines and CSV.

use std::io::{self, Write};

use collapse::analysis::Analysis;
use collapse::summary::Stat;

/// A number as printed (see [`collapse::summary::format_number`]).
pub use collapse::summary::format_number as num;

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
        writeln!(out, "}}")?;
    }
    Ok(())
}

pub fn write_csv(out: &mut impl Write, table: &Table) -> io::Result<()> {
    write!(out, "generation")?;
    for name in table.names {
        for part in PARTS {
            write!(out, ",{name}.{part}")?;
        }
    }
    for (name, _) in table.plain {
        write!(out, ",{name}")?;
    }
    writeln!(out)?;
    for (t, row) in table.stats.iter().enumerate() {
        write!(out, "{t}")?;
        for s in row {
            write!(out, ",{},{},{},{},{}", cell(s.mean), cell(s.se), cell(s.p10), cell(s.median), cell(s.p90))?;
        }
        for (_, values) in table.plain {
            write!(out, ",{}", cell(values.get(t).copied().unwrap_or(f64::NAN)))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// One line per cell: JSON objects, or CSV with a header.
pub fn write_analysis(out: &mut impl Write, analysis: &Analysis, csv: bool) -> io::Result<()> {
    let metric = analysis.metric.key;
    if csv {
        writeln!(out, "analysis,line,x,settings,replicates,{metric}")?;
    }
    for c in &analysis.cells {
        let line = &analysis.series[c.series].label;
        let settings: Vec<String> = c.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let value = c.value.unwrap_or(f64::NAN);
        if csv {
            writeln!(
                out,
                "{},\"{line}\",{},{},{},{}",
                analysis.kind.key(),
                c.x,
                settings.join("&"),
                analysis.replicates,
                cell(value)
            )?;
        } else {
            let settings: serde_json::Map<String, serde_json::Value> =
                c.settings.iter().map(|&(k, v)| (k.to_string(), whole_or_real(v))).collect();
            writeln!(
                out,
                "{{\"analysis\":\"{}\",\"line\":{},\"x\":{},\"settings\":{},\"replicates\":{},\"{metric}\":{}}}",
                analysis.kind.key(),
                serde_json::Value::String(line.clone()),
                c.x,
                serde_json::Value::Object(settings),
                analysis.replicates,
                num(value)
            )?;
        }
    }
    Ok(())
}

/// A setting as JSON: whole numbers without a fraction (`25`, not `25.0`).
fn whole_or_real(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}

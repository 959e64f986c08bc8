//! How results are printed: numbers, JSON lines and CSV.

use std::io::{self, Write};

use collapse::analysis::Analysis;

pub use collapse::export::{cell, num, write_json_lines, Table, PARTS};

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

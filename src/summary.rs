//! Statistics across replicate runs: for each generation and metric, the mean, its standard
//! error, and the 10th, 50th and 90th percentiles (the typical run and its spread; with
//! heavy-tailed metrics the median and the mean tell different stories).

use serde::Serialize;

use crate::sim::Run;

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
        let n = values.len();
        if n == 0 {
            return Stat { mean: f64::NAN, se: f64::NAN, p10: f64::NAN, median: f64::NAN, p90: f64::NAN };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let se = if n > 1 {
            let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
            (var / n as f64).sqrt()
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Stat { mean, se, p10: quantile(&sorted, 0.1), median: quantile(&sorted, 0.5), p90: quantile(&sorted, 0.9) }
    }
}

/// Linear-interpolation quantile of sorted data (the "type 7" rule of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    if i + 1 < sorted.len() {
        sorted[i] + frac * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_of_a_small_sample_is_hand_computed() {
        let s = Stat::of(&[4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!(s.mean, 3.0);
        assert!((s.se - (2.5f64 / 5.0).sqrt()).abs() < 1e-12);
        assert_eq!(s.median, 3.0);
        assert!((s.p10 - 1.4).abs() < 1e-12 && (s.p90 - 4.6).abs() < 1e-12);
        assert_eq!(Stat::of(&[7.0]).se, 0.0);
    }
}

//! `collapse sweep`: the Cartesian product of the grids in a fixed order, each cell as `run`
//! prints it, and shards that combine by the README's rule into the unsharded output byte for
//! byte.

use std::process::{Command, Output};

fn collapse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_collapse")).args(args).output().unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = collapse(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const GRID: [&str; 10] = [
    "sweep",
    "--grid",
    "samples=5,20",
    "--grid",
    "filter.kind=none,quality,diversity",
    "--set",
    "generations=3",
    "--runs",
    "6",
    "--threads",
];

#[test]
fn cells_come_in_nested_loop_order_and_each_is_what_run_prints() {
    let text = stdout(&[&GRID[..], &["2"]].concat());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6 * 4);
    let order = [(5, "none"), (5, "quality"), (5, "diversity"), (20, "none"), (20, "quality"), (20, "diversity")];
    for (cell, (samples, kind)) in order.iter().enumerate() {
        let prefix = format!("{{\"cell\":{cell},\"samples\":{samples},\"filter.kind\":\"{kind}\",");
        let run = stdout(&[
            "run",
            "--set",
            "generations=3",
            "--runs",
            "6",
            "--set",
            &format!("samples={samples}"),
            "--set",
            &format!("filter.kind={kind}"),
        ]);
        for (t, (line, own)) in lines[cell * 4..cell * 4 + 4].iter().zip(run.lines()).enumerate() {
            assert!(line.starts_with(&prefix), "{line}");
            assert_eq!(line[prefix.len()..], own[1..], "cell {cell}, generation {t}");
        }
    }
}

#[test]
fn cells_with_fewer_runs_than_threads_run_side_by_side_with_the_same_output() {
    // One run per cell cannot use two threads: the cells are computed side by side instead.
    for format in ["json", "csv"] {
        let sweep = |threads: &str| {
            stdout(&[
                "sweep",
                "--grid",
                "samples=5,20,40",
                "--grid",
                "human_fraction=0,0.2",
                "--set",
                "generations=5",
                "--runs",
                "1",
                "--format",
                format,
                "--threads",
                threads,
            ])
        };
        let one = sweep("1");
        // Six cells of generations 0..=5 (and CSV's header).
        assert_eq!(one.lines().count(), 6 * 6 + usize::from(format == "csv"), "{one}");
        assert_eq!(sweep("4"), one, "{format}");
        assert_eq!(sweep("3"), one, "{format}: a last group of fewer cells");
    }
}

/// The README's rule, run by the shell.
fn combine(parts: &[String], csv: bool) -> String {
    let dir = std::env::temp_dir().join(format!("collapse-sweep-{}-{csv}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, part) in parts.iter().enumerate() {
        std::fs::write(dir.join(format!("part_{}.{}", i + 1, if csv { "csv" } else { "jsonl" })), part).unwrap();
    }
    let script = if csv {
        "{ head -n 1 part_1.csv; tail -q -n +2 part_*.csv | LC_ALL=C sort -s -t, -k1,1n; }"
    } else {
        "cat part_*.jsonl | LC_ALL=C sort -s -t: -k2,2n"
    };
    let out = Command::new("sh").arg("-c").arg(script).current_dir(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn shards_combined_by_the_documented_rule_equal_the_unsharded_output() {
    // 12 cells: two-digit indices check the numeric sort; a grid over model_count changes the
    // columns (CSV then holds the union, empty where a cell has none).
    let base = [
        "sweep",
        "--grid",
        "model_count=1,2",
        "--grid",
        "human_fraction=0,0.1,0.5",
        "--grid",
        "seed=1,2",
        "--set",
        "generations=2",
        "--set",
        "samples=8",
        "--runs",
        "3",
        "--theory",
    ];
    for csv in [false, true] {
        let format: &[&str] = if csv { &["--format", "csv"] } else { &[] };
        let whole = stdout(&[&base[..], format].concat());
        for n in [1usize, 5, 12, 13] {
            let parts: Vec<String> =
                (1..=n).map(|i| stdout(&[&base[..], format, &["--shard", &format!("{i}/{n}")]].concat())).collect();
            assert_eq!(combine(&parts, csv), whole, "{n} shards, csv {csv}");
        }
        if csv {
            let header = whole.lines().next().unwrap();
            assert!(header.starts_with("cell,model_count,human_fraction,seed,generation,mean.mean,"), "{header}");
            assert!(header.contains(",model_2.variance.mean,") && header.contains(",theory.variance"), "{header}");
            assert_eq!(whole.lines().count(), 1 + 12 * 3);
        } else {
            assert_eq!(whole.lines().count(), 12 * 3);
        }
    }
}

#[test]
fn bad_grids_and_shards_exit_2_naming_the_problem() {
    for (args, expected) in [
        (vec!["sweep"], "at least one --grid"),
        (vec!["sweep", "--grid", "samples"], "no `=`"),
        (vec!["sweep", "--grid", "=1,2"], "no key"),
        (vec!["sweep", "--grid", "samples=1,,2"], "an empty value"),
        (vec!["sweep", "--grid", "smaples=1,2"], "smaples: unknown key"),
        (vec!["sweep", "--grid", "samples=10,1"], "--grid samples=1: samples: 1 is out of range"),
        (
            vec!["sweep", "--grid", "filter.kind=none,best"],
            "--grid filter.kind=best: filter.kind: `best` is not one of: none, quality, diversity",
        ),
        (vec!["sweep", "--grid", "seed=1", "--grid", "seed=2"], "given twice"),
        (vec!["sweep", "--grid", "seed=1", "--shard", "0/3"], "--shard `0/3`"),
        (vec!["sweep", "--grid", "seed=1", "--shard", "4/3"], "--shard `4/3`"),
        (vec!["sweep", "--grid", "seed=1", "--shard", "x"], "--shard `x`"),
        (vec!["run", "--grid", "seed=1"], "unknown option `--grid`"),
    ] {
        let out = collapse(&args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
}

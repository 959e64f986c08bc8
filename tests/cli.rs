//! The command line, run as a user runs it: every scenario key is accepted through --set and a
//! scenario file, the output has one record per generation with the statistics, per-model
//! columns carry a `model_k.` prefix, and bad input exits non-zero with a one-line message.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn collapse(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_collapse"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        // The command may stop reading early (a size limit): a broken pipe is its answer.
        let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn prints_one_record_per_generation_with_statistics_across_runs() {
    let lines = json_lines(&collapse(&["run", "--set", "generations=4", "--set", "samples=20", "--runs", "50"], None));
    assert_eq!(lines.len(), 5);
    for (t, line) in lines.iter().enumerate() {
        assert_eq!(line["generation"], t);
        for metric in ["mean", "variance", "w2_to_human", "tail_mass"] {
            for stat in ["mean", "se", "p10", "median", "p90"] {
                assert!(line[metric][stat].is_number(), "{metric}.{stat} at {t}");
            }
        }
    }
    assert_eq!(lines[0]["variance"]["mean"], 1.0);
    assert!(lines[4]["variance"]["se"].as_f64().unwrap() > 0.0);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let args = ["run", "--set", "generations=5", "--runs", "9", "--format", "csv"];
    let one = collapse(&[&args[..], &["--threads", "1"]].concat(), None);
    let many = collapse(&[&args[..], &["--threads", "4"]].concat(), None);
    assert!(one.status.success());
    assert_eq!(one.stdout, many.stdout);
    let csv = String::from_utf8(one.stdout).unwrap();
    assert!(csv.starts_with("generation,mean.mean,mean.se,mean.p10,mean.median,mean.p90,variance.mean"));
    assert_eq!(csv.lines().count(), 7);
}

#[test]
fn every_key_is_accepted_and_mixing_reports_each_model() {
    let scenario = r#"{"model": "tokens", "vocab": 300, "zipf_exponent": 1.2, "samples": 500, "generations": 3,
        "human_fraction": 0.2, "data": "accumulate", "temperature": 0.9, "top_p": 0.95,
        "filter": {"kind": "diversity", "keep": 0.5}, "seed": 7, "variance_estimator": "unbiased",
        "human": "bimodal", "ngram_order": 3, "model_count": 3, "model_spread": 0.5, "shared_pool": 0.5,
        "contamination_rate": 0.2, "detector_recall": 0.9, "detector_false_positive_rate": 0.05}"#;
    let lines = json_lines(&collapse(&["run", "--scenario", "-", "--runs", "4"], Some(scenario)));
    assert_eq!(lines.len(), 4);
    let last = &lines[3];
    for metric in ["gini_simpson", "surviving_types", "real_human_share", "training_size"] {
        assert!(last[metric]["mean"].is_number(), "pool {metric}");
        for k in 1..=3 {
            assert!(last[format!("model_{k}.{metric}")]["mean"].is_number(), "model_{k}.{metric}");
        }
    }
    assert!(last.get("model_4.gini_simpson").is_none());
    // The keys the file did not set can be set on the command line, each one.
    for set in [
        "model_count=2",
        "model_spread=1",
        "shared_pool=1",
        "contamination_rate=0.5",
        "detector_recall=1",
        "detector_false_positive_rate=0.5",
        "variance_estimator=unbiased",
        "human=heavy_tailed",
        "filter.kind=quality",
        "filter.keep=0.25",
        "data=accumulate",
        "top_p=0.5",
    ] {
        let out = collapse(&["run", "--set", "generations=2", "--set", set], None);
        assert!(out.status.success(), "--set {set}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn the_text_model_runs_on_the_default_corpus_and_on_a_given_one() {
    let lines =
        json_lines(&collapse(&["run", "--set", "model=text", "--set", "generations=2", "--set", "samples=3000"], None));
    assert_eq!(lines[0]["types"]["mean"].as_f64().unwrap() as u64, 17344);
    assert!(
        lines[2]["heldout_perplexity"]["mean"].as_f64().unwrap()
            > lines[0]["heldout_perplexity"]["mean"].as_f64().unwrap()
    );
    let dir = std::env::temp_dir().join(format!("collapse-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tiny = dir.join("tiny.txt");
    std::fs::write(&tiny, "Too short to learn from.").unwrap();
    let out = collapse(&["run", "--set", "model=text", "--corpus", tiny.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too small"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn bad_input_exits_non_zero_with_one_line_naming_the_problem() {
    for (args, stdin, expected) in [
        (vec!["run", "--set", "model_count=9"], None, "model_count: 9 is out of range: allowed 1 to 8"),
        (vec!["run", "--set", "temperature=NaN"], None, "temperature: `NaN` is not a finite number"),
        (vec!["run", "--set", "smaples=3"], None, "smaples: unknown key"),
        (vec!["run", "--scenario", "-"], Some("{\"shared_pool\": -1}"), "shared_pool: -1 is out of range"),
        (vec!["run", "--scenario", "-"], Some("not json"), "not valid JSON"),
        (vec!["run", "--runs", "0"], None, "--runs"),
        (vec!["run", "--format", "xml"], None, "--format"),
        (vec!["fly"], None, "unknown command"),
    ] {
        let out = collapse(&args, stdin);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn analyse_prints_one_line_per_cell_with_the_numbers_the_page_draws() {
    use collapse::analysis::{Analysis, AnalysisKind};
    use collapse::scenario::Scenario;
    let sets = ["--set", "samples=20", "--set", "generations=8", "--set", "seed=5"];
    // The value as printed (serde_json's own float parsing may be off by one ulp).
    let printed = |raw: &str| -> f64 {
        let start = raw.rfind("\"w2_to_human\":").unwrap() + "\"w2_to_human\":".len();
        raw[start..raw.len() - 1].parse().unwrap()
    };
    for kind in AnalysisKind::ALL {
        let out = collapse(&[&["analyse", kind.key()][..], &sets].concat(), None);
        let lines = json_lines(&out);
        let raw: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
        // The page's code path: the same plan, cell by cell.
        let scenario = Scenario::from_query("samples=20&generations=8&seed=5").unwrap();
        let mut page = Analysis::plan(kind, &scenario).unwrap();
        page.run_all(None).unwrap();
        assert_eq!(lines.len(), page.cells.len(), "{}", kind.key());
        for ((line, raw), cell) in lines.iter().zip(&raw).zip(&page.cells) {
            assert_eq!(line["analysis"], kind.key());
            assert_eq!(line["line"], page.series[cell.series].label.as_str());
            assert_eq!(line["x"].as_f64(), Some(cell.x));
            assert_eq!(line["replicates"], page.replicates);
            assert_eq!(Some(printed(raw)), cell.value, "{raw}");
        }
    }
    // The cells are computed side by side on the threads asked for, with the same numbers.
    for (kind, model) in [("stops", "model=gaussian"), ("mixing", "model=tokens")] {
        let on = |threads: &str| {
            let args = [&["analyse", kind, "--threads", threads, "--set", model][..], &sets].concat();
            let out = collapse(&args, None);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        assert_eq!(on("1"), on("3"), "{kind}, {model}");
    }
    let lines = json_lines(&collapse(&[&["analyse", "stops"][..], &sets].concat(), None));
    assert_eq!(lines[1]["settings"], serde_json::json!({"samples": 10, "human_fraction": 0.05}));
    // CSV: a header, then the same cells.
    let csv = collapse(&[&["analyse", "mixing", "--format", "csv"][..], &sets].concat(), None);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("analysis,line,x,settings,replicates,w2_to_human\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 7);
    let out = collapse(&["analyse", "sweep"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stops, mixing"));
}

#[test]
fn control_and_theory_columns_come_from_the_same_code_as_the_page() {
    let args = ["run", "--set", "generations=6", "--set", "samples=30", "--runs", "20", "--control", "--theory"];
    let lines = json_lines(&collapse(&args, None));
    // The control arm is the same scenario trained on fresh human data only.
    let control = json_lines(&collapse(
        &["run", "--set", "generations=6", "--set", "samples=30", "--runs", "20", "--set", "human_fraction=1"],
        None,
    ));
    for (line, own) in lines.iter().zip(&control) {
        for metric in ["mean", "variance", "w2_to_human", "tail_mass"] {
            assert_eq!(line[format!("control.{metric}")], own[metric], "{metric}");
        }
    }
    // The closed form as a plain number: E[variance_t] = ((M-1)/M)^t.
    for (t, line) in lines.iter().enumerate() {
        let want = (29.0f64 / 30.0).powi(t as i32);
        assert!((line["theory.variance"].as_f64().unwrap() - want).abs() < 1e-12, "{t}");
    }
    // No closed form applies with fresh human data mixed in: no theory column.
    let mixed =
        json_lines(&collapse(&["run", "--set", "human_fraction=0.5", "--set", "generations=2", "--theory"], None));
    assert!(mixed[1].get("theory.variance").is_none());
}

#[test]
fn huge_numbers_print_in_exponent_form() {
    let out = collapse(&["run", "--set", "temperature=5", "--set", "generations=200"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.contains("e1") || last.contains("null"), "{}", &last[..200.min(last.len())]);
    assert!(!last.split(|c: char| !c.is_ascii_digit()).any(|digits| digits.len() > 20), "no 300-digit numbers");
}

use collapse::summary::format_number as num;

/// The straightforward computation: every replicate kept, each column's values across them in
/// replicate order, `Stat::of`, printed as JSON lines.
fn straightforward(query: &str, runs: u32, control: bool) -> String {
    use collapse::experiment::Experiment;
    use collapse::scenario::Scenario;
    use collapse::summary::Stat;
    let scenario = Scenario::from_query(query).unwrap();
    let main: Vec<_> = (0..runs).map(|r| Experiment::new(&scenario, None).unwrap().run(r)).collect();
    let arm: Vec<_> = (0..runs).map(|r| Experiment::new(&scenario.control(), None).unwrap().run(r)).collect();
    // (name, arm: 0 pool / k + 1 model k / usize::MAX control, metric index)
    let mut columns: Vec<(String, usize, usize)> = Vec::new();
    for (m, name) in main[0].metric_names.iter().enumerate() {
        columns.push((name.to_string(), 0, m));
    }
    for k in 0..main[0].lineages.len() {
        for (m, name) in main[0].metric_names.iter().enumerate() {
            columns.push((format!("model_{}.{name}", k + 1), k + 1, m));
        }
    }
    if control {
        for (m, name) in arm[0].metric_names.iter().enumerate() {
            columns.push((format!("control.{name}"), usize::MAX, m));
        }
    }
    let value = |r: usize, t: usize, arm_k: usize, m: usize| match arm_k {
        0 => main[r].metrics[t][m],
        usize::MAX => arm[r].metrics[t][m],
        k => main[r].lineages[k - 1][t][m],
    };
    let mut text = String::new();
    for t in 0..main[0].metrics.len() {
        text.push_str(&format!("{{\"generation\":{t}"));
        for (name, arm_k, m) in &columns {
            let s = Stat::of(&(0..runs as usize).map(|r| value(r, t, *arm_k, *m)).collect::<Vec<_>>());
            text.push_str(&format!(
                ",\"{name}\":{{\"mean\":{},\"se\":{},\"p10\":{},\"median\":{},\"p90\":{}}}",
                num(s.mean),
                num(s.se),
                num(s.p10),
                num(s.median),
                num(s.p90)
            ));
        }
        text.push_str("}\n");
    }
    text
}

#[test]
fn output_is_byte_for_byte_the_straightforward_statistics_of_every_replicate() {
    for (query, runs, threads, control) in [
        ("samples=20&generations=6&seed=3", 37, "3", false),
        ("samples=10&generations=4&model_count=2&shared_pool=0.5", 130, "2", true),
        ("temperature=5&generations=150&samples=5", 9, "4", false),
        // More than 10,000 runs whose values fit in the 64 MiB budget: still exact.
        ("samples=3&generations=2", 12_000, "2", false),
        // A single run is written as it is computed (its control beside it): the same numbers.
        ("samples=10&generations=4&model_count=2&shared_pool=0.5", 1, "2", true),
        ("temperature=5&generations=150&samples=5", 1, "1", true),
        ("model=tokens&vocab=50&samples=40&generations=5&model_count=3", 1, "1", true),
    ] {
        let mut args = vec!["run".to_string(), "--runs".into(), runs.to_string(), "--threads".into(), threads.into()];
        for pair in query.split('&') {
            args.extend(["--set".to_string(), pair.to_string()]);
        }
        if control {
            args.push("--control".into());
        }
        let out = collapse(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let printed = String::from_utf8(out.stdout).unwrap();
        assert!(printed == straightforward(query, runs, control), "{query}");
    }
}

/// Runs the command line with `args` (CSV), reads its header and two generations, and goes away;
/// returns those lines and how the command line ended. A command line that writes each
/// generation as soon as it is final is still writing then (given work enough to outlast two
/// reads, and at most a pipe's and an output buffer's worth of output, 8 KiB, written at once), so
/// it fails on the closed pipe; one that wrote everything at the end succeeded.
fn read_two_generations_and_leave(args: &[&str]) -> (String, Vec<String>, std::process::Output) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_collapse"))
        .args(args)
        .args(["--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let header = lines.next().unwrap().unwrap();
    let first: Vec<String> = (0..2).map(|_| lines.next().unwrap().unwrap()).collect();
    drop(lines);
    (header, first, child.wait_with_output().unwrap())
}

fn assert_stopped_while_writing(header: &str, first: &[String], out: &std::process::Output) {
    assert!(header.starts_with("generation,mean.mean,"), "{header}");
    assert!(first[0].starts_with("0,") && first[1].starts_with("1,"), "{first:?}");
    assert!(!out.status.success(), "every generation was written before the first was read");
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(error.contains("writing output") && error.lines().count() == 1, "{error}");
}

#[test]
fn a_single_run_prints_each_generation_as_soon_as_it_is_computed() {
    // About a second of work (10 generations of a million samples, each put through the quality
    // filter, which needs the samples themselves) and about 5 KB of output.
    let sets = ["samples=1000000", "generations=10", "filter.kind=quality", "filter.keep=0.5"];
    let mut args = vec!["run"];
    args.extend(sets.iter().flat_map(|a| ["--set", *a]));
    let (header, first, out) = read_two_generations_and_leave(&args);
    assert_stopped_while_writing(&header, &first, &out);
}

#[test]
fn replicates_in_lockstep_print_each_generation_as_soon_as_it_is_final() {
    // 100,000 replicates of the single normal advance a generation at a time (about 0.2 s of
    // work for 10 generations) and print about 7 KB. Generation 0 is final before any run starts
    // and generation 1 after the first step.
    let (header, first, out) = read_two_generations_and_leave(&["run", "--runs", "100000", "--set", "generations=10"]);
    assert_stopped_while_writing(&header, &first, &out);
}

#[test]
fn a_hundred_thousand_runs_stream_and_agree_with_exact_statistics_within_the_sketch_bound() {
    use collapse::experiment::Experiment;
    use collapse::scenario::Scenario;
    use collapse::summary::{Sketch, Stat};
    let runs = 100_000u32;
    let out = collapse(
        &["run", "--runs", "100000", "--set", "samples=2", "--set", "generations=20", "--format", "csv", "--quiet"],
        None,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty());
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|c| c.parse().unwrap_or(f64::NAN)).collect()).collect();
    assert_eq!(rows.len(), 21);
    let experiment = Experiment::new(&Scenario::from_query("samples=2&generations=20").unwrap(), None).unwrap();
    let all: Vec<_> = (0..runs).map(|r| experiment.run(r)).collect();
    let bound = Sketch::rank_error_bound(u64::from(runs)) as usize;
    for (m, metric) in all[0].metric_names.iter().enumerate() {
        let col = header.iter().position(|h| *h == format!("{metric}.mean")).unwrap();
        for t in [1, 5, 20] {
            let mut values: Vec<f64> = all.iter().map(|r| r.metrics[t][m]).collect();
            let exact = Stat::of(&values);
            let got = &rows[t][col..col + 5];
            // A non-finite statistic prints as an empty cell (read back as NaN), whichever it is.
            let close =
                |a: f64, b: f64| (!a.is_finite() && !b.is_finite()) || (a - b).abs() <= 1e-9 * b.abs().max(1e-300);
            assert!(close(got[0], exact.mean) && close(got[1], exact.se), "{metric} at {t}: {got:?} vs {exact:?}");
            values.sort_by(f64::total_cmp);
            for (q, v) in [(0.1, got[2]), (0.5, got[3]), (0.9, got[4])] {
                let i = (q * (runs - 1) as f64).floor() as usize;
                let (lo, hi) = (values[i.saturating_sub(bound)], values[(i + 1 + bound).min(values.len() - 1)]);
                assert!(lo <= v && v <= hi, "{metric} q{q} at {t}: {v} not in [{lo}, {hi}]");
            }
        }
    }
}

#[test]
fn no_progress_line_unless_standard_error_is_a_terminal() {
    for extra in [&[][..], &["--quiet"][..]] {
        let out = collapse(&[&["run", "--runs", "300", "--set", "generations=3"][..], extra].concat(), None);
        assert!(out.status.success());
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn error_of(args: &[&str], stdin: Option<&str>) -> String {
    let out = collapse(args, stdin);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
    err
}

#[test]
fn endless_inputs_fail_fast_with_a_size_limit() {
    let err = error_of(&["run", "--scenario", "/dev/zero"], None);
    assert!(err.contains("scenario /dev/zero: too large") && err.contains("1 MiB"), "{err}");
    let err = error_of(&["run", "--set", "model=text", "--corpus", "/dev/zero"], None);
    assert!(err.contains("corpus /dev/zero: too large") && err.contains("5000000 bytes"), "{err}");
    let big = format!("{{\"samples\": 10{}}}", " ".repeat(2 << 20));
    let err = error_of(&["run", "--scenario", "-"], Some(&big));
    assert!(err.contains("too large"), "{err}");
    let dir = std::env::temp_dir().join(format!("collapse-cli-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.json");
    std::fs::write(&file, &big).unwrap();
    let err = error_of(&["run", "--scenario", file.to_str().unwrap()], None);
    assert!(err.contains(&format!("too large ({} bytes", big.len())), "{err}");
    let corpus = dir.join("big.txt");
    std::fs::write(&corpus, "word ".repeat(1_100_000)).unwrap();
    let err = error_of(&["run", "--set", "model=text", "--corpus", corpus.to_str().unwrap()], None);
    assert!(err.contains("too large (5500000 bytes"), "{err}");
}

#[test]
fn a_byte_order_mark_is_accepted_in_scenarios_and_corpora() {
    let dir = std::env::temp_dir().join(format!("collapse-cli-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("bom.json");
    std::fs::write(&scenario, "\u{feff}{\"generations\": 2, \"samples\": 7}").unwrap();
    let lines = json_lines(&collapse(&["run", "--scenario", scenario.to_str().unwrap()], None));
    assert_eq!(lines.len(), 3);
    let out = collapse(&["scenario", "--scenario", "-"], Some("\u{feff}{\"samples\": 7}"));
    assert!(String::from_utf8(out.stdout).unwrap().contains("\"samples\": 7"));
    let corpus = dir.join("bom.txt");
    let text: String = (0..60).map(|i| format!("The {i} whale swam far into the grey sea. ")).collect();
    std::fs::write(&corpus, format!("\u{feff}{text}")).unwrap();
    let args = ["run", "--set", "model=text", "--set", "generations=1", "--set", "samples=200"];
    let lines = json_lines(&collapse(&[&args[..], &["--corpus", corpus.to_str().unwrap()]].concat(), None));
    assert_eq!(lines.len(), 2);
}

#[test]
fn strict_inputs_name_the_problem_in_a_short_line() {
    let err = error_of(&["run", "--scenario", "-"], Some(r#"{"filter": ["quality", 0.3]}"#));
    assert!(err.contains("filter: must be an object of its keys (kind, keep)"), "{err}");
    for (set, expected) in [
        ("=", "has neither a key nor a value"),
        ("=3", "has no key before `=`"),
        ("samples", "has no `=`"),
        ("samples=", "samples: has no value"),
    ] {
        let err = error_of(&["run", "--set", set], None);
        assert!(err.contains(expected), "--set {set}: {err}");
    }
    let long = "z".repeat(10_000);
    let spaced = "z ".repeat(5_000);
    for (args, stdin) in [
        (vec!["run".to_string(), "--set".into(), format!("filter.kind={long}")], None),
        (vec!["run".to_string(), "--set".into(), format!("samples={spaced}")], None),
        (vec!["run".to_string(), "--set".into(), format!("{long}=1")], None),
        (vec!["run".to_string(), "--set".into(), format!("model={long}")], None),
        (vec!["run".to_string(), "--scenario".into(), "-".into()], Some(format!("{{\"human\": \"{long}\"}}"))),
        (vec!["run".to_string(), "--scenario".into(), "-".into()], Some(format!("{{\"seed\": \"{spaced}\"}}"))),
        (vec!["run".to_string(), "--scenario".into(), "-".into()], Some(format!("{{\"{long}\": 1}}"))),
        (vec!["run".to_string(), "--runs".into(), long.clone()], None),
        (vec!["run".to_string(), long.clone()], None),
        (vec!["sweep".to_string(), "--grid".into(), format!("human={long},normal")], None),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = error_of(&args, stdin.as_deref());
        assert!(!err.contains(&"z".repeat(101)) && !err.contains(&"z ".repeat(51)), "{}", &err[..300.min(err.len())]);
        // (The model family's own message quotes its first 40 characters.)
        assert!(err.contains('…') || err.contains("unknown model family"), "{err}");
        assert!(err.chars().count() < 800, "{} chars: {}", err.chars().count(), &err[..300]);
    }
}

//! The command-line twin of the page: the same scenario schema and simulation, with statistics
//! across independent replicates. See `collapse --help`.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use collapse::analysis::{Analysis, AnalysisKind};
use collapse::corpus::Corpus;
use collapse::experiment::Experiment;
use collapse::families::HumanText;
use collapse::presets;
use collapse::scenario::Scenario;
use collapse::sim::Run;
use collapse::summary::{summarize, summarize_lineage, Stat};

const HELP: &str = "\
collapse: simulate model collapse (a model retrained on its own output), the page's twin.

USAGE:
    collapse run [--scenario FILE.json | -] [--set KEY=VALUE]... [--runs R] [--format json|csv]
                 [--control] [--theory] [--corpus FILE.txt] [--threads N]
    collapse analyse stops|mixing [--scenario FILE.json | -] [--set KEY=VALUE]... [--format json|csv]
                 [--corpus FILE.txt]                   the page's analyses, one line per cell
    collapse scenario [--scenario FILE.json | -] [--set KEY=VALUE]...   print the full scenario
    collapse keys                                                      list the scenario keys
    collapse presets                                                   list the presets

OPTIONS:
    --scenario FILE   scenario JSON (`-` reads standard input); missing keys take the defaults
    --set KEY=VALUE   override one key (nested keys with a dot: filter.kind=quality); repeatable
    --runs R          independent replicates, seeded from `seed` (replicate r uses stream r) [1]
    --format F        json: one JSON object per line per generation; csv: the same as CSV [json]
    --preset NAME     start from a published setting (see `collapse presets`); --set applies after
    --corpus FILE     human text for the text model and the token labels
                      [www/data/moby-dick.txt, fetched by scripts/fetch-corpus.sh]
    --threads N       worker threads for the replicates [all cores]
    --control         also run the control arm (the same model trained every generation on
                      fresh human data only) and print it as control.<metric>
    --theory          also print the closed forms that apply as theory.<metric> (plain numbers)

OUTPUT:
    run: one record per generation t = 0..generations; every metric as
    {\"mean\", \"se\", \"p10\", \"median\", \"p90\"} across the R runs; null (an empty CSV cell) where
    a value is not a finite number (the run overflowed). Large and tiny numbers use exponents.
    analyse: one record per cell of the grid: its line, x, the keys it changes, and the mean of
    the family's headline metric at the last generation over the analysis's replicates (the
    numbers the page draws for the same scenario and seed).
";

struct Options {
    command: String,
    /// `analyse`: which analysis.
    analysis: Option<AnalysisKind>,
    scenario: Scenario,
    runs: u32,
    csv: bool,
    threads: usize,
    corpus: Option<PathBuf>,
    /// `run --control`: add the control arm's metrics as `control.<metric>`.
    control: bool,
    /// `run --theory`: add the closed forms as `theory.<metric>`.
    theory: bool,
}

/// Where `scripts/fetch-corpus.sh` puts the default corpus.
const DEFAULT_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");

fn main() -> ExitCode {
    match parse(std::env::args().skip(1).collect()).and_then(execute) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let command = args.next().ok_or("no command given; try `collapse --help`")?;
    if command == "--help" || command == "-h" || command == "help" {
        print!("{HELP}");
        std::process::exit(0);
    }
    if !["run", "analyse", "scenario", "keys", "presets"].contains(&command.as_str()) {
        return Err(format!("unknown command `{command}`; the commands are run, analyse, scenario, keys, presets"));
    }
    let analysis = if command == "analyse" {
        let key = args.next().ok_or("analyse needs an analysis: stops or mixing")?;
        Some(AnalysisKind::parse(&key)?)
    } else {
        None
    };
    let mut source: Option<String> = None;
    let mut sets = Vec::new();
    let mut runs = 1u32;
    let mut csv = false;
    let mut corpus = None;
    let mut threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let (mut control, mut theory) = (false, false);
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--scenario" => source = Some(value("--scenario")?),
            "--corpus" => corpus = Some(PathBuf::from(value("--corpus")?)),
            "--set" => sets.push(value("--set")?),
            "--preset" => {
                let id = value("--preset")?;
                let preset = presets::find(&id).ok_or(format!(
                    "--preset: no preset `{id}`; the presets are {}",
                    presets::PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
                ))?;
                // The preset's keys come first, so later --set options override them.
                sets.splice(0..0, preset.query.split('&').map(String::from));
            }
            "--runs" => {
                let v = value("--runs")?;
                runs = v
                    .parse()
                    .ok()
                    .filter(|&r| (1..=100_000).contains(&r))
                    .ok_or(format!("--runs: `{v}` is not a whole number from 1 to 100000"))?;
            }
            "--control" => control = true,
            "--theory" => theory = true,
            "--threads" => {
                let v = value("--threads")?;
                threads =
                    v.parse().ok().filter(|&t| t >= 1).ok_or(format!("--threads: `{v}` is not a whole number ≥ 1"))?;
            }
            "--format" => {
                csv = match value("--format")?.as_str() {
                    "json" => false,
                    "csv" => true,
                    other => return Err(format!("--format: `{other}` is not json or csv")),
                }
            }
            "--help" | "-h" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option `{other}`; try `collapse --help`")),
        }
    }
    let text = match source.as_deref() {
        None => String::new(),
        Some("-") => {
            let mut s = String::new();
            io::stdin().read_to_string(&mut s).map_err(|e| format!("reading standard input: {e}"))?;
            s
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?,
    };
    let settings = sets
        .iter()
        .map(|set| {
            let (key, raw) = set.split_once('=').ok_or(format!("--set `{set}` is not KEY=VALUE"))?;
            Ok((key.trim().to_string(), raw.to_string()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let scenario = Scenario::from_json_with_settings(&text, &settings).map_err(|e| match source.as_deref() {
        Some(path) => format!("scenario {path}: {e}"),
        None => format!("--set {e}"),
    })?;
    Ok(Options { command, analysis, scenario, runs, csv, threads, corpus, control, theory })
}

fn execute(options: Options) -> Result<(), String> {
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    let write_err = |e: io::Error| format!("writing output: {e}");
    match options.command.as_str() {
        "presets" => {
            for p in presets::PRESETS {
                let paper = if p.paper.is_empty() { String::new() } else { format!(" ({})", p.paper) };
                writeln!(out, "{:<18} {}{paper}\n{:<18} {}\n{:<18} {}", p.id, p.title, "", p.description, "", p.query)
                    .map_err(write_err)?;
            }
        }
        "keys" => {
            for key in Scenario::keys() {
                writeln!(out, "{key}").map_err(write_err)?;
            }
        }
        "scenario" => writeln!(out, "{}", options.scenario.to_json()).map_err(write_err)?,
        "analyse" => {
            let corpus = load_corpus(&options)?;
            let kind = options.analysis.ok_or("analyse needs an analysis: stops or mixing")?;
            let mut analysis = Analysis::plan(kind, &options.scenario).map_err(|e| e.to_string())?;
            analysis.run_all(corpus.as_ref())?;
            write_analysis(&mut out, &analysis, options.csv).map_err(write_err)?;
        }
        _ => {
            let corpus = load_corpus(&options)?;
            let runs = run_replicates(&options.scenario, corpus.as_ref(), options.runs, options.threads)?;
            // The plain names describe the pool (the model, with one); per-model columns follow
            // with a `model_k.` prefix, k = 1..model_count.
            let mut names: Vec<String> = runs[0].metric_names.iter().map(|n| n.to_string()).collect();
            let mut stats = summarize(&runs);
            for k in 0..runs[0].lineages.len() {
                names.extend(runs[0].metric_names.iter().map(|n| format!("model_{}.{n}", k + 1)));
                for (row, extra) in stats.iter_mut().zip(summarize_lineage(&runs, k)) {
                    row.extend(extra);
                }
            }
            if options.control {
                // The same replicates of the control arm (fresh human data only), same code path.
                let control =
                    run_replicates(&options.scenario.control(), corpus.as_ref(), options.runs, options.threads)?;
                names.extend(control[0].metric_names.iter().map(|n| format!("control.{n}")));
                for (row, extra) in stats.iter_mut().zip(summarize(&control)) {
                    row.extend(extra);
                }
            }
            // Closed forms where they apply: the first curve of a metric is `theory.<metric>`,
            // further ones `theory.<metric>.2`, ... (the page's legend order).
            let mut plain: Vec<(String, Vec<f64>)> = Vec::new();
            if options.theory {
                for curve in &runs[0].theory {
                    let n = plain.iter().filter(|(name, _)| name.split('.').nth(1) == Some(curve.metric)).count();
                    let suffix = if n == 0 { String::new() } else { format!(".{}", n + 1) };
                    plain.push((format!("theory.{}{suffix}", curve.metric), curve.values.clone()));
                }
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let table = Table { names: &names, stats: &stats, plain: &plain };
            if options.csv {
                write_csv(&mut out, &table).map_err(write_err)?;
            } else {
                write_json_lines(&mut out, &table).map_err(write_err)?;
            }
        }
    }
    out.flush().map_err(write_err)
}

/// The human text, for the families that use one (the registry says which): required by some
/// (the text model), used for labels by others when the default corpus is there (tokens).
fn load_corpus(options: &Options) -> Result<Option<Arc<Corpus>>, String> {
    let needs = options.scenario.model.family().human_text;
    if needs == HumanText::Unused {
        return Ok(None);
    }
    let path = options.corpus.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS));
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(_) if options.corpus.is_none() && needs == HumanText::Labels => return Ok(None),
        Err(e) if options.corpus.is_none() => {
            return Err(format!(
                "the default corpus {} is missing ({e}): run scripts/fetch-corpus.sh or pass --corpus FILE",
                path.display()
            ))
        }
        Err(e) => return Err(format!("reading {}: {e}", path.display())),
    };
    let corpus = Corpus::from_bytes(&bytes).map_err(|e| format!("corpus {}: {e}", path.display()))?;
    Ok(Some(Arc::new(corpus)))
}

/// Runs replicates 0..runs across `threads` threads. Each replicate's randomness depends only on
/// (seed, replicate), so the output does not depend on the thread count.
fn run_replicates(
    scenario: &Scenario,
    corpus: Option<&Arc<Corpus>>,
    runs: u32,
    threads: usize,
) -> Result<Vec<Run>, String> {
    let experiment = Experiment::new(scenario, corpus)?;
    let threads = threads.min(runs as usize).max(1);
    let mut slots: Vec<Option<Run>> = (0..runs).map(|_| None).collect();
    std::thread::scope(|scope| {
        let chunk = slots.len().div_ceil(threads);
        for (i, part) in slots.chunks_mut(chunk).enumerate() {
            let experiment = &experiment;
            scope.spawn(move || {
                for (j, slot) in part.iter_mut().enumerate() {
                    *slot = Some(experiment.run((i * chunk + j) as u32));
                }
            });
        }
    });
    Ok(slots.into_iter().flatten().collect())
}

/// A number as printed: plain notation in the everyday range, exponent notation beyond it (no
/// 300-digit integers); non-finite values (a run that overflowed, or a metric undefined there)
/// print as JSON `null` (an empty CSV cell), never as a number.
fn num(x: f64) -> String {
    if !x.is_finite() {
        "null".into()
    } else if x != 0.0 && !(1e-5..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// What `run` prints: per generation, statistics across the runs for each named column, then
/// plain numbers (the theory).
struct Table<'a> {
    names: &'a [&'a str],
    /// `stats[t][column]`.
    stats: &'a [Vec<Stat>],
    plain: &'a [(String, Vec<f64>)],
}

fn write_json_lines(out: &mut impl Write, table: &Table) -> io::Result<()> {
    for (t, row) in table.stats.iter().enumerate() {
        write!(out, "{{\"generation\":{t}")?;
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

/// One line per cell: JSON objects, or CSV with a header.
fn write_analysis(out: &mut impl Write, analysis: &Analysis, csv: bool) -> io::Result<()> {
    let metric = analysis.metric.key;
    if csv {
        writeln!(out, "analysis,line,x,settings,replicates,{metric}")?;
    }
    for cell in &analysis.cells {
        let line = &analysis.series[cell.series].label;
        let settings: Vec<String> = cell.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let value = cell.value.unwrap_or(f64::NAN);
        if csv {
            let cell_text = if value.is_finite() { num(value) } else { String::new() };
            writeln!(
                out,
                "{},\"{line}\",{},{},{},{cell_text}",
                analysis.kind.key(),
                cell.x,
                settings.join("&"),
                analysis.replicates
            )?;
        } else {
            let settings: serde_json::Map<String, serde_json::Value> =
                cell.settings.iter().map(|&(k, v)| (k.to_string(), whole_or_real(v))).collect();
            writeln!(
                out,
                "{{\"analysis\":\"{}\",\"line\":{},\"x\":{},\"settings\":{},\"replicates\":{},\"{metric}\":{}}}",
                analysis.kind.key(),
                serde_json::Value::String(line.clone()),
                cell.x,
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

fn write_csv(out: &mut impl Write, table: &Table) -> io::Result<()> {
    write!(out, "generation")?;
    for name in table.names {
        for part in ["mean", "se", "p10", "median", "p90"] {
            write!(out, ",{name}.{part}")?;
        }
    }
    for (name, _) in table.plain {
        write!(out, ",{name}")?;
    }
    writeln!(out)?;
    let cell = |x: f64| if x.is_finite() { num(x) } else { String::new() };
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

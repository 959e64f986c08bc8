//! The command-line twin of the page: the same scenario schema and simulation, with statistics
//! across independent replicates. See `collapse --help`.

#[path = "collapse/input.rs"]
mod input;
#[path = "collapse/output.rs"]
mod output;
#[path = "collapse/replicates.rs"]
mod replicates;
#[path = "collapse/sweep.rs"]
mod sweep;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use collapse::analysis::{Analysis, AnalysisKind};
use collapse::corpus::{self, Corpus};
use collapse::experiment::Experiment;
use collapse::export;
use collapse::families::HumanText;
use collapse::presets;
use collapse::scenario::Scenario;
use collapse::summary::Stat;

use input::{clip, one_line, read_limited, ReadError};
use output::{write_analysis, Table};
use replicates::Progress;

const HELP: &str = "\
collapse: simulate model collapse (a model retrained on its own output), the page's twin.

USAGE:
    collapse run [--scenario FILE.json | -] [--set KEY=VALUE]... [--runs R] [--format json|csv]
                 [--control] [--theory] [--corpus FILE.txt] [--threads N] [--quiet]
    collapse sweep --grid KEY=V1,V2,... [--grid KEY=...]... [--shard I/N] [run's options]
                 the Cartesian product of the grids, one `run` per cell
    collapse analyse stops|mixing [--scenario FILE.json | -] [--set KEY=VALUE]... [--format json|csv]
                 [--corpus FILE.txt] [--threads N] [--quiet]   the page's analyses, one line per cell
    collapse scenario [--scenario FILE.json | -] [--set KEY=VALUE]...   print the full scenario
    collapse keys                                                      list the scenario keys
    collapse presets                                                   list the presets

OPTIONS:
    --scenario FILE   scenario JSON (`-` reads standard input; at most 1 MiB); missing keys take
                      the defaults
    --set KEY=VALUE   override one key (nested keys with a dot: filter.kind=quality); repeatable
    --runs R          independent replicates, seeded from `seed` (replicate r uses stream r) [1]
    --format F        json: one JSON object per line per generation; csv: the same as CSV [json]
    --preset NAME     start from a published setting (see `collapse presets`); --set applies after
    --corpus FILE     human text for the text model and the token labels (at most 5 MB)
                      [www/data/moby-dick.txt, fetched by scripts/fetch-corpus.sh]
    --threads N       worker threads for the replicates (analyse: for the cells) [all cores]
    --control         also run the control arm (the same model trained every generation on
                      fresh human data only) and print it as control.<metric>
    --theory          also print the closed forms that apply as theory.<metric> (plain numbers)
    --quiet           no progress line on standard error (it is only drawn on a terminal)
    --grid KEY=V,...  sweep: one axis of the grid (any key, nested too); cells are numbered from
                      0 with the first --grid varying slowest; grid values apply after --set
    --shard I/N       sweep: run only the cells whose index is I-1 modulo N (1 <= I <= N)

OUTPUT:
    run: one record per generation t = 0..generations; every metric as
    {\"mean\", \"se\", \"p10\", \"median\", \"p90\"} across the R runs; null (an empty CSV cell) where
    a value is not a finite number (the run overflowed). Large and tiny numbers use exponents.
    Exact up to 10000 runs, and beyond while runs x (generations + 1) x columns values fit in
    64 MiB (8 bytes each; a Gaussian run has 6 columns: 27413 runs of 50 generations, 13842 of 100);
    beyond that, the percentiles come from a sketch (rank error below 0.5% of the runs) and the
    mean from running sums, in memory that no longer grows with the runs. Written when all runs
    are done; a single run (--runs 1) is written generation by generation as it is computed.
    sweep: the same per cell and generation, after the columns cell and the grid keys. Combine
    shards with a stable numeric sort on the cell: see README.
    analyse: one record per cell of the grid: its line, x, the keys it changes, and the mean of
    the family's headline metric at the last generation over the analysis's replicates (the
    numbers the page draws for the same scenario and seed).
";

const COMMANDS: [&str; 6] = ["run", "sweep", "analyse", "scenario", "keys", "presets"];

struct Options {
    command: String,
    /// `analyse`: which analysis.
    analysis: Option<AnalysisKind>,
    scenario: Scenario,
    /// The scenario file's text and the `--preset`/`--set` settings (a sweep builds every
    /// cell's scenario from them).
    text: String,
    settings: Vec<(String, String)>,
    runs: u32,
    csv: bool,
    threads: usize,
    corpus: Option<PathBuf>,
    /// `run --control`: add the control arm's metrics as `control.<metric>`.
    control: bool,
    /// `run --theory`: add the closed forms as `theory.<metric>`.
    theory: bool,
    quiet: bool,
    grids: Vec<sweep::Grid>,
    shard: Option<(usize, usize)>,
}

/// Where `scripts/fetch-corpus.sh` puts the default corpus.
const DEFAULT_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/moby-dick.txt");

/// glibc's allocator gives the top of a heap back to the system whenever more than 128 KiB of
/// it is free, and the token and text models free and reallocate vectors of that size every
/// generation: each time the pages are faulted in again (measured: a sixth of a token run's time
/// in the kernel). Keep up to 64 MiB of free heap instead.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_heap() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only sets an allocator parameter; it is called before any thread starts.
    unsafe {
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_heap() {}

/// The system's allocator, asking for transparent huge pages for allocations of 32 MiB or more
/// (which glibc maps on their own, see `keep_freed_heap`): the exact summary of many runs is one
/// (49 MB for 20,000 Gaussian runs of 50 generations), and faulting it in 4 KiB pages cost a
/// tenth of such a run's time (12,400 page faults of about 3 µs each).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod huge_pages {
    use std::alloc::{GlobalAlloc, Layout, System};

    pub struct HugePages;

    /// Allocations this large get the advice.
    const MIN_BYTES: usize = 32 << 20;
    const HUGE_PAGE: usize = 2 << 20;
    const MADV_HUGEPAGE: i32 = 14;

    extern "C" {
        fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
    }

    /// Advises huge pages for the whole huge pages inside `[p, p + size)`.
    fn advise(p: *mut u8, size: usize) {
        if p.is_null() || size < MIN_BYTES {
            return;
        }
        let start = (p as usize).next_multiple_of(HUGE_PAGE);
        let end = (p as usize + size) / HUGE_PAGE * HUGE_PAGE;
        if end > start {
            // SAFETY: the range lies inside an allocation just made; the advice changes how its
            // pages are backed, never their contents (a failure leaves ordinary pages).
            unsafe {
                madvise(start as *mut std::ffi::c_void, end - start, MADV_HUGEPAGE);
            }
        }
    }

    // SAFETY: every call is System's own; `advise` only adds advice on the memory it returned.
    unsafe impl GlobalAlloc for HugePages {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            advise(p, layout.size());
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            advise(p, layout.size());
            p
        }

        unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
            unsafe { System.dealloc(p, layout) }
        }

        unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let q = unsafe { System.realloc(p, layout, new_size) };
            advise(q, new_size);
            q
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

fn main() -> ExitCode {
    keep_freed_heap();
    match parse(std::env::args().skip(1).collect()).and_then(execute) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}

/// `KEY=VALUE` of `--set`, with a plain-words message for what is missing.
fn parse_set(set: &str) -> Result<(String, String), String> {
    let example = "write KEY=VALUE, e.g. --set samples=100";
    let Some((key, raw)) = set.split_once('=') else {
        return Err(format!("--set `{}` has no `=`; {example}", clip(set)));
    };
    let key = key.trim();
    match (key.is_empty(), raw.trim().is_empty()) {
        (true, true) => Err(format!("--set `{}` has neither a key nor a value; {example}", clip(set))),
        (true, false) => Err(format!("--set `{}` has no key before `=`; {example}", clip(set))),
        _ => Ok((key.to_string(), raw.to_string())),
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut args = args.into_iter();
    let command = args.next().ok_or("no command given; try `collapse --help`")?;
    if command == "--help" || command == "-h" || command == "help" {
        print!("{HELP}");
        std::process::exit(0);
    }
    if !COMMANDS.contains(&command.as_str()) {
        return Err(format!("unknown command `{}`; the commands are {}", clip(&command), COMMANDS.join(", ")));
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
    let (mut control, mut theory, mut quiet) = (false, false, false);
    let mut grids = Vec::new();
    let mut shard = None;
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--scenario" => source = Some(value("--scenario")?),
            "--corpus" => corpus = Some(PathBuf::from(value("--corpus")?)),
            "--set" => sets.push(value("--set")?),
            "--preset" => {
                let id = value("--preset")?;
                let preset = presets::find(&id).ok_or(format!(
                    "--preset: no preset `{}`; the presets are {}",
                    clip(&id),
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
                    .ok_or(format!("--runs: `{}` is not a whole number from 1 to 100000", clip(&v)))?;
            }
            "--control" => control = true,
            "--theory" => theory = true,
            "--quiet" => quiet = true,
            "--threads" => {
                let v = value("--threads")?;
                threads = v
                    .parse()
                    .ok()
                    .filter(|&t| t >= 1)
                    .ok_or(format!("--threads: `{}` is not a whole number ≥ 1", clip(&v)))?;
            }
            "--format" => {
                csv = match value("--format")?.as_str() {
                    "json" => false,
                    "csv" => true,
                    other => return Err(format!("--format: `{}` is not json or csv", clip(other))),
                }
            }
            "--grid" if command == "sweep" => grids.push(sweep::parse_grid(&value("--grid")?)?),
            "--shard" if command == "sweep" => shard = Some(sweep::parse_shard(&value("--shard")?)?),
            "--help" | "-h" => {
                print!("{HELP}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option `{}`; try `collapse --help`", clip(other))),
        }
    }
    if command == "sweep" && grids.is_empty() {
        return Err("sweep needs at least one --grid KEY=V1,V2,...".into());
    }
    let text = input::scenario_text(source.as_deref())?;
    let settings = sets.iter().map(|set| parse_set(set)).collect::<Result<Vec<_>, String>>()?;
    let scenario = Scenario::from_json_with_settings(&text, &settings).map_err(|e| match source.as_deref() {
        Some(path) => format!("scenario {}: {e}", clip(path)),
        None => format!("--set {e}"),
    })?;
    Ok(Options {
        command,
        analysis,
        scenario,
        text,
        settings,
        runs,
        csv,
        threads,
        corpus,
        control,
        theory,
        quiet,
        grids,
        shard,
    })
}

pub use collapse::export::theory_columns;

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
            let corpus = load_corpus(&options, &[&options.scenario])?;
            let kind = options.analysis.ok_or("analyse needs an analysis: stops or mixing")?;
            let mut analysis = Analysis::plan(kind, &options.scenario).map_err(|e| e.to_string())?;
            replicates::run_analysis(&mut analysis, corpus.as_ref(), options.threads, options.quiet)?;
            write_analysis(&mut out, &analysis, options.csv).map_err(write_err)?;
        }
        "sweep" => {
            let cells = sweep::plan(&options.text, &options.settings, &options.grids)?;
            let scenarios: Vec<&Scenario> = cells.iter().map(|c| &c.scenario).collect();
            let corpus = load_corpus(&options, &scenarios)?;
            let sweep_options = sweep::SweepOptions {
                runs: options.runs,
                threads: options.threads,
                csv: options.csv,
                control: options.control,
                theory: options.theory,
                shard: options.shard.unwrap_or((1, 1)),
                quiet: options.quiet,
                corpus: corpus.as_ref(),
            };
            sweep::run(&mut out, &options.grids, &cells, &sweep_options)?;
        }
        _ => {
            let corpus = load_corpus(&options, &[&options.scenario])?;
            let main = Experiment::new(&options.scenario, corpus.as_ref())?;
            // The control arm: the same replicates trained on fresh human data only.
            let control = if options.control {
                Some(Experiment::new(&options.scenario.control(), corpus.as_ref())?)
            } else {
                None
            };
            if options.runs == 1 {
                let generations = u64::from(options.scenario.generations) + 1;
                let mut progress = Progress::counting("generations", generations, options.quiet);
                let written =
                    stream_single_run(&mut out, &main, control.as_ref(), options.theory, options.csv, &mut progress);
                progress.finish();
                return written;
            }
            let mut progress = Progress::new(u64::from(options.runs), options.quiet);
            let plain = if options.theory { theory_columns(&main.theory()) } else { Vec::new() };
            // Each generation is written, and flushed, as soon as its statistics are final.
            let mut write = |names: &[String], t: usize, row: &[Stat]| {
                let table = Table { names, stats: &[], plain: &plain };
                if options.csv && t == 0 {
                    export::write_csv_header(&mut out, &table).map_err(write_err)?;
                }
                if options.csv {
                    export::write_csv_row(&mut out, &table, t, row).map_err(write_err)?;
                } else {
                    export::write_json_line(&mut out, &table, t, row, "").map_err(write_err)?;
                }
                out.flush().map_err(write_err)
            };
            let summarized = replicates::summarize(
                &main,
                control.as_ref(),
                options.runs,
                options.threads,
                &mut progress,
                &mut write,
            );
            progress.finish();
            summarized?;
        }
    }
    out.flush().map_err(write_err)
}

/// `run` of a single replicate: each generation is written, and flushed, as soon as it is
/// computed (every generation of one run is final when computed), so a consumer reading the pipe
/// sees the first generations while the rest are computed. The control arm runs beside it on a
/// thread of its own and hands its generations over as they come. The numbers are those of the
/// summary of one run (statistics of a single value: [`Stat::of`]).
fn stream_single_run(
    out: &mut impl Write,
    main: &Experiment,
    control: Option<&Experiment>,
    theory: bool,
    csv: bool,
    progress: &mut Progress,
) -> Result<(), String> {
    let plain = if theory { theory_columns(&main.theory()) } else { Vec::new() };
    // The control's rows, generation by generation; its metric names with generation 0's.
    let (send, controls) = std::sync::mpsc::channel::<(Option<Vec<&'static str>>, Vec<f64>)>();
    std::thread::scope(|scope| {
        if let Some(control) = control {
            scope.spawn(move || {
                control.run_watched(0, &mut |c| {
                    let names = (c.generation == 0).then(|| c.metric_names.to_vec());
                    // It fails only once the main run has ended the process (a write error).
                    let _ = send.send((names, c.metrics.to_vec()));
                });
            });
        }
        let mut names: Vec<String> = Vec::new();
        main.run_watched(0, &mut |c| {
            let mut values = c.metrics.to_vec();
            c.lineages.iter().for_each(|l| values.extend_from_slice(l));
            let control = control.map(|_| controls.recv().expect("the control run has this generation"));
            if let Some((_, row)) = &control {
                values.extend_from_slice(row);
            }
            if c.generation == 0 {
                let control_names = control.as_ref().and_then(|(n, _)| n.as_deref());
                names = export::columns(c.metric_names, c.lineages.len(), control_names);
            }
            let stats: Vec<Stat> = values.iter().map(|&v| Stat::of(&[v])).collect();
            let table = Table { names: &names, stats: &[], plain: &plain };
            let written = (|| {
                if csv && c.generation == 0 {
                    export::write_csv_header(out, &table)?;
                }
                if csv {
                    export::write_csv_row(out, &table, c.generation, &stats)?;
                } else {
                    export::write_json_line(out, &table, c.generation, &stats, "")?;
                }
                out.flush()
            })();
            if let Err(e) = written {
                // The reader went away (`| head`): the rest of the run would be for nobody, and the
                // loop cannot be left from here, so the process ends now, as `main` ends on an error.
                progress.finish();
                eprintln!("error: writing output: {e}");
                std::process::exit(2);
            }
            progress.tick(c.generation as u64 + 1);
        });
        Ok(())
    })
}

/// The human text, for the families that use one (the registry says which): required by some
/// (the text model). Others use it only to label their types (tokens), which the command line
/// never prints: for them the default corpus is not read at all (the numbers do not depend on
/// it), and a corpus given with `--corpus` is read and checked as for any family. Read with the
/// size limit [`corpus::MAX_BYTES`] checked before and while reading.
fn load_corpus(options: &Options, scenarios: &[&Scenario]) -> Result<Option<Arc<Corpus>>, String> {
    let needs = |h: HumanText| scenarios.iter().any(|s| s.model.family().human_text == h);
    if !(needs(HumanText::Required) || needs(HumanText::Labels) && options.corpus.is_some()) {
        return Ok(None);
    }
    let path = options.corpus.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS));
    let shown = clip(&path.display().to_string());
    let limit = format!("{} bytes (5 MB)", corpus::MAX_BYTES);
    let bytes = match read_limited(&path.to_string_lossy(), corpus::MAX_BYTES as u64, "corpus", &limit) {
        Ok(bytes) => bytes,
        Err(ReadError::Open(e)) if options.corpus.is_none() => {
            return Err(format!(
                "the default corpus {shown} is missing ({e}): run scripts/fetch-corpus.sh or pass --corpus FILE"
            ))
        }
        Err(ReadError::Open(e)) => return Err(format!("reading {shown}: {e}")),
        Err(ReadError::TooLarge(m) | ReadError::Other(m)) => return Err(m),
    };
    let corpus = Corpus::from_bytes(&bytes).map_err(|e| format!("corpus {shown}: {e}"))?;
    Ok(Some(Arc::new(corpus)))
}

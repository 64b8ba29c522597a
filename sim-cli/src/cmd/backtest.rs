//! `goldrush backtest [SCENARIO]`: the model against the data, moment by moment.
//!
//! The scenario (default `history`) runs over N seeds derived from its `run.seed`
//! ([`crate::evidence::seeds`]), in parallel; each run is recorded ([`record_run`]) and every
//! target of the targets file (default: the embedded `data/targets.toml`) is evaluated on it.
//! Per moment: the data value and interval, the model's mean, standard deviation and 10–90%
//! band over seeds, the standardised distance
//! `z = (model mean − data value) / sqrt(sd_data² + sd_model²)` with `sd_data` the data
//! interval's half-width over 1.645 (the interval read as a 90% interval) and `sd_model` the
//! sample standard deviation over seeds, and a verdict: `in data interval` (the model mean lies
//! in it), `in model band` (the data value lies in the model's 10–90% band), `off`, or
//! `not produced` (the model has no such quantity, or the run does not cover the period).
//! Runs are collected in seed order and reduced in that order: results are identical for any
//! `--jobs`. With `--markdown` the report is printed as docs/VALIDATION.md (no files written).
//! With `--calibration SPEC` each moment is marked *in sample* (one of the spec's `target_ids`,
//! fitted by that calibration) or *out of sample* (kept out of the fit), and the summary counts
//! both sets separately: the out-of-sample count is the validation.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use serde::Serialize;
use sim_core::Scenario;
use sim_core::stats::{mean, quantile};

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::errors::{bad_input, emit};
use crate::evidence::targets::BUILTIN_TARGETS;
use crate::evidence::{RunRecord, Target, TargetSet, load_builtin_targets, load_targets, moments, record_run, seeds};
use crate::load::{Loaded, load_scenario, with_run_overrides};
use crate::output::{prepare_out_dir, write_atomically};
use crate::simulate::hash_hex;

/// The scenario backtested when none is named.
pub const DEFAULT_SCENARIO: &str = "history";
/// Seeds when `--seeds` is not given.
pub const DEFAULT_SEEDS: u32 = 20;
/// z of the 95th percentile of the normal: a data interval is read as a 90% interval.
const Z90: f64 = 1.6448536269514722;

/// `goldrush backtest`.
#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// Scenario: built-in name or .toml file.
    #[arg(value_name = "SCENARIO", default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Targets file (TOML; its data files are read from its folder). Default: data/targets.toml
    /// as embedded in goldrush.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Number of seeds, derived from the scenario's run.seed.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SEEDS, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub seeds: u32,
    /// Override a parameter (repeatable), e.g. --set users.consumer_agents=2000.
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
    /// Directory for backtest.csv, backtest.json and the charts (created if missing).
    #[arg(long, value_name = "DIR", default_value = "backtest-out")]
    pub out: PathBuf,
    /// Runs at once (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Also write charts (PNG and SVG): per metric, the model's mean and 10-90% band over
    /// calendar time with the data points and intervals.
    #[arg(long)]
    pub plots: bool,
    /// Only the targets with these ids (comma-separated, in the file's order).
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Only the targets carrying any of these tags (comma-separated), e.g. prices,compute.
    #[arg(long, value_name = "TAG,TAG", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Print the report as Markdown (docs/VALIDATION.md) on stdout and write no files.
    #[arg(long)]
    pub markdown: bool,
    /// A calibration spec (`goldrush calibrate` SPEC.toml): its target_ids are marked in sample,
    /// every other moment out of sample, and the fit is summarised for both.
    #[arg(long, value_name = "SPEC")]
    pub calibration: Option<PathBuf>,
    /// Print nothing on stdout (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// One moment's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub description: String,
    pub tags: Vec<String>,
    pub period: String,
    pub weight: f64,
    pub data_value: f64,
    pub data_lower: f64,
    pub data_upper: f64,
    pub model_mean: f64,
    pub model_sd: f64,
    pub model_p10: f64,
    pub model_p90: f64,
    /// Seeds where the moment is defined.
    pub seeds_used: usize,
    pub distance: f64,
    pub verdict: &'static str,
    /// `in sample` / `out of sample` under `--calibration`, else empty.
    pub sample: &'static str,
    /// Within two model standard deviations of the data value (or in the data interval).
    pub close: bool,
    pub model_quantity: String,
    pub data_file: String,
    pub data_derivation: String,
    pub data_source: String,
    /// Why the scenario cannot produce the moment, if it cannot (else empty).
    pub note: String,
}

/// Verdicts.
pub const IN_DATA: &str = "in data interval";
pub const IN_BAND: &str = "in model band";
pub const OFF: &str = "off";
pub const NOT_PRODUCED: &str = "not produced";
/// Sample marks under `--calibration`.
pub const IN_SAMPLE: &str = "in sample";
pub const OUT_OF_SAMPLE: &str = "out of sample";

/// The comparison of one target with its model values over seeds (NaN: undefined in that run).
pub fn compare(t: &Target, values: &[f64]) -> Row {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    let m = mean(&v);
    let sd = if n > 1 {
        let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
        (ss / (n - 1) as f64).sqrt()
    } else if n == 1 {
        0.0
    } else {
        f64::NAN
    };
    let p10 = quantile(&v, 0.1).unwrap_or(f64::NAN);
    let p90 = quantile(&v, 0.9).unwrap_or(f64::NAN);
    let sd_data = (t.upper - t.lower) / (2.0 * Z90);
    let (distance, verdict, close) = if n == 0 {
        (f64::NAN, NOT_PRODUCED, false)
    } else {
        let den = (sd_data * sd_data + sd * sd).sqrt();
        let diff = m - t.value;
        let z = if den > 0.0 {
            diff / den
        } else if diff == 0.0 {
            0.0
        } else {
            diff.signum() * f64::INFINITY
        };
        let in_data = t.lower <= m && m <= t.upper;
        let verdict = if in_data {
            IN_DATA
        } else if p10 <= t.value && t.value <= p90 {
            IN_BAND
        } else {
            OFF
        };
        (z, verdict, in_data || diff.abs() <= 2.0 * sd)
    };
    Row {
        id: t.id.clone(),
        description: t.description.clone(),
        tags: t.tags.clone(),
        period: t.period.clone(),
        weight: t.weight,
        data_value: t.value,
        data_lower: t.lower,
        data_upper: t.upper,
        model_mean: m,
        model_sd: sd,
        model_p10: p10,
        model_p90: p90,
        seeds_used: n,
        distance,
        verdict,
        sample: "",
        close,
        model_quantity: t.quantity.describe(),
        data_file: t.file.clone(),
        data_derivation: t.derivation.clone(),
        data_source: t.source.clone(),
        note: String::new(),
    }
}

/// Loads the targets: `--targets FILE` from disk, else the embedded set; then `--only` and
/// `--tags` pick a subset (an unknown id, or tags no target carries, is bad input).
pub fn targets_of(opts: &BacktestArgs) -> anyhow::Result<TargetSet> {
    let mut set = match &opts.targets {
        Some(p) => load_targets(p)?,
        None => load_builtin_targets()?,
    };
    if !opts.only.is_empty() {
        set = set.select(&opts.only)?;
    }
    if !opts.tags.is_empty() {
        set = set.with_tags(&opts.tags);
        if set.targets.is_empty() {
            return Err(bad_input(format!("no target carries any of the tags {:?}", opts.tags)));
        }
    }
    Ok(set)
}

/// The target ids fitted by `--calibration SPEC` (empty: the spec fits every target), checked
/// against the whole targets file: an id the file lacks is bad input.
pub fn fitted_ids(opts: &BacktestArgs) -> anyhow::Result<Option<Vec<String>>> {
    let Some(path) = &opts.calibration else {
        return Ok(None);
    };
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("cannot read calibration spec {origin:?}: {e}")))?;
    let spec = crate::calibrate_spec::parse(&text, &origin)?;
    let all = match &opts.targets {
        Some(p) => load_targets(p)?,
        None => load_builtin_targets()?,
    };
    let unknown: Vec<String> = spec
        .target_ids
        .iter()
        .zip(&spec.target_locations)
        .filter(|(id, _)| !all.targets.iter().any(|t| &t.id == *id))
        .map(|(id, at)| format!("{at}: target {id:?} is not in {}", targets_name(opts)))
        .collect();
    if !unknown.is_empty() {
        return Err(bad_input(unknown.join("\n")));
    }
    Ok(Some(spec.target_ids))
}

/// Runs `scenario` once per seed (in parallel on `jobs` threads), in seed order.
pub fn record_seeds(scenario: &Scenario, seeds: &[u64], jobs: Option<usize>) -> anyhow::Result<Vec<RunRecord>> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(j) = jobs {
        pool = pool.num_threads(j);
    }
    let pool = pool.build().context("cannot start the thread pool")?;
    pool.install(|| {
        seeds
            .par_iter()
            .map(|&seed| {
                let mut s = scenario.clone();
                s.run.seed = seed;
                record_run(s).with_context(|| format!("run with seed {seed}"))
            })
            .collect()
    })
}

/// A backtest's results.
pub struct Backtest {
    pub loaded: Loaded,
    pub targets: TargetSet,
    pub seeds: Vec<u64>,
    pub runs: Vec<RunRecord>,
    pub rows: Vec<Row>,
}

/// Loads, runs and compares (no output).
pub fn backtest_of(opts: &BacktestArgs) -> anyhow::Result<Backtest> {
    let targets = targets_of(opts)?;
    let fitted = fitted_ids(opts)?;
    let loaded = load_scenario(&opts.scenario, &with_run_overrides(&opts.set, None, None))?;
    let seeds = seeds(loaded.scenario.run.seed, opts.seeds);
    let runs = record_seeds(&loaded.scenario, &seeds, opts.jobs.map(|j| j as usize))?;
    // moments[run][target], reduced per target in seed order.
    let per_run: Vec<Vec<f64>> = runs.iter().map(|r| moments(&targets, r)).collect();
    let rows = targets
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let values: Vec<f64> = per_run.iter().map(|m| m[k]).collect();
            let mut row = compare(t, &values);
            row.note = t.unproducible(&loaded.scenario).unwrap_or_default();
            if let Some(ids) = &fitted {
                row.sample = if ids.is_empty() || ids.contains(&t.id) {
                    IN_SAMPLE
                } else {
                    OUT_OF_SAMPLE
                };
            }
            row
        })
        .collect();
    Ok(Backtest {
        loaded,
        targets,
        seeds,
        runs,
        rows,
    })
}

/// `goldrush backtest`.
pub fn backtest(opts: &BacktestArgs) -> anyhow::Result<()> {
    if opts.jobs == Some(0) {
        return Err(bad_input("--jobs must be at least 1"));
    }
    if !opts.markdown {
        // Checked before anything runs; nothing is written on bad input.
        targets_of(opts)?;
        fitted_ids(opts)?;
        load_scenario(&opts.scenario, &with_run_overrides(&opts.set, None, None))?;
        prepare_out_dir(&opts.out)?;
    }
    let b = backtest_of(opts)?;
    if opts.markdown {
        return emit(&markdown(&b, opts));
    }
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("backtest.csv".into(), csv(&b.rows).into_bytes()),
        ("backtest.json".into(), json(&b, opts)?.into_bytes()),
    ];
    if opts.plots {
        files.extend(super::backtest_plots::charts(&b)?);
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    let written = write_atomically(&opts.out, &refs, Vec::new())
        .with_context(|| format!("cannot write results into {:?}", opts.out.display().to_string()))?;
    if !opts.quiet {
        let mut s = header(&b, opts);
        s.push_str(&table(&b.rows));
        s.push('\n');
        s.push_str(&summary(&b.rows));
        s.push_str(&summary_by_sample(&b.rows));
        s.push_str("\nz = (model mean - data) / sqrt(sd_data^2 + sd_model^2), sd_data = interval half-width / 1.645\n");
        let charts = written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "png" || e == "svg"))
            .count();
        let shown: Vec<String> = written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "json"))
            .map(|p| p.display().to_string())
            .collect();
        let _ = write!(s, "wrote {}", shown.join(", "));
        if charts > 0 {
            let _ = write!(s, " and {charts} charts (SVG and PNG)");
        }
        s.push('\n');
        emit(&s)?;
    }
    Ok(())
}

fn targets_name(opts: &BacktestArgs) -> String {
    opts.targets
        .as_ref()
        .map_or(BUILTIN_TARGETS.to_string(), |p| p.display().to_string())
}

fn header(b: &Backtest, opts: &BacktestArgs) -> String {
    let sc = &b.loaded.scenario;
    format!(
        "goldrush {VERSION} (git {GIT_COMMIT})\nscenario {} ({}), {} months from {}\ntargets  {} ({} moments)\nseeds    {} derived from run.seed {}\n\n",
        sc.name,
        b.loaded.origin,
        sc.run.months,
        sc.run.start,
        targets_name(opts),
        b.rows.len(),
        b.seeds.len(),
        sc.run.seed
    )
}

/// The summary line: moments in the data interval or within 2 model sds.
pub fn summary(rows: &[Row]) -> String {
    let produced = rows.iter().filter(|r| r.verdict != NOT_PRODUCED).count();
    let in_data = rows.iter().filter(|r| r.verdict == IN_DATA).count();
    let close = rows.iter().filter(|r| r.close).count();
    let in_band = rows.iter().filter(|r| r.verdict == IN_BAND).count();
    format!(
        "{close} of {} moments in the data interval or within 2 model sds of the data ({in_data} in the data interval, {in_band} more with the data in the model's 10-90% band, {} off, {} not produced)\n",
        rows.len(),
        produced - in_data - in_band,
        rows.len() - produced
    )
}

/// Under `--calibration`: the summary of the in-sample and the out-of-sample moments.
pub fn summary_by_sample(rows: &[Row]) -> String {
    let mut s = String::new();
    for (mark, name) in [
        (IN_SAMPLE, "In sample (fitted)"),
        (OUT_OF_SAMPLE, "Out of sample (not fitted)"),
    ] {
        let part: Vec<Row> = rows.iter().filter(|r| r.sample == mark).cloned().collect();
        if !part.is_empty() {
            let _ = write!(s, "{name}: {}", summary(&part));
        }
    }
    s
}

/// A number for tables: 4 significant figures, compact.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:.3e}")
    } else {
        let digits = if a >= 1000.0 {
            0
        } else if a >= 100.0 {
            1
        } else if a >= 10.0 {
            2
        } else {
            3
        };
        let s = format!("{x:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

fn cells(r: &Row, with_sample: bool) -> Vec<String> {
    let mut c = vec![
        r.id.clone(),
        r.period.clone(),
        format!("{} [{}, {}]", num(r.data_value), num(r.data_lower), num(r.data_upper)),
        num(r.model_mean),
        if r.seeds_used > 0 {
            format!("[{}, {}]", num(r.model_p10), num(r.model_p90))
        } else {
            "-".into()
        },
        if r.distance.is_nan() {
            "-".into()
        } else {
            format!("{:.2}", r.distance)
        },
        r.verdict.to_string(),
    ];
    if with_sample {
        c.push(r.sample.to_string());
    }
    c
}

/// Whether the rows carry in/out-of-sample marks (`--calibration`).
fn has_sample(rows: &[Row]) -> bool {
    rows.iter().any(|r| !r.sample.is_empty())
}

fn head(with_sample: bool) -> Vec<String> {
    let mut h: Vec<String> = HEAD.iter().map(|x| x.to_string()).collect();
    if with_sample {
        h.push("sample".into());
    }
    h
}

const HEAD: [&str; 7] = [
    "moment",
    "period",
    "data [interval]",
    "model mean",
    "model 10-90%",
    "z",
    "verdict",
];

fn table(rows: &[Row]) -> String {
    let w = has_sample(rows);
    let mut all: Vec<Vec<String>> = vec![head(w)];
    all.extend(rows.iter().map(|r| cells(r, w)));
    crate::simulate::aligned_table(&all, 2..=5)
}

/// backtest.csv: one row per moment; floats in shortest round-trip form.
fn csv(rows: &[Row]) -> String {
    let mut s = String::from(
        "id,tags,period,weight,data_value,data_lower,data_upper,model_mean,model_sd,model_p10,model_p90,seeds_used,distance,verdict,model_quantity,data_file,note,sample\n",
    );
    let q = |x: &str| format!("\"{}\"", x.replace('"', "\"\""));
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.id,
            q(&r.tags.join(";")),
            r.period,
            r.weight,
            r.data_value,
            r.data_lower,
            r.data_upper,
            r.model_mean,
            r.model_sd,
            r.model_p10,
            r.model_p90,
            r.seeds_used,
            r.distance,
            r.verdict,
            q(&r.model_quantity),
            r.data_file,
            q(&r.note),
            r.sample
        );
    }
    s
}

#[derive(Serialize)]
struct SeedHash {
    seed: u64,
    state_hash: String,
}

#[derive(Serialize)]
struct Report<'a> {
    goldrush_version: &'static str,
    git_commit: &'static str,
    scenario: &'a str,
    origin: &'a str,
    targets: String,
    seeds: &'a [u64],
    state_hashes: Vec<SeedHash>,
    summary: String,
    /// Under `--calibration`: the in-sample and out-of-sample summaries.
    summary_by_sample: String,
    /// NaN and infinities are written as null.
    rows: &'a [Row],
    resolved_scenario: &'a Scenario,
}

fn json(b: &Backtest, opts: &BacktestArgs) -> anyhow::Result<String> {
    let r = Report {
        goldrush_version: VERSION,
        git_commit: GIT_COMMIT,
        scenario: &opts.scenario,
        origin: &b.loaded.origin,
        targets: targets_name(opts),
        seeds: &b.seeds,
        state_hashes: b
            .runs
            .iter()
            .map(|r| SeedHash {
                seed: r.seed,
                state_hash: hash_hex(r.state_hash),
            })
            .collect(),
        summary: summary(&b.rows).trim().to_string(),
        summary_by_sample: summary_by_sample(&b.rows).trim().to_string(),
        rows: &b.rows,
        resolved_scenario: &b.loaded.scenario,
    };
    let mut s = serde_json::to_string_pretty(&r).context("cannot serialise backtest.json")?;
    s.push('\n');
    Ok(s)
}

/// docs/VALIDATION.md: the report as Markdown, with the command that made it (no timings, no
/// commit: it changes only when the model, the scenario or the targets change).
pub fn markdown(b: &Backtest, opts: &BacktestArgs) -> String {
    let sc = &b.loaded.scenario;
    let mut cmd = String::from("goldrush backtest");
    if opts.scenario != DEFAULT_SCENARIO {
        let _ = write!(cmd, " {}", opts.scenario);
    }
    if let Some(t) = &opts.targets {
        let _ = write!(cmd, " --targets {}", t.display());
    }
    if opts.seeds != DEFAULT_SEEDS {
        let _ = write!(cmd, " --seeds {}", opts.seeds);
    }
    if !opts.only.is_empty() {
        let _ = write!(cmd, " --only {}", opts.only.join(","));
    }
    if !opts.tags.is_empty() {
        let _ = write!(cmd, " --tags {}", opts.tags.join(","));
    }
    for s in &opts.set {
        let _ = write!(cmd, " --set {s}");
    }
    if let Some(c) = &opts.calibration {
        let _ = write!(cmd, " --calibration {}", c.display());
    }
    cmd.push_str(" --markdown");
    let mut s = String::new();
    let _ = writeln!(s, "# Validation: the model against the data\n");
    let _ = writeln!(
        s,
        "Generated by `{cmd}` (`bash scripts/docs.sh` regenerates it; a test checks that it matches \
         the code). Do not edit by hand.\n"
    );
    let _ = writeln!(
        s,
        "Scenario `{}` ({}): {} months from {}, {} seeds derived from run.seed {}. Targets: `{}` \
         ({} moments; data, sources and licences in data/README.md). For each moment the model \
         quantity is computed in every run; the table gives the data value and interval, the \
         model's mean and 10-90% band over seeds, the standardised distance \
         z = (model mean - data) / sqrt(sd_data² + sd_model²) (sd_data: the interval's \
         half-width / 1.645, the interval read as 90%; sd_model: the standard deviation over \
         seeds) and the verdict: *{IN_DATA}* (the model mean lies in the data interval), \
         *{IN_BAND}* (the data value lies in the model's 10-90% band), *{OFF}*, or \
         *{NOT_PRODUCED}* (the model has no such quantity).\n",
        sc.name,
        b.loaded.origin,
        sc.run.months,
        sc.run.start,
        b.seeds.len(),
        sc.run.seed,
        targets_name(opts),
        b.rows.len()
    );
    let _ = writeln!(s, "**Today's fit:** {}", summary(&b.rows));
    let w = has_sample(&b.rows);
    if w {
        let spec = opts
            .calibration
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "In sample: the moments fitted by the calibration `{spec}` (its `target_ids`); out of \
             sample: every other moment, kept out of the fit, which validates the model.\n"
        );
        for line in summary_by_sample(&b.rows).lines() {
            let _ = writeln!(s, "- {line}");
        }
        s.push('\n');
    }
    let h = head(w);
    let _ = writeln!(s, "| {} |", h.join(" | "));
    let _ = writeln!(s, "|{}", "---|".repeat(h.len()));
    for r in &b.rows {
        let c = cells(r, w);
        let _ = writeln!(
            s,
            "| `{}` | {} |",
            c[0],
            c[1..].join(" | ").replace('|', "\\|").replace(" \\| ", " | ")
        );
    }
    let _ = writeln!(s, "\n## The moments\n");
    for r in &b.rows {
        let _ = writeln!(s, "### `{}`\n", r.id);
        let stop = if r.description.ends_with('.') { "" } else { "." };
        let _ = writeln!(
            s,
            "{}{stop} Tags: {}. Weight {}.{}\n",
            r.description,
            r.tags.join(", "),
            r.weight,
            if r.sample.is_empty() {
                String::new()
            } else {
                format!(
                    " **{}**.",
                    r.sample
                        .replace("in sample", "In sample")
                        .replace("out of sample", "Out of sample")
                )
            }
        );
        let file = if r.data_file.is_empty() {
            "reported figure".to_string()
        } else {
            format!("`data/{}`", r.data_file)
        };
        let _ = writeln!(s, "- Data: {file}: {}.", r.data_derivation);
        if !r.data_source.is_empty() {
            let _ = writeln!(s, "- Source: {}.", r.data_source.trim_end_matches('.'));
        }
        let _ = writeln!(s, "- Model: {}.", r.model_quantity);
        if !r.note.is_empty() && !r.model_quantity.starts_with("not produced") {
            let _ = writeln!(s, "- Not produced: {}.", r.note);
        }
        let _ = writeln!(
            s,
            "- Fit: data {} [{}, {}]; model mean {} (sd {}, 10-90% [{}, {}], {} of {} seeds); z {}; **{}**.\n",
            num(r.data_value),
            num(r.data_lower),
            num(r.data_upper),
            num(r.model_mean),
            num(r.model_sd),
            num(r.model_p10),
            num(r.model_p90),
            r.seeds_used,
            b.seeds.len(),
            if r.distance.is_nan() {
                "-".to_string()
            } else {
                format!("{:.2}", r.distance)
            },
            r.verdict
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::targets::Quantity;

    fn target(value: f64, lower: f64, upper: f64) -> Target {
        Target {
            id: "t".into(),
            description: "d".into(),
            value,
            lower,
            upper,
            weight: 1.0,
            tags: vec![],
            quantity: Quantity::NotProduced { reason: "r".into() },
            period: "2025-12".into(),
            file: String::new(),
            derivation: String::new(),
            source: String::new(),
            rows_used: 0,
            line: 1,
        }
    }

    #[test]
    fn verdicts_and_distance() {
        let t = target(1.0, 0.9, 1.1);
        let r = compare(&t, &[1.0, 1.05, 0.95, f64::NAN]);
        assert_eq!((r.verdict, r.seeds_used), (IN_DATA, 3));
        assert!(r.close);
        let r = compare(&t, &[0.0, 2.0, 1.6, 1.8]);
        assert_eq!(r.verdict, IN_BAND, "mean 1.35 is outside, the band covers 1.0: {r:?}");
        let r = compare(&t, &[5.0, 5.0]);
        assert_eq!(r.verdict, OFF);
        let sd_data = 0.2 / (2.0 * Z90);
        assert!((r.distance - 4.0 / sd_data).abs() < 1e-9, "{}", r.distance);
        assert!(!r.close);
        let r = compare(&t, &[f64::NAN]);
        assert_eq!(r.verdict, NOT_PRODUCED);
        assert!(summary(&[r]).contains("1 not produced"));
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(0.7356), "0.736");
        assert_eq!(num(1336.8), "1337");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(f64::NAN), "NaN");
    }
}

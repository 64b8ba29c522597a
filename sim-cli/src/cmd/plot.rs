//! `goldrush plot INPUT...`: charts from output folders already on disk.
//!
//! What each INPUT is, is read from the files it holds:
//! - a run folder (`goldrush run`: summary.json + metrics.csv, panel.csv if run with --panel):
//!   several run folders are drawn together, runs of the same scenario (the resolved scenario
//!   up to its seed) as one series with a band across seeds. The charts of one folder are
//!   exactly those of `goldrush run --plots`.
//! - a comparison folder (`goldrush compare`: compare.json + trajectories.csv, startups.csv):
//!   the charts of `compare --plots`, same bytes.
//! - a sweep folder (`goldrush sweep`/`merge`: manifest.json + metrics.parquet): one series per
//!   sweep point with a band across its replicates, or per value of one parameter
//!   (`--group-by`); at most [`MAX_SERIES`] series per chart.
//!
//! Every input is read and checked, and every chart drawn, before anything is written; the
//! charts are then written atomically. A missing folder, a folder of no known kind, a
//! truncated or malformed file, or an unknown metric is bad input (exit 2) naming the file.

use clap::Args;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;
use sim_core::{METRICS, MetricSpec, YearMonth};

use crate::charts::{self, Formats, Group, RunData};
use crate::charts::{MISSING_PANEL, compare_charts};
use crate::errors::{bad_input, emit};
use crate::formats::compare_files;
use crate::formats::manifest_json;
use crate::formats::metrics_csv;
use crate::formats::panel_csv;
use crate::formats::parquet::read_sweep_metrics;
use crate::formats::summary_json;
use crate::formats::{field, read_json, shown, str_field, u64_field};
use crate::output::{prepare_out_dir, write_atomically};
use goldrush_charts::Chart;
use sim_core::key_metrics::KEY_METRICS as DEFAULT_METRICS;

/// The most series one chart shows; more sweep points need `--group-by`.
pub const MAX_SERIES: usize = 8;
/// A sweep recording more metrics than this gets charts of the key ones by default.
const MAX_DEFAULT_CHARTS: usize = 12;

/// The kinds of output folder `plot` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Run,
    Compare,
    Sweep,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Run => "a run folder",
            Self::Compare => "a comparison folder",
            Self::Sweep => "a sweep folder",
        }
    }
}

fn detect(dir: &Path) -> anyhow::Result<Kind> {
    if !dir.exists() {
        return Err(bad_input(format!("input {} does not exist", shown(dir))));
    }
    if !dir.is_dir() {
        return Err(bad_input(format!(
            "input {} is a file, not an output folder of goldrush run, compare or sweep",
            shown(dir)
        )));
    }
    let has = |f: &str| dir.join(f).is_file();
    if has("compare.json") {
        return Ok(Kind::Compare);
    }
    if has("manifest.json") {
        return Ok(Kind::Sweep);
    }
    if has("summary.json") && has("metrics.csv") {
        return Ok(Kind::Run);
    }
    if has("summary.json") {
        return Err(bad_input(format!(
            "{} has summary.json but no metrics.csv: not a complete run folder",
            shown(dir)
        )));
    }
    Err(bad_input(format!(
        "{} is not an output folder of goldrush: expected summary.json and metrics.csv \
         (goldrush run), compare.json (goldrush compare) or manifest.json and metrics.parquet \
         (goldrush sweep)",
        shown(dir)
    )))
}

fn parse_formats(arg: Option<&str>) -> anyhow::Result<Formats> {
    let Some(arg) = arg else {
        return Ok(Formats::BOTH);
    };
    let mut f = Formats { png: false, svg: false };
    for name in arg.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match name {
            "png" => f.png = true,
            "svg" => f.svg = true,
            other => {
                return Err(bad_input(format!(
                    "unknown format {other:?} in --format; formats are png and svg"
                )));
            }
        }
    }
    if !f.png && !f.svg {
        return Err(bad_input("--format names no format; formats are png and svg"));
    }
    Ok(f)
}

/// The metrics asked for (`arg`) or the defaults, each a known metric that the input has
/// (`available`, in the input's file `origin`).
fn choose_metrics(
    arg: Option<&str>,
    defaults: &[&str],
    available: &[String],
    origin: &str,
) -> anyhow::Result<Vec<&'static MetricSpec>> {
    let names: Vec<&str> = match arg {
        None => defaults.to_vec(),
        Some(a) => a.split(',').map(str::trim).filter(|s| !s.is_empty()).collect(),
    };
    if names.is_empty() {
        return Err(bad_input("--metrics names no metric"));
    }
    let mut chosen: Vec<&'static MetricSpec> = Vec::new();
    for n in names {
        let Some(m) = charts::metric(n) else {
            let valid: Vec<&str> = METRICS.iter().filter(|m| m.name != "month").map(|m| m.name).collect();
            return Err(bad_input(format!(
                "unknown metric {n:?} in --metrics; valid metrics are: {}",
                valid.join(", ")
            )));
        };
        if !available.iter().any(|a| a == n) {
            return Err(bad_input(format!(
                "{origin} has no metric {n:?}; it has: {}",
                available.join(", ")
            )));
        }
        if !chosen.iter().any(|c| c.name == m.name) {
            chosen.push(m);
        }
    }
    Ok(chosen)
}

// ---- run folders -------------------------------------------------------------------------

/// One run folder read back.
struct RunFolder {
    dir: PathBuf,
    scenario: String,
    seed: u64,
    /// The resolved scenario without its seed: runs with equal keys form one series.
    key: String,
    start: Option<YearMonth>,
    data: RunData,
    has_panel: bool,
}

fn read_run(dir: &Path) -> anyhow::Result<RunFolder> {
    let summary = summary_json::read(&dir.join("summary.json"))?;
    let metrics_path = dir.join("metrics.csv");
    let metrics = metrics_csv::read(&metrics_path, || summary.months())?;
    let panel_path = dir.join("panel.csv");
    let (data, has_panel) = if panel_path.is_file() {
        let log = panel_csv::read(&panel_path)?;
        (RunData::with_firms(metrics, &log, &summary.platform_names), true)
    } else {
        (
            RunData {
                metrics,
                ..RunData::default()
            },
            false,
        )
    };
    Ok(RunFolder {
        dir: dir.to_path_buf(),
        scenario: summary.scenario,
        seed: summary.seed,
        key: summary.key,
        start: summary.start,
        data,
        has_panel,
    })
}

fn plot_runs(dirs: &[PathBuf], opts: &PlotArgs, notes: &mut Vec<String>) -> anyhow::Result<Vec<(String, Chart)>> {
    let mut folders = Vec::new();
    for d in dirs {
        folders.push(read_run(d).with_context(|| format!("reading run folder {}", shown(d)))?);
    }
    let available: Vec<String> = folders[0].data.metrics.keys().cloned().collect();
    for (f, d) in folders.iter().zip(dirs) {
        let missing: Vec<&String> = available.iter().filter(|m| !f.data.metrics.contains_key(*m)).collect();
        if !missing.is_empty() {
            return Err(bad_input(format!(
                "{} lacks metrics the other run folders have: {missing:?} (runs of different goldrush versions?)",
                shown(&d.join("metrics.csv"))
            )));
        }
    }
    let origin = shown(&dirs[0].join("metrics.csv"));
    let metrics = choose_metrics(opts.metrics.as_deref(), DEFAULT_METRICS, &available, &origin)?;
    for (f, d) in folders.iter().zip(dirs) {
        if !f.has_panel {
            notes.push(format!("{} has no panel.csv", shown(d)));
        }
    }
    // Group runs of the same resolved scenario (up to the seed), in the order first given.
    let mut keys: Vec<String> = Vec::new();
    let mut groups: Vec<(String, Vec<RunFolder>)> = Vec::new();
    for (f, dir) in folders.into_iter().zip(dirs) {
        match keys.iter().position(|k| *k == f.key) {
            Some(i) => {
                if let Some(j) = groups[i].1.iter().position(|g| g.seed == f.seed) {
                    return Err(bad_input(format!(
                        "{} and {} hold the same run ({}, seed {}): give each run once",
                        shown(&groups[i].1[j].dir),
                        shown(dir),
                        f.scenario,
                        f.seed
                    )));
                }
                groups[i].1.push(f);
            }
            None => {
                keys.push(f.key.clone());
                groups.push((f.scenario.clone(), vec![f]));
            }
        }
    }
    // Different scenarios with one name (e.g. other --set values) are told apart by folder.
    let labels: Vec<String> = groups
        .iter()
        .map(|(name, runs)| {
            if groups.iter().filter(|(n, _)| n == name).count() > 1 {
                let dirs: Vec<String> = runs.iter().take(3).map(|r| r.dir.display().to_string()).collect();
                let more = if runs.len() > 3 { ", ..." } else { "" };
                format!("{name}: {}{more}", dirs.join(", "))
            } else {
                name.clone()
            }
        })
        .collect();
    if groups.len() > MAX_SERIES {
        return Err(bad_input(format!(
            "the run folders hold {} different scenarios; one chart shows at most {MAX_SERIES}",
            groups.len()
        )));
    }
    let one_run = groups
        .first()
        .and_then(|(_, runs)| runs.first())
        .map(|f| format!("{}, seed {}", f.scenario, f.seed))
        .unwrap_or_default();
    let start = common_start(groups.iter().flat_map(|(_, runs)| runs.iter().map(|f| f.start)));
    let groups: Vec<Group> = groups
        .into_iter()
        .zip(labels)
        .map(|((_, runs), label)| Group {
            label,
            runs: runs.into_iter().map(|f| f.data).collect(),
        })
        .collect();
    Ok(charts::charts_for(
        &groups,
        &metrics,
        &one_run,
        "seeds",
        start,
        MISSING_PANEL,
        notes,
    ))
}

/// The calendar start every run shares, or `None` (month indices on the x axis) when one is
/// unknown or they differ.
fn common_start(mut starts: impl Iterator<Item = Option<YearMonth>>) -> Option<YearMonth> {
    let first = starts.next()??;
    starts.all(|s| s == Some(first)).then_some(first)
}

// ---- comparison folders --------------------------------------------------------------------

fn plot_compare(dir: &Path, opts: &PlotArgs, notes: &mut Vec<String>) -> anyhow::Result<Vec<(String, Chart)>> {
    let json_path = dir.join("compare.json");
    let report = read_json(&json_path)?;
    let label = |side: &str| -> anyhow::Result<String> {
        let name = str_field(&report, &json_path, &format!("/{side}/resolved_scenario/name"))?;
        let arg = str_field(&report, &json_path, &format!("/{side}/argument"))?;
        Ok(format!("{side}: {}", if name.is_empty() { arg } else { name }))
    };
    let labels = [label("base")?, label("policy")?];
    let start = common_start(["base", "policy"].iter().map(|side| {
        report
            .pointer(&format!("/{side}/resolved_scenario"))
            .and_then(summary_json::start_of)
    }));
    let seeds: Vec<u64> = field(&report, &json_path, "/seeds")?
        .as_array()
        .and_then(|a| a.iter().map(Value::as_u64).collect())
        .filter(|s: &Vec<u64>| !s.is_empty())
        .ok_or_else(|| {
            bad_input(format!(
                "{}: field \"/seeds\" is not a list of seeds",
                shown(&json_path)
            ))
        })?;
    let compared: Vec<String> = field(&report, &json_path, "/metrics")?
        .as_array()
        .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
        .ok_or_else(|| {
            bad_input(format!(
                "{}: field \"/metrics\" is not a list of names",
                shown(&json_path)
            ))
        })?;

    let months = u64_field(&report, &json_path, "/months")?;
    let traj_path = dir.join("trajectories.csv");
    if !traj_path.is_file() {
        return Err(bad_input(format!(
            "{} has no trajectories.csv (made by an older goldrush?): run goldrush compare again",
            shown(dir)
        )));
    }
    let (names, mut runs) = compare_files::read_trajectories(&traj_path)?;
    let startups_path = dir.join("startups.csv");
    let lives = if startups_path.is_file() {
        Some(compare_files::read_startups(&startups_path)?)
    } else {
        notes.push(format!("{} has no startups.csv", shown(dir)));
        None
    };
    let defaults: Vec<&str> = compared.iter().map(String::as_str).collect();
    let metrics = choose_metrics(opts.metrics.as_deref(), &defaults, &names, &shown(&traj_path))?;
    let mut sides: [Vec<RunData>; 2] = [Vec::new(), Vec::new()];
    for (s, side) in ["base", "policy"].into_iter().enumerate() {
        for &seed in &seeds {
            let traj = runs.remove(&(side.to_string(), seed)).ok_or_else(|| {
                bad_input(format!(
                    "{}: no {side} rows for seed {seed} (truncated file?)",
                    shown(&traj_path)
                ))
            })?;
            let got = traj.first().map_or(0, Vec::len) as u64;
            if got != months {
                return Err(bad_input(format!(
                    "{}: {side} seed {seed} has {got} months where compare.json says {months} \
                     (truncated file?)",
                    shown(&traj_path)
                )));
            }
            sides[s].push(RunData {
                metrics: names.iter().cloned().zip(traj).collect(),
                platform_users: None,
                lives: lives
                    .as_ref()
                    .map(|l| l.get(&(side.to_string(), seed)).cloned().unwrap_or_default()),
            });
        }
    }
    Ok(compare_charts(labels, seeds[0], start, &metrics, sides, notes))
}

// ---- sweep folders -----------------------------------------------------------------------

fn plot_sweep(dir: &Path, opts: &PlotArgs, notes: &mut Vec<String>) -> anyhow::Result<Vec<(String, Chart)>> {
    let manifest = manifest_json::read_for_plot(&dir.join("manifest.json"))?;
    let (params, points, outputs, replicates) = (
        manifest.params.clone(),
        manifest.points.clone(),
        manifest.outputs.clone(),
        manifest.replicates,
    );

    let parquet_path = dir.join("metrics.parquet");
    // Default: the spec's outputs, or the key metrics among them when it records many.
    let recorded: Vec<&str> = outputs.iter().map(String::as_str).filter(|n| *n != "month").collect();
    let defaults: Vec<&str> = if recorded.len() <= MAX_DEFAULT_CHARTS {
        recorded.clone()
    } else {
        let key: Vec<&str> = DEFAULT_METRICS
            .iter()
            .copied()
            .filter(|m| recorded.contains(m))
            .collect();
        if opts.metrics.is_none() {
            notes.push(format!(
                "the sweep records {} metrics: charting the key ones ({}); pick others with --metrics",
                recorded.len(),
                key.join(", ")
            ));
        }
        key
    };
    let metrics = choose_metrics(opts.metrics.as_deref(), &defaults, &outputs, &shown(&parquet_path))?;
    // run index → (point, metric → trajectory), runs in file order.
    let runs = read_sweep_metrics(&parquet_path, &outputs)?;
    let expected = manifest.runs()?;
    if runs.len() != expected {
        return Err(bad_input(format!(
            "{} holds {} runs where the manifest lists {expected} (an incomplete or edited file?)",
            shown(&parquet_path),
            runs.len()
        )));
    }
    let mut by_point: BTreeMap<u64, Vec<RunData>> = BTreeMap::new();
    for (point, metrics) in runs.into_values() {
        if point as usize >= points.len() {
            return Err(bad_input(format!(
                "{}: point {point} is not in the manifest ({} points)",
                shown(&parquet_path),
                points.len()
            )));
        }
        by_point.entry(point).or_default().push(RunData {
            metrics,
            ..RunData::default()
        });
    }
    let describe = |p: usize| {
        params
            .iter()
            .zip(&points[p])
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (mut groups, unit): (Vec<Group>, &str) = match opts.group_by.as_deref() {
        None => (
            by_point
                .into_iter()
                .map(|(p, runs)| Group {
                    label: describe(p as usize),
                    runs,
                })
                .collect(),
            "replicates",
        ),
        Some(param) => {
            let k = params.iter().position(|p| p == param).ok_or_else(|| {
                bad_input(format!(
                    "--group-by {param:?}: the sweep varies {}",
                    params.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ")
                ))
            })?;
            let mut values: Vec<String> = Vec::new();
            let mut grouped: Vec<Vec<RunData>> = Vec::new();
            for (p, runs) in by_point {
                let v = &points[p as usize][k];
                let i = match values.iter().position(|x| x == v) {
                    Some(i) => i,
                    None => {
                        values.push(v.clone());
                        grouped.push(Vec::new());
                        values.len() - 1
                    }
                };
                grouped[i].extend(runs);
            }
            if params.len() > 1 {
                notes.push(format!(
                    "each {param} series pools the runs of every value of the other parameters"
                ));
            }
            (
                values
                    .into_iter()
                    .zip(grouped)
                    .map(|(v, runs)| Group {
                        label: format!("{param} = {v}"),
                        runs,
                    })
                    .collect(),
                "runs",
            )
        }
    };
    if groups.len() > MAX_SERIES {
        notes.push(format!(
            "{} series are too many for one chart: showing the first {MAX_SERIES}; pass \
             --group-by PARAM (one of {}) to pool the others",
            groups.len(),
            params.join(", ")
        ));
        groups.truncate(MAX_SERIES);
    }
    let one_run = format!("one replicate per point (replicates = {replicates})");
    Ok(charts::charts_for(
        &groups,
        &metrics,
        &one_run,
        unit,
        // A sweep's manifest names its base scenario but not its resolved start: month indices.
        None,
        "a sweep keeps no firm panel; plot run folders made with `goldrush run --panel`",
        notes,
    ))
}

// ---- the command -------------------------------------------------------------------------

/// `goldrush plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// Output folders: run folders (one or more), or one comparison or sweep folder.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Folder for the charts (created if missing).
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out: PathBuf,
    /// Comma-separated metrics to chart (see `goldrush metrics`).
    #[arg(long, value_name = "A,B,C")]
    pub metrics: Option<String>,
    /// Image formats: png, svg or both.
    #[arg(long, value_name = "png,svg")]
    pub format: Option<String>,
    /// Sweep folders: one series per value of this parameter (e.g. users.theta_network).
    #[arg(long, value_name = "PARAM")]
    pub group_by: Option<String>,
    /// Print nothing on stdout (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `goldrush plot INPUT...`.
pub fn plot(opts: &PlotArgs) -> anyhow::Result<()> {
    let formats = parse_formats(opts.format.as_deref())?;
    let mut kinds = Vec::new();
    for input in &opts.inputs {
        kinds.push(detect(input)?);
    }
    let kind = kinds[0];
    if let Some(i) = kinds.iter().position(|k| *k != kind) {
        return Err(bad_input(format!(
            "{} is {} but {} is {}: plot run folders together, or one comparison or sweep folder",
            shown(&opts.inputs[0]),
            kind.name(),
            shown(&opts.inputs[i]),
            kinds[i].name()
        )));
    }
    if kind != Kind::Run && opts.inputs.len() > 1 {
        return Err(bad_input(format!(
            "{} inputs are {}s: plot one at a time (several run folders can go together)",
            opts.inputs.len(),
            kind.name().trim_start_matches("a ")
        )));
    }
    if opts.group_by.is_some() && kind != Kind::Sweep {
        return Err(bad_input("--group-by applies to a sweep folder only"));
    }
    let mut notes = Vec::new();
    let charts = match kind {
        Kind::Run => plot_runs(&opts.inputs, opts, &mut notes)?,
        Kind::Compare => plot_compare(&opts.inputs[0], opts, &mut notes)
            .with_context(|| format!("reading comparison folder {}", shown(&opts.inputs[0])))?,
        Kind::Sweep => plot_sweep(&opts.inputs[0], opts, &mut notes)
            .with_context(|| format!("reading sweep folder {}", shown(&opts.inputs[0])))?,
    };
    let files = charts::render(&charts, formats)?;
    prepare_out_dir(&opts.out)?;
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    write_atomically(&opts.out, &refs, Vec::new())
        .with_context(|| format!("cannot write the charts into {}", shown(&opts.out)))?;
    if !opts.quiet {
        let mut s = String::new();
        for n in &notes {
            let _ = writeln!(s, "note: {n}");
        }
        let names: Vec<&str> = charts.iter().map(|(stem, _)| stem.as_str()).collect();
        let _ = writeln!(
            s,
            "wrote {} charts into {} ({}): {}",
            charts.len(),
            opts.out.display(),
            match (formats.png, formats.svg) {
                (true, true) => "PNG and SVG",
                (true, false) => "PNG",
                _ => "SVG",
            },
            names.join(", ")
        );
        emit(&s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_reject_unknown_ones() {
        assert_eq!(parse_formats(None).ok(), Some(Formats::BOTH));
        assert_eq!(parse_formats(Some("svg")).ok(), Some(Formats { png: false, svg: true }));
        let e = parse_formats(Some("png,jpg")).expect_err("jpg is not a format");
        assert!(
            crate::errors::is_bad_input(&e) && e.to_string().contains("\"jpg\""),
            "{e}"
        );
        assert!(parse_formats(Some(",")).is_err());
    }

    #[test]
    fn metrics_must_be_known_and_in_the_input() {
        let have = vec!["users_hhi".to_string(), "spot_price_usd".to_string()];
        let m = choose_metrics(Some("spot_price_usd, users_hhi,users_hhi"), &[], &have, "f").expect("both are there");
        assert_eq!(
            m.iter().map(|m| m.name).collect::<Vec<_>>(),
            ["spot_price_usd", "users_hhi"]
        );
        let e = choose_metrics(Some("nope"), &[], &have, "f").expect_err("unknown");
        assert!(e.to_string().contains("unknown metric \"nope\""), "{e}");
        let e = choose_metrics(Some("compute_cr5"), &[], &have, "x.csv").expect_err("not in the file");
        assert!(e.to_string().contains("x.csv has no metric \"compute_cr5\""), "{e}");
    }
}

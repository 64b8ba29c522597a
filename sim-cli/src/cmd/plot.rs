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
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::Context;
use arrow_array::{Array, Float64Array, UInt64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;
use sim_core::{METRICS, MetricSpec};

use crate::charts::{self, FirmLog, Formats, Group, RunData};
use crate::charts::{MISSING_PANEL, compare_charts};
use crate::errors::{bad_input, emit, io_message};
use crate::output::{prepare_out_dir, write_atomically};
use crate::plot::{Chart, Life};
use sim_core::key_metrics::KEY_METRICS as DEFAULT_METRICS;

/// The most series one chart shows; more sweep points need `--group-by`.
pub const MAX_SERIES: usize = 8;
/// A sweep recording more metrics than this gets charts of the key ones by default.
const MAX_DEFAULT_CHARTS: usize = 12;

fn shown(p: &Path) -> String {
    format!("{:?}", p.display().to_string())
}

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

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e))))
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| bad_input(format!("{}: not valid JSON (truncated?): {e}", shown(path))))
}

/// A field of a JSON document, or bad input naming the file and the field.
fn field<'a>(doc: &'a Value, path: &Path, pointer: &str) -> anyhow::Result<&'a Value> {
    doc.pointer(pointer)
        .ok_or_else(|| bad_input(format!("{}: missing field {pointer:?}", shown(path))))
}

fn str_field<'a>(doc: &'a Value, path: &Path, pointer: &str) -> anyhow::Result<&'a str> {
    field(doc, path, pointer)?
        .as_str()
        .ok_or_else(|| bad_input(format!("{}: field {pointer:?} is not a string", shown(path))))
}

fn u64_field(doc: &Value, path: &Path, pointer: &str) -> anyhow::Result<u64> {
    field(doc, path, pointer)?
        .as_u64()
        .ok_or_else(|| bad_input(format!("{}: field {pointer:?} is not a whole number", shown(path))))
}

/// A CSV file of numbers after some leading text columns: its header and rows. Every row must
/// have the header's number of fields (a truncated file fails here, naming the line).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn read_csv(path: &Path) -> anyhow::Result<Csv> {
    let text = read_text(path)?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad_input(format!("{} is empty", shown(path))))?
        .split(',')
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let fields: Vec<String> = line.split(',').map(str::to_string).collect();
        if fields.len() != header.len() {
            return Err(bad_input(format!(
                "{}:{}: {} fields where the header has {} (truncated or edited file?)",
                shown(path),
                i + 2,
                fields.len(),
                header.len()
            )));
        }
        rows.push(fields);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(bad_input(format!(
            "{}: the last line is not complete (truncated file?)",
            shown(path)
        )));
    }
    Ok(Csv { header, rows })
}

/// A number in a CSV cell, or bad input naming file, line and column.
fn number(path: &Path, line: usize, column: &str, cell: &str) -> anyhow::Result<f64> {
    cell.parse::<f64>().map_err(|_| {
        bad_input(format!(
            "{}:{line}: column {column}: {cell:?} is not a number",
            shown(path)
        ))
    })
}

// ---- run folders -------------------------------------------------------------------------

/// One run folder read back.
struct RunFolder {
    dir: PathBuf,
    scenario: String,
    seed: u64,
    /// The resolved scenario without its seed: runs with equal keys form one series.
    key: String,
    data: RunData,
    has_panel: bool,
}

fn read_run(dir: &Path) -> anyhow::Result<RunFolder> {
    let summary_path = dir.join("summary.json");
    let summary = read_json(&summary_path)?;
    let scenario = str_field(&summary, &summary_path, "/scenario")?.to_string();
    let seed = u64_field(&summary, &summary_path, "/seed")?;
    let mut resolved = field(&summary, &summary_path, "/resolved_scenario")?.clone();
    if let Some(run) = resolved.get_mut("run").and_then(Value::as_object_mut) {
        run.remove("seed");
    }
    let key = resolved.to_string();
    let mut names = BTreeMap::new();
    if let Some(ps) = summary.get("platforms").and_then(Value::as_array) {
        for p in ps {
            if let (Some(id), Some(name)) = (
                p.get("id").and_then(Value::as_u64),
                p.get("name").and_then(Value::as_str),
            ) {
                names.insert(id, name.to_string());
            }
        }
    }

    let metrics_path = dir.join("metrics.csv");
    let csv = read_csv(&metrics_path)?;
    let months = u64_field(&summary, &summary_path, "/months")?;
    if csv.rows.len() as u64 != months {
        return Err(bad_input(format!(
            "{} has {} months but summary.json says {months} (truncated file?)",
            shown(&metrics_path),
            csv.rows.len()
        )));
    }
    let mut metrics: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (c, name) in csv.header.iter().enumerate() {
        if name == "month" {
            continue;
        }
        let mut traj = Vec::with_capacity(csv.rows.len());
        for (i, row) in csv.rows.iter().enumerate() {
            traj.push(number(&metrics_path, i + 2, name, &row[c])?);
        }
        metrics.insert(name.clone(), traj);
    }

    let panel_path = dir.join("panel.csv");
    let (data, has_panel) = if panel_path.is_file() {
        let log = read_panel(&panel_path)?;
        (RunData::with_firms(metrics, &log, &names), true)
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
        scenario,
        seed,
        key,
        data,
        has_panel,
    })
}

/// panel.csv streamed into a [`FirmLog`].
fn read_panel(path: &Path) -> anyhow::Result<FirmLog> {
    let file = File::open(path).map_err(|e| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e))))?;
    let mut reader = BufReader::new(file);
    let io = |e: std::io::Error| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e)));
    // One line at a time, checking each ends with a newline: a cut file fails here.
    let mut buf = String::new();
    let mut next_line = |n: usize| -> anyhow::Result<Option<String>> {
        buf.clear();
        if reader.read_line(&mut buf).map_err(io)? == 0 {
            return Ok(None);
        }
        match buf.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(bad_input(format!(
                "{}:{n}: the line is not complete (truncated file?)",
                shown(path)
            ))),
        }
    };
    let header: Vec<String> = match next_line(1)? {
        Some(h) => h.split(',').map(str::to_string).collect(),
        None => return Err(bad_input(format!("{} is empty", shown(path)))),
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad_input(format!("{}: no column {name:?} in the header", shown(path))))
    };
    let [month, id, kind, founded, users, alive] = [
        col("month")?,
        col("id")?,
        col("kind")?,
        col("founded")?,
        col("users")?,
        col("alive")?,
    ];
    let mut log = FirmLog::default();
    let mut n = 1;
    loop {
        n += 1;
        let Some(line) = next_line(n)? else { break };
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != header.len() {
            return Err(bad_input(format!(
                "{}:{n}: {} fields where the header has {} (truncated or edited file?)",
                shown(path),
                f.len(),
                header.len()
            )));
        }
        let int = |c: usize| -> anyhow::Result<i64> {
            f[c].parse::<i64>().map_err(|_| {
                bad_input(format!(
                    "{}:{n}: column {}: {:?} is not a whole number",
                    shown(path),
                    header[c],
                    f[c]
                ))
            })
        };
        let m = u32::try_from(int(month)?).map_err(|_| {
            bad_input(format!(
                "{}:{n}: column month: {:?} is out of range",
                shown(path),
                f[month]
            ))
        })?;
        let firm = u64::try_from(int(id)?)
            .map_err(|_| bad_input(format!("{}:{n}: column id: {:?} is out of range", shown(path), f[id])))?;
        let alive = match f[alive] {
            "true" => true,
            "false" => false,
            other => {
                return Err(bad_input(format!(
                    "{}:{n}: column alive: {other:?} is not true or false",
                    shown(path)
                )));
            }
        };
        log.add(
            m,
            firm,
            f[kind],
            int(founded)?,
            number(path, n, "users", f[users])?,
            alive,
        );
    }
    Ok(log)
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
        MISSING_PANEL,
        notes,
    ))
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
    let csv = read_csv(&traj_path)?;
    if csv.header.len() < 3 || csv.header[..3] != ["side", "seed", "month"] {
        return Err(bad_input(format!(
            "{}: the header must start with side,seed,month",
            shown(&traj_path)
        )));
    }
    let names: Vec<String> = csv.header[3..].to_vec();
    // (side, seed) → metric → trajectory.
    let mut runs: BTreeMap<(String, u64), Vec<Vec<f64>>> = BTreeMap::new();
    for (i, row) in csv.rows.iter().enumerate() {
        let n = i + 2;
        let side = row[0].clone();
        if side != "base" && side != "policy" {
            return Err(bad_input(format!(
                "{}:{n}: side {side:?} is not base or policy",
                shown(&traj_path)
            )));
        }
        let seed: u64 = row[1]
            .parse()
            .map_err(|_| bad_input(format!("{}:{n}: seed {:?} is not a seed", shown(&traj_path), row[1])))?;
        let traj = runs
            .entry((side, seed))
            .or_insert_with(|| vec![Vec::new(); names.len()]);
        let month: usize = row[2]
            .parse()
            .map_err(|_| bad_input(format!("{}:{n}: month {:?} is not a month", shown(&traj_path), row[2])))?;
        if month != traj[0].len() {
            return Err(bad_input(format!(
                "{}:{n}: month {month} out of order (expected {})",
                shown(&traj_path),
                traj[0].len()
            )));
        }
        for (k, name) in names.iter().enumerate() {
            traj[k].push(number(&traj_path, n, name, &row[3 + k])?);
        }
    }
    let startups_path = dir.join("startups.csv");
    let mut lives: Option<BTreeMap<(String, u64), Vec<Life>>> = None;
    if startups_path.is_file() {
        let csv = read_csv(&startups_path)?;
        if csv.header != ["side", "seed", "entry_age", "end_age", "exited"] {
            return Err(bad_input(format!(
                "{}: expected the header side,seed,entry_age,end_age,exited",
                shown(&startups_path)
            )));
        }
        let mut map: BTreeMap<(String, u64), Vec<Life>> = BTreeMap::new();
        for (i, row) in csv.rows.iter().enumerate() {
            let n = i + 2;
            let whole = |c: usize| -> anyhow::Result<u64> {
                row[c].parse().map_err(|_| {
                    bad_input(format!(
                        "{}:{n}: column {}: {:?} is not a whole number",
                        shown(&startups_path),
                        csv.header[c],
                        row[c]
                    ))
                })
            };
            let age = |c: usize| -> anyhow::Result<u32> {
                u32::try_from(whole(c)?).map_err(|_| {
                    bad_input(format!(
                        "{}:{n}: column {}: out of range",
                        shown(&startups_path),
                        csv.header[c]
                    ))
                })
            };
            let exited = match row[4].as_str() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(bad_input(format!(
                        "{}:{n}: column exited: {other:?} is not true or false",
                        shown(&startups_path)
                    )));
                }
            };
            map.entry((row[0].clone(), whole(1)?)).or_default().push(Life {
                entry: age(2)?,
                end: age(3)?,
                exited,
            });
        }
        lives = Some(map);
    } else {
        notes.push(format!("{} has no startups.csv", shown(dir)));
    }
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
    Ok(compare_charts(labels, seeds[0], &metrics, sides, notes))
}

// ---- sweep folders -----------------------------------------------------------------------

fn plot_sweep(dir: &Path, opts: &PlotArgs, notes: &mut Vec<String>) -> anyhow::Result<Vec<(String, Chart)>> {
    let manifest_path = dir.join("manifest.json");
    let manifest = read_json(&manifest_path)?;
    if field(&manifest, &manifest_path, "/complete")?.as_bool() != Some(true) {
        return Err(bad_input(format!(
            "{}: the sweep is not complete; finish it (run the same goldrush sweep command again, \
             or goldrush merge the shards) before plotting",
            shown(&manifest_path)
        )));
    }
    let bad = |what: &str| bad_input(format!("{}: {what}", shown(&manifest_path)));
    let params: Vec<String> = field(&manifest, &manifest_path, "/spec/params")?
        .as_array()
        .and_then(|a| a.iter().map(|p| p.get("path")?.as_str().map(str::to_string)).collect())
        .ok_or_else(|| bad("\"/spec/params\" is not a list of parameters with paths"))?;
    let points: Vec<Vec<String>> = field(&manifest, &manifest_path, "/spec/points")?
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|p| p.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect())
                .collect()
        })
        .filter(|p: &Vec<Vec<String>>| p.iter().all(|v| v.len() == params.len()))
        .ok_or_else(|| bad("\"/spec/points\" is not a list of parameter values"))?;
    let outputs: Vec<String> = field(&manifest, &manifest_path, "/spec/outputs")?
        .as_array()
        .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
        .ok_or_else(|| bad("\"/spec/outputs\" is not a list of metric names"))?;
    let replicates = u64_field(&manifest, &manifest_path, "/spec/replicates")?;

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
    let expected = field(&manifest, &manifest_path, "/runs")?
        .as_array()
        .map_or(0, Vec::len);
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
        "a sweep keeps no firm panel; plot run folders made with `goldrush run --panel`",
        notes,
    ))
}

type SweepRuns = BTreeMap<u64, (u64, BTreeMap<String, Vec<f64>>)>;

/// metrics.parquet: per run (column `run`), its point and each output's monthly trajectory (the
/// rows of a run are its months in order).
fn read_sweep_metrics(path: &Path, outputs: &[String]) -> anyhow::Result<SweepRuns> {
    let unreadable = |e: &dyn std::fmt::Display| bad_input(format!("cannot read {}: {e}", shown(path)));
    let file = File::open(path).map_err(|e| unreadable(&io_message(&e)))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| unreadable(&e))?
        .build()
        .map_err(|e| unreadable(&e))?;
    let mut runs: SweepRuns = BTreeMap::new();
    for batch in reader {
        let batch = batch.map_err(|e| unreadable(&e))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| bad_input(format!("{}: no column {name:?}", shown(path))))
        };
        let u64s = |name: &str| -> anyhow::Result<UInt64Array> {
            column(name)?
                .as_any()
                .downcast_ref::<UInt64Array>()
                .cloned()
                .ok_or_else(|| bad_input(format!("{}: column {name:?} is not unsigned integers", shown(path))))
        };
        let run = u64s("run")?;
        let point = u64s("point")?;
        let mut cols = Vec::new();
        for name in outputs {
            let c = column(name)?
                .as_any()
                .downcast_ref::<Float64Array>()
                .cloned()
                .ok_or_else(|| bad_input(format!("{}: column {name:?} is not float64", shown(path))))?;
            cols.push(c);
        }
        for r in 0..batch.num_rows() {
            let entry = runs
                .entry(run.value(r))
                .or_insert_with(|| (point.value(r), BTreeMap::new()));
            for (name, c) in outputs.iter().zip(&cols) {
                let v = if c.is_null(r) { f64::NAN } else { c.value(r) };
                entry.1.entry(name.clone()).or_default().push(v);
            }
        }
    }
    if runs.is_empty() {
        return Err(bad_input(format!("{} holds no runs", shown(path))));
    }
    Ok(runs)
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

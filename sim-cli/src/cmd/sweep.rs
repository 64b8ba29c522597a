//! `goldrush sweep SPEC.toml` and `goldrush merge DIR...`: many runs of a scenario over a design
//! of parameter values and seeds, in parallel, streamed to disk, resumable and shardable.
//!
//! Output folder layout:
//! - `manifest.json`: the validated spec, goldrush version and git commit, and every run (id,
//!   point, replicate, seed, parameter values); once the sweep is complete, also each run's
//!   state hash. Written first, so a folder holding a different sweep is recognised.
//! - `runs/<id>.parquet` (the run's monthly metrics) and `runs/<id>.json` (its summary: seed,
//!   point values, state hash, final metrics). Both are written to temporary files and renamed,
//!   the summary last, so an existing summary means a completed run. A killed sweep leaves at
//!   most temporary files, which the next attempt removes and redoes.
//! - `metrics.parquet` and `summary.parquet` (and `.csv` with `--csv`): every run combined in
//!   run order, assembled from the run files once all runs are done. Their bytes depend only on
//!   the spec and the binary, never on job count, completion order, resumes or shards.

use clap::Args;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rayon::prelude::*;

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::errors::{bad_input, emit, io_message};
use crate::formats::manifest_json::{self, Manifest, ManifestRun, RunSummary, same_sweep};
use crate::formats::parquet::{
    csv_header, csv_row, metrics_batch, metrics_schema, parquet_bytes, summary_schema, writer_props,
};
use crate::load::load_scenario;
use crate::output::{prepare_out_dir, write_atomically};
use crate::progress::Progress;
use crate::simulate::{hash_hex, simulate};
use crate::sweep_spec::{self, RunPlan, Spec};

/// FNV-1a offset basis: the state of an empty [`fnv1a_from`] digest.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, continuing from state `h` (so several pieces chain into one digest).
pub(crate) fn fnv1a_from(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// Parses `I/N` (0-based I < N).
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 0/4"))?;
    let i: u64 = i.trim().parse().map_err(|_| format!("{s:?}: I is not a number"))?;
    let n: u64 = n.trim().parse().map_err(|_| format!("{s:?}: N is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("{s:?}: need 0 <= I < N"));
    }
    Ok((i, n))
}

/// The shard from Slurm's job-array variables, when present and unambiguous.
///
/// Inside an array task `SLURM_ARRAY_TASK_ID` is the shard index, but the shard count cannot be
/// read from the environment in general: `SLURM_ARRAY_TASK_COUNT` counts the tasks of *this*
/// submission, so a resubmission of failed shards (`--array=3,7`) would silently run the wrong
/// runs. Only a whole array `--array=0-(N-1)` (MIN 0, MAX = COUNT - 1) is taken as shard I/N;
/// anything else is an error asking for an explicit `--shard` (as deploy/slurm's script passes).
fn shard_from_slurm() -> anyhow::Result<Option<(u64, u64)>> {
    if std::env::var_os("SLURM_ARRAY_TASK_ID").is_none() {
        return Ok(None);
    }
    let var = |name: &str| -> anyhow::Result<Option<u64>> {
        match std::env::var(name) {
            Err(_) => Ok(None),
            Ok(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| bad_input(format!("{name}={v:?} is not a number"))),
        }
    };
    let id = var("SLURM_ARRAY_TASK_ID")?.unwrap_or_default();
    let (count, min, max) = (
        var("SLURM_ARRAY_TASK_COUNT")?,
        var("SLURM_ARRAY_TASK_MIN")?,
        var("SLURM_ARRAY_TASK_MAX")?,
    );
    match (count, min, max) {
        (Some(n), Some(0), Some(max)) if n > 0 && max == n - 1 => parse_shard(&format!("{id}/{n}"))
            .map(Some)
            .map_err(|e| bad_input(format!("Slurm array task: {e}"))),
        _ => Err(bad_input(format!(
            "SLURM_ARRAY_TASK_ID={id} is set but this is not a whole array --array=0-(N-1) \
             (SLURM_ARRAY_TASK_COUNT={}, MIN={}, MAX={}), so the shard count is unknown: pass \
             it explicitly, e.g. --shard \"$SLURM_ARRAY_TASK_ID/N\" (deploy/slurm/sweep-array.sbatch does)",
            count.map_or("unset".into(), |v| v.to_string()),
            min.map_or("unset".into(), |v| v.to_string()),
            max.map_or("unset".into(), |v| v.to_string()),
        ))),
    }
}

/// Runs at a time when `--jobs` is not given: the CPUs Slurm gave this task
/// (`SLURM_CPUS_PER_TASK`) inside a Slurm job, else every core this process may use.
fn default_jobs() -> usize {
    std::env::var("SLURM_CPUS_PER_TASK")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Loads the spec file and resolves its base relative to the spec's folder.
pub(crate) fn load_spec(path: &Path) -> anyhow::Result<Spec> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("cannot read sweep spec {origin:?}: {}", io_message(&e))))?;
    let mut spec = sweep_spec::parse(&text, &origin)?;
    if sim_core::scenario::builtin(&spec.base).is_none() {
        let p = path.parent().unwrap_or(Path::new("")).join(&spec.base);
        spec.base = p.display().to_string();
    }
    Ok(spec)
}

/// Resolves every run's scenario before anything runs; returns the manifest.
fn plan_sweep(spec: &Spec, spec_origin: &str) -> anyhow::Result<Manifest> {
    let base =
        load_scenario(&spec.base, &spec.set).with_context(|| format!("{spec_origin}: base = {:?}", spec.base))?;
    let base_hash = fnv1a(sim_core::scenario::to_toml(&base.scenario).as_bytes());
    let mut runs = Vec::new();
    let mut errors = Vec::new();
    // A parameter that does not exist is reported once, at its own line, not once per point.
    for p in &spec.params {
        if sim_core::params::find_spec(p.path.trim()).is_none() {
            errors.push(format!(
                "{} ({}): no parameter named {:?} (run `goldrush params` for the list; arrays are written like firms[0].cash_usd)",
                p.path, p.location, p.path
            ));
        }
    }
    for point in 0..spec.points.len() as u64 {
        if !errors.is_empty() {
            break;
        }
        // Parameter errors do not depend on the seed: check each point once, fully.
        let plan = spec.plan(point * spec.replicates);
        if let Err(e) = load_scenario(&spec.base, &spec.overrides(&plan)) {
            let values: Vec<String> = spec
                .params
                .iter()
                .zip(&spec.points[point as usize])
                .map(|(p, v)| format!("{} = {v} ({})", p.path, p.location))
                .collect();
            let chain: Vec<String> = e.chain().skip(1).map(|c| c.to_string()).collect();
            errors.push(format!("point {point} ({}): {}", values.join(", "), chain.join(": ")));
            if errors.len() >= 5 {
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(bad_input(format!(
            "{spec_origin}: runs would not be valid scenarios:\n{}",
            errors.join("\n")
        )));
    }
    for index in 0..spec.runs() {
        let plan = spec.plan(index);
        let params = spec.points[plan.point as usize].clone();
        runs.push(ManifestRun {
            plan,
            params,
            state_hash: None,
        });
    }
    Ok(Manifest {
        goldrush_version: VERSION.to_string(),
        git_commit: GIT_COMMIT.to_string(),
        complete: false,
        spec: spec.clone(),
        base_scenario_hash: hash_hex(base_hash),
        runs,
    })
}

/// Whether `out` holds the sweep of `spec` (same spec and resolved base scenario), complete
/// with its combined files, so a caller can read them without running anything (e.g. after
/// the shards of a cluster run were merged into `out`).
pub(crate) fn is_complete(spec: &Spec, out: &Path) -> anyhow::Result<bool> {
    let Some(m) = manifest_json::read(out)? else {
        return Ok(false);
    };
    let base = load_scenario(&spec.base, &spec.set)?;
    let base_hash = hash_hex(fnv1a(sim_core::scenario::to_toml(&base.scenario).as_bytes()));
    Ok(m.complete
        && serde_json::to_value(&m.spec).ok() == serde_json::to_value(spec).ok()
        && m.base_scenario_hash == base_hash
        && out.join("metrics.parquet").is_file())
}

/// Refuses a folder that holds another sweep (or other files); nothing is written before.
fn claim_out_dir(out: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    match manifest_json::read(out)? {
        Some(old) => {
            if !same_sweep(&old, manifest) {
                return Err(bad_input(format!(
                    "output folder {:?} holds a different sweep (its manifest.json has another \
                     spec or base scenario); use another --out, or delete the folder to start over",
                    out.display().to_string()
                )));
            }
            Ok(())
        }
        None => {
            if out.join("runs").exists() {
                return Err(bad_input(format!(
                    "output folder {:?} has a runs/ folder but no manifest.json; refusing to mix \
                     sweeps (use another --out)",
                    out.display().to_string()
                )));
            }
            prepare_out_dir(out)?;
            write_atomically(
                out,
                &[("manifest.json", manifest_json::to_json(manifest).as_bytes())],
                Vec::new(),
            )?;
            Ok(())
        }
    }
}

fn run_done(runs_dir: &Path, id: &str) -> bool {
    runs_dir.join(format!("{id}.json")).is_file() && runs_dir.join(format!("{id}.parquet")).is_file()
}

/// Removes temporary files of runs this process will redo (a killed earlier attempt).
fn remove_stale_temps(runs_dir: &Path, mine: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(runs_dir).with_context(|| format!("cannot list {}", runs_dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(rest) = name.strip_prefix('.')
            && name.contains(".tmp-")
        {
            let id = rest.split('.').next().unwrap_or("");
            if mine(id) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// Runs one sweep member and writes its two files atomically.
fn run_one(spec: &Spec, runs_dir: &Path, plan: &RunPlan) -> anyhow::Result<String> {
    let loaded = load_scenario(&spec.base, &spec.overrides(plan))?;
    let finished = simulate(loaded.scenario, Progress::new(0, false))?;
    let rows = finished.sim.metrics();
    let schema = metrics_schema(&spec.outputs);
    let batch = metrics_batch(&schema, plan, &spec.outputs, rows)?;
    let pq = parquet_bytes(&batch)?;
    let mut final_metrics = serde_json::Map::new();
    if let Some(last) = rows.last() {
        for name in &spec.outputs {
            final_metrics.insert(name.clone(), serde_json::json!(last.get(name)));
        }
    }
    let state_hash = hash_hex(finished.state_hash);
    let summary = RunSummary {
        id: plan.id.clone(),
        index: plan.index,
        point: plan.point,
        replicate: plan.replicate,
        seed: plan.seed,
        params: spec.points[plan.point as usize].clone(),
        months: finished.sim.month(),
        state_hash: state_hash.clone(),
        final_metrics,
    };
    let json = serde_json::to_string_pretty(&summary)? + "\n";
    let pq_name = format!("{}.parquet", plan.id);
    let json_name = format!("{}.json", plan.id);
    // The summary is renamed last: its presence marks the run complete.
    write_atomically(
        runs_dir,
        &[(pq_name.as_str(), pq.as_slice()), (json_name.as_str(), json.as_bytes())],
        Vec::new(),
    )?;
    Ok(state_hash)
}

/// What a sweep did (for `goldrush bench --sweep`).
pub struct SweepReport {
    /// Runs run now (not skipped as already done).
    pub ran: usize,
    /// Seconds spent running them (parallel part, per-run files included).
    pub run_seconds: f64,
    /// Seconds for the whole command: planning, runs and assembling the combined files.
    pub total_seconds: f64,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Sweep spec file (TOML).
    #[arg(value_name = "SPEC.toml")]
    pub spec: PathBuf,
    /// Output folder (created if missing; an existing one must hold the same sweep).
    #[arg(long, value_name = "DIR", default_value = "sweep-out")]
    pub out: PathBuf,
    /// Runs at a time (default: SLURM_CPUS_PER_TASK inside a Slurm job, else all cores).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub jobs: Option<u64>,
    /// Run only the runs whose index mod N is I (0-based), e.g. --shard 0/4.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Also write metrics.csv and summary.csv.
    #[arg(long)]
    pub csv: bool,
    /// No progress bar and no summary on stdout.
    #[arg(long, short)]
    pub quiet: bool,
    /// Check the spec and every run's scenario, print the plan, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `goldrush sweep`.
pub fn sweep(opts: &SweepArgs) -> anyhow::Result<SweepReport> {
    let t_start = Instant::now();
    let origin = opts.spec.display().to_string();
    let spec = load_spec(&opts.spec)?;
    let manifest = plan_sweep(&spec, &origin)?;
    let shard = match opts.shard {
        Some(s) => Some(s),
        None => shard_from_slurm()?,
    };
    if opts.dry_run {
        if opts.quiet {
            return Ok(SweepReport {
                ran: 0,
                run_seconds: 0.0,
                total_seconds: t_start.elapsed().as_secs_f64(),
            });
        }
        emit(&format!(
            "OK: {origin}: {} design, {} points x {} replicates = {} runs of {} (every run's scenario is valid); nothing written\n",
            spec.design,
            spec.points.len(),
            spec.replicates,
            spec.runs(),
            spec.base
        ))?;
        return Ok(SweepReport {
            ran: 0,
            run_seconds: 0.0,
            total_seconds: t_start.elapsed().as_secs_f64(),
        });
    }
    claim_out_dir(&opts.out, &manifest)?;
    let runs_dir = opts.out.join("runs");
    std::fs::create_dir_all(&runs_dir)
        .map_err(|e| bad_input(format!("cannot create {}: {}", runs_dir.display(), io_message(&e))))?;
    let in_shard = |i: u64| shard.is_none_or(|(k, n)| i % n == k);
    let ids: Vec<&ManifestRun> = manifest.runs.iter().filter(|r| in_shard(r.plan.index)).collect();
    remove_stale_temps(&runs_dir, &|id| {
        ids.iter().any(|r| r.plan.id == id && !run_done(&runs_dir, id))
    })?;
    let pending: Vec<&RunPlan> = ids
        .iter()
        .filter(|r| !run_done(&runs_dir, &r.plan.id))
        .map(|r| &r.plan)
        .collect();
    let skipped = ids.len() - pending.len();
    let jobs = opts.jobs.map_or_else(default_jobs, |j| j as usize);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start the thread pool")?;
    let show_bar = !opts.quiet && std::io::stderr().is_terminal();
    let progress = Mutex::new((Progress::with_unit(pending.len() as u32, show_bar, "runs"), 0u32));
    let t0 = Instant::now();
    pool.install(|| {
        pending.par_iter().try_for_each(|plan| -> anyhow::Result<()> {
            run_one(&spec, &runs_dir, plan).with_context(|| format!("run {} failed", plan.id))?;
            let mut p = progress.lock().unwrap_or_else(|e| e.into_inner());
            p.1 += 1;
            let done = p.1;
            p.0.update(done);
            Ok(())
        })
    })?;
    let seconds = t0.elapsed().as_secs_f64();
    progress.lock().unwrap_or_else(|e| e.into_inner()).0.finish();
    let rate = if seconds > 0.0 {
        pending.len() as f64 / seconds
    } else {
        0.0
    };
    let ran = pending.len();
    let all_done = manifest.runs.iter().all(|r| run_done(&runs_dir, &r.plan.id));
    let mut msg = format!(
        "sweep {origin}: {} runs{}; ran {} in {seconds:.2} s ({rate:.2} runs/s, {jobs} jobs), {skipped} already done\n",
        manifest.runs.len(),
        shard.map_or(String::new(), |(k, n)| format!(", shard {k}/{n} has {}", ids.len())),
        pending.len(),
    );
    if all_done {
        let written = combine(&opts.out, manifest, &[runs_dir], opts.csv)?;
        msg.push_str(&format!("wrote {}\n", written.join(", ")));
    } else {
        msg.push_str(&format!(
            "not all runs of the sweep are in {:?} yet; when every shard is done: goldrush merge --out DIR SHARD_DIR...\n",
            opts.out.display().to_string()
        ));
    }
    if !opts.quiet {
        emit(&msg)?;
    }
    Ok(SweepReport {
        ran,
        run_seconds: seconds,
        total_seconds: t_start.elapsed().as_secs_f64(),
    })
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard output folders of one sweep.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// Folder for the combined results.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write metrics.csv and summary.csv.
    #[arg(long)]
    pub csv: bool,
    /// The sweep ran as N shards (--shard I/N): if runs are missing, name their shards.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub shards: Option<u64>,
}

/// `goldrush merge DIR... --out OUT`.
///
/// With `--shards N` (the sweep was run as shards `I/N`), a refusal for missing runs also
/// names the shards that hold them, as a Slurm `--array=` list to resubmit.
pub fn merge(a: &MergeArgs) -> anyhow::Result<()> {
    let (dirs, out, csv, shards) = (&a.dirs, a.out.as_path(), a.csv, a.shards);
    let mut manifest: Option<Manifest> = None;
    for d in dirs {
        let m = manifest_json::read(d)?.ok_or_else(|| {
            bad_input(format!(
                "{:?} has no manifest.json: not a sweep output folder",
                d.display().to_string()
            ))
        })?;
        if let Some(first) = &manifest
            && !same_sweep(first, &m)
        {
            return Err(bad_input(format!(
                "{:?} holds a different sweep than {:?}",
                d.display().to_string(),
                dirs[0].display().to_string()
            )));
        }
        manifest.get_or_insert(m);
    }
    let mut manifest = manifest.ok_or_else(|| bad_input("merge needs at least one sweep folder"))?;
    manifest.goldrush_version = VERSION.to_string();
    manifest.git_commit = GIT_COMMIT.to_string();
    let runs_dirs: Vec<PathBuf> = dirs.iter().map(|d| d.join("runs")).collect();
    let missing: Vec<&ManifestRun> = manifest
        .runs
        .iter()
        .filter(|r| !runs_dirs.iter().any(|d| run_done(d, &r.plan.id)))
        .collect();
    if !missing.is_empty() {
        let ids: Vec<&str> = missing.iter().take(5).map(|r| r.plan.id.as_str()).collect();
        let mut msg = format!(
            "{} of {} runs are in none of the folders (first: {}); finish their shards first",
            missing.len(),
            manifest.runs.len(),
            ids.join(", ")
        );
        if let Some(n) = shards {
            let todo: std::collections::BTreeSet<u64> = missing.iter().map(|r| r.plan.index % n).collect();
            let list: Vec<String> = todo.iter().map(u64::to_string).collect();
            msg.push_str(&format!(
                ": shards {} of {n} (resubmit with sbatch --array={})",
                list.join(", "),
                list.join(",")
            ));
        }
        return Err(bad_input(msg));
    }
    if let Some(existing) = manifest_json::read(out)?
        && !same_sweep(&existing, &manifest)
    {
        return Err(bad_input(format!(
            "output folder {:?} holds a different sweep",
            out.display().to_string()
        )));
    }
    prepare_out_dir(out)?;
    let written = combine(out, manifest, &runs_dirs, csv)?;
    emit(&format!("wrote {}\n", written.join(", ")))
}

fn find_run(dirs: &[PathBuf], id: &str) -> PathBuf {
    dirs.iter()
        .find(|d| run_done(d, id))
        .cloned()
        .unwrap_or_else(|| dirs[0].clone())
}

/// Assembles the combined files in run order from the run files, streaming (one run in memory
/// at a time), and writes the final manifest with every state hash.
fn combine(out: &Path, mut manifest: Manifest, dirs: &[PathBuf], csv: bool) -> anyhow::Result<Vec<String>> {
    let spec = manifest.spec.clone();
    let pid = std::process::id();
    let tmp = |name: &str| out.join(format!(".{name}.tmp-{pid}"));
    let metrics_tmp = tmp("metrics.parquet");
    let summary_tmp = tmp("summary.parquet");
    let cleanup = |paths: &[PathBuf]| {
        for p in paths {
            let _ = std::fs::remove_file(p);
        }
    };
    let mut temps = vec![metrics_tmp.clone(), summary_tmp.clone()];
    if csv {
        temps.push(tmp("metrics.csv"));
        temps.push(tmp("summary.csv"));
    }
    let result = (|| -> anyhow::Result<()> {
        let m_schema = metrics_schema(&spec.outputs);
        // A parameter whose values are all numbers is a float64 column, otherwise its TOML text.
        let numeric: Vec<bool> = (0..spec.params.len())
            .map(|k| spec.points.iter().all(|p| p[k].parse::<f64>().is_ok()))
            .collect();
        let s_schema = summary_schema(&spec, &numeric);
        let mut mw = ArrowWriter::try_new(
            std::fs::File::create(&metrics_tmp)?,
            m_schema.clone(),
            Some(writer_props()),
        )?;
        let mut sw = ArrowWriter::try_new(
            std::fs::File::create(&summary_tmp)?,
            s_schema.clone(),
            Some(writer_props()),
        )?;
        let mut csvs = if csv {
            let mut mc = std::io::BufWriter::new(std::fs::File::create(&temps[2])?);
            let mut sc = std::io::BufWriter::new(std::fs::File::create(&temps[3])?);
            writeln!(mc, "{}", csv_header(&m_schema))?;
            writeln!(sc, "{}", csv_header(&s_schema))?;
            Some((mc, sc))
        } else {
            None
        };
        for run in &mut manifest.runs {
            let id = &run.plan.id;
            let dir = find_run(dirs, id);
            let json_path = dir.join(format!("{id}.json"));
            let summary: RunSummary = serde_json::from_str(
                &std::fs::read_to_string(&json_path).with_context(|| format!("cannot read {}", json_path.display()))?,
            )
            .with_context(|| format!("{}: not a run summary", json_path.display()))?;
            if summary.seed != run.plan.seed || summary.params != run.params {
                return Err(bad_input(format!(
                    "{}: seed or parameters differ from the manifest (a run of another sweep?)",
                    json_path.display()
                )));
            }
            let pq_path = dir.join(format!("{id}.parquet"));
            let reader = ParquetRecordBatchReaderBuilder::try_new(
                std::fs::File::open(&pq_path).with_context(|| format!("cannot open {}", pq_path.display()))?,
            )?
            .build()?;
            let mut last: Option<RecordBatch> = None;
            for batch in reader {
                let batch = batch.with_context(|| format!("cannot read {}", pq_path.display()))?;
                let batch = RecordBatch::try_new(m_schema.clone(), batch.columns().to_vec())
                    .with_context(|| format!("{}: unexpected columns", pq_path.display()))?;
                mw.write(&batch)?;
                if let Some((mc, _)) = csvs.as_mut() {
                    for r in 0..batch.num_rows() {
                        mc.write_all(csv_row(batch.columns(), r).as_bytes())?;
                    }
                }
                if batch.num_rows() > 0 {
                    last = Some(batch);
                }
            }
            let last = last.ok_or_else(|| anyhow::anyhow!("{}: no months", pq_path.display()))?;
            let lr = last.num_rows() - 1;
            let mut cols: Vec<ArrayRef> = Vec::new();
            for v in [run.plan.index, run.plan.point, run.plan.replicate, run.plan.seed] {
                let mut b = UInt64Builder::new();
                b.append_value(v);
                cols.push(Arc::new(b.finish()));
            }
            for (v, &num) in run.params.iter().zip(&numeric) {
                if num {
                    let mut b = Float64Builder::new();
                    b.append_value(v.parse::<f64>().unwrap_or(f64::NAN));
                    cols.push(Arc::new(b.finish()));
                } else {
                    let mut b = StringBuilder::new();
                    b.append_value(v);
                    cols.push(Arc::new(b.finish()));
                }
            }
            let mut b = StringBuilder::new();
            b.append_value(&summary.state_hash);
            cols.push(Arc::new(b.finish()));
            for k in 0..spec.outputs.len() {
                let col = last.column(4 + k);
                let a = col
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| anyhow::anyhow!("{}: metric column is not float64", pq_path.display()))?;
                let mut b = Float64Builder::new();
                b.append_value(a.value(lr));
                cols.push(Arc::new(b.finish()));
            }
            let row = RecordBatch::try_new(s_schema.clone(), cols)?;
            sw.write(&row)?;
            if let Some((_, sc)) = csvs.as_mut() {
                sc.write_all(csv_row(row.columns(), 0).as_bytes())?;
            }
            run.state_hash = Some(summary.state_hash);
        }
        mw.close()?;
        sw.close()?;
        if let Some((mut mc, mut sc)) = csvs {
            mc.flush()?;
            sc.flush()?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        cleanup(&temps);
        return Err(e.context(format!("cannot write the combined results into {}", out.display())));
    }
    let mut names = vec!["metrics.parquet", "summary.parquet"];
    if csv {
        names.push("metrics.csv");
        names.push("summary.csv");
    }
    let mut written = Vec::new();
    for (t, name) in temps.iter().zip(&names) {
        let dest = out.join(name);
        std::fs::rename(t, &dest).with_context(|| format!("cannot rename {} to {}", t.display(), dest.display()))?;
        written.push(dest.display().to_string());
    }
    manifest.complete = true;
    write_atomically(
        out,
        &[("manifest.json", manifest_json::to_json(&manifest).as_bytes())],
        Vec::new(),
    )?;
    written.push(out.join("manifest.json").display().to_string());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_is_i_of_n_zero_based() {
        assert_eq!(parse_shard("0/4"), Ok((0, 4)));
        assert_eq!(parse_shard("3/4"), Ok((3, 4)));
        for bad in ["4/4", "1/0", "x/2", "2", "-1/3"] {
            assert!(parse_shard(bad).is_err(), "{bad} should be refused");
        }
    }
}

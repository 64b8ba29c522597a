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
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::engine;
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
    let shown = out.display().to_string();
    let same = |text: &str| -> anyhow::Result<bool> {
        let old: Manifest = serde_json::from_str(text).map_err(|e| {
            bad_input(format!(
                "{}: not a goldrush sweep manifest: {e}",
                out.join("manifest.json").display()
            ))
        })?;
        Ok(same_sweep(&old, manifest))
    };
    engine::claim_folder(
        out,
        &engine::Claim {
            manifest: "manifest.json",
            contents: manifest_json::to_json(manifest).as_bytes(),
            same: &same,
            different: format!(
                "output folder {shown:?} holds a different sweep (its manifest.json has another \
                 spec or base scenario); use another --out, or delete the folder to start over"
            ),
            orphan_runs: format!(
                "output folder {shown:?} has a runs/ folder but no manifest.json; refusing to mix \
                 sweeps (use another --out)"
            ),
        },
    )
}

fn run_done(runs_dir: &Path, id: &str) -> bool {
    runs_dir.join(format!("{id}.json")).is_file() && runs_dir.join(format!("{id}.parquet")).is_file()
}

/// One sweep member as a job of the run engine: its files are `<id>.parquet` (monthly metrics)
/// and `<id>.json` (the summary, the completion marker).
struct SweepJob<'a> {
    spec: &'a Spec,
    plan: &'a RunPlan,
}

impl engine::RunJob for SweepJob<'_> {
    fn id(&self) -> String {
        self.plan.id.clone()
    }
    fn index(&self) -> u64 {
        self.plan.index
    }
    fn files(&self) -> Vec<String> {
        vec![format!("{}.parquet", self.plan.id), format!("{}.json", self.plan.id)]
    }
    fn run(&self) -> anyhow::Result<Vec<Vec<u8>>> {
        let (pq, json) = run_one(self.spec, self.plan)?;
        Ok(vec![pq, json.into_bytes()])
    }
}

/// Runs one sweep member; returns its two files' contents (Parquet metrics, JSON summary).
fn run_one(spec: &Spec, plan: &RunPlan) -> anyhow::Result<(Vec<u8>, String)> {
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
    Ok((pq, json))
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
    #[arg(long, value_name = "I/N", value_parser = engine::parse_shard)]
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
        None => engine::shard_from_slurm()?,
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
    let jobs = opts.jobs.map_or_else(engine::default_jobs, |j| j as usize);
    let plan: Vec<SweepJob<'_>> = manifest
        .runs
        .iter()
        .map(|r| SweepJob {
            spec: &spec,
            plan: &r.plan,
        })
        .collect();
    let done = engine::execute(&runs_dir, &plan, shard, jobs, opts.quiet)?;
    let (seconds, rate, skipped, ran) = (done.seconds, done.rate(), done.skipped, done.ran);
    let all_done = manifest.runs.iter().all(|r| run_done(&runs_dir, &r.plan.id));
    let mut msg = format!(
        "sweep {origin}: {} runs{}; ran {} in {seconds:.2} s ({rate:.2} runs/s, {jobs} jobs), {skipped} already done\n",
        manifest.runs.len(),
        shard.map_or(String::new(), |(k, n)| format!(", shard {k}/{n} has {}", done.in_shard)),
        ran,
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

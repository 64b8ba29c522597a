//! `goldrush bench --sweep SPEC.toml --jobs 1,2`: the sweep throughput benchmark.
//!
//! Runs the whole sweep (planning, the runs with their per-run Parquet files, and the combined
//! files) into a fresh temporary folder once per job count and repeat, job counts interleaved
//! (1, 2, 1, 2, ...) so a drift in machine load hits every count alike. Reports, per job count,
//! the median seconds, runs per second, the speed-up over the first job count and the parallel
//! efficiency (speed-up / (jobs / first jobs)), and checks that every run of every job count
//! wrote byte-identical combined files. Results that differ are an error (exit 1): determinism
//! across job counts is part of what is measured.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cmd::bench::{header, median};
use crate::cmd::sweep::{FNV_OFFSET, SweepArgs, fnv1a_from, sweep};
use crate::errors::{bad_input, emit};

/// The combined files whose bytes must not depend on the job count.
const COMBINED: [&str; 3] = ["metrics.parquet", "summary.parquet", "manifest.json"];

/// A temporary folder removed on drop (also when a run fails).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A digest of the combined files (name and bytes, in a fixed order).
fn digest(dir: &Path) -> anyhow::Result<u64> {
    let mut h = FNV_OFFSET;
    for f in COMBINED {
        let path = dir.join(f);
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        h = fnv1a_from(h, f.as_bytes());
        h = fnv1a_from(h, &bytes);
    }
    Ok(h)
}

/// One timed sweep into a fresh folder: (total seconds, run-phase seconds, runs, digest).
fn timed_sweep(spec: &Path, jobs: usize, tag: &str) -> anyhow::Result<(f64, f64, usize, u64)> {
    let dir = std::env::temp_dir().join(format!("goldrush-bench-sweep-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let scratch = Scratch(dir);
    let report = sweep(&SweepArgs {
        spec: spec.to_path_buf(),
        out: scratch.0.clone(),
        jobs: Some(jobs as u64),
        shard: None,
        csv: false,
        quiet: true,
        dry_run: false,
    })?;
    Ok((
        report.total_seconds,
        report.run_seconds,
        report.ran,
        digest(&scratch.0)?,
    ))
}

/// `goldrush bench --sweep SPEC --jobs J1,J2,... --repeat R`.
pub fn bench_sweep(spec: &Path, jobs: &[usize], repeat: u32) -> anyhow::Result<()> {
    if jobs.is_empty() || jobs.contains(&0) {
        return Err(bad_input("--jobs: give job counts of at least 1, e.g. --jobs 1,2"));
    }
    // Validates the spec (and every run's scenario) before anything is timed.
    sweep(&SweepArgs {
        spec: spec.to_path_buf(),
        out: std::env::temp_dir().join("goldrush-bench-sweep-dry-run"),
        jobs: Some(1),
        shard: None,
        csv: false,
        quiet: true,
        dry_run: true,
    })?;
    let mut head = header();
    let _ = writeln!(
        head,
        "sweep        {} ({} repeat(s) per job count, job counts interleaved)",
        spec.display(),
        repeat
    );
    let _ = writeln!(
        head,
        "\n{:>6}  {:>6}  {:>6}  {:>10}  {:>10}  {:>8}  combined files",
        "repeat", "jobs", "runs", "total s", "runs s", "runs/s"
    );
    emit(&head)?;

    let mut totals: Vec<Vec<f64>> = vec![Vec::new(); jobs.len()];
    let mut runs = 0;
    let mut reference: Option<u64> = None;
    let mut identical = true;
    for r in 1..=repeat {
        for (k, &j) in jobs.iter().enumerate() {
            let (total, running, ran, d) = timed_sweep(spec, j, &format!("{r}-{j}"))?;
            runs = ran;
            totals[k].push(total);
            let same = *reference.get_or_insert(d) == d;
            identical &= same;
            emit(&format!(
                "{r:>6}  {j:>6}  {ran:>6}  {total:>10.3}  {running:>10.3}  {:>8.2}  {:016x}{}\n",
                ran as f64 / total,
                d,
                if same { "" } else { "  DIFFERS" }
            ))?;
        }
    }
    let base_jobs = jobs[0] as f64;
    let base_rate = runs as f64 / median(&totals[0]);
    let mut out = format!(
        "\n{:>6}  {:>10}  {:>8}  {:>8}  {:>10}\n",
        "jobs", "median s", "runs/s", "speed-up", "efficiency"
    );
    for (k, &j) in jobs.iter().enumerate() {
        let rate = runs as f64 / median(&totals[k]);
        let speedup = rate / base_rate;
        let _ = writeln!(
            out,
            "{j:>6}  {:>10.3}  {rate:>8.2}  {speedup:>8.2}  {:>9.1}%",
            median(&totals[k]),
            100.0 * speedup / (j as f64 / base_jobs)
        );
    }
    let _ = writeln!(
        out,
        "\nresults identical across job counts and repeats: {}",
        if identical { "yes" } else { "NO" }
    );
    emit(&out)?;
    if !identical {
        anyhow::bail!("the combined sweep files differ between job counts or repeats (a determinism bug)");
    }
    Ok(())
}

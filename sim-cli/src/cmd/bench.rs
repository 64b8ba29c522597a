//! `goldrush bench`: repeated, timed, single-threaded runs of one scenario.
//!
//! With `--phases`: then as many runs again stepped phase by phase
//! ([`Sim::step_phases`](sim_core::Sim::step_phases)), each phase timed here (sim-core reads no
//! clock), reported as the median time per month of each phase, its share, and the firm side
//! (every phase but user choice). A phased run must end in the same state hash as the whole-month
//! runs (exit 1 otherwise).
//!
//! With `--sweep SPEC.toml --jobs 1,2`: the sweep throughput benchmark.
//!
//! Runs the whole sweep (planning, the runs with their per-run Parquet files, and the combined
//! files) into a fresh temporary folder once per job count and repeat, job counts interleaved
//! (1, 2, 1, 2, ...) so a drift in machine load hits every count alike. Reports, per job count,
//! the median seconds, runs per second, the speed-up over the first job count and the parallel
//! efficiency (speed-up / (jobs / first jobs)), and checks that every run of every job count
//! wrote byte-identical combined files. Results that differ are an error (exit 1): determinism
//! across job counts is part of what is measured.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use clap::Args;
use std::fmt::Write as _;

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::cmd::sweep::{FNV_OFFSET, SweepArgs, fnv1a_from, sweep};
use crate::errors::{bad_input, emit};
use crate::load::load_scenario;
use crate::load::with_run_overrides;
use crate::progress::Progress;
use crate::simulate::{hash_hex, secs, si, simulate};
use sim_core::Sim;
use sim_core::schedule::Phase;

/// Quotes an argument for a POSIX shell when it needs quoting.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The median of a sample (mean of the middle two for an even count).
pub(crate) fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The CPU model, best effort (Linux).
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// The benchmark header: the command line, version, build profile and machine.
pub(crate) fn header() -> String {
    let mut head = String::new();
    let args: Vec<String> = std::env::args().map(|a| shell_quote(&a)).collect();
    let _ = writeln!(head, "command      {}", args.join(" "));
    let _ = writeln!(head, "goldrush     {VERSION} (git {GIT_COMMIT})");
    let profile = if cfg!(debug_assertions) {
        "debug (unoptimised: timings are not representative; build with --release)"
    } else {
        "release"
    };
    let _ = writeln!(head, "build        {profile}");
    let _ = writeln!(
        head,
        "machine      {} {}, {} hardware threads available{}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model().map_or(String::new(), |m| format!(", {m}"))
    );
    head
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Built-in scenario name or path to a .toml scenario file.
    #[arg(value_name = "SCENARIO", default_value = "baseline")]
    pub scenario: String,
    /// Months per run (default: the scenario's run.months).
    #[arg(long, value_name = "N")]
    pub months: Option<u32>,
    /// Number of runs; the median is reported.
    #[arg(long, value_name = "R", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,
    /// Override a parameter (repeatable), e.g. --set users.consumer_agents=100000.
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
    /// Also time each phase of the month (as many phase-by-phase runs again).
    #[arg(long, conflicts_with = "sweep")]
    pub phases: bool,
    /// Benchmark this sweep spec instead (sweep throughput at each --jobs count).
    #[arg(long, value_name = "SPEC.toml", conflicts_with_all = ["months", "set"])]
    pub sweep: Option<PathBuf>,
    /// With --sweep: comma-separated job counts to time (default: 1 and all cores).
    #[arg(long, value_name = "J1,J2", value_delimiter = ',', requires = "sweep",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub jobs: Vec<u64>,
}

/// `goldrush bench`: timed runs of a scenario, or with `--sweep` of a whole sweep.
pub fn bench(a: &BenchArgs) -> anyhow::Result<()> {
    if let Some(spec) = &a.sweep {
        let mut jobs: Vec<usize> = a.jobs.iter().map(|&j| j as usize).collect();
        if jobs.is_empty() {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            jobs = if cores > 1 { vec![1, cores] } else { vec![1] };
        }
        return bench_sweep(spec, &jobs, a.repeat);
    }
    let overrides = with_run_overrides(&a.set, None, a.months);
    bench_runs(&a.scenario, &overrides, a.repeat, a.phases)
}

/// `goldrush bench SCENARIO`.
fn bench_runs(scenario: &str, overrides: &[String], repeat: u32, phases: bool) -> anyhow::Result<()> {
    let loaded = load_scenario(scenario, overrides)?;
    let sc = &loaded.scenario;
    let mut head = header();
    let _ = writeln!(
        head,
        "scenario     {} ({}), seed {}, {} months, {} run(s), single-threaded",
        sc.name, loaded.origin, sc.run.seed, sc.run.months, repeat
    );
    let _ = writeln!(
        head,
        "\n{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10}  state hash",
        "run", "setup", "stepping", "user agents", "agent-months/s", "months/s"
    );
    emit(&head)?;

    let (mut setup, mut stepping, mut amps, mut mps) = (vec![], vec![], vec![], vec![]);
    let mut agents = 0;
    let mut hash = 0;
    for r in 1..=repeat {
        // The schedule is single-threaded (sim-core uses bevy's SingleThreadedExecutor).
        let f = simulate(sc.clone(), Progress::new(sc.run.months, false))?;
        let t = f.timing;
        agents = f.sim.user_agents();
        hash = f.state_hash;
        setup.push(t.setup_seconds);
        stepping.push(t.stepping_seconds);
        amps.push(t.agent_months_per_second);
        mps.push(t.months_per_second);
        emit(&format!(
            "{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10.2}  {}\n",
            r,
            secs(t.setup_seconds),
            secs(t.stepping_seconds),
            agents,
            si(t.agent_months_per_second),
            t.months_per_second,
            hash_hex(f.state_hash)
        ))?;
    }
    emit(&format!(
        "{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10.2}\n",
        "median",
        secs(median(&setup)),
        secs(median(&stepping)),
        agents,
        si(median(&amps)),
        median(&mps)
    ))?;
    if phases {
        bench_phases(sc, repeat, hash)?;
    }
    Ok(())
}

/// `goldrush bench SCENARIO --phases`: `repeat` runs stepped phase by phase, each phase timed;
/// the median per phase. `hash` is the whole-month runs' state hash, which every phased run must
/// reproduce.
fn bench_phases(sc: &sim_core::Scenario, repeat: u32, hash: u64) -> anyhow::Result<()> {
    let months = sc.run.months;
    let mut per_phase: Vec<Vec<f64>> = vec![Vec::new(); Phase::ALL.len()];
    let mut firm_side = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..repeat {
        let mut sim = Sim::new(sc.clone()).map_err(|e| anyhow::anyhow!("cannot build the simulation: {e}"))?;
        let mut spent = vec![0.0; Phase::ALL.len()];
        for _ in 0..months {
            let mut k = 0;
            let mut t = Instant::now();
            sim.step_phases(|_| {
                let now = Instant::now();
                spent[k] += (now - t).as_secs_f64();
                t = now;
                k += 1;
            })
            .map_err(|e| anyhow::anyhow!("cannot build the phase schedules: {e}"))?;
        }
        let got = sim.state_hash();
        if got != hash {
            anyhow::bail!(
                "stepping phase by phase ended in state hash {} instead of {} (a bug in Sim::step_phases)",
                hash_hex(got),
                hash_hex(hash)
            );
        }
        for (k, s) in spent.iter().enumerate() {
            per_phase[k].push(*s);
        }
        let users = Phase::ALL.iter().position(|p| *p == Phase::Users).unwrap_or(usize::MAX);
        totals.push(spent.iter().sum::<f64>());
        firm_side.push(
            spent
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != users)
                .map(|(_, s)| s)
                .sum::<f64>(),
        );
    }
    let per_month = |s: f64| s / f64::from(months.max(1)) * 1e6;
    let total = median(&totals);
    let mut out = format!(
        "\nphases ({repeat} phase-by-phase run(s), same state hash; median per phase)\n{:>22}  {:>11}  {:>10}  {:>6}\n",
        "phase", "per run", "µs/month", "share"
    );
    for (k, phase) in Phase::ALL.iter().enumerate() {
        let m = median(&per_phase[k]);
        let _ = writeln!(
            out,
            "{:>22}  {:>11}  {:>10.1}  {:>5.1}%",
            format!("{} {}", k + 1, phase.name()),
            secs(m),
            per_month(m),
            100.0 * m / total
        );
    }
    let fs = median(&firm_side);
    let _ = writeln!(
        out,
        "{:>22}  {:>11}  {:>10.1}  {:>5.1}%\n{:>22}  {:>11}  {:>10.1}  {:>5.1}%",
        "firm side (not users)",
        secs(fs),
        per_month(fs),
        100.0 * fs / total,
        "all phases",
        secs(total),
        per_month(total),
        100.0
    );
    emit(&out)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("run.months=3"), "run.months=3");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}

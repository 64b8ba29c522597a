//! `goldrush compare BASE POLICY`: paired runs with common random numbers. Seed `s` runs both
//! scenarios; for each chosen metric the per-seed difference (policy − base) of the final value
//! and of the time average is summarised by its mean, 95% confidence interval (Student's t,
//! [`sim_core::stats`]) and a verdict. Pairs run in parallel (rayon); results are collected by
//! seed index and reduced in seed order, so the outputs are identical for any `--jobs`.
//! Besides the table (compare.csv/json) it writes every run's trajectories (trajectories.csv)
//! and the startups observed (startups.csv), from which `goldrush plot` redraws the charts of
//! `--plots` ([`compare_charts`]).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use serde::Serialize;
use sim_core::stats::{Paired, mean};
use sim_core::{METRICS, MetricSpec, Scenario};

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::charts::{self, FirmLog, RunData, compare_charts};
use crate::errors::{bad_input, emit};
use crate::formats::compare_files::{self, Arm, PairRun};
use crate::load::{Loaded, load_scenario, with_run_overrides};
use crate::output::{prepare_out_dir, write_atomically};
use crate::progress::Progress;
use crate::simulate::{hash_hex, simulate_with};
use goldrush_charts::Life;

/// Metrics compared when `--metrics` is not given (sim-core's key metrics).
pub use sim_core::key_metrics::KEY_METRICS as DEFAULT_METRICS;

/// The chosen metrics, checked against [`METRICS`]; an unknown name is bad input listing the
/// valid ones.
fn choose_metrics(arg: Option<&str>) -> anyhow::Result<Vec<&'static MetricSpec>> {
    let names: Vec<String> = match arg {
        None => DEFAULT_METRICS.iter().map(|s| s.to_string()).collect(),
        Some(a) => a
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if names.is_empty() {
        return Err(bad_input("--metrics names no metric"));
    }
    let valid = || {
        METRICS
            .iter()
            .filter(|m| m.name != "month")
            .map(|m| m.name)
            .collect::<Vec<_>>()
    };
    let mut chosen = Vec::new();
    for n in &names {
        match METRICS.iter().find(|m| m.name == n && m.name != "month") {
            Some(m) if !chosen.iter().any(|c: &&MetricSpec| c.name == m.name) => chosen.push(m),
            Some(_) => {}
            None => {
                return Err(bad_input(format!(
                    "unknown metric {n:?} in --metrics; valid metrics are: {}",
                    valid().join(", ")
                )));
            }
        }
    }
    Ok(chosen)
}

/// The metrics kept per seed: the compared ones, then the spot and contract prices if missing.
fn recorded(metrics: &[&'static MetricSpec]) -> Vec<&'static MetricSpec> {
    let mut v = metrics.to_vec();
    for name in [charts::SPOT, charts::CONTRACT] {
        if !v.iter().any(|m| m.name == name) {
            v.extend(charts::metric(name));
        }
    }
    v
}

type OneRun = (Vec<Vec<f64>>, Vec<Life>, u64);

fn run_one(scenario: &Scenario, seed: u64, metrics: &[&MetricSpec]) -> anyhow::Result<OneRun> {
    let mut s = scenario.clone();
    s.run.seed = seed;
    let mut log = FirmLog::default();
    let f = simulate_with(s, Progress::new(0, false), |sim| {
        for r in sim.panel() {
            log.add(r.month, r.id, r.kind, i64::from(r.founded), r.users, r.alive);
        }
        Ok(())
    })?;
    let traj = metrics
        .iter()
        .map(|m| {
            f.sim
                .metrics()
                .iter()
                .map(|row| row.get(m.name).expect("metric names come from METRICS"))
                .collect()
        })
        .collect();
    Ok((traj, log.lives(), f.state_hash))
}

/// The two summary statistics of a trajectory.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Statistic {
    /// The value in the last month.
    Final,
    /// The mean over the run's months (NaN months skipped).
    TimeAverage,
}

impl Statistic {
    fn name(self) -> &'static str {
        match self {
            Self::Final => "final",
            Self::TimeAverage => "time_average",
        }
    }

    /// `None` when the metric is undefined (NaN) for this statistic.
    fn of(self, traj: &[f64]) -> Option<f64> {
        match self {
            Self::Final => traj.last().copied().filter(|x| !x.is_nan()),
            Self::TimeAverage => sim_core::stats::mean_skip_nan(traj),
        }
    }
}

/// One row of the comparison table.
#[derive(Serialize)]
pub struct Row {
    pub metric: &'static str,
    pub unit: &'static str,
    pub statistic: &'static str,
    /// Seeds where the statistic is defined in both scenarios.
    pub seeds_used: usize,
    /// Seeds dropped because the metric was NaN (every month, or in the last month for `final`).
    pub seeds_dropped: usize,
    pub base_mean: f64,
    pub policy_mean: f64,
    pub diff_mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub verdict: &'static str,
}

fn rows(metrics: &[&'static MetricSpec], pairs: &[PairRun]) -> Vec<Row> {
    let mut out = Vec::new();
    for (k, m) in metrics.iter().enumerate() {
        for stat in [Statistic::Final, Statistic::TimeAverage] {
            let (mut b, mut p) = (Vec::new(), Vec::new());
            for pair in pairs {
                if let (Some(x), Some(y)) = (stat.of(&pair.base[k]), stat.of(&pair.policy[k])) {
                    b.push(x);
                    p.push(y);
                }
            }
            let diffs: Vec<f64> = p.iter().zip(&b).map(|(y, x)| y - x).collect();
            let paired = Paired::from_diffs(diffs);
            out.push(Row {
                metric: m.name,
                unit: m.unit,
                statistic: stat.name(),
                seeds_used: b.len(),
                seeds_dropped: pairs.len() - b.len(),
                base_mean: mean(&b),
                policy_mean: mean(&p),
                diff_mean: paired.mean,
                ci_low: paired.lo,
                ci_high: paired.hi,
                verdict: paired.verdict().as_str(),
            });
        }
    }
    out
}

/// compare.csv: one row per metric and statistic; floats in shortest round-trip form.
fn csv(rows: &[Row]) -> String {
    let mut s = String::from(
        "metric,unit,statistic,seeds_used,seeds_dropped,base_mean,policy_mean,diff_mean,ci_low,ci_high,verdict\n",
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.metric,
            r.unit,
            r.statistic,
            r.seeds_used,
            r.seeds_dropped,
            r.base_mean,
            r.policy_mean,
            r.diff_mean,
            r.ci_low,
            r.ci_high,
            r.verdict
        );
    }
    s
}

#[derive(Serialize)]
struct Side<'a> {
    argument: &'a str,
    origin: &'a str,
    /// The scenario with `--set`/`--months` applied; `run.seed` is replaced by each seed.
    resolved_scenario: &'a Scenario,
}

#[derive(Serialize)]
struct SeedHashes {
    seed: u64,
    base_state_hash: String,
    policy_state_hash: String,
}

#[derive(Serialize)]
struct Report<'a> {
    goldrush_version: &'static str,
    git_commit: &'static str,
    seeds: Vec<u64>,
    months: u32,
    metrics: Vec<&'static str>,
    base: Side<'a>,
    policy: Side<'a>,
    rows: &'a [Row],
    state_hashes: Vec<SeedHashes>,
}

/// A number for the table: 4 significant figures, compact.
fn num(x: f64) -> String {
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
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn table(rows: &[Row], n_seeds: usize) -> String {
    let head = [
        "metric",
        "statistic",
        "base",
        "policy",
        "diff",
        "95% CI",
        "seeds",
        "verdict",
    ];
    let mut cells: Vec<[String; 8]> = vec![head.map(String::from)];
    for r in rows {
        let seeds = if r.seeds_dropped > 0 {
            format!("{}/{n_seeds}", r.seeds_used)
        } else {
            r.seeds_used.to_string()
        };
        cells.push([
            format!("{} ({})", r.metric, r.unit),
            r.statistic.replace('_', " "),
            num(r.base_mean),
            num(r.policy_mean),
            num(r.diff_mean),
            format!("[{}, {}]", num(r.ci_low), num(r.ci_high)),
            seeds,
            r.verdict.to_string(),
        ]);
    }
    crate::simulate::aligned_table(&cells, 2..=6)
}

/// `goldrush compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Base scenario: built-in name or .toml file.
    #[arg(value_name = "BASE")]
    pub base: String,
    /// Policy scenario: built-in name or .toml file.
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// Number of paired seeds.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub seeds: u32,
    /// First seed; the pairs use FIRST, FIRST+1, ...
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub first_seed: u64,
    /// Months to simulate in both scenarios (same as --set run.months=N).
    #[arg(long, value_name = "M")]
    pub months: Option<u32>,
    /// Override a parameter in both scenarios (repeatable), e.g. --set users.theta_network=1.0.
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
    /// Comma-separated metrics to compare (see `goldrush metrics`).
    #[arg(long, value_name = "A,B,C")]
    pub metrics: Option<String>,
    /// Directory for compare.csv, compare.json, trajectories.csv, startups.csv and the charts
    /// (created if missing).
    #[arg(long, value_name = "DIR", default_value = "compare-out")]
    pub out: PathBuf,
    /// Pairs run at once (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Also write charts (PNG and SVG): each metric's trajectories in both scenarios, spot vs
    /// contract price and startup survival.
    #[arg(long)]
    pub plots: bool,
    /// Print nothing on stdout (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn compare(opts: &CompareArgs) -> anyhow::Result<()> {
    let overrides = with_run_overrides(&opts.set, None, opts.months);
    let jobs = opts.jobs.map(|j| j as usize);
    // Every check comes before anything is written.
    let metrics = choose_metrics(opts.metrics.as_deref())?;
    if opts.seeds == 0 {
        return Err(bad_input("--seeds must be at least 1"));
    }
    let last_seed = opts.first_seed.checked_add(u64::from(opts.seeds) - 1);
    if last_seed.is_none_or(|s| s > i64::MAX as u64) {
        return Err(bad_input(format!(
            "--first-seed {} with --seeds {} goes past the largest seed, {}",
            opts.first_seed,
            opts.seeds,
            i64::MAX
        )));
    }
    if jobs == Some(0) {
        return Err(bad_input("--jobs must be at least 1"));
    }
    let base: Loaded = load_scenario(&opts.base, &overrides).context("base scenario")?;
    let policy: Loaded = load_scenario(&opts.policy, &overrides).context("policy scenario")?;
    if base.scenario.run.months != policy.scenario.run.months {
        return Err(bad_input(format!(
            "the scenarios run for different horizons (base {} months, policy {}); pass --months",
            base.scenario.run.months, policy.scenario.run.months
        )));
    }
    prepare_out_dir(&opts.out)?;

    let seeds: Vec<u64> = (0..u64::from(opts.seeds)).map(|i| opts.first_seed + i).collect();
    let kept = recorded(&metrics);
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(j) = jobs {
        pool = pool.num_threads(j);
    }
    let pool = pool.build().context("cannot start the thread pool")?;
    // `collect` on an indexed parallel iterator keeps seed order whatever the job count.
    let pairs: Vec<PairRun> = pool.install(|| {
        seeds
            .par_iter()
            .map(|&seed| {
                let (b, bl, bh) = run_one(&base.scenario, seed, &kept).context("base run")?;
                let (p, pl, ph) = run_one(&policy.scenario, seed, &kept).context("policy run")?;
                Ok(PairRun {
                    seed,
                    base: b,
                    policy: p,
                    base_lives: bl,
                    policy_lives: pl,
                    base_hash: bh,
                    policy_hash: ph,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;

    let rows = rows(&metrics, &pairs);
    let report = Report {
        goldrush_version: VERSION,
        git_commit: GIT_COMMIT,
        seeds: seeds.clone(),
        months: base.scenario.run.months,
        metrics: metrics.iter().map(|m| m.name).collect(),
        base: Side {
            argument: &opts.base,
            origin: &base.origin,
            resolved_scenario: &base.scenario,
        },
        policy: Side {
            argument: &opts.policy,
            origin: &policy.origin,
            resolved_scenario: &policy.scenario,
        },
        rows: &rows,
        state_hashes: pairs
            .iter()
            .map(|p| SeedHashes {
                seed: p.seed,
                base_state_hash: hash_hex(p.base_hash),
                policy_state_hash: hash_hex(p.policy_hash),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&report).context("cannot serialise compare.json")?;
    json.push('\n');
    let csv = csv(&rows);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("compare.csv".into(), csv.into_bytes()),
        ("compare.json".into(), json.into_bytes()),
    ];
    files.push((
        "trajectories.csv".into(),
        compare_files::trajectories_csv(&kept, &pairs, [base.scenario.run.start, policy.scenario.run.start])
            .into_bytes(),
    ));
    files.push(("startups.csv".into(), compare_files::startups_csv(&pairs).into_bytes()));
    if opts.plots {
        let labels = [label("base", &opts.base, &base), label("policy", &opts.policy, &policy)];
        let sides = [
            side_runs(&kept, &pairs, Arm::Base),
            side_runs(&kept, &pairs, Arm::Policy),
        ];
        let (b, p) = (base.scenario.run.start, policy.scenario.run.start);
        let start = (b == p).then_some(b);
        let charts = compare_charts(labels, seeds[0], start, &metrics, sides, &mut Vec::new());
        files.extend(charts::render(&charts, charts::Formats::BOTH)?);
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    let written = write_atomically(&opts.out, &refs, Vec::new())
        .with_context(|| format!("cannot write results into {:?}", opts.out.display().to_string()))?;
    if !opts.quiet {
        let mut s = format!(
            "goldrush {VERSION} (git {GIT_COMMIT})\nbase    {} ({})\npolicy  {} ({})\nseeds   {}..={} ({} pairs, common random numbers), {} months\n\n",
            base.scenario.name,
            base.origin,
            policy.scenario.name,
            policy.origin,
            seeds[0],
            seeds[seeds.len() - 1],
            seeds.len(),
            base.scenario.run.months
        );
        s.push_str(&table(&rows, seeds.len()));
        s.push_str("\ndiff = policy - base, per seed; 95% CI of its mean (Student's t)\n");
        let shown: Vec<String> = written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e != "png" && e != "svg"))
            .map(|p| p.display().to_string())
            .collect();
        let _ = write!(s, "wrote {}", shown.join(", "));
        if opts.plots {
            let _ = write!(s, " and {} charts (SVG and PNG)", written.len() - shown.len());
        }
        s.push('\n');
        emit(&s)?;
    }
    Ok(())
}

/// One side's runs, seed by seed, as chart data.
fn side_runs(kept: &[&MetricSpec], pairs: &[PairRun], side: Arm) -> Vec<RunData> {
    pairs
        .iter()
        .map(|p| {
            let (traj, lives) = match side {
                Arm::Base => (&p.base, &p.base_lives),
                Arm::Policy => (&p.policy, &p.policy_lives),
            };
            RunData {
                metrics: kept
                    .iter()
                    .map(|m| m.name.to_string())
                    .zip(traj.iter().cloned())
                    .collect(),
                platform_users: None,
                lives: Some(lives.clone()),
            }
        })
        .collect()
}

/// A legend label: `base: NAME` (the argument when the scenario has no name).
fn label(side: &str, arg: &str, l: &Loaded) -> String {
    let name = if l.scenario.name.is_empty() {
        arg
    } else {
        &l.scenario.name
    };
    format!("{side}: {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_metrics_are_all_real_metrics() {
        let chosen = choose_metrics(None).expect("the defaults are valid metric names");
        assert_eq!(chosen.len(), DEFAULT_METRICS.len(), "defaults must not repeat");
    }

    #[test]
    fn unknown_metric_is_bad_input_listing_valid_ones() {
        let e = choose_metrics(Some("users_hhi,nope")).expect_err("nope is not a metric");
        assert!(crate::errors::is_bad_input(&e));
        let msg = e.to_string();
        assert!(msg.contains("\"nope\"") && msg.contains("spot_price_usd"), "{msg}");
        assert!(
            choose_metrics(Some("month")).is_err(),
            "month is the index, not a metric"
        );
        assert_eq!(
            choose_metrics(Some(" users_hhi , users_hhi")).map(|v| v.len()).ok(),
            Some(1)
        );
    }

    #[test]
    fn final_and_time_average_skip_nan() {
        let t = [f64::NAN, 1.0, 3.0];
        assert_eq!(Statistic::Final.of(&t), Some(3.0));
        assert_eq!(Statistic::TimeAverage.of(&t), Some(2.0));
        assert_eq!(Statistic::Final.of(&[1.0, f64::NAN]), None);
        assert_eq!(Statistic::TimeAverage.of(&[f64::NAN]), None);
    }

    #[test]
    fn numbers_in_the_table_are_compact() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(1.877e12), "1.877e12");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::NEG_INFINITY), "-inf");
    }
}

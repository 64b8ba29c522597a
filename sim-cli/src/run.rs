//! `goldrush run`: simulate a scenario, write metrics.csv and summary.json (and with `--panel`
//! the firm panel, panel.csv, streamed month by month; with `--plots` the charts), print a
//! summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use sim_core::sim::PlatformStanding;
use sim_core::state::PANEL_COLUMNS;
use sim_core::{METRICS, Metrics, Scenario, Sim, SimError};

use crate::charts::{self, FirmLog, Formats, Group, RunData};
use crate::errors::emit;
use crate::load::{Loaded, load_scenario};
use crate::output::{StreamedFile, prepare_out_dir, write_atomically};
use crate::plot::Chart;
use crate::progress::Progress;
use crate::{GIT_COMMIT, VERSION};
use sim_core::key_metrics::KEY_METRICS as DEFAULT_METRICS;

/// What `goldrush run` was asked to do.
pub struct RunOptions {
    pub scenario: String,
    pub overrides: Vec<String>,
    pub out: PathBuf,
    pub quiet: bool,
    /// Also write the firm panel (panel.csv).
    pub panel: bool,
    /// Also write the charts (see [`run_charts`]).
    pub plots: bool,
}

/// Wall-clock timings of a run (the only non-deterministic part of the outputs).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    pub setup_seconds: f64,
    pub stepping_seconds: f64,
    pub months_per_second: f64,
    pub agent_months_per_second: f64,
}

/// A finished simulation.
pub struct Finished {
    pub sim: Sim,
    pub state_hash: u64,
    pub timing: Timing,
}

/// Builds the world and steps it to the scenario's horizon, timing setup and stepping apart.
pub fn simulate(scenario: Scenario, progress: Progress) -> anyhow::Result<Finished> {
    simulate_with(scenario, progress, |_| Ok(()))
}

/// [`simulate`], calling `after_month` after every month (its time counts as stepping).
pub fn simulate_with(
    scenario: Scenario,
    mut progress: Progress,
    mut after_month: impl FnMut(&mut Sim) -> anyhow::Result<()>,
) -> anyhow::Result<Finished> {
    let t0 = Instant::now();
    let mut sim = Sim::new(scenario).map_err(|e| match e {
        SimError::Invalid(_) => anyhow::Error::new(e).context("invalid scenario"),
        other => anyhow::Error::new(other).context("cannot build the simulation"),
    })?;
    let setup_seconds = t0.elapsed().as_secs_f64();
    let months = sim.horizon();
    let t1 = Instant::now();
    progress.update(0);
    for m in 0..months {
        sim.step();
        after_month(&mut sim)?;
        progress.update(m + 1);
    }
    let stepping_seconds = t1.elapsed().as_secs_f64();
    progress.finish();
    let state_hash = sim.state_hash();
    let agent_months = sim.user_agents() as f64 * f64::from(months);
    let per_second = |x: f64| {
        if stepping_seconds > 0.0 {
            x / stepping_seconds
        } else {
            0.0
        }
    };
    Ok(Finished {
        timing: Timing {
            setup_seconds,
            stepping_seconds,
            months_per_second: per_second(f64::from(months)),
            agent_months_per_second: per_second(agent_months),
        },
        sim,
        state_hash,
    })
}

/// `0x` and 16 lower-case hex digits.
pub fn hash_hex(h: u64) -> String {
    format!("0x{h:016x}")
}

/// metrics.csv (sim-core writes it, so the browser's download has the same bytes).
pub use sim_core::key_metrics::to_csv as metrics_csv;

/// summary.json. Everything but `timing` is a deterministic function of the binary, the
/// scenario and the seed.
#[derive(Serialize)]
struct Summary<'a> {
    goldrush_version: &'static str,
    git_commit: &'static str,
    scenario: &'a str,
    scenario_origin: &'a str,
    seed: u64,
    months: u32,
    user_agents: u64,
    state_hash: String,
    final_metrics: Option<&'a Metrics>,
    platforms: &'a [PlatformStanding],
    resolved_scenario: &'a Scenario,
    timing: Timing,
}

fn summary_json(loaded: &Loaded, f: &Finished, platforms: &[PlatformStanding]) -> String {
    let sim = &f.sim;
    let summary = Summary {
        goldrush_version: VERSION,
        git_commit: GIT_COMMIT,
        scenario: &sim.scenario().name,
        scenario_origin: &loaded.origin,
        seed: sim.scenario().run.seed,
        months: sim.month(),
        user_agents: sim.user_agents(),
        state_hash: hash_hex(f.state_hash),
        final_metrics: sim.metrics().last(),
        platforms,
        resolved_scenario: sim.scenario(),
        timing: f.timing,
    };
    let mut s = serde_json::to_string_pretty(&summary)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise summary: {e}\"}}"));
    s.push('\n');
    s
}

/// Platforms by user share, largest first (ties by name, so the order is stable).
pub fn platforms_by_share(sim: &Sim) -> Vec<PlatformStanding> {
    let mut p = sim.platforms();
    p.sort_by(|a, b| b.share.total_cmp(&a.share).then_with(|| a.name.cmp(&b.name)));
    p
}

/// A large number with a k/M/B/T suffix: `1.23 B`.
pub fn si(x: f64) -> String {
    let a = x.abs();
    let (v, suffix) = if a >= 1e12 {
        (x / 1e12, " T")
    } else if a >= 1e9 {
        (x / 1e9, " B")
    } else if a >= 1e6 {
        (x / 1e6, " M")
    } else if a >= 1e4 {
        (x / 1e3, " k")
    } else {
        (x, "")
    };
    format!("{v:.2}{suffix}")
}

/// Seconds to a readable duration.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

fn human_summary(loaded: &Loaded, f: &Finished, platforms: &[PlatformStanding], written: &[PathBuf]) -> String {
    let sim = &f.sim;
    let sc = sim.scenario();
    let t = &f.timing;
    let mut s = String::new();
    let _ = writeln!(s, "goldrush {VERSION} (git {GIT_COMMIT})");
    let _ = writeln!(s, "scenario     {} ({})", sc.name, loaded.origin);
    let _ = writeln!(s, "seed         {}", sc.run.seed);
    let _ = writeln!(s, "months       {} (from {})", sim.month(), sc.run.start_year);
    let _ = writeln!(s, "user agents  {}", sim.user_agents());
    let _ = writeln!(s, "state hash   {}", hash_hex(f.state_hash));
    let _ = writeln!(s, "setup        {}", secs(t.setup_seconds));
    let _ = writeln!(
        s,
        "stepping     {} ({:.1} months/s, {} agent-months/s)",
        secs(t.stepping_seconds),
        t.months_per_second,
        si(t.agent_months_per_second)
    );
    if let Some(m) = sim.metrics().last() {
        let _ = writeln!(s, "\nfinal month ({})", m.month);
        let _ = writeln!(s, "  leader user share   {:.1}%", m.leader_user_share * 100.0);
        let _ = writeln!(s, "  users HHI           {:.0}", m.users_hhi);
        let _ = writeln!(s, "  compute CR5         {:.1}%", m.compute_cr5 * 100.0);
        let _ = writeln!(s, "  spot price          {:.2} USD/GPU-h", m.spot_price_usd);
        let _ = writeln!(s, "  contract price      {:.2} USD/GPU-h", m.contract_price_usd);
        let _ = writeln!(s, "  startups alive      {:.0}", m.startups_alive);
        let _ = writeln!(s, "  consumer surplus    {} USD/month", si(m.consumer_surplus_usd));
    }
    let name_w = platforms
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(s, "\nplatforms by user share");
    let _ = writeln!(
        s,
        "  {:<name_w$}  {:<12}  {:>7}  {:>7}",
        "name", "kind", "share %", "quality"
    );
    for p in platforms {
        let _ = writeln!(
            s,
            "  {:<name_w$}  {:<12}  {:>7.1}  {:>7.1}{}",
            p.name,
            p.kind,
            // Exited platforms keep float residue (±1e-17) in their user counts: show 0.0.
            if p.share.abs() < 5e-4 { 0.0 } else { p.share * 100.0 },
            p.quality,
            if p.alive { "" } else { "  (exited)" }
        );
    }
    let is_chart = |p: &&PathBuf| p.extension().is_some_and(|e| e == "png" || e == "svg");
    let files: Vec<String> = written
        .iter()
        .filter(|p| !is_chart(p))
        .map(|p| p.display().to_string())
        .collect();
    let _ = write!(s, "\nwrote {}", files.join(", "));
    let charts = written.iter().filter(is_chart).count();
    if charts > 0 {
        let _ = write!(s, " and {charts} charts (SVG and PNG)");
    }
    s.push('\n');
    s
}

/// Why a run folder has no firm-level charts.
pub const MISSING_PANEL: &str = "it needs the firm panel (panel.csv): re-run with `goldrush run --panel`";

/// Every metric's trajectory by name (`month` left out).
pub fn trajectories(rows: &[Metrics]) -> BTreeMap<String, Vec<f64>> {
    METRICS
        .iter()
        .filter(|m| m.name != "month")
        .map(|m| {
            let traj = rows
                .iter()
                .map(|r| r.get(m.name).expect("metric names come from METRICS"))
                .collect();
            (m.name.to_string(), traj)
        })
        .collect()
}

/// Platform names by firm id.
pub fn platform_names(platforms: &[PlatformStanding]) -> BTreeMap<u64, String> {
    platforms.iter().filter_map(|p| Some((p.id?, p.name.clone()))).collect()
}

/// The charts of the runs of one scenario (`goldrush run --plots`, and `goldrush plot` on run
/// folders of one scenario): the key metrics ([`DEFAULT_METRICS`], those `goldrush compare`
/// compares), spot vs contract price, platform shares and startup survival. One run is titled
/// `SCENARIO, seed S`; several are drawn as mean and band across seeds.
pub fn run_charts(scenario: &str, seed: u64, runs: Vec<RunData>, notes: &mut Vec<String>) -> Vec<(String, Chart)> {
    let metrics: Vec<_> = DEFAULT_METRICS.iter().filter_map(|n| charts::metric(n)).collect();
    let group = Group {
        label: scenario.to_string(),
        runs,
    };
    let one_run = format!("{scenario}, seed {seed}");
    charts::charts_for(&[group], &metrics, &one_run, "seeds", MISSING_PANEL, notes)
}

/// `goldrush run`.
pub fn run(opts: &RunOptions) -> anyhow::Result<()> {
    let loaded = load_scenario(&opts.scenario, &opts.overrides)?;
    // Fail fast: an unwritable --out must not cost a whole simulation.
    prepare_out_dir(&opts.out)?;
    let show_bar = !opts.quiet && std::io::stderr().is_terminal();
    let progress = Progress::new(loaded.scenario.run.months, show_bar);
    // The panel is streamed into its temporary file month by month, never held in memory.
    let mut panel = if opts.panel {
        let mut f = StreamedFile::create(&opts.out, "panel.csv")?;
        f.write(&format!("{}\n", PANEL_COLUMNS.join(",")))?;
        Some(f)
    } else {
        None
    };
    // With --plots the firm-level charts are gathered from the panel month by month.
    let mut firms = opts.plots.then(FirmLog::default);
    let finished = simulate_with(loaded.scenario.clone(), progress, |sim| {
        if panel.is_none() && firms.is_none() {
            return Ok(());
        }
        let rows = sim.panel();
        if let Some(f) = panel.as_mut() {
            let mut chunk = String::new();
            for row in &rows {
                chunk.push_str(&row.csv_line());
            }
            f.write(&chunk)?;
        }
        if let Some(log) = firms.as_mut() {
            for r in &rows {
                log.add(r.month, r.id, r.kind, i64::from(r.founded), r.users, r.alive);
            }
        }
        Ok(())
    })?;
    let platforms = platforms_by_share(&finished.sim);
    let csv = metrics_csv(finished.sim.metrics());
    let json = summary_json(&loaded, &finished, &platforms);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("metrics.csv".into(), csv.into_bytes()),
        ("summary.json".into(), json.into_bytes()),
    ];
    if let Some(log) = firms {
        let sim = &finished.sim;
        let data = RunData::with_firms(trajectories(sim.metrics()), &log, &platform_names(&platforms));
        let mut notes = Vec::new();
        let charts = run_charts(&sim.scenario().name, sim.scenario().run.seed, vec![data], &mut notes);
        files.extend(charts::render(&charts, Formats::BOTH)?);
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    let written = write_atomically(&opts.out, &refs, panel.into_iter().collect())
        .with_context(|| format!("cannot write results into {:?}", display(&opts.out)))?;
    if !opts.quiet {
        emit(&human_summary(&loaded, &finished, &platforms, &written))?;
    }
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

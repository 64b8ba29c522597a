//! `goldrush run`: simulate a scenario, write metrics.csv and summary.json (and with `--panel`
//! the firm panel, panel.csv, streamed month by month; with `--plots` the charts), print a
//! summary.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use sim_core::Sim;
use sim_core::sim::PlatformStanding;

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::charts::{self, FirmLog, Formats, RunData, platform_names, run_charts, trajectories};
use crate::errors::emit;
use crate::formats::{metrics_csv, panel_csv, summary_json};
use crate::load::{Loaded, load_scenario, with_run_overrides};
use crate::output::{StreamedFile, prepare_out_dir, write_atomically};
use crate::progress::Progress;
use crate::simulate::{Finished, hash_hex, secs, si, simulate_with};

/// Platforms by user share, largest first (ties by name, so the order is stable).
pub fn platforms_by_share(sim: &Sim) -> Vec<PlatformStanding> {
    let mut p = sim.platforms();
    p.sort_by(|a, b| b.share.total_cmp(&a.share).then_with(|| a.name.cmp(&b.name)));
    p
}

fn human_summary(loaded: &Loaded, f: &Finished, platforms: &[PlatformStanding], written: &[PathBuf]) -> String {
    let sim = &f.sim;
    let sc = sim.scenario();
    let t = &f.timing;
    let mut s = String::new();
    let _ = writeln!(s, "goldrush {VERSION} (git {GIT_COMMIT})");
    let _ = writeln!(s, "scenario     {} ({})", sc.name, loaded.origin);
    let _ = writeln!(s, "seed         {}", sc.run.seed);
    let _ = writeln!(s, "months       {} (from {})", sim.month(), sc.run.start);
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
        let _ = writeln!(
            s,
            "  consumer surplus    {:.0} USD/user/month ({} USD/month in all)",
            m.consumer_surplus_per_user_usd,
            si(m.consumer_surplus_usd)
        );
        let _ = writeln!(s, "  paid conversion     {:.1}%", m.paid_conversion * 100.0);
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

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Built-in scenario name (see `goldrush scenarios`) or path to a .toml scenario file.
    #[arg(value_name = "SCENARIO", default_value = "baseline")]
    pub scenario: String,
    /// Master random seed (same as --set run.seed=N). At most 9223372036854775807, the
    /// largest integer a TOML scenario file can hold.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Months to simulate (same as --set run.months=N).
    #[arg(long, value_name = "N")]
    pub months: Option<u32>,
    /// Override a parameter, e.g. --set users.theta_network=1.0 or --set firms[0].cash_usd=1e9
    /// (repeatable; applied in order, after the file and its extends).
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
    /// Directory for metrics.csv, summary.json and the other outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// No progress bar and no summary on stdout (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write panel.csv: one row per firm per month (kind, nation, users, revenue, cash,
    /// compute, employees, talent, quality, alive, exit cause), streamed as the run goes.
    #[arg(long)]
    pub panel: bool,
    /// Also write charts (PNG and SVG) into --out: key metrics, spot vs contract price,
    /// platform user shares and startup survival (see `goldrush plot --help`).
    #[arg(long)]
    pub plots: bool,
}

/// `goldrush run`.
pub fn run(opts: &RunArgs) -> anyhow::Result<()> {
    let overrides = with_run_overrides(&opts.set, opts.seed, opts.months);
    let loaded = load_scenario(&opts.scenario, &overrides)?;
    // Fail fast: an unwritable --out must not cost a whole simulation.
    prepare_out_dir(&opts.out)?;
    let show_bar = !opts.quiet && std::io::stderr().is_terminal();
    let progress = Progress::new(loaded.scenario.run.months, show_bar);
    // The panel is streamed into its temporary file month by month, never held in memory.
    let mut panel = if opts.panel {
        let mut f = StreamedFile::create(&opts.out, "panel.csv")?;
        f.write(&panel_csv::header())?;
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
            f.write(&panel_csv::rows(&rows, sim.scenario().run.start))?;
        }
        if let Some(log) = firms.as_mut() {
            for r in &rows {
                log.add(r.month, r.id, r.kind, i64::from(r.founded), r.users, r.alive);
            }
        }
        Ok(())
    })?;
    let platforms = platforms_by_share(&finished.sim);
    let csv = metrics_csv::write(finished.sim.metrics(), finished.sim.scenario().run.start);
    let json = summary_json::write(&loaded, &finished, &platforms);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("metrics.csv".into(), csv.into_bytes()),
        ("summary.json".into(), json.into_bytes()),
    ];
    if let Some(log) = firms {
        let sim = &finished.sim;
        let data = RunData::with_firms(trajectories(sim.metrics()), &log, &platform_names(&platforms));
        let mut notes = Vec::new();
        let charts = run_charts(
            &sim.scenario().name,
            sim.scenario().run.seed,
            Some(sim.scenario().run.start),
            vec![data],
            &mut notes,
        );
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

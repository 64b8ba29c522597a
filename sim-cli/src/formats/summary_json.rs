//! summary.json (`goldrush run`): version, seed, calendar start and final date, state hash,
//! final metrics, platforms, the fully resolved scenario and the timings. Read back by `goldrush plot` for the run's identity
//! (scenario, seed, the resolved scenario that groups runs into series) and platform names.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use sim_core::sim::PlatformStanding;
use sim_core::{Metrics, Scenario, YearMonth, key_metrics};

use super::{field, read_json, str_field, u64_field};
use crate::build_info::{GIT_COMMIT, VERSION};
use crate::load::Loaded;
use crate::simulate::{Finished, Timing, hash_hex};

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
    /// The calendar month of month 0 (`run.start`, YYYY-MM).
    start: YearMonth,
    /// The calendar month of the last recorded month (the date of `final_metrics`).
    final_date: Option<YearMonth>,
    user_agents: u64,
    state_hash: String,
    final_metrics: Option<&'a Metrics>,
    platforms: &'a [PlatformStanding],
    resolved_scenario: &'a Scenario,
    timing: Timing,
}

pub fn write(loaded: &Loaded, f: &Finished, platforms: &[PlatformStanding]) -> String {
    let sim = &f.sim;
    let summary = Summary {
        goldrush_version: VERSION,
        git_commit: GIT_COMMIT,
        scenario: &sim.scenario().name,
        scenario_origin: &loaded.origin,
        seed: sim.scenario().run.seed,
        months: sim.month(),
        start: sim.scenario().run.start,
        final_date: sim
            .metrics()
            .last()
            .map(|m| key_metrics::date_of(sim.scenario().run.start, m.month)),
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

/// A summary.json read back.
pub struct SummaryFile {
    pub scenario: String,
    pub seed: u64,
    /// The resolved scenario without its seed: runs with equal keys form one series.
    pub key: String,
    /// Platform names by firm id.
    pub platform_names: BTreeMap<u64, String>,
    /// The calendar month of month 0 (`run.start` of the resolved scenario); `None` in the
    /// summary of a goldrush from before calendar time.
    pub start: Option<YearMonth>,
    path: std::path::PathBuf,
    doc: Value,
}

impl SummaryFile {
    /// The months the run recorded.
    pub fn months(&self) -> anyhow::Result<u64> {
        u64_field(&self.doc, &self.path, "/months")
    }
}

/// Reads summary.json: bad input naming the file and field when one is missing.
pub fn read(path: &Path) -> anyhow::Result<SummaryFile> {
    let summary = read_json(path)?;
    let scenario = str_field(&summary, path, "/scenario")?.to_string();
    let seed = u64_field(&summary, path, "/seed")?;
    let mut resolved = field(&summary, path, "/resolved_scenario")?.clone();
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
    let start = start_of(&resolved);
    Ok(SummaryFile {
        scenario,
        seed,
        key,
        platform_names: names,
        start,
        path: path.to_path_buf(),
        doc: summary,
    })
}

/// `run.start` of a resolved scenario in JSON, if it is there and valid.
pub fn start_of(resolved: &Value) -> Option<YearMonth> {
    resolved.pointer("/run/start")?.as_str()?.parse().ok()
}

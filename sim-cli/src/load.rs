//! Finding and loading scenarios: built-in names, files, and `extends` between files.

use std::path::{MAIN_SEPARATOR, Path};

use anyhow::Context;
use sim_core::Scenario;
use sim_core::scenario::{self, BUILTIN};

use crate::errors::{bad_input, io_message};

/// A loaded, validated scenario and where it came from.
pub struct Loaded {
    pub scenario: Scenario,
    /// `builtin:NAME` or the file path as given.
    pub origin: String,
}

/// Names of the built-in scenarios, comma-separated.
pub fn builtin_names() -> String {
    BUILTIN.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
}

/// Whether the argument looks like a scenario name rather than a path.
fn looks_like_name(arg: &str) -> bool {
    !arg.contains('/') && !arg.contains(MAIN_SEPARATOR) && !arg.ends_with(".toml")
}

/// Reads a scenario file; a failure is bad input naming the file.
fn read_scenario_file(path: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        let mut msg = format!("cannot read scenario file {path:?}: {}", io_message(&e));
        if e.kind() == std::io::ErrorKind::NotFound && looks_like_name(path) {
            msg.push_str(&format!(
                "\nhint: {path:?} is not a built-in scenario either; built-ins are: {} \
                 (see `goldrush scenarios`)",
                builtin_names()
            ));
        }
        bad_input(msg)
    })
}

/// Resolves `extends = NAME` written in `from`: a built-in first, then a file relative to the
/// directory of `from` (as written, or with `.toml` appended).
fn resolve(name: &str, from: &str) -> Result<(String, String), String> {
    if let Some(text) = scenario::builtin(name) {
        return Ok((text.to_string(), format!("builtin:{name}")));
    }
    if from.starts_with("builtin:") {
        return Err(format!(
            "no built-in scenario of that name (built-ins: {})",
            builtin_names()
        ));
    }
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut candidates = vec![dir.join(name)];
    if !name.ends_with(".toml") {
        candidates.push(dir.join(format!("{name}.toml")));
    }
    for c in &candidates {
        match std::fs::read_to_string(c) {
            Ok(text) => return Ok((text, c.display().to_string())),
            // A directory of that name is not a scenario; try the next candidate.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound || c.is_dir() => {}
            Err(e) => {
                return Err(format!("cannot read {:?}: {}", c.display().to_string(), io_message(&e)));
            }
        }
    }
    let tried: Vec<String> = candidates
        .iter()
        .map(|c| format!("{:?}", c.display().to_string()))
        .collect();
    Err(format!(
        "no built-in scenario or file of that name (built-ins: {}; files tried: {})",
        builtin_names(),
        tried.join(", ")
    ))
}

/// Loads a built-in name or a scenario file, applies `overrides`, and validates.
pub fn load_scenario(arg: &str, overrides: &[String]) -> anyhow::Result<Loaded> {
    let (text, origin) = match scenario::builtin(arg) {
        Some(t) => (t.to_string(), format!("builtin:{arg}")),
        None => (read_scenario_file(arg)?, arg.to_string()),
    };
    let scenario = scenario::load(&text, &origin, &mut resolve, overrides)
        .map_err(anyhow::Error::new)
        .with_context(|| format!("cannot load scenario {origin:?}"))?;
    Ok(Loaded { scenario, origin })
}

/// The line `goldrush validate` prints for a valid scenario.
pub fn describe_ok(arg: &str, s: &Scenario) -> String {
    let users = u64::from(s.users.consumer_agents) + u64::from(s.users.enterprise_agents);
    format!(
        "OK: {arg} ({name}): {n} nations, {f} firms, {sh} supply shocks, {u} user agents, \
         {st} initial startups, {m} months, seed {seed}",
        name = if s.name.is_empty() { "unnamed" } else { &s.name },
        n = s.nations.len(),
        f = s.firms.len(),
        sh = s.shocks.len(),
        u = users,
        st = s.startups.initial_count,
        m = s.run.months,
        seed = s.run.seed,
    )
}

/// `--seed` and `--months` are plain overrides appended after `--set`, so they are validated
/// and reported like any other.
pub fn with_run_overrides(set: &[String], seed: Option<u64>, months: Option<u32>) -> Vec<String> {
    let mut v = set.to_vec();
    if let Some(s) = seed {
        v.push(format!("run.seed={s}"));
    }
    if let Some(m) = months {
        v.push(format!("run.months={m}"));
    }
    v
}

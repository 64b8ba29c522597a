//! Shared helpers of the goldrush integration tests.

use sim_core::{Scenario, Sim};

/// Loads a built-in scenario with overrides, panicking with the loader's message.
pub fn builtin(name: &str, overrides: &[&str]) -> Scenario {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    sim_core::scenario::load_builtin(name, &o).unwrap_or_else(|e| panic!("built-in {name}: {e}"))
}

/// Runs a scenario to its horizon and returns the simulation.
pub fn run(scenario: Scenario) -> Sim {
    let mut sim = Sim::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    let months = sim.horizon();
    sim.run(months);
    sim
}

/// Formats a hash as the CLI prints it.
pub fn hex(h: u64) -> String {
    format!("{h:#018x}")
}

/// The one paired-seed comparison (mean difference and its Student-t 95% interval): every test
/// that compares a policy with its baseline over seeds uses it, as `goldrush compare` does.
pub use sim_core::stats::{Paired, Verdict, t975};

/// Runs `base` and `policy` (scenario builders taking a seed) for every seed and compares
/// `metric` (policy − baseline) seed by seed.
pub fn paired(
    seeds: std::ops::Range<u64>,
    base: impl Fn(u64) -> Scenario,
    policy: impl Fn(u64) -> Scenario,
    metric: impl Fn(&Sim) -> f64,
) -> Paired {
    let diffs: Vec<f64> = seeds
        .map(|seed| metric(&run(policy(seed))) - metric(&run(base(seed))))
        .collect();
    assert!(diffs.len() >= 2, "a paired CI needs at least two seeds");
    Paired::from_diffs(diffs)
}

/// A built-in scenario with overrides and `run.seed = seed`.
pub fn seeded(name: &str, overrides: &[&str], seed: u64) -> Scenario {
    let mut o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    o.push(format!("run.seed={seed}"));
    sim_core::scenario::load_builtin(name, &o).unwrap_or_else(|e| panic!("built-in {name}: {e}"))
}

/// The exit status by which a test script or a stage of scripts/test.sh says "could not run
/// here" (the automake convention): scripts/test.sh counts it as skipped, or, under `CI=true`,
/// as failed.
pub const SKIPPED_EXIT: i32 = 77;

/// Whether this runs in CI (`CI=true`), where a test that cannot run is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Call when test `test` cannot run here because of `why` (a missing tool), then return from the
/// test. Under `CI=true` this panics: in CI a skip is a failure. Otherwise it writes
/// `SKIPPED <test>: <why>` to the real stderr (past cargo's capture of passing tests' output)
/// and appends that line to the file named by `GOLDRUSH_SKIPS` if set, so scripts/test.sh
/// reports its `test` stage as skipped rather than passed.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let line = format!("SKIPPED {test}: {why}");
    if in_ci() {
        panic!("{line} (CI=true: a test that cannot run is a failure)");
    }
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    if let Some(path) = std::env::var_os("GOLDRUSH_SKIPS") {
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = appended {
            panic!(
                "{line}; and cannot record it in {}: {e}",
                std::path::Path::new(&path).display()
            );
        }
    }
}

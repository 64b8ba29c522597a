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

pub use sim_core::stats::{Paired, t975};

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

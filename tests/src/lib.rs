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

//! `goldrush show` and `goldrush validate`: a scenario resolved (extends and --set applied),
//! printed as TOML or checked.

use clap::Args;

use crate::errors::emit;
use crate::load::{describe_ok, load_scenario};

/// A scenario and parameter overrides.
#[derive(Args, Debug)]
pub struct ScenarioArgs {
    /// Built-in scenario name (see `goldrush scenarios`) or path to a .toml scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
    /// Override a parameter, e.g. --set users.theta_network=1.0 or --set firms[0].cash_usd=1e9
    /// (repeatable; applied in order, after the file and its extends).
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
}

/// `goldrush show SCENARIO`: the resolved scenario as TOML (itself a valid scenario file).
pub fn show(a: &ScenarioArgs) -> anyhow::Result<()> {
    let loaded = load_scenario(&a.scenario, &a.set)?;
    emit(&sim_core::scenario::to_toml(&loaded.scenario))
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario file to check (a built-in name works too).
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Override a parameter before validating (repeatable), e.g. --set run.months=24.
    #[arg(long = "set", value_name = "SECTION.KEY=VALUE")]
    pub set: Vec<String>,
}

/// `goldrush validate FILE`: `OK: ...`, or every problem (bad input, exit 2).
pub fn validate(a: &ValidateArgs) -> anyhow::Result<()> {
    let loaded = load_scenario(&a.file, &a.set)?;
    emit(&format!("{}\n", describe_ok(&a.file, &loaded.scenario)))
}

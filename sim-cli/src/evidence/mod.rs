//! Evidence: target moments computed from the data in `data/`, and the model's value of each.
//!
//! A targets file (`data/targets.toml`, embedded in the binary; see its header and
//! data/README.md) declares each moment: the data behind it (a CSV file, a filter, a
//! derivation computed here — shares of owners at a date, growth ratios, sums over a year, OLS
//! slopes, means over cohorts — or a literal reported figure with its source), an interval, a
//! calendar period and the model quantity it is compared with (a metric or a named firm
//! group's share, and a statistic over calendar months). [`targets`] parses and validates it
//! and computes the data values; [`record`] runs a scenario and keeps what the moments need;
//! [`Target::simulate`] evaluates one moment on one run. `goldrush backtest` and `goldrush
//! calibrate` are built on this module. CSVs are read here (sim-cli), never in sim-core.

pub mod record;
pub mod targets;

pub use record::{RunRecord, record_run};
pub use targets::{Target, TargetSet, load_builtin_targets, load_targets};

/// All moments of a run, in the set's order.
pub fn moments(set: &TargetSet, run: &RunRecord) -> Vec<f64> {
    set.targets.iter().map(|t| t.simulate(run)).collect()
}

/// The `n` seeds of a backtest or calibration derived from a scenario's `run.seed`: replicate
/// `r` gets `seed_for(master, 0, r)`, the seed a one-point sweep with that master seed gives it.
pub fn seeds(master: u64, n: u32) -> Vec<u64> {
    (0..u64::from(n))
        .map(|r| crate::sweep_spec::seed_for(master, 0, r))
        .collect()
}

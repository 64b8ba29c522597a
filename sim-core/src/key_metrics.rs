//! The key metrics both front ends show first, and metrics.csv, the monthly metrics as text.
//!
//! [`KEY_METRICS`] are the metrics `goldrush compare` compares and `goldrush run --plots` charts
//! by default; [`SENSITIVITY_OUTPUTS`] those `goldrush sensitivity` analyses when a spec names
//! none. [`to_csv`] writes metrics.csv as `goldrush run` writes it and the browser downloads it.
//! Pure functions of their inputs, no I/O.

use std::fmt::Write as _;

use crate::{METRICS, Metrics};

/// Metrics compared when `--metrics` is not given: concentration of users and compute, prices,
/// startups' fate, talent, national lock-in, the haves' share and users' welfare.
pub const KEY_METRICS: &[&str] = &[
    "users_hhi",
    "users_cr1",
    "switching_rate",
    "compute_cr5",
    "spot_price_usd",
    "startups_alive",
    "survival_60m",
    "talent_top_hub_share",
    "deal_lockin_share",
    "haves_compute_share",
    "consumer_surplus_usd",
];

/// Outputs a sensitivity analysis uses when the spec lists none: concentration of users and
/// compute, the leader's share, the spot price, startups alive and the haves' share of compute.
pub const SENSITIVITY_OUTPUTS: &[&str] = &[
    "users_hhi",
    "leader_user_share",
    "compute_cr5",
    "spot_price_usd",
    "startups_alive",
    "haves_compute_share",
];

/// metrics.csv: a header of metric names, then one row per month; floats in Rust's shortest
/// round-trip `{}` form so the file is byte-for-byte deterministic.
pub fn to_csv(rows: &[Metrics]) -> String {
    let mut s = METRICS.iter().map(|m| m.name).collect::<Vec<_>>().join(",");
    s.push('\n');
    for row in rows {
        let mut first = true;
        for v in row.values() {
            if !first {
                s.push(',');
            }
            first = false;
            let _ = write!(s, "{v}");
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_metrics_are_metrics() {
        for name in KEY_METRICS.iter().chain(SENSITIVITY_OUTPUTS) {
            assert!(
                METRICS.iter().any(|m| m.name == *name && m.name != "month"),
                "{name} is listed as a key metric but is not a metrics.csv column"
            );
        }
    }
}

//! The key metrics both front ends show first, and metrics.csv, the monthly metrics as text.
//!
//! [`KEY_METRICS`] are the metrics `goldrush compare` compares and `goldrush run --plots` charts
//! by default; [`SENSITIVITY_OUTPUTS`] those `goldrush sensitivity` analyses when a spec names
//! none. [`to_csv`] writes metrics.csv as `goldrush run` writes it and the browser downloads it.
//! Pure functions of their inputs, no I/O.

use std::fmt::Write as _;

use crate::kernel::calendar::YearMonth;
use crate::metrics::MetricSpec;
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
    "consumer_surplus_per_user_usd",
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

/// The `date` column of metrics.csv and panel.csv: the calendar month of the row's `month`,
/// `run.start + month`. A label, not a metric: no rule reads it and `Metrics` does not hold it.
pub const DATE_COLUMN: MetricSpec = MetricSpec {
    name: "date",
    unit: "YYYY-MM",
    doc: "Calendar month of the row: run.start + month (a label; no rule reads it).",
};

/// The columns of metrics.csv, in order: `month`, then [`DATE_COLUMN`], then every other metric.
pub fn csv_columns() -> Vec<MetricSpec> {
    let mut cols = Vec::with_capacity(METRICS.len() + 1);
    for m in METRICS {
        cols.push(*m);
        if m.name == "month" {
            cols.push(DATE_COLUMN);
        }
    }
    cols
}

/// metrics.csv: a header of column names ([`csv_columns`]), then one row per month, its date
/// (YYYY-MM, months counted from `start`, the scenario's `run.start`) right after `month`;
/// floats in Rust's shortest round-trip `{}` form so the file is byte-for-byte deterministic.
pub fn to_csv(rows: &[Metrics], start: YearMonth) -> String {
    let mut s = csv_columns().iter().map(|m| m.name).collect::<Vec<_>>().join(",");
    s.push('\n');
    let month_col = METRICS.iter().position(|m| m.name == "month");
    for row in rows {
        for (i, v) in row.values().into_iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "{v}");
            if Some(i) == month_col {
                let _ = write!(s, ",{}", date_of(start, v));
            }
        }
        s.push('\n');
    }
    s
}

/// The calendar month of month index `month` (a metrics row's `month`) of a run starting at `start`.
pub fn date_of(start: YearMonth, month: f64) -> YearMonth {
    // Month indices are small whole numbers; anything else saturates (never in a real run).
    start.label_of(if month.is_finite() && month >= 0.0 {
        month as u32
    } else {
        0
    })
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

    #[test]
    fn metrics_csv_has_the_date_after_the_month() {
        let start = YearMonth::parse("2023-11").unwrap();
        let rows: Vec<Metrics> = (0..3)
            .map(|m| Metrics {
                month: f64::from(m),
                ..Default::default()
            })
            .collect();
        let csv = to_csv(&rows, start);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("month,date,"), "header: {}", lines[0]);
        let dates: Vec<&str> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap()).collect();
        assert_eq!(dates, ["2023-11", "2023-12", "2024-01"], "month m is run.start + m");
        let width = lines[0].split(',').count();
        assert!(
            lines.iter().all(|l| l.split(',').count() == width),
            "every row has the header's width"
        );
        assert_eq!(width, METRICS.len() + 1, "one column more than the metrics: the date");
    }
}

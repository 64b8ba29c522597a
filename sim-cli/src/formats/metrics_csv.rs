//! metrics.csv (`goldrush run`): a header of metric names, then one row per month (its
//! calendar `date` right after `month`). The writer
//! is sim-core's [`sim_core::key_metrics::to_csv`] (the browser downloads the same bytes); the
//! reader gives `goldrush plot` each metric's trajectory.

use std::collections::BTreeMap;
use std::path::Path;

use super::{number, read_csv, shown};
use crate::errors::bad_input;

/// metrics.csv of a run's monthly metrics.
pub use sim_core::key_metrics::to_csv as write;

/// Every metric's trajectory by name (`month` and the `date` label left out). `months` gives the number of months
/// the run's summary records (asked after the file is read); a file with another number of
/// rows is truncated.
pub fn read(path: &Path, months: impl FnOnce() -> anyhow::Result<u64>) -> anyhow::Result<BTreeMap<String, Vec<f64>>> {
    let csv = read_csv(path)?;
    let months = months()?;
    if csv.rows.len() as u64 != months {
        return Err(bad_input(format!(
            "{} has {} months but summary.json says {months} (truncated file?)",
            shown(path),
            csv.rows.len()
        )));
    }
    let mut metrics: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (c, name) in csv.header.iter().enumerate() {
        if name == "month" || name == "date" {
            continue;
        }
        let mut traj = Vec::with_capacity(csv.rows.len());
        for (i, row) in csv.rows.iter().enumerate() {
            traj.push(number(path, i + 2, name, &row[c])?);
        }
        metrics.insert(name.clone(), traj);
    }
    Ok(metrics)
}

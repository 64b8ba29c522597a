//! One simulation from scenario to horizon, timed (shared by run, compare, sweep and bench),
//! and the small formatters of their terminal output.

use std::time::Instant;

use serde::Serialize;
use sim_core::{Scenario, Sim, SimError};

use crate::progress::Progress;

/// Wall-clock timings of a run (the only non-deterministic part of the outputs).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    pub setup_seconds: f64,
    pub stepping_seconds: f64,
    pub months_per_second: f64,
    pub agent_months_per_second: f64,
}

/// A finished simulation.
pub struct Finished {
    pub sim: Sim,
    pub state_hash: u64,
    pub timing: Timing,
}

/// Builds the world and steps it to the scenario's horizon, timing setup and stepping apart.
pub fn simulate(scenario: Scenario, progress: Progress) -> anyhow::Result<Finished> {
    simulate_with(scenario, progress, |_| Ok(()))
}

/// [`simulate`], calling `after_month` after every month (its time counts as stepping).
pub fn simulate_with(
    scenario: Scenario,
    mut progress: Progress,
    mut after_month: impl FnMut(&mut Sim) -> anyhow::Result<()>,
) -> anyhow::Result<Finished> {
    let t0 = Instant::now();
    let mut sim = Sim::new(scenario).map_err(|e| match e {
        SimError::Invalid(_) => anyhow::Error::new(e).context("invalid scenario"),
        other => anyhow::Error::new(other).context("cannot build the simulation"),
    })?;
    let setup_seconds = t0.elapsed().as_secs_f64();
    let months = sim.horizon();
    let t1 = Instant::now();
    progress.update(0);
    for m in 0..months {
        sim.step();
        after_month(&mut sim)?;
        progress.update(m + 1);
    }
    let stepping_seconds = t1.elapsed().as_secs_f64();
    progress.finish();
    let state_hash = sim.state_hash();
    let agent_months = sim.user_agents() as f64 * f64::from(months);
    let per_second = |x: f64| {
        if stepping_seconds > 0.0 {
            x / stepping_seconds
        } else {
            0.0
        }
    };
    Ok(Finished {
        timing: Timing {
            setup_seconds,
            stepping_seconds,
            months_per_second: per_second(f64::from(months)),
            agent_months_per_second: per_second(agent_months),
        },
        sim,
        state_hash,
    })
}

/// `0x` and 16 lower-case hex digits.
pub fn hash_hex(h: u64) -> String {
    format!("0x{h:016x}")
}

/// A large number with a k/M/B/T suffix: `1.23 B`.
pub fn si(x: f64) -> String {
    let a = x.abs();
    let (v, suffix) = if a >= 1e12 {
        (x / 1e12, " T")
    } else if a >= 1e9 {
        (x / 1e9, " B")
    } else if a >= 1e6 {
        (x / 1e6, " M")
    } else if a >= 1e4 {
        (x / 1e3, " k")
    } else {
        (x, "")
    };
    format!("{v:.2}{suffix}")
}

/// Seconds to a readable duration.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// Rows of cells as a text table: each column as wide as its widest cell, the columns in
/// `right` right-aligned (numbers), the others left-aligned, two spaces between columns.
pub fn aligned_table<R: AsRef<[String]>>(rows: &[R], right: std::ops::RangeInclusive<usize>) -> String {
    use std::fmt::Write as _;
    let n = rows.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|row| row.as_ref().get(c).map_or(0, |x| x.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.as_ref().iter().enumerate() {
            let w = widths[c];
            if right.contains(&c) {
                let _ = write!(line, "{cell:>w$}  ");
            } else {
                let _ = write!(line, "{cell:<w$}  ");
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

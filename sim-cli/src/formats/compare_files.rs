//! The files of a comparison folder (`goldrush compare`): trajectories.csv (every run's compared
//! metrics and prices, month by month) and startups.csv (the startups observed, for survival
//! curves), written from the paired runs and read back by `goldrush plot`. compare.json and
//! compare.csv are the comparison's table, written by the command.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sim_core::{MetricSpec, YearMonth};

use super::{number, read_csv, shown};
use crate::errors::bad_input;
use goldrush_charts::Life;

/// One seed's pair: each recorded metric's monthly trajectory in both scenarios (the compared
/// metrics first, then the prices for the spot vs contract chart), startup lives, the hashes.
pub struct PairRun {
    pub seed: u64,
    /// `[metric][month]`.
    pub base: Vec<Vec<f64>>,
    pub policy: Vec<Vec<f64>>,
    pub base_lives: Vec<Life>,
    pub policy_lives: Vec<Life>,
    pub base_hash: u64,
    pub policy_hash: u64,
}

/// The two arms of a comparison.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    Base,
    Policy,
}

impl Arm {
    pub fn name(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::Policy => "policy",
        }
    }
}

/// trajectories.csv: `side,seed,month,date,<metrics>`, one row per side, seed and month (base
/// first, seeds in order; `date` is the month's calendar month from that side's `run.start`,
/// `starts` = [base, policy]); the compared metrics, then the spot and contract prices.
pub fn trajectories_csv(kept: &[&MetricSpec], pairs: &[PairRun], starts: [YearMonth; 2]) -> String {
    let mut s = String::from("side,seed,month,date");
    for m in kept {
        s.push(',');
        s.push_str(m.name);
    }
    s.push('\n');
    for side in [Arm::Base, Arm::Policy] {
        for p in pairs {
            let (traj, start) = if side == Arm::Base {
                (&p.base, starts[0])
            } else {
                (&p.policy, starts[1])
            };
            let months = traj.first().map_or(0, Vec::len);
            for t in 0..months {
                let date = start.label_of(t as u32);
                let _ = write!(s, "{},{},{t},{date}", side.name(), p.seed);
                for series in traj {
                    let _ = write!(s, ",{}", series[t]);
                }
                s.push('\n');
            }
        }
    }
    s
}

/// startups.csv: `side,seed,entry_age,end_age,exited`, one row per startup observed (ages in
/// months; see [`crate::charts`] for how lives are read from the panel).
pub fn startups_csv(pairs: &[PairRun]) -> String {
    let mut s = String::from("side,seed,entry_age,end_age,exited\n");
    for side in [Arm::Base, Arm::Policy] {
        for p in pairs {
            let lives = if side == Arm::Base {
                &p.base_lives
            } else {
                &p.policy_lives
            };
            for l in lives {
                let _ = writeln!(s, "{},{},{},{},{}", side.name(), p.seed, l.entry, l.end, l.exited);
            }
        }
    }
    s
}

/// The trajectories of every run by `(side, seed)`, one per metric in `names` order.
pub type Trajectories = BTreeMap<(String, u64), Vec<Vec<f64>>>;

/// Reads trajectories.csv: the metric names (after side,seed,month and the `date` label, which
/// folders from before calendar time lack) and every run's trajectories; bad input naming the
/// line for a malformed row or months out of order.
pub fn read_trajectories(path: &Path) -> anyhow::Result<(Vec<String>, Trajectories)> {
    let csv = read_csv(path)?;
    if csv.header.len() < 3 || csv.header[..3] != ["side", "seed", "month"] {
        return Err(bad_input(format!(
            "{}: the header must start with side,seed,month",
            shown(path)
        )));
    }
    let first = if csv.header.get(3).is_some_and(|h| h == "date") {
        4
    } else {
        3
    };
    let names: Vec<String> = csv.header[first..].to_vec();
    // (side, seed) → metric → trajectory.
    let mut runs: BTreeMap<(String, u64), Vec<Vec<f64>>> = BTreeMap::new();
    for (i, row) in csv.rows.iter().enumerate() {
        let n = i + 2;
        let side = row[0].clone();
        if side != "base" && side != "policy" {
            return Err(bad_input(format!(
                "{}:{n}: side {side:?} is not base or policy",
                shown(path)
            )));
        }
        let seed: u64 = row[1]
            .parse()
            .map_err(|_| bad_input(format!("{}:{n}: seed {:?} is not a seed", shown(path), row[1])))?;
        let traj = runs
            .entry((side, seed))
            .or_insert_with(|| vec![Vec::new(); names.len()]);
        let month: usize = row[2]
            .parse()
            .map_err(|_| bad_input(format!("{}:{n}: month {:?} is not a month", shown(path), row[2])))?;
        if month != traj[0].len() {
            return Err(bad_input(format!(
                "{}:{n}: month {month} out of order (expected {})",
                shown(path),
                traj[0].len()
            )));
        }
        for (k, name) in names.iter().enumerate() {
            traj[k].push(number(path, n, name, &row[first + k])?);
        }
    }
    Ok((names, runs))
}

/// Reads startups.csv: the startups observed by `(side, seed)`.
pub fn read_startups(path: &Path) -> anyhow::Result<BTreeMap<(String, u64), Vec<Life>>> {
    let csv = read_csv(path)?;
    if csv.header != ["side", "seed", "entry_age", "end_age", "exited"] {
        return Err(bad_input(format!(
            "{}: expected the header side,seed,entry_age,end_age,exited",
            shown(path)
        )));
    }
    let mut map: BTreeMap<(String, u64), Vec<Life>> = BTreeMap::new();
    for (i, row) in csv.rows.iter().enumerate() {
        let n = i + 2;
        let whole = |c: usize| -> anyhow::Result<u64> {
            row[c].parse().map_err(|_| {
                bad_input(format!(
                    "{}:{n}: column {}: {:?} is not a whole number",
                    shown(path),
                    csv.header[c],
                    row[c]
                ))
            })
        };
        let age = |c: usize| -> anyhow::Result<u32> {
            u32::try_from(whole(c)?)
                .map_err(|_| bad_input(format!("{}:{n}: column {}: out of range", shown(path), csv.header[c])))
        };
        let exited = match row[4].as_str() {
            "true" => true,
            "false" => false,
            other => {
                return Err(bad_input(format!(
                    "{}:{n}: column exited: {other:?} is not true or false",
                    shown(path)
                )));
            }
        };
        map.entry((row[0].clone(), whole(1)?)).or_default().push(Life {
            entry: age(2)?,
            end: age(3)?,
            exited,
        });
    }
    Ok(map)
}

//! One simulation recorded for the target moments: every month's metrics, and per month the
//! users, compute used and revenue of each firm the scenario names and the totals of each firm
//! kind (from the firm panel, firms alive at the month's end), with calendar dates.

use std::collections::BTreeMap;

use serde::Serialize;
use sim_core::{Metrics, Scenario, YearMonth};

use super::targets::{FirmVar, Series, Window};
use crate::progress::Progress;
use crate::simulate::simulate_with;

/// Monthly users, compute used and revenue of one firm or of a firm kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FirmSeries {
    pub users: Vec<f64>,
    pub compute: Vec<f64>,
    pub revenue: Vec<f64>,
}

impl FirmSeries {
    fn with_months(n: usize) -> Self {
        Self {
            users: vec![0.0; n],
            compute: vec![0.0; n],
            revenue: vec![0.0; n],
        }
    }

    fn get(&self, v: FirmVar) -> &[f64] {
        match v {
            FirmVar::Users => &self.users,
            FirmVar::Compute => &self.compute,
            FirmVar::Revenue => &self.revenue,
        }
    }
}

/// What one simulation recorded: every month's Metrics plus per-firm users / compute /
/// revenue by firm name, firm kinds and kind totals, with calendar dates.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Calendar month of month 0.
    pub start: YearMonth,
    pub seed: u64,
    pub state_hash: u64,
    /// One row per simulated month.
    pub metrics: Vec<Metrics>,
    /// The scenario's firms by name: (kind, monthly series; zero once exited).
    pub firms: BTreeMap<String, (String, FirmSeries)>,
    /// Totals per firm kind (`frontier`, `open_weights`, `neocloud`, `startup`).
    pub kinds: BTreeMap<String, FirmSeries>,
}

/// Builds and runs the scenario to its horizon (no files written), recording.
pub fn record_run(scenario: Scenario) -> anyhow::Result<RunRecord> {
    let months = scenario.run.months as usize;
    let start = scenario.run.start;
    let seed = scenario.run.seed;
    // Scenario firms get ids after the nations', in scenario order (sim_core::kernel::init).
    let first_id = scenario.nations.len() as u64 + 1;
    let names: Vec<(String, String)> = scenario
        .firms
        .iter()
        .map(|f| (f.name.clone(), f.kind.as_str().to_string()))
        .collect();
    let mut firms: Vec<FirmSeries> = names.iter().map(|_| FirmSeries::with_months(months)).collect();
    let mut kinds: BTreeMap<String, FirmSeries> = BTreeMap::new();
    let finished = simulate_with(scenario, Progress::new(0, false), |sim| {
        let rows = sim.panel();
        for r in rows.iter().filter(|r| r.alive) {
            let m = r.month as usize;
            if m >= months {
                continue;
            }
            let k = kinds
                .entry(r.kind.to_string())
                .or_insert_with(|| FirmSeries::with_months(months));
            k.users[m] += r.users;
            k.compute[m] += r.compute;
            k.revenue[m] += r.revenue;
            if let Some(i) = r.id.checked_sub(first_id).map(|i| i as usize)
                && i < firms.len()
            {
                firms[i].users[m] = r.users;
                firms[i].compute[m] = r.compute;
                firms[i].revenue[m] = r.revenue;
            }
        }
        Ok(())
    })?;
    let metrics = finished.sim.metrics().to_vec();
    Ok(RunRecord {
        start,
        seed,
        state_hash: finished.state_hash,
        metrics,
        firms: names.into_iter().zip(firms).map(|((n, k), s)| (n, (k, s))).collect(),
        kinds,
    })
}

impl RunRecord {
    /// Months recorded.
    pub fn months(&self) -> usize {
        self.metrics.len()
    }

    /// Calendar month of simulated month `m`.
    pub fn date(&self, m: usize) -> YearMonth {
        self.start.label_of(m as u32)
    }

    /// Month index of a calendar month, if the run covers it.
    pub fn month_of(&self, ym: YearMonth) -> Option<usize> {
        let m = ym.months_since(self.start);
        (m >= 0 && (m as usize) < self.months()).then_some(m as usize)
    }

    /// The series' value in month `m`.
    fn series_at(&self, s: &Series, m: usize) -> f64 {
        let metric = |name: &str| self.metrics[m].get(name).unwrap_or(f64::NAN);
        match s {
            Series::Metric { metric: a, over: None } => metric(a),
            Series::Metric {
                metric: a,
                over: Some(b),
            } => {
                let d = metric(b);
                if d == 0.0 { f64::NAN } else { metric(a) / d }
            }
            Series::Firms {
                firms,
                kinds,
                of,
                share,
                among,
            } => {
                let mut num = 0.0;
                for f in firms {
                    match self.firms.get(f) {
                        // A named firm of one of the `kinds` is counted once, with its kind.
                        Some((k, series)) if !kinds.contains(k) => num += series.get(*of)[m],
                        Some(_) => {}
                        None => return f64::NAN,
                    }
                }
                for k in kinds {
                    if let Some(series) = self.kinds.get(k) {
                        num += series.get(*of)[m];
                    }
                }
                if !*share {
                    return num;
                }
                let den: f64 = self
                    .kinds
                    .iter()
                    .filter(|(k, _)| among.is_empty() || among.contains(k))
                    .map(|(_, s)| s.get(*of)[m])
                    .sum();
                if den > 0.0 { num / den } else { f64::NAN }
            }
        }
    }

    /// The series over the whole run, month by month.
    pub fn series(&self, s: &Series) -> Vec<f64> {
        (0..self.months()).map(|m| self.series_at(s, m)).collect()
    }

    /// The series over a calendar window as (decimal year, value); `None` unless the run
    /// covers the whole window.
    pub fn window_series(&self, s: &Series, w: Window) -> Option<Vec<(f64, f64)>> {
        let a = self.month_of(w.first)?;
        let b = self.month_of(w.last)?;
        Some(
            (a..=b)
                .map(|m| (self.date(m).decimal_year(), self.series_at(s, m)))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scenario firms are found in the panel by their id (nations first, then firms in order):
    /// the recorded users of each platform match `Sim::platforms`' ids and names.
    #[test]
    fn firm_ids_follow_the_scenario_order() {
        let sc = crate::load::load_scenario("tiny", &[]).expect("tiny loads").scenario;
        let first = sc.nations.len() as u64 + 1;
        let mut sim = sim_core::Sim::new(sc.clone()).expect("tiny builds");
        sim.step();
        for p in sim.platforms() {
            if let Some(id) = p.id {
                let i = (id - first) as usize;
                assert_eq!(sc.firms[i].name, p.name, "firm id {id} should be scenario firm {i}");
            }
        }
        let mut short = sc;
        short.run.months = 3;
        let rec = record_run(short).expect("tiny runs");
        assert_eq!(rec.months(), 3);
        let total: f64 = rec.kinds.values().map(|k| k.compute[2]).sum();
        assert!(total > 0.0, "firms use compute");
    }
}

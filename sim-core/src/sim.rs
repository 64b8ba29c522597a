//! The facade: build a world from a scenario, step it, read metrics and the state hash.
//! Front ends use only this (and the parameter and metric types); they never touch ECS types.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::mechanisms::deals::Partnerships;
use crate::mechanisms::record::MetricsLog;
use crate::mechanisms::users::Users;
use crate::mechanisms::venture::Sentiment;
use crate::metrics::Metrics;
use crate::params::{ParamError, Scenario};
use crate::registry;
pub use crate::schedule::{Phase, build_phase_schedule, build_schedule};
use crate::state::*;

/// Errors building a simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario failed validation; every problem is listed.
    #[error("invalid scenario:\n{}", .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ParamError>),
    /// The schedule could not be built (a bug: systems with ambiguous order).
    #[error("schedule error: {0}")]
    Schedule(String),
}

/// A running simulation.
pub struct Sim {
    world: World,
    schedule: Schedule,
    /// One schedule per phase, in [`Phase::ALL`] order, built on the first
    /// [`step_phases`](Sim::step_phases).
    phases: Vec<Schedule>,
    scenario: Arc<Scenario>,
}

/// One platform's standing, for summaries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlatformStanding {
    pub name: String,
    /// The firm behind it (its `id` in the firm panel), if it is a firm.
    pub id: Option<u64>,
    pub kind: String,
    pub alive: bool,
    pub quality: f64,
    pub users: f64,
    pub share: f64,
}

impl Sim {
    /// Validates the scenario and builds month 0.
    pub fn new(scenario: Scenario) -> Result<Self, SimError> {
        scenario.validate().map_err(SimError::Invalid)?;
        let scenario = Arc::new(scenario);
        let mut world = World::new();
        registry::build_world(&mut world, scenario.clone());
        let mut schedule = build_schedule();
        schedule
            .initialize(&mut world)
            .map_err(|e| SimError::Schedule(e.to_string(schedule.graph(), &world)))?;
        Ok(Self {
            world,
            schedule,
            phases: Vec::new(),
            scenario,
        })
    }

    /// Simulates one month.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<Clock>().month += 1;
    }

    /// Simulates one month phase by phase, calling `after(phase)` once each phase has run (a
    /// benchmark's hook: it may read the clock, sim-core does not). Same systems in the same
    /// order as [`step`](Sim::step), so the same results and state hash.
    pub fn step_phases(&mut self, mut after: impl FnMut(Phase)) -> Result<(), SimError> {
        if self.phases.is_empty() {
            for phase in Phase::ALL {
                let mut s = build_phase_schedule(phase);
                s.initialize(&mut self.world)
                    .map_err(|e| SimError::Schedule(e.to_string(s.graph(), &self.world)))?;
                self.phases.push(s);
            }
        }
        for (s, phase) in self.phases.iter_mut().zip(Phase::ALL) {
            s.run(&mut self.world);
            after(phase);
        }
        self.world.resource_mut::<Clock>().month += 1;
        Ok(())
    }

    /// Simulates `months` months.
    pub fn run(&mut self, months: u32) {
        for _ in 0..months {
            self.step();
        }
    }

    /// Months simulated so far.
    pub fn month(&self) -> u32 {
        self.world.resource::<Clock>().month
    }

    /// Months the scenario asks for.
    pub fn horizon(&self) -> u32 {
        self.scenario.run.months
    }

    /// The calendar month of simulated month `month` (`run.start + month`).
    pub fn date(&self, month: u32) -> crate::kernel::calendar::YearMonth {
        self.scenario.run.start.label_of(month)
    }

    /// The validated scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Metrics of every month simulated so far.
    pub fn metrics(&self) -> &[Metrics] {
        &self.world.resource::<MetricsLog>().0
    }

    /// Number of user agents.
    pub fn user_agents(&self) -> u64 {
        self.world.resource::<Users>().len() as u64
    }

    /// Platforms with their current users and quality, in slot order.
    pub fn platforms(&self) -> Vec<PlatformStanding> {
        let table = self.world.resource::<PlatformTable>();
        let people = self.world.resource::<Users>().people_by_option();
        let adopted: f64 = people[..people.len() - 1].iter().sum();
        table
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| PlatformStanding {
                name: s.name.clone(),
                id: s.id.map(|a| a.0),
                kind: s.kind.map_or("", |k| k.as_str()).to_string(),
                alive: s.alive,
                quality: s.quality,
                users: people[i],
                share: if adopted > 0.0 { people[i] / adopted } else { 0.0 },
            })
            .collect()
    }

    /// The firm panel of the last simulated month, in id order: one row per firm alive at the
    /// end of the month, plus one row (`alive = false`, state just before it left) per firm
    /// that exited during the month.
    pub fn panel(&mut self) -> Vec<PanelRow> {
        let month = self.month().saturating_sub(1);
        let mut q = self.world.query::<(
            &AgentId,
            &Firm,
            &Books,
            &Fleet,
            Option<&Lab>,
            Option<&Platform>,
            Option<&Startup>,
            Option<&Staff>,
        )>();
        let mut rows: Vec<PanelRow> = q
            .iter(&self.world)
            .map(|(id, f, b, fl, lab, p, st, staff)| PanelRow::of(month, *id, f, b, fl, lab, p, st, staff, None))
            .collect();
        if self.month() > 0 {
            rows.extend(self.world.resource::<MonthFlows>().exited_rows.iter().cloned());
        }
        rows.sort_by_key(|r| r.id);
        rows
    }

    /// The market sentiment index (1 = neutral).
    pub fn sentiment(&self) -> f64 {
        self.world.resource::<Sentiment>().level
    }

    /// Ages (months) of the startups that exited in the last simulated month.
    pub fn startup_exit_ages(&self) -> Vec<u32> {
        self.world.resource::<MonthFlows>().startup_exit_ages.clone()
    }

    /// A stable 64-bit digest of the whole state (see [`registry::state_hash`]).
    pub fn state_hash(&mut self) -> u64 {
        registry::state_hash(&mut self.world)
    }

    /// The world, for the crate's tests.
    #[cfg(test)]
    pub(crate) fn world(&self) -> &World {
        &self.world
    }

    /// Checks every mechanism's invariants (accounting identities, conservation of users and
    /// researchers, consistency of deals, niches and open releases); returns every violation
    /// found. Each mechanism's `check` documents its own.
    pub fn check_invariants(&mut self) -> Result<(), Vec<String>> {
        let errs = registry::check(&mut self.world);
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Every national deal signed so far (renewals excluded), in nation then month order.
    pub fn deal_history(&self) -> Vec<DealRecord> {
        let table = self.world.resource::<PlatformTable>();
        let deals = self.world.resource::<Partnerships>();
        let mut out = Vec::new();
        for (n, nd) in deals.nations.iter().enumerate() {
            for (m, partners) in &nd.history {
                out.push(DealRecord {
                    nation: self.scenario.nations[n].name.clone(),
                    month: *m,
                    partners: partners.iter().map(|&p| table.slots[p as usize].name.clone()).collect(),
                });
            }
        }
        out
    }

    /// Each platform's share of a nation's consumers (adopters or not), in slot order: (name,
    /// share). Empty if the nation is unknown or has no consumer agents.
    pub fn consumer_shares(&self, nation: &str) -> Vec<(String, f64)> {
        let Some(n) = self.scenario.nations.iter().position(|x| x.name == nation) else {
            return Vec::new();
        };
        let table = self.world.resource::<PlatformTable>();
        let users = self.world.resource::<Users>();
        let mut by = vec![0.0; users.options];
        for (g, grp) in users.groups.iter().enumerate() {
            if !grp.enterprise && grp.nation as usize == n {
                for (o, v) in by.iter_mut().enumerate() {
                    *v += users.counts[users.cell(g, o)];
                }
            }
        }
        let all: f64 = by.iter().sum();
        if all <= 0.0 {
            return Vec::new();
        }
        table
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), by[i] / all))
            .collect()
    }
}

/// One national deal as signed: the nation, its partners (platform names) and the month.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DealRecord {
    pub nation: String,
    pub partners: Vec<String>,
    pub month: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_phase_by_phase_gives_the_same_state_as_stepping_whole_months() {
        let sc = crate::scenario::load_builtin("tiny", &["run.months=6".into()]).unwrap();
        let mut whole = Sim::new(sc.clone()).unwrap();
        let mut phased = Sim::new(sc).unwrap();
        for _ in 0..6 {
            whole.step();
            let mut seen = Vec::new();
            phased.step_phases(|p| seen.push(p)).unwrap();
            assert_eq!(seen, Phase::ALL, "the hook sees every phase once, in order");
            assert_eq!(
                phased.state_hash(),
                whole.state_hash(),
                "month {}: phase by phase must equal a whole month",
                whole.month()
            );
        }
        assert_eq!(
            format!("{:?}", phased.metrics()),
            format!("{:?}", whole.metrics()),
            "same metrics"
        );
    }
}

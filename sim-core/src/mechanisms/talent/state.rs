//! The talent market's state: the researcher agents (columns, like users), the employers'
//! roster, and teams in transit between an acqui-hired firm and its buyer.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;
use crate::params::FirmKind;

/// Teams in transit: firms acqui-hired this month, by id, with the id of the firm that bought
/// them. Written by `finance::exit_firms`, read and cleared by `talent::rehome_researchers` next
/// month, so a bought team joins the firm that paid for it.
#[derive(Resource, Clone, Debug, Default)]
pub struct TeamTransfers(pub BTreeMap<AgentId, AgentId>);

/// Researcher agent ids start here (their own range, above firms and users).
pub const RESEARCHER_ID_BASE: u64 = 1 << 41;
/// "No employer".
pub const NO_EMPLOYER: AgentId = AgentId(0);

/// Where a researcher is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// Working for a firm.
    Employed = 0,
    /// In the market but outside firms (academia, between jobs).
    Outside = 1,
    /// Left the market for good.
    Left = 2,
}

/// The researcher agents, as columns (index `i` has id `RESEARCHER_ID_BASE + i`).
#[derive(Resource, Clone, Debug, Default)]
pub struct Researchers {
    /// People each agent stands for.
    pub weight: f64,
    pub skill: Vec<f64>,
    /// Citizenship (nation index): visas are needed elsewhere.
    pub origin: Vec<u16>,
    /// Nation where the researcher works or lives.
    pub hub: Vec<u16>,
    pub employer: Vec<AgentId>,
    /// Wage (USD/month) agreed when the researcher last chose.
    pub wage: Vec<f64>,
    /// Month the researcher joined the current employer (negative: before the run).
    pub joined: Vec<i32>,
    pub status: Vec<Status>,
    /// Skill above which a researcher is a superstar (month-0 quantile).
    pub superstar_skill: f64,
    /// Agents that have left the market (a counter, checked against the status column).
    pub left: u64,
    /// Agents that entered after month 0 (graduates of the researcher pipeline).
    pub entered: u64,
}

/// One researcher agent's fields, for [`Researchers::push`].
pub struct NewResearcher {
    pub skill: f64,
    pub origin: u16,
    pub hub: u16,
    pub employer: AgentId,
    pub wage: f64,
    pub joined: i32,
    pub status: Status,
}

impl Researchers {
    /// Appends one agent (the month-0 pool and the graduates of the pipeline).
    pub fn push(&mut self, a: NewResearcher) {
        self.skill.push(a.skill);
        self.origin.push(a.origin);
        self.hub.push(a.hub);
        self.employer.push(a.employer);
        self.wage.push(a.wage);
        self.joined.push(a.joined);
        self.status.push(a.status);
    }

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.skill.len()
    }

    /// Whether there are no agents.
    pub fn is_empty(&self) -> bool {
        self.skill.is_empty()
    }

    /// Agents employed, outside and left.
    pub fn status_counts(&self) -> [u64; 3] {
        let mut c = [0u64; 3];
        for s in &self.status {
            c[*s as usize] += 1;
        }
        c
    }
}

/// An employer's research position this month.
#[derive(Clone, Debug, Default)]
pub struct EmployerStats {
    pub kind: Option<FirmKind>,
    pub nation: u16,
    pub cash: f64,
    /// Research budget (USD/month) and the posted wage of a skill-1 researcher.
    pub budget: f64,
    pub posted_wage: f64,
    /// Compute used this month per researcher (H100e/person).
    pub compute_per_researcher: f64,
    /// Most researchers (people) it employs: a startup's team, unbounded for labs.
    pub max_people: f64,
    /// Researchers (people), their total skill and productivity, and their wage bill.
    pub people: f64,
    pub skill: f64,
    pub productivity: f64,
    pub wage_bill: f64,
}

/// A lab's month-0 talent factor, research productivity and budget share.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LabReference {
    pub talent: f64,
    pub productivity: f64,
    /// Share of its resources (parent funding + cash / horizon) the lab spends on research
    /// wages: `lab_budget_headroom` × its month-0 research wage bill / its month-0 resources.
    pub budget_share: f64,
}

/// Per-employer aggregates, per-hub headcounts, month-0 references and this month's flows.
#[derive(Resource, Clone, Debug, Default)]
pub struct Roster {
    /// Alive employers (labs and startups), by id.
    pub employers: BTreeMap<AgentId, EmployerStats>,
    /// Researchers (people) located in each nation (employed and outside).
    pub hub_people: Vec<f64>,
    /// Total skill (people) of researchers outside firms, per nation.
    pub outside_skill: Vec<f64>,
    /// Labs' month-0 references, by id.
    pub reference: BTreeMap<AgentId, LabReference>,
    /// People who changed employer this month (outside counts as an employer).
    pub moves: f64,
    /// People moving into frontier labs minus people moving out, this month.
    pub net_flow_frontier: f64,
    /// People acqui-hired this month.
    pub acquihired: f64,
    /// Employed researchers (people) who left their employer this month for another employer,
    /// the outside option or out of the market (acqui-hires and lay-offs of failed firms not
    /// counted): attrition.
    pub departures: f64,
    /// Graduates (people) who entered the market this month, in total and per nation.
    pub entered: f64,
    pub entered_by_nation: Vec<f64>,
    /// Researchers (people, employed or outside) who left the market for good this month.
    pub exited: f64,
}

impl Roster {
    /// Researchers (people) employed by `id`.
    pub fn people_at(&self, id: AgentId) -> f64 {
        self.employers.get(&id).map_or(0.0, |e| e.people)
    }
}

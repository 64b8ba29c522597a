//! User agents as columns, and what they choose among: the platforms' component and the
//! platform table.

use bevy_ecs::prelude::*;

use super::SENSITIVITY_CLASSES;
use crate::kernel::state::{AgentId, NO_PLATFORM, Slot};
use crate::params::FirmKind;

/// A firm that serves users: frontier labs and open-weights labs' assistants.
#[derive(Component, Clone, Debug)]
pub struct Platform {
    pub slot: Slot,
    pub consumer_price: f64,
    pub enterprise_price: f64,
    /// Consumers (people) using it as their platform.
    pub consumers: f64,
    /// Enterprise seats using it (weighted by portfolio share).
    pub seats: f64,
}

/// What users see of a platform this month.
#[derive(Clone, Debug, Default)]
pub struct SlotInfo {
    pub id: Option<AgentId>,
    pub alive: bool,
    pub nation: u16,
    pub quality: f64,
    pub consumer_price: f64,
    pub enterprise_price: f64,
    /// People using it (consumers + seats), last month.
    pub people: f64,
    /// API fee per app customer it charges startups this month, capped by the open tier.
    pub api_fee: f64,
    pub name: String,
    pub kind: Option<FirmKind>,
}

/// The platforms users choose among, indexed by slot.
#[derive(Resource, Clone, Debug, Default)]
pub struct PlatformTable {
    pub slots: Vec<SlotInfo>,
    /// People (consumers + seats) on each slot by nation, last month: entry
    /// `nation * slots.len() + slot`. Empty until the users are built; the network term then
    /// falls back to each slot's worldwide `people`.
    pub people_by_nation: Vec<f64>,
}

/// A contiguous range of user agents sharing nation and segment.
#[derive(Clone, Debug)]
pub struct UserGroup {
    pub start: u32,
    pub end: u32,
    pub nation: u16,
    pub enterprise: bool,
    /// People (or seats) one agent stands for.
    pub weight: f64,
    /// Income factor g_n on price sensitivity.
    pub income_factor: f64,
    /// Whether its citizens may use foreign platforms.
    pub foreign_platforms: bool,
}

/// The user population, stored by column (a million agents would be a million entities).
#[derive(Resource, Clone, Debug, Default)]
pub struct Users {
    pub groups: Vec<UserGroup>,
    /// Primary platform of each agent, or [`NO_PLATFORM`].
    pub platform: Vec<Slot>,
    /// Month the agent joined its primary platform (tenure = month − joined).
    pub joined: Vec<i32>,
    /// Price-sensitivity class (0..16).
    pub class: Vec<u8>,
    /// Enterprises' 2nd and 3rd platforms, indexed by agent − `first_enterprise`.
    pub extra: Vec<[Slot; 2]>,
    pub first_enterprise: u32,
    /// People per (group, option); option `slots` is "no platform".
    pub counts: Vec<f64>,
    /// People per (group, sensitivity class, option): entry
    /// `(group * SENSITIVITY_CLASSES + class) * options + option`. The paid-tier decision
    /// (conversion depends on the class) reads it.
    pub class_counts: Vec<f64>,
    /// Options per group (platform slots + 1).
    pub options: usize,
    /// Portfolio workload shares for portfolios of 1, 2 and 3 platforms.
    pub portfolio_shares: [[f64; 3]; 3],
}

impl Users {
    /// Index into `counts`.
    #[inline]
    pub fn cell(&self, group: usize, option: usize) -> usize {
        group * self.options + option
    }

    fn option_of(&self, slot: Slot) -> usize {
        if slot == NO_PLATFORM {
            self.options - 1
        } else {
            slot as usize
        }
    }

    /// Total agents.
    pub fn len(&self) -> usize {
        self.platform.len()
    }

    /// True if there are no agents.
    pub fn is_empty(&self) -> bool {
        self.platform.is_empty()
    }

    /// People (or seats) on each platform slot, and on no platform (last entry).
    pub fn people_by_option(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.options];
        for g in 0..self.groups.len() {
            for (o, v) in out.iter_mut().enumerate() {
                *v += self.counts[self.cell(g, o)];
            }
        }
        out
    }

    /// The portfolio of agent `i` (primary first), as options with their workload shares.
    pub(super) fn portfolio(&self, i: usize) -> ([Slot; 3], usize) {
        let p = self.platform[i];
        if p == NO_PLATFORM {
            return ([NO_PLATFORM; 3], 0);
        }
        let mut out = [p, NO_PLATFORM, NO_PLATFORM];
        let mut n = 1;
        if i as u32 >= self.first_enterprise {
            for &s in &self.extra[i - self.first_enterprise as usize] {
                if s != NO_PLATFORM {
                    out[n] = s;
                    n += 1;
                }
            }
        }
        (out, n)
    }

    /// Index into `class_counts`.
    #[inline]
    pub fn class_cell(&self, group: usize, class: usize, option: usize) -> usize {
        (group * SENSITIVITY_CLASSES + class) * self.options + option
    }

    /// People (or seats) of each nation on each option: entry `nation * options + option`.
    pub fn people_by_nation(&self, nations: usize) -> Vec<f64> {
        let mut out = vec![0.0; nations * self.options];
        for (g, grp) in self.groups.iter().enumerate() {
            let n = grp.nation as usize;
            if n >= nations {
                continue;
            }
            for o in 0..self.options {
                out[n * self.options + o] += self.counts[self.cell(g, o)];
            }
        }
        out
    }

    /// Adds (sign = 1) or removes (sign = −1) agent `i`'s people from the counts.
    pub(super) fn tally(&mut self, i: usize, group: usize, sign: f64) {
        let w = self.groups[group].weight * sign;
        let class = self.class[i] as usize;
        let (port, n) = self.portfolio(i);
        if n == 0 {
            let c = self.cell(group, self.options - 1);
            self.counts[c] += w;
            let c = self.class_cell(group, class, self.options - 1);
            self.class_counts[c] += w;
            return;
        }
        for (k, &s) in port.iter().take(n).enumerate() {
            let o = self.option_of(s);
            let c = self.cell(group, o);
            self.counts[c] += w * self.portfolio_shares[n - 1][k];
            let c = self.class_cell(group, class, o);
            self.class_counts[c] += w * self.portfolio_shares[n - 1][k];
        }
    }

    /// Recomputes every (group, class, option) count from the agents.
    pub fn recount_classes(&self) -> Vec<f64> {
        let mut counts = vec![0.0; self.groups.len() * SENSITIVITY_CLASSES * self.options];
        for (g, grp) in self.groups.iter().enumerate() {
            let w = grp.weight * 1.0;
            for i in grp.start..grp.end {
                let class = self.class[i as usize] as usize;
                let (port, n) = self.portfolio(i as usize);
                if n == 0 {
                    counts[self.class_cell(g, class, self.options - 1)] += w;
                    continue;
                }
                for (k, &s) in port.iter().take(n).enumerate() {
                    counts[self.class_cell(g, class, self.option_of(s))] += w * self.portfolio_shares[n - 1][k];
                }
            }
        }
        counts
    }

    /// Recomputes every count from the agents (used at start-up and by the invariants).
    pub fn recount(&self) -> Vec<f64> {
        // The same additions, in the same order, as `tally(i, g, 1.0)` over every agent.
        let mut counts = vec![0.0; self.counts.len()];
        for (g, grp) in self.groups.iter().enumerate() {
            let w = grp.weight * 1.0;
            for i in grp.start..grp.end {
                let (port, n) = self.portfolio(i as usize);
                if n == 0 {
                    counts[self.cell(g, self.options - 1)] += w;
                    continue;
                }
                for (k, &s) in port.iter().take(n).enumerate() {
                    counts[self.cell(g, self.option_of(s))] += w * self.portfolio_shares[n - 1][k];
                }
            }
        }
        counts
    }

    /// Moves every user of a platform that left the market to "no platform", then recounts so
    /// that no float residue of the incremental counts is left on the dead platform.
    pub fn evict_platform(&mut self, slot: Slot) {
        for g in 0..self.groups.len() {
            for i in self.groups[g].start as usize..self.groups[g].end as usize {
                let (port, n) = self.portfolio(i);
                if port[..n].contains(&slot) {
                    self.tally(i, g, -1.0);
                    let kept: Vec<Slot> = port[..n].iter().copied().filter(|&s| s != slot).collect();
                    self.set_portfolio(i, &kept);
                    self.tally(i, g, 1.0);
                }
            }
        }
        self.counts = self.recount();
        self.class_counts = self.recount_classes();
    }

    /// Removes `slot` from the portfolios of the listed agents that hold it (incremental
    /// counts); returns the people (or seat shares) moved.
    pub fn evict_agents(&mut self, slot: Slot, agents: &[usize]) -> f64 {
        let mut moved = 0.0;
        for &i in agents {
            let (port, n) = self.portfolio(i);
            if !port[..n].contains(&slot) {
                continue;
            }
            let g = self.group_of(i);
            let k = port[..n].iter().position(|&s| s == slot).unwrap_or(0);
            moved += self.groups[g].weight * self.portfolio_shares[n - 1][k];
            self.tally(i, g, -1.0);
            let kept: Vec<Slot> = port[..n].iter().copied().filter(|&s| s != slot).collect();
            self.set_portfolio(i, &kept);
            self.tally(i, g, 1.0);
        }
        moved
    }

    /// The group of agent `i` (groups are contiguous and sorted).
    fn group_of(&self, i: usize) -> usize {
        self.groups.partition_point(|g| (g.end as usize) <= i)
    }

    /// Agent `i` of group `group`, on no platform, adopts `slot` in `month` (incremental
    /// counts; tenure starts now). Returns the people moved, 0 if the agent already had a
    /// platform.
    pub fn adopt(&mut self, i: usize, group: usize, slot: Slot, month: u32) -> f64 {
        if self.platform[i] != NO_PLATFORM {
            return 0.0;
        }
        self.tally(i, group, -1.0);
        self.set_portfolio(i, &[slot]);
        self.tally(i, group, 1.0);
        self.joined[i] = month as i32;
        self.groups[group].weight
    }

    pub(super) fn set_portfolio(&mut self, i: usize, slots: &[Slot]) {
        self.platform[i] = slots.first().copied().unwrap_or(NO_PLATFORM);
        if i as u32 >= self.first_enterprise {
            let e = &mut self.extra[i - self.first_enterprise as usize];
            e[0] = slots.get(1).copied().unwrap_or(NO_PLATFORM);
            e[1] = slots.get(2).copied().unwrap_or(NO_PLATFORM);
        }
    }
}

/// Portfolio shares for portfolios of 1, 2 and 3 platforms with rank ratio `r`.
pub fn portfolio_shares(r: f64) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for n in 1..=3 {
        let raw = [1.0, r, r * r];
        let total: f64 = raw[..n].iter().sum();
        for k in 0..n {
            out[n - 1][k] = raw[k] / total;
        }
    }
    out
}

//! Users: platform choice under switching costs and network effects (MODEL.md step 8).
//!
//! Each month a share ρ of users reconsiders (consumers 2–5%/month, enterprises ≈ 1%/month).
//! A reconsidering user `i` in nation `n` compares every platform `j` it may use with the outside
//! option (no AI platform, utility `u0`):
//!
//! ```text
//! V_ij = θ_Q Q_j − θ_P s_i g_n P_j + θ_N ln(1 + N_j / 1e6) − SC_i 1[j ≠ current_i]
//! SC_i = SC_0 + κ ln(1 + tenure_i)          (a first adoption costs `adoption_cost` instead)
//! P(i → j) = exp(V_ij) / Σ_k exp(V_ik)       (logit, sampled with one uniform from i's stream)
//! ```
//!
//! `N_j` is the platform's users (people, consumers and enterprise seats, last month), so high
//! θ_N gives increasing returns (Arthur, Pólya) that can lock the market in on an early leader.
//! `s_i` is the user's price sensitivity (lognormal, 16 quantile classes), `g_n` the nation's
//! income factor `(gdp_ref / gdp_n)^e`. Consumers single-home; an enterprise holds a portfolio of
//! up to three platforms, ranked by sequential logit draws (Plackett–Luce), with workload shares
//! `1, r, r²` (normalised); stopping at fewer platforms carries no switching cost, adding one not
//! held does. Tenure is stored as the month the user joined its platform, so
//! nothing is touched for users who do not reconsider; who reconsiders is drawn by geometric
//! skips over each (nation, segment) group, so a month costs O(reconsidering users).
//!
//! **Interoperability mandate** (a policy lever, `[interop]`, from `from_month`): `SC_0` is scaled
//! by `1 − switching_cost_reduction`, κ by `kappa_factor` (portability of memory and
//! personalisation), ρ by `reconsider_factor`, and θ_N by `network_factor`.
//!
//! **National deals** ([`deals`](super::deals)): a citizen (consumer) of a nation with a
//! partnership gets `+ δ_default 1[j = partner]`, and the partner's price is 0 during the free
//! months.
//!
//! Reads: [`PlatformTable`], [`Config`], [`Partnerships`]. Writes: [`Users`], [`MonthFlows::switched_people`].
//! Guardrails: users are conserved (every agent is on exactly one option); utilities are finite.

pub mod params;

use bevy_ecs::prelude::*;

use super::deals::Partnerships;
use crate::math;
use crate::params::Scenario;
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// Users' ids start here, far above firm and nation ids.
pub const USER_ID_BASE: u64 = 1 << 40;
/// Number of price-sensitivity classes.
pub const SENSITIVITY_CLASSES: usize = 16;
/// Standard-normal quantiles at (c + 0.5) / 16.
const Z16: [f64; SENSITIVITY_CLASSES] = [
    -1.862_731_867,
    -1.318_010_897,
    -1.009_990_169,
    -0.776_421_761,
    -0.579_132_162,
    -0.402_250_065,
    -0.237_202_109,
    -0.078_412_413,
    0.078_412_413,
    0.237_202_109,
    0.402_250_065,
    0.579_132_162,
    0.776_421_761,
    1.009_990_169,
    1.318_010_897,
    1.862_731_867,
];

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
    fn portfolio(&self, i: usize) -> ([Slot; 3], usize) {
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

    /// Adds (sign = 1) or removes (sign = −1) agent `i`'s people from the counts.
    fn tally(&mut self, i: usize, group: usize, sign: f64) {
        let w = self.groups[group].weight * sign;
        let (port, n) = self.portfolio(i);
        if n == 0 {
            let c = self.cell(group, self.options - 1);
            self.counts[c] += w;
            return;
        }
        for (k, &s) in port.iter().take(n).enumerate() {
            let c = self.cell(group, self.option_of(s));
            self.counts[c] += w * self.portfolio_shares[n - 1][k];
        }
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

    fn set_portfolio(&mut self, i: usize, slots: &[Slot]) {
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

/// Price-sensitivity multiplier of class `c` (lognormal with mean 1).
pub fn sensitivity(sigma: f64, class: u8) -> f64 {
    math::exp(sigma * Z16[class as usize] - 0.5 * sigma * sigma)
}

/// May a citizen of this group use this platform?
fn allowed(group: &UserGroup, slot: &SlotInfo) -> bool {
    slot.alive && (group.foreign_platforms || slot.nation == group.nation)
}

/// Builds the user population at month 0: agents per nation in proportion to internet users
/// (consumers) and seats (enterprises), initial adoption and platforms from the scenario's
/// initial shares, tenure uniform on [0, max].
pub fn initial_users(sc: &Scenario, nations: &[Nation], table: &PlatformTable) -> Users {
    let u = &sc.users;
    let options = table.slots.len() + 1;
    let mut users = Users {
        options,
        portfolio_shares: portfolio_shares(u.portfolio_decay),
        ..Default::default()
    };
    let init_shares: Vec<(f64, f64)> = table
        .slots
        .iter()
        .map(|s| {
            let f = sc.firms.iter().find(|f| f.name == s.name);
            f.map_or((0.0, 0.0), |f| (f.initial_consumer_share, f.initial_enterprise_share))
        })
        .collect();
    for enterprise in [false, true] {
        let (agents, total) = if enterprise {
            (
                u.enterprise_agents,
                nations.iter().map(|n| n.enterprise_seats_millions).sum::<f64>(),
            )
        } else {
            (
                u.consumer_agents,
                nations.iter().map(|n| n.internet_users_millions).sum::<f64>(),
            )
        };
        if enterprise {
            users.first_enterprise = users.platform.len() as u32;
        }
        if agents == 0 || total <= 0.0 {
            continue;
        }
        // Largest-remainder apportionment of agents to nations (deterministic).
        let sizes: Vec<f64> = nations
            .iter()
            .map(|n| {
                if enterprise {
                    n.enterprise_seats_millions
                } else {
                    n.internet_users_millions
                }
            })
            .collect();
        let quotas: Vec<f64> = sizes.iter().map(|s| f64::from(agents) * s / total).collect();
        let mut counts: Vec<u32> = quotas.iter().map(|q| q.floor() as u32).collect();
        let mut left = agents - counts.iter().sum::<u32>();
        let mut order: Vec<usize> = (0..nations.len()).collect();
        order.sort_by(|&a, &b| {
            (quotas[b] - quotas[b].floor())
                .total_cmp(&(quotas[a] - quotas[a].floor()))
                .then(a.cmp(&b))
        });
        for &i in order.iter().cycle().take(nations.len() * 2) {
            if left == 0 {
                break;
            }
            if sizes[i] > 0.0 {
                counts[i] += 1;
                left -= 1;
            }
        }
        for (ni, n) in nations.iter().enumerate() {
            if counts[ni] == 0 {
                continue;
            }
            let start = users.platform.len() as u32;
            let group = UserGroup {
                start,
                end: start + counts[ni],
                nation: n.index,
                enterprise,
                weight: sizes[ni] * 1e6 / f64::from(counts[ni]),
                income_factor: math::pow(u.gdp_reference_usd / n.gdp_per_capita_usd, u.income_elasticity),
                foreign_platforms: n.foreign_platforms,
            };
            let gi = users.groups.len();
            users.groups.push(group);
            let g = users.groups[gi].clone();
            // Initial shares among the platforms this nation may use.
            let mut shares: Vec<f64> = table
                .slots
                .iter()
                .zip(&init_shares)
                .map(|(s, &(c, e))| {
                    if allowed(&g, s) {
                        if enterprise { e } else { c }
                    } else {
                        0.0
                    }
                })
                .collect();
            let total_share: f64 = shares.iter().sum();
            if total_share <= 0.0 {
                let n_allowed = table.slots.iter().filter(|s| allowed(&g, s)).count().max(1) as f64;
                shares = table
                    .slots
                    .iter()
                    .map(|s| if allowed(&g, s) { 1.0 / n_allowed } else { 0.0 })
                    .collect();
            } else {
                shares.iter_mut().for_each(|s| *s /= total_share);
            }
            let adoption = if enterprise {
                u.initial_adoption_enterprise
            } else {
                u.initial_adoption_consumer
            };
            for i in g.start..g.end {
                let mut d = rng::fast_stream(sc.run.seed, Stream::InitUsers, USER_ID_BASE + u64::from(i), 0);
                let class = (d.next_u64() % SENSITIVITY_CLASSES as u64) as u8;
                let tenure = (d.uniform() * f64::from(u.initial_tenure_max_months + 1)) as i32;
                let mut primary = NO_PLATFORM;
                if d.uniform() < adoption {
                    let x = d.uniform();
                    let mut acc = 0.0;
                    for (s, &sh) in shares.iter().enumerate() {
                        acc += sh;
                        if sh > 0.0 && x < acc {
                            primary = s as Slot;
                            break;
                        }
                    }
                    if primary == NO_PLATFORM {
                        primary = shares.iter().rposition(|&s| s > 0.0).map_or(NO_PLATFORM, |s| s as Slot);
                    }
                }
                users.platform.push(primary);
                users.joined.push(-tenure);
                users.class.push(class);
            }
        }
    }
    let n_ent = users.platform.len() - users.first_enterprise as usize;
    users.extra = vec![[NO_PLATFORM; 2]; n_ent];
    users.counts = vec![0.0; users.groups.len() * options];
    users.counts = users.recount();
    users
}

/// Copies each platform's quality, prices and user count into the [`PlatformTable`].
pub fn refresh_platform_table(
    mut table: ResMut<PlatformTable>,
    users: Res<Users>,
    platforms: Query<(&Platform, &Lab)>,
) {
    let people = users.people_by_option();
    for (p, lab) in &platforms {
        let s = &mut table.slots[p.slot as usize];
        s.quality = lab.served_quality;
        s.consumer_price = p.consumer_price;
        s.enterprise_price = p.enterprise_price;
    }
    for (i, s) in table.slots.iter_mut().enumerate() {
        s.people = people[i];
    }
}

/// Writes each platform's consumers and seats back to its component.
pub fn count_platform_users(users: Res<Users>, mut platforms: Query<&mut Platform>) {
    let mut consumers = vec![0.0; users.options];
    let mut seats = vec![0.0; users.options];
    for (g, grp) in users.groups.iter().enumerate() {
        let target = if grp.enterprise { &mut seats } else { &mut consumers };
        for (o, v) in target.iter_mut().enumerate() {
            *v += users.counts[users.cell(g, o)];
        }
    }
    for mut p in &mut platforms {
        p.consumers = consumers[p.slot as usize];
        p.seats = seats[p.slot as usize];
    }
}

/// Per-month choice tables: `attract[g][c][o] = exp(V_o without switching costs)`.
pub struct ChoiceTables {
    pub attract: Vec<f64>,
    pub options: usize,
}

impl ChoiceTables {
    #[inline]
    fn row(&self, group: usize, class: usize) -> &[f64] {
        let start = (group * SENSITIVITY_CLASSES + class) * self.options;
        &self.attract[start..start + self.options]
    }
}

/// Systematic utility of each option for a group and class, before switching costs.
///
/// A citizen (consumer) of a nation with a partnership sees the partner as the national default
/// (`+deals.default_utility`) and, during the deal's free months, at a price of zero (see
/// [`deals`](super::deals)).
pub fn utilities(
    sc: &Scenario,
    table: &PlatformTable,
    deals: &Partnerships,
    group: &UserGroup,
    class: u8,
    month: u32,
) -> Vec<f64> {
    let u = &sc.users;
    let theta_network = u.theta_network
        * if interop_active(sc, month) {
            sc.interop.network_factor
        } else {
            1.0
        };
    let s = sensitivity(u.price_sensitivity_sigma, class) * group.income_factor;
    let mut v: Vec<f64> = table
        .slots
        .iter()
        .enumerate()
        .map(|(j, slot)| {
            if !allowed(group, slot) {
                return f64::NEG_INFINITY;
            }
            let (is_default, free) = if group.enterprise {
                (false, false)
            } else {
                deals.terms(group.nation, j as Slot, month)
            };
            let (theta_p, price) = if group.enterprise {
                (u.theta_price_enterprise, slot.enterprise_price)
            } else if free {
                (u.theta_price_consumer, 0.0)
            } else {
                (u.theta_price_consumer, slot.consumer_price)
            };
            let default = if is_default { sc.deals.default_utility } else { 0.0 };
            u.theta_quality * slot.quality - theta_p * s * price
                + theta_network * math::ln_1p(slot.people / 1e6)
                + default
        })
        .collect();
    v.push(u.outside_utility);
    v
}

/// Builds the month's choice tables. Utilities are shifted by their maximum before `exp` so
/// that large quality levels never overflow.
pub fn choice_tables(
    sc: &Scenario,
    table: &PlatformTable,
    deals: &Partnerships,
    users: &Users,
    month: u32,
) -> ChoiceTables {
    let options = users.options;
    let mut attract = Vec::with_capacity(users.groups.len() * SENSITIVITY_CLASSES * options);
    for g in &users.groups {
        for c in 0..SENSITIVITY_CLASSES {
            let v = utilities(sc, table, deals, g, c as u8, month);
            let vmax = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            attract.extend(v.iter().map(|&x| {
                if x == f64::NEG_INFINITY {
                    0.0
                } else {
                    math::exp(x - vmax)
                }
            }));
        }
    }
    ChoiceTables { attract, options }
}

/// Consumer surplus: Σ over groups and classes of people × (ln Σ_j e^{V_j} − u0) / (θ_P s g),
/// the logit inclusive value in dollars per month relative to using no platform.
pub fn consumer_surplus(sc: &Scenario, table: &PlatformTable, deals: &Partnerships, users: &Users, month: u32) -> f64 {
    let u = &sc.users;
    let mut total = 0.0;
    for g in &users.groups {
        let people = g.weight * f64::from(g.end - g.start);
        let theta_p = if g.enterprise {
            u.theta_price_enterprise
        } else {
            u.theta_price_consumer
        };
        for c in 0..SENSITIVITY_CLASSES {
            let v = utilities(sc, table, deals, g, c as u8, month);
            let vmax = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let iv = vmax
                + math::ln(
                    v.iter()
                        .map(|&x| {
                            if x == f64::NEG_INFINITY {
                                0.0
                            } else {
                                math::exp(x - vmax)
                            }
                        })
                        .sum(),
                );
            let s = sensitivity(u.price_sensitivity_sigma, c as u8) * g.income_factor;
            if theta_p * s > 0.0 {
                total += people / SENSITIVITY_CLASSES as f64 * (iv - u.outside_utility) / (theta_p * s);
            }
        }
    }
    total
}

/// exp(−SC(tenure)) for tenure 0..len, and exp(−adoption_cost).
pub struct SwitchCosts {
    by_tenure: Vec<f64>,
    adoption: f64,
}

impl SwitchCosts {
    /// The table with `SC_0` scaled by `sc0_factor` and κ by `kappa_factor`.
    pub fn new(sc: &Scenario, sc0_factor: f64, kappa_factor: f64) -> Self {
        let u = &sc.users;
        let len = (sc.run.months + u.initial_tenure_max_months + 2) as usize;
        let (sc0, kappa) = (u.switching_cost * sc0_factor, u.tenure_kappa * kappa_factor);
        let by_tenure = (0..len)
            .map(|t| math::exp(-(sc0 + kappa * math::ln_1p(t as f64))))
            .collect();
        Self {
            by_tenure,
            adoption: math::exp(-u.adoption_cost),
        }
    }

    #[inline]
    fn stay_bonus_inverse(&self, tenure: i64) -> f64 {
        let t = tenure.clamp(0, self.by_tenure.len() as i64 - 1) as usize;
        self.by_tenure[t]
    }
}

/// Samples an option index with probability proportional to `w` (one uniform).
#[inline]
fn sample(w: &[f64], total: f64, u: f64) -> usize {
    let x = u * total;
    let mut acc = 0.0;
    let mut last = 0;
    for (o, &wo) in w.iter().enumerate() {
        if wo > 0.0 {
            acc += wo;
            last = o;
            if x < acc {
                return o;
            }
        }
    }
    last
}

/// The reconsidering users of the month choose again.
pub fn reconsider_platforms(
    cfg: Res<Config>,
    clock: Res<Clock>,
    table: Res<PlatformTable>,
    costs: Res<SwitchCostTable>,
    deals: Res<Partnerships>,
    mut users: ResMut<Users>,
    mut flows: ResMut<MonthFlows>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    let tables = choice_tables(sc, &table, &deals, &users, month);
    let interop = interop_active(sc, month);
    let costs = if interop { &costs.mandated } else { &costs.normal };
    let rho_factor = if interop { sc.interop.reconsider_factor } else { 1.0 };
    let none = users.options - 1;
    let portfolio_size = sc.users.portfolio_size as usize;
    let mut w = vec![0.0; users.options];
    let mut switched = 0.0;
    for g in 0..users.groups.len() {
        let grp = users.groups[g].clone();
        let rho = rho_factor
            * if grp.enterprise {
                sc.users.reconsider_enterprise
            } else {
                sc.users.reconsider_consumer
            };
        let rho = rho.min(1.0);
        let mut select = rng::fast_stream(sc.run.seed, Stream::UserSelect, g as u64, month);
        let mut i = u64::from(grp.start) + select.geometric(rho);
        while i < u64::from(grp.end) {
            let idx = i as usize;
            let row = tables.row(g, users.class[idx] as usize);
            let current = users.platform[idx];
            let exit_factor = if current == NO_PLATFORM {
                costs.adoption
            } else {
                costs.stay_bonus_inverse(i64::from(month as i32 - users.joined[idx]))
            };
            let (held, held_n) = users.portfolio(idx);
            let mut total = 0.0;
            for o in 0..users.options {
                let keeps = if o == none {
                    current == NO_PLATFORM
                } else {
                    held[..held_n].contains(&(o as Slot))
                };
                // Leaving the platform for nothing costs SC too; adopting from nothing costs the
                // adoption cost for every platform.
                let factor = if keeps || (o == none && current == NO_PLATFORM) {
                    1.0
                } else {
                    exit_factor
                };
                w[o] = row[o] * factor;
                total += w[o];
            }
            let mut d = rng::fast_stream(sc.run.seed, Stream::UserChoice, USER_ID_BASE + i, month);
            let first = sample(&w, total, d.uniform());
            let mut chosen: [Slot; 3] = [NO_PLATFORM; 3];
            let mut n = 0;
            if first != none {
                chosen[0] = first as Slot;
                n = 1;
                if grp.enterprise {
                    // Plackett–Luce: further ranks by sequential logit without replacement,
                    // stopping at the outside option. Stopping adds nothing new, so it carries no
                    // switching cost; adding a platform not held does.
                    w[first] = 0.0;
                    w[none] = row[none];
                    while n < portfolio_size {
                        let rest: f64 = w.iter().sum();
                        let o = sample(&w, rest, d.uniform());
                        if o == none || w[o] <= 0.0 {
                            break;
                        }
                        chosen[n] = o as Slot;
                        n += 1;
                        w[o] = 0.0;
                    }
                }
            }
            let new_primary = chosen[0];
            if chosen[..n] != held[..held_n] {
                users.tally(idx, g, -1.0);
                users.set_portfolio(idx, &chosen[..n]);
                users.tally(idx, g, 1.0);
            }
            if new_primary != current {
                users.joined[idx] = month as i32;
                if current != NO_PLATFORM && new_primary != NO_PLATFORM {
                    switched += grp.weight;
                }
            }
            i += 1 + select.geometric(rho);
        }
    }
    flows.switched_people += switched;
}

/// The switching-cost lookup table (built once per run).
#[derive(Resource)]
pub struct SwitchCostTable {
    /// Switching costs without an interoperability mandate.
    pub normal: SwitchCosts,
    /// Switching costs while the mandate is in force.
    pub mandated: SwitchCosts,
}

impl SwitchCostTable {
    /// Both tables for a scenario.
    pub fn new(sc: &Scenario) -> Self {
        let i = &sc.interop;
        Self {
            normal: SwitchCosts::new(sc, 1.0, 1.0),
            mandated: SwitchCosts::new(sc, 1.0 - i.switching_cost_reduction, i.kappa_factor),
        }
    }
}

/// Whether the interoperability mandate is in force in `month`.
pub fn interop_active(sc: &Scenario, month: u32) -> bool {
    month >= sc.interop.from_month
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, close};

    /// The small scenario (nations "Open" and "Closed"; platforms Alpha and Beta in Open, Gamma
    /// in Closed) with every user on a platform and every user reconsidering this month, edited
    /// by `edit`, with its platforms spawned.
    fn users_world(edit: impl FnOnce(&mut Scenario)) -> World {
        let mut sc = testkit::small_scenario();
        sc.users.initial_adoption_consumer = 1.0;
        sc.users.initial_adoption_enterprise = 1.0;
        sc.users.reconsider_consumer = 1.0;
        sc.users.reconsider_enterprise = 1.0;
        edit(&mut sc);
        let mut w = testkit::world(sc);
        testkit::spawn_platforms(&mut w);
        w
    }

    /// Free switching: no switching, tenure or adoption cost.
    fn free_switching(sc: &mut Scenario) {
        sc.users.switching_cost = 0.0;
        sc.users.tenure_kappa = 0.0;
        sc.users.adoption_cost = 0.0;
    }

    fn set_quality(w: &mut World, slot: usize, q: f64) {
        w.resource_mut::<PlatformTable>().slots[slot].quality = q;
    }

    /// Every agent's portfolio (primary first), without the empty places.
    fn portfolios(u: &Users) -> Vec<Vec<Slot>> {
        (0..u.len())
            .map(|i| {
                let (p, n) = u.portfolio(i);
                p[..n].to_vec()
            })
            .collect()
    }

    fn assert_conserved(u: &Users, when: &str) {
        let population = testkit::population(u);
        let counted: f64 = u.counts.iter().sum();
        assert!(
            close(counted, population),
            "{when}: {counted} people counted, {population} exist"
        );
        for (i, (a, b)) in u.counts.iter().zip(u.recount()).enumerate() {
            assert!(close(*a, b), "{when}: count cell {i} is {a}, a recount gives {b}");
        }
    }

    #[test]
    fn portfolio_shares_sum_to_one_and_decline() {
        let s = portfolio_shares(0.4);
        for (n, shares) in s.iter().enumerate() {
            let total: f64 = shares.iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "portfolio of {} sums to {total}", n + 1);
        }
        assert!(s[2][0] > s[2][1] && s[2][1] > s[2][2]);
    }

    #[test]
    fn sensitivity_classes_have_mean_one() {
        let mean: f64 = (0..16).map(|c| sensitivity(0.5, c)).sum::<f64>() / 16.0;
        assert!((mean - 1.0).abs() < 0.02, "mean sensitivity {mean}");
        assert!(sensitivity(0.5, 0) < sensitivity(0.5, 15));
    }

    #[test]
    fn sampling_follows_weights_and_skips_zeros() {
        let w = [0.0, 1.0, 3.0];
        assert_eq!(sample(&w, 4.0, 0.0), 1);
        assert_eq!(sample(&w, 4.0, 0.3), 2);
        assert_eq!(sample(&w, 4.0, 0.999_999), 2);
    }

    #[test]
    fn a_prohibitive_switching_cost_keeps_every_user_on_its_platform() {
        let mut w = users_world(|sc| sc.users.switching_cost = 50.0);
        // Beta is now clearly better (3 utils), but not 50 utils better.
        set_quality(&mut w, 1, 40.0);
        let before = w.resource::<Users>().platform.clone();
        w.run_system_cached(reconsider_platforms).unwrap();
        let after = &w.resource::<Users>().platform;
        let moved = before.iter().zip(after).filter(|(a, b)| a != b).count();
        assert_eq!(
            moved,
            0,
            "{moved} of {} users changed primary platform despite SC = 50",
            before.len()
        );
        assert_eq!(
            w.resource::<MonthFlows>().switched_people,
            0.0,
            "no switching may be counted"
        );
    }

    #[test]
    fn a_prohibitive_switching_cost_also_freezes_enterprise_portfolios() {
        let mut w = users_world(|sc| {
            sc.users.switching_cost = 20.0;
            sc.users.tenure_kappa = 0.0;
        });
        let before = portfolios(w.resource::<Users>());
        w.run_system_cached(reconsider_platforms).unwrap();
        let u = w.resource::<Users>();
        let first = u.first_enterprise as usize;
        let after = portfolios(u);
        let changed = (first..u.len()).filter(|&i| after[i] != before[i]).count();
        assert_eq!(
            changed,
            0,
            "{changed} of {} enterprises changed portfolio at a switching cost of 20 utils (e^-20 = 2e-9)",
            u.len() - first
        );
    }

    #[test]
    fn with_free_switching_users_flock_to_a_far_better_platform_they_may_use() {
        let mut w = users_world(free_switching);
        set_quality(&mut w, 1, 200.0); // Beta, in nation Open: +27 utils over the others
        let before = w.resource::<Users>().platform.clone();
        w.run_system_cached(reconsider_platforms).unwrap();
        let u = w.resource::<Users>();
        let (mut open, mut on_beta) = (0, 0);
        let mut switched = 0.0;
        let nations = testkit::small_scenario().nations;
        for g in &u.groups {
            let agents = g.start as usize..g.end as usize;
            for (&was, &now) in before[agents.clone()].iter().zip(&u.platform[agents]) {
                if nations[g.nation as usize].foreign_platforms {
                    open += 1;
                    on_beta += usize::from(now == 1);
                } else {
                    assert!(
                        now == 2 || now == NO_PLATFORM,
                        "a citizen of the closed nation adopted foreign platform {now}"
                    );
                }
                if now != was && now != NO_PLATFORM && was != NO_PLATFORM {
                    switched += g.weight;
                }
            }
        }
        let share = on_beta as f64 / open as f64;
        assert!(
            share > 0.95,
            "only {:.1}% of reconsidering users who may use Beta moved to it",
            100.0 * share
        );
        let counted = w.resource::<MonthFlows>().switched_people;
        assert!(
            close(counted, switched),
            "switched people {counted} != people who changed platform {switched}"
        );
    }

    #[test]
    fn users_are_conserved_month_after_month() {
        let mut w = users_world(|sc| {
            free_switching(sc);
            sc.users.reconsider_consumer = 0.3;
            sc.users.reconsider_enterprise = 0.3;
        });
        set_quality(&mut w, 2, 30.0);
        let population = testkit::population(w.resource::<Users>());
        assert_conserved(w.resource::<Users>(), "month 0");
        let mut moved = 0;
        for month in 0..6 {
            w.resource_mut::<Clock>().month = month;
            let before = w.resource::<Users>().platform.clone();
            w.run_system_cached(refresh_platform_table).unwrap();
            w.run_system_cached(reconsider_platforms).unwrap();
            w.run_system_cached(count_platform_users).unwrap();
            let u = w.resource::<Users>();
            moved += before.iter().zip(&u.platform).filter(|(a, b)| a != b).count();
            assert_conserved(u, &format!("after month {month}"));
            let none = u.people_by_option()[u.options - 1];
            let on_platforms: f64 = w.query::<&Platform>().iter(&w).map(|p| p.consumers + p.seats).sum();
            assert!(
                close(on_platforms + none, population),
                "month {month}: platforms count {on_platforms} + {none} on none != {population} people"
            );
        }
        assert!(moved > 1000, "the test needs users to move; only {moved} moves");
    }

    #[test]
    fn an_enterprise_holds_a_portfolio_of_distinct_platforms() {
        let mut w = users_world(free_switching);
        // Three platforms of equal appeal: portfolios of two and three are common.
        for slot in 0..3 {
            set_quality(&mut w, slot, 60.0);
        }
        w.run_system_cached(reconsider_platforms).unwrap();
        let u = w.resource::<Users>();
        let size = testkit::small_scenario().users.portfolio_size as usize;
        let first = u.first_enterprise as usize;
        let mut multi = 0;
        for i in first..u.len() {
            let held: Vec<Slot> = std::iter::once(u.platform[i]).chain(u.extra[i - first]).collect();
            let port: Vec<Slot> = held.iter().copied().take_while(|&s| s != NO_PLATFORM).collect();
            assert!(
                held[port.len()..].iter().all(|&s| s == NO_PLATFORM),
                "enterprise {i} has a gap in its portfolio {held:?}"
            );
            let mut distinct = port.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                port.len(),
                "enterprise {i} holds a platform twice: {port:?}"
            );
            assert!(port.len() <= size, "enterprise {i} holds {} platforms", port.len());
            multi += usize::from(port.len() > 1);
        }
        assert!(multi > 50, "the test needs multi-homing enterprises; only {multi}");
    }
}

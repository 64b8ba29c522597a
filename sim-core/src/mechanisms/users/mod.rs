//! Users: platform choice under switching costs and network effects (ODD §7.11).
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

pub mod state;
pub use state::{UserGroup, Users, portfolio_shares};
mod check;
mod hash;
pub mod init;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    populate: init::populate,
    check: check::check,
    ..crate::mechanism::Mechanism::new("users")
};

use bevy_ecs::prelude::*;

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
    let terms = UtilityTerms::new(sc, table, month);
    let mut slots = Vec::new();
    terms.group_slots(sc, table, deals, group, month, &mut slots);
    let mut v = Vec::new();
    terms.utilities_into(sc, &slots, group, class, &mut v);
    v
}

/// The month's terms of [`utilities`] that depend on neither the group nor the class, computed
/// once: the network term of each slot and the 16 class sensitivities. The utilities built from
/// them are the same floats as computing every term afresh (the same operations in the same
/// order), at one `ln_1p` per slot instead of one per slot, group and class.
struct UtilityTerms {
    /// `θ_Q · quality` of each slot.
    quality: Vec<f64>,
    /// `θ_N · ln(1 + people/1e6)` of each slot.
    network: Vec<f64>,
    /// `sensitivity(σ, c)` of each class.
    sensitivity: [f64; SENSITIVITY_CLASSES],
}

/// One group's view of a slot: `None` if not allowed, else (θ_P, price, default utility).
type GroupSlot = Option<(f64, f64, f64)>;

impl UtilityTerms {
    fn new(sc: &Scenario, table: &PlatformTable, month: u32) -> Self {
        let u = &sc.users;
        let theta_network = u.theta_network
            * if interop_active(sc, month) {
                sc.interop.network_factor
            } else {
                1.0
            };
        Self {
            quality: table.slots.iter().map(|slot| u.theta_quality * slot.quality).collect(),
            network: table
                .slots
                .iter()
                .map(|slot| theta_network * math::ln_1p(slot.people / 1e6))
                .collect(),
            sensitivity: std::array::from_fn(|c| sensitivity(u.price_sensitivity_sigma, c as u8)),
        }
    }

    /// The class-independent part of each slot for `group` (into `out`).
    fn group_slots(
        &self,
        sc: &Scenario,
        table: &PlatformTable,
        deals: &Partnerships,
        group: &UserGroup,
        month: u32,
        out: &mut Vec<GroupSlot>,
    ) {
        let u = &sc.users;
        out.clear();
        out.extend(table.slots.iter().enumerate().map(|(j, slot)| {
            if !allowed(group, slot) {
                return None;
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
            Some((theta_p, price, default))
        }));
    }

    /// The utilities of every option for `group` and `class` (into `v`; the outside option last).
    fn utilities_into(&self, sc: &Scenario, slots: &[GroupSlot], group: &UserGroup, class: u8, v: &mut Vec<f64>) {
        let u = &sc.users;
        let s = self.sensitivity[class as usize] * group.income_factor;
        v.clear();
        v.extend(
            slots
                .iter()
                .zip(self.quality.iter().zip(&self.network))
                .map(|(g, (&quality, &network))| match *g {
                    None => f64::NEG_INFINITY,
                    Some((theta_p, price, default)) => quality - theta_p * s * price + network + default,
                }),
        );
        v.push(u.outside_utility);
    }
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
    let terms = UtilityTerms::new(sc, table, month);
    let (mut slots, mut v) = (Vec::new(), Vec::new());
    for g in &users.groups {
        terms.group_slots(sc, table, deals, g, month, &mut slots);
        for c in 0..SENSITIVITY_CLASSES {
            terms.utilities_into(sc, &slots, g, c as u8, &mut v);
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
    let terms = UtilityTerms::new(sc, table, month);
    let (mut slots, mut v) = (Vec::new(), Vec::new());
    for g in &users.groups {
        let people = g.weight * f64::from(g.end - g.start);
        let theta_p = if g.enterprise {
            u.theta_price_enterprise
        } else {
            u.theta_price_consumer
        };
        terms.group_slots(sc, table, deals, g, month, &mut slots);
        for c in 0..SENSITIVITY_CLASSES {
            terms.utilities_into(sc, &slots, g, c as u8, &mut v);
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
            let s = terms.sensitivity[c] * g.income_factor;
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
            let first = rng::pick_weighted_from(&w, total, d.uniform()).unwrap_or(0);
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
                        let o = rng::pick_weighted_from(&w, rest, d.uniform()).unwrap_or(0);
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
    crate::kernel::lever::in_force(month, sc.interop.from_month)
}

#[cfg(test)]
mod tests;

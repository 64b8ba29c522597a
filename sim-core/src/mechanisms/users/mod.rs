//! Users: platform choice under switching costs and network effects by market, with freemium
//! (ODD §7.11).
//!
//! Each month a share ρ of users reconsiders (consumers 2–5%/month, enterprises ≈ 1%/month).
//! A reconsidering user `i` in nation `n` compares every platform `j` it may use with the outside
//! option (no AI platform, utility `u0`):
//!
//! ```text
//! consumer:   V_ij = θ_Q Q_j + θ_N ln(1 + N_jn / 1e6) + ln(1 + e^{ΔV − θ_P s_i g_n P_j}) − SC_i 1[j ≠ current_i]
//! enterprise: V_ij = θ_Q Q_j + θ_N ln(1 + N_jn / 1e6) − θ_E s_i g_n P^E_j − SC_i 1[j ≠ current_i]
//! N_jn = Σ_m w_nm N_jm      (w_nn = 1; ω between open nations; ω_c if either is closed)
//! SC_i = SC_0 + κ ln(1 + tenure_i)          (a first adoption costs `adoption_cost` instead)
//! P(i → j) = exp(V_ij) / Σ_k exp(V_ik)       (logit, sampled with one uniform from i's stream)
//! ```
//!
//! **Network effects by market.** `N_jm` is the platform's users (people, consumers and
//! enterprise seats, last month) in nation `m`; a chooser counts its own nation's fully and
//! other open nations' at `network_foreign_weight` (ties are mostly domestic), and a nation
//! closed to foreign platforms is weighted `network_closed_weight` (0: separate domestic
//! services) both ways — so a closed nation's captive users do not make its platform attractive
//! abroad ([`market_people`], O(platforms × nations)). High θ_N gives increasing returns
//! (Arthur, Pólya) that can lock a market in on an early leader.
//!
//! **Freemium.** Consumers choose on a platform's free tier; a consumer converts to the paid
//! tier with probability `logistic(ΔV − θ_P s g P_j)` ([`paid_consumers`]), so conversion
//! emerges and falls with the price; the price term of utility is the paid tier's option value
//! `ln(1 + e^{ΔV − θ_P s g P})` ([`paid_option_value`]), not a list price every user pays.
//! Enterprises pay seats. **Consumer surplus** ([`consumer_surplus`]) is the inclusive value in
//! dollars per consumer, saturating at `surplus_max_usd`.
//!
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
//! partnership gets `+ δ_default 1[j = partner]`, and the partner's paid tier is free (price 0)
//! during the free months.
//!
//! Reads: [`PlatformTable`], [`Config`], [`Partnerships`]. Writes: [`Users`], [`MonthFlows::switched_people`].
//! Guardrails: users are conserved (every agent is on exactly one option); utilities are finite.

pub mod params;

pub mod state;
pub use state::{UserGroup, Users, portfolio_shares};
mod check;
mod hash;
pub mod init;
pub mod report;

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
    users.class_counts = users.recount_classes();
    users
}

/// Copies each platform's quality, prices and user count (worldwide and by nation) into the
/// [`PlatformTable`].
pub fn refresh_platform_table(
    cfg: Res<Config>,
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
    table.people_by_nation = people_by_nation_slot(&users, cfg.0.nations.len());
}

/// People on each slot by nation (`nation * slots + slot`), the network term's input.
pub fn people_by_nation_slot(users: &Users, nations: usize) -> Vec<f64> {
    let by = users.people_by_nation(nations);
    let slots = users.options.saturating_sub(1);
    let mut out = vec![0.0; nations * slots];
    for n in 0..nations {
        out[n * slots..(n + 1) * slots].copy_from_slice(&by[n * users.options..n * users.options + slots]);
    }
    out
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
/// once: the quality term of each slot, the network term of each (nation, slot) and the 16 class
/// sensitivities.
struct UtilityTerms {
    /// `θ_Q · quality` of each slot.
    quality: Vec<f64>,
    /// `θ_N · ln(1 + N_{j,n}/1e6)` of each (nation, slot): entry `nation * slots + slot`.
    network: Vec<f64>,
    /// Platform slots.
    slots: usize,
    /// `sensitivity(σ, c)` of each class.
    sensitivity: [f64; SENSITIVITY_CLASSES],
}

/// One group's view of a slot: `None` if not allowed, else its class-independent utility
/// (quality + network + default) and the price the group faces.
type GroupSlot = Option<(f64, f64)>;

/// The people of platform `j` a chooser in each nation can interact with:
/// `N_{j,n} = Σ_m w_{n,m} N_{j,m}` with `w_{n,n} = 1`, `w_{n,m} = ω` (`network_foreign_weight`)
/// when both nations admit foreign platforms and `w_{n,m} = ω_c` (`network_closed_weight`) when
/// either is closed to them. Computed from the open and closed totals
/// (`own + ω (open − own) + ω_c closed` for an open nation, `own + ω_c (all − own)` for a closed
/// one), so the cost is O(nations × slots). `by_nation` is `nation * slots + slot`.
pub fn market_people(sc: &Scenario, by_nation: &[f64], slots: usize) -> Vec<f64> {
    let nations = sc.nations.len();
    let (omega, omega_c) = (sc.users.network_foreign_weight, sc.users.network_closed_weight);
    let open = |n: usize| sc.nations[n].foreign_platforms;
    let (mut open_total, mut closed_total) = (vec![0.0; slots], vec![0.0; slots]);
    for n in 0..nations {
        let total = if open(n) { &mut open_total } else { &mut closed_total };
        for (j, t) in total.iter_mut().enumerate() {
            *t += by_nation[n * slots + j];
        }
    }
    let mut out = vec![0.0; nations * slots];
    for n in 0..nations {
        for j in 0..slots {
            let own = by_nation[n * slots + j];
            out[n * slots + j] = if open(n) {
                own + omega * (open_total[j] - own).max(0.0) + omega_c * closed_total[j]
            } else {
                own + omega_c * (open_total[j] + closed_total[j] - own).max(0.0)
            };
        }
    }
    out
}

/// The option value of the paid tier on a free-tier platform, `ln(1 + e^x)` (softplus), where
/// `x = ΔV − θ_P s g P` is the net value of converting: the expected maximum of staying free
/// (0) and paying (x) under logit tastes.
#[inline]
pub fn paid_option_value(x: f64) -> f64 {
    if x > 30.0 {
        x + math::ln_1p(math::exp(-x))
    } else {
        math::ln_1p(math::exp(x))
    }
}

/// Net value `ΔV − θ_P s g P` of converting to the paid tier at monthly price `price`, for a
/// consumer of total sensitivity `s` (class sensitivity × income factor).
#[inline]
pub fn conversion_value(sc: &Scenario, s: f64, price: f64) -> f64 {
    sc.users.paid_tier_value - sc.users.theta_price_consumer * s * price.max(0.0)
}

impl UtilityTerms {
    fn new(sc: &Scenario, table: &PlatformTable, month: u32) -> Self {
        let u = &sc.users;
        let theta_network = u.theta_network
            * if interop_active(sc, month) {
                sc.interop.network_factor
            } else {
                1.0
            };
        let slots = table.slots.len();
        let nations = sc.nations.len();
        let people = if table.people_by_nation.len() == nations * slots {
            market_people(sc, &table.people_by_nation, slots)
        } else {
            // Before the users exist (or a hand-built table): every nation sees worldwide counts.
            (0..nations)
                .flat_map(|_| table.slots.iter().map(|s| s.people))
                .collect()
        };
        Self {
            quality: table.slots.iter().map(|slot| u.theta_quality * slot.quality).collect(),
            network: people.iter().map(|&n| theta_network * math::ln_1p(n / 1e6)).collect(),
            slots,
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
        let n = group.nation as usize;
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
            let price = if group.enterprise {
                slot.enterprise_price
            } else if free {
                0.0
            } else {
                slot.consumer_price
            };
            let default = if is_default { sc.deals.default_utility } else { 0.0 };
            let network = self.network.get(n * self.slots + j).copied().unwrap_or(0.0);
            Some((self.quality[j] + network + default, price))
        }));
    }

    /// The utilities of every option for `group` and `class` (into `v`; the outside option last).
    /// A consumer chooses on the free tier and values the paid tier's option
    /// ([`paid_option_value`]); an enterprise pays its seats (`− θ_E s g P_E`).
    fn utilities_into(&self, sc: &Scenario, slots: &[GroupSlot], group: &UserGroup, class: u8, v: &mut Vec<f64>) {
        let u = &sc.users;
        let s = self.sensitivity[class as usize] * group.income_factor;
        v.clear();
        v.extend(slots.iter().map(|g| match *g {
            None => f64::NEG_INFINITY,
            Some((base, price)) if group.enterprise => base - u.theta_price_enterprise * s * price,
            Some((base, price)) => base + paid_option_value(conversion_value(sc, s, price)),
        }));
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

/// Consumers' surplus of the month: `total` (USD/month) and `per_user` (USD per consumer on a
/// platform per month).
///
/// A person of group `g` and class `c` gains `x = (ln Σ_j e^{V_j} − u0) / (θ_P s_c g_n)` dollars,
/// the logit inclusive value relative to using no platform, converted at the paid-tier decision's
/// marginal utility of money; the utility scale is bounded by saturating it at `W`
/// (`surplus_max_usd`): `CS = W (1 − e^{−x/W})`. Summed over the consumers on a platform (as a
/// survey of users' willingness to accept measures it; the logit option value of those who chose
/// no platform is not counted, nor enterprise seats) and divided by them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Surplus {
    pub total: f64,
    pub per_user: f64,
}

/// See [`Surplus`].
pub fn consumer_surplus(
    sc: &Scenario,
    table: &PlatformTable,
    deals: &Partnerships,
    users: &Users,
    month: u32,
) -> Surplus {
    let u = &sc.users;
    let w_max = u.surplus_max_usd;
    let (mut total, mut on_platforms) = (0.0, 0.0);
    let terms = UtilityTerms::new(sc, table, month);
    let (mut slots, mut v) = (Vec::new(), Vec::new());
    let none = users.options.saturating_sub(1);
    for (gi, g) in users.groups.iter().enumerate() {
        if g.enterprise {
            continue;
        }
        on_platforms += (0..none).map(|o| users.counts[users.cell(gi, o)]).sum::<f64>();
        terms.group_slots(sc, table, deals, g, month, &mut slots);
        for c in 0..SENSITIVITY_CLASSES {
            let people: f64 = (0..none)
                .map(|o| {
                    users
                        .class_counts
                        .get(users.class_cell(gi, c, o))
                        .copied()
                        .unwrap_or(0.0)
                })
                .sum();
            if people <= 0.0 {
                continue;
            }
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
            if u.theta_price_consumer * s > 0.0 {
                let x = (iv - u.outside_utility).max(0.0) / (u.theta_price_consumer * s);
                let cs = if w_max > 0.0 {
                    w_max * (1.0 - math::exp(-x / w_max))
                } else {
                    x
                };
                total += people * cs;
            }
        }
    }
    Surplus {
        total,
        per_user: if on_platforms > 0.0 { total / on_platforms } else { 0.0 },
    }
}

/// Consumers on each slot's paid tier this month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaidTier {
    /// Paying consumers of each slot (billed at its consumer price).
    pub paid: Vec<f64>,
    /// Consumers who take a deal partner's paid tier free during a deal's free months (counted
    /// at the conversion the list price would give: the revenue the partner forgoes).
    pub free_months: Vec<f64>,
}

impl PaidTier {
    /// All paying consumers.
    pub fn paying(&self) -> f64 {
        self.paid.iter().sum()
    }
}

/// The paid-tier decision: a consumer of class `c` in group `g` on platform `j` (price `P_j > 0`)
/// converts with probability `logistic(ΔV − θ_P s_c g_n P_j)`, so the conversion share emerges
/// from the price, the income of the nation and the spread of sensitivities. `prices[j]` is each
/// slot's consumer price. O(groups × classes × slots).
pub fn paid_consumers(sc: &Scenario, deals: &Partnerships, users: &Users, prices: &[f64], month: u32) -> PaidTier {
    let slots = users.options.saturating_sub(1);
    let mut out = PaidTier {
        paid: vec![0.0; slots],
        free_months: vec![0.0; slots],
    };
    let sens: [f64; SENSITIVITY_CLASSES] =
        std::array::from_fn(|c| sensitivity(sc.users.price_sensitivity_sigma, c as u8));
    for (g, grp) in users.groups.iter().enumerate() {
        if grp.enterprise {
            continue;
        }
        for (j, &price) in prices.iter().enumerate().take(slots) {
            if price <= 0.0 {
                continue;
            }
            let free = deals.terms(grp.nation, j as Slot, month).1;
            let mut paying = 0.0;
            for (c, &sc_c) in sens.iter().enumerate() {
                let n = users
                    .class_counts
                    .get(users.class_cell(g, c, j))
                    .copied()
                    .unwrap_or(0.0);
                if n > 0.0 {
                    paying += n * math::logistic(conversion_value(sc, sc_c * grp.income_factor, price));
                }
            }
            if free {
                out.free_months[j] += paying;
            } else {
                out.paid[j] += paying;
            }
        }
    }
    out
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
    let none = users.options.saturating_sub(1);
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

//! Nation-state partnerships: the Malta and UAE deals (ODD §7.12).
//!
//! **Tender.** Each month a nation that solicits deals (`[[nations]] solicits_deals`, from
//! `solicits_deals_from_month` on), has no deal and is past its cool-off runs a tender with probability `deals.solicit_probability`. Every
//! frontier lab that is alive and that the nation's citizens may use (`foreign_platforms =
//! false` admits only domestic labs) bids free subscriptions for `T = free_months` months plus a
//! local data-centre investment
//!
//! ```text
//! B_f = min(bid_share · V_f, max_cash_share · cash_f),   V_f = people_n · c · P_f · value_months
//! ```
//!
//! (`c` the paid conversion, `P_f` the consumer price, `people_n` the nation's internet users):
//! the lab offers a share of the subscription rents it expects from locked-in citizens
//! (Klemperer, EVIDENCE.md §2.5). The nation scores the offers as its citizens would, plus
//! trust and money:
//!
//! ```text
//! S_f = θ_Q Q_f − θ_P g_n P_f + w_T · governance_f + w_I · ln(1 + B_f / people_n) + ε_f
//! ```
//!
//! with ε_f Gumbel from the nation's own stream (a logit, not an argmax: governments weigh
//! unobserved political ties, and an argmax would hand every tender to the same lab). Under the
//! exclusive rule the best scoring offer wins; under the multi-vendor rule the top
//! `max_partners` offers (Gumbel-top-k, i.e. Plackett–Luce sampling) share the default. Each
//! winner pays `B_f` through [`Books::spend`].
//!
//! **Data centres.** The investment builds capacity: `B_f / p_list` GPUs (the list price of the
//! signing month) are due `build_months` after signing; from then on they are taken from the
//! vendor's output (before firms' orders are served, as far as the month's output allows; the
//! rest waits for the next month) and installed in the partner's fleet — it owns and uses them —
//! located in the partner nation (`hosted_gpus`, depreciating at the fleets' rate). If the
//! partner has exited by then, the GPUs go to the public compute pool (the nation keeps the data
//! centre). So a deal's investment counts in installed capacity and in the nation's hosted
//! compute, and is usable.
//!
//! **During the deal** (`term_months`): the partner is every citizen's default
//! (`+δ_default` in [`users::utilities`](super::users::utilities)); during the first `T` months
//! citizens' price for it is 0 and it bills them nothing (the foregone subscription revenue is
//! counted in [`MonthFlows::deal_foregone`]); adoption is seeded: each free month a non-adopting
//! citizen adopts a partner with probability `h = p · σ` (Bass innovation `p` times the
//! government seeding factor σ), and in the signing month with `1 − (1 − L_n)(1 − p σ)`, where
//! `L_n` is the literacy-course take-up (the course raises F(0), EVIDENCE.md §2.4). Drawn by
//! geometric skips, so the cost is O(selected users). Consumers are the citizens; enterprises
//! buy by procurement and are not affected.
//!
//! **After the deal** nothing special happens: users keep the tenure-grown switching cost
//! `SC_0 + κ ln(1 + tenure)` they built from the month they joined. That is the lock-in.
//!
//! **Renewal.** At the end of a term a partner renews for another term (no new free months) iff
//! the rule in force allows the deal (not banned; an exclusive deal only under the exclusive
//! rule, a multi-vendor deal only under the multi-vendor rule), the renewal price per citizen is
//! at most its bid per citizen (`bid_share · c · P_f · value_months`) and the fee fits its cash
//! cap; it pays the fee through [`Books::spend`]. Otherwise the deal lapses and the nation may
//! tender again after `cooldown_months`. A deal ends early when its (last) partner exits; a
//! nation that lost its partner may tender again the next month.
//!
//! **Lever** (`[deals]`): before `from_month` deals are allowed and exclusive; from it `rule`
//! applies: `exclusive`, `multi_vendor` or `banned` (no new deals, no renewals; deals in force
//! run to their term).
//!
//! Reads: [`Config`], [`Clock`], [`PlatformTable`], [`Nation`]s, [`Market`] (list price, the
//! month's output). Writes: [`Partnerships`], [`Users`] (seeded adopters), partners' [`Books`]
//! and [`Fleet`]s (installed data centres), [`Market::capacity`], [`PublicPool`],
//! [`MonthFlows`] (deal flows).
//! Guardrails: partners are alive frontier labs the nation may use; exclusive deals have one
//! partner; months left never exceed the term; every dollar goes through [`Books`].

pub mod params;

pub mod report;
pub mod state;
pub use state::{DataCentreBuild, Deal, NationDeal, Partnerships};
mod check;
mod hash;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: |w| {
        let nations = crate::kernel::init::scenario(w).nations.len();
        w.insert_resource(Partnerships::new(nations));
    },
    check: check::check,
    ..crate::mechanism::Mechanism::new("deals")
};

use bevy_ecs::prelude::*;

use super::public_compute::PublicPool;
use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

pub use params::Rule;

/// The rule in force in `month`: exclusive before `deals.from_month`, `deals.rule` from it.
pub fn rule_in_force(sc: &Scenario, month: u32) -> Rule {
    if !crate::kernel::lever::in_force(month, sc.deals.from_month) {
        return Rule::Exclusive;
    }
    sc.deals.rule
}

/// People (internet users) of a nation.
fn people(n: &Nation) -> f64 {
    n.internet_users_millions * 1e6
}

/// A bidder's offer per citizen before the cash cap: `bid_share · c · P · value_months`.
pub fn bid_per_person(sc: &Scenario, price: f64) -> f64 {
    sc.deals.bid_share * sc.users.paid_conversion * price.max(0.0) * sc.deals.value_months
}

/// May citizens of nation `n` use this platform?
fn admitted(n: &Nation, slot: &SlotInfo) -> bool {
    slot.alive && (n.foreign_platforms || slot.nation == n.index)
}

/// The platforms' books by slot (slot order).
fn books_by_slot<'a>(
    table: &PlatformTable,
    firms: &'a mut Query<(&AgentId, &mut Books), With<Platform>>,
) -> Vec<(Slot, Mut<'a, Books>)> {
    let mut out: Vec<(Slot, Mut<'a, Books>)> = firms
        .iter_mut()
        .filter_map(|(id, b)| {
            table
                .slots
                .iter()
                .position(|s| s.id == Some(*id))
                .map(|s| (s as Slot, b))
        })
        .collect();
    out.sort_by_key(|x| x.0);
    out
}

/// Nations in index order.
fn nations_sorted<'a>(q: &'a Query<(&AgentId, &Nation)>) -> Vec<(AgentId, &'a Nation)> {
    let mut v: Vec<(AgentId, &Nation)> = q.iter().map(|(id, n)| (*id, n)).collect();
    v.sort_by_key(|x| x.1.index);
    v
}

/// Counts down the deals in force; at the end of a term each partner renews or the deal lapses.
pub fn review_deals(
    cfg: Res<Config>,
    clock: Res<Clock>,
    table: Res<PlatformTable>,
    nations: Query<(&AgentId, &Nation)>,
    mut deals: ResMut<Partnerships>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &mut Books), With<Platform>>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    let rule = rule_in_force(sc, month);
    let mut books = books_by_slot(&table, &mut firms);
    for (_, n) in nations_sorted(&nations) {
        let Some(nd) = deals.nations.get_mut(n.index as usize) else {
            continue;
        };
        let Some(deal) = nd.current.as_mut() else {
            continue;
        };
        if deal.signed >= month {
            continue;
        }
        deal.months_left = deal.months_left.saturating_sub(1);
        if deal.months_left > 0 {
            continue;
        }
        let allowed = match rule {
            Rule::Banned => false,
            Rule::Exclusive => deal.exclusive,
            Rule::MultiVendor => !deal.exclusive,
        };
        let fee_pp = sc.deals.renewal_fee_usd_per_person;
        let fee = fee_pp * people(n);
        let mut renewing = Vec::new();
        if allowed {
            for &s in &deal.partners {
                let slot = &table.slots[s as usize];
                let Ok(k) = books.binary_search_by_key(&s, |b| b.0) else {
                    continue;
                };
                let b = &mut books[k].1;
                if admitted(n, slot)
                    && fee_pp <= bid_per_person(sc, slot.consumer_price)
                    && fee <= sc.deals.max_cash_share * b.cash.max(0.0)
                {
                    b.spend(fee);
                    flows.deal_fees += fee;
                    renewing.push(s);
                }
            }
        }
        if renewing.is_empty() {
            nd.current = None;
            nd.ended = Some(month);
            nd.next_tender = month.saturating_add(sc.deals.cooldown_months);
        } else {
            deal.partners = renewing.clone();
            deal.signed = month;
            deal.months_left = sc.deals.term_months;
            deal.renewals += 1;
            nd.latest = renewing;
        }
    }
}

/// Soliciting nations without a deal run a tender; the winning labs pay their investment, which
/// is queued as a data centre.
#[allow(clippy::too_many_arguments)]
pub fn tender_deals(
    cfg: Res<Config>,
    clock: Res<Clock>,
    table: Res<PlatformTable>,
    nations: Query<(&AgentId, &Nation)>,
    market: Res<Market>,
    mut deals: ResMut<Partnerships>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &mut Books), With<Platform>>,
) {
    let sc = &cfg.0;
    let d = &sc.deals;
    let u = &sc.users;
    let month = clock.month;
    let rule = rule_in_force(sc, month);
    if rule == Rule::Banned {
        return;
    }
    let mut books = books_by_slot(&table, &mut firms);
    for (id, n) in nations_sorted(&nations) {
        let spec = &sc.nations[n.index as usize];
        let Some(nd) = deals.nations.get_mut(n.index as usize) else {
            continue;
        };
        if !spec.solicits_deals
            || month < spec.solicits_deals_from_month
            || nd.current.is_some()
            || month < nd.next_tender
        {
            continue;
        }
        let mut draws = rng::stream(sc.run.seed, Stream::DealTender, id.0, month);
        if !draws.bernoulli(d.solicit_probability) {
            continue;
        }
        let pop = people(n);
        if pop <= 0.0 {
            continue;
        }
        let income = math::pow(u.gdp_reference_usd / n.gdp_per_capita_usd, u.income_elasticity);
        // Offers in slot order: (score + taste shock, index in `books`, investment).
        let mut offers: Vec<(f64, usize, f64)> = Vec::new();
        for (k, (s, b)) in books.iter().enumerate() {
            let slot = &table.slots[*s as usize];
            if slot.kind != Some(FirmKind::Frontier) || !admitted(n, slot) {
                continue;
            }
            let bid = (bid_per_person(sc, slot.consumer_price) * pop).min(d.max_cash_share * b.cash.max(0.0));
            if bid <= 0.0 {
                continue;
            }
            let governance = sc
                .firms
                .iter()
                .find(|f| f.name == slot.name)
                .map_or(0.5, |f| f.governance_score);
            let score = u.theta_quality * slot.quality - u.theta_price_consumer * income * slot.consumer_price
                + d.trust_weight * governance
                + d.offer_weight * math::ln_1p(bid / pop);
            offers.push((score + draws.gumbel(), k, bid));
        }
        if offers.is_empty() {
            continue;
        }
        // Gumbel-max (exclusive) or Gumbel-top-k (multi-vendor); ties by slot.
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let take = if rule == Rule::Exclusive {
            1
        } else {
            d.max_partners as usize
        };
        let mut partners = Vec::new();
        let mut builds = Vec::new();
        for &(_, k, bid) in offers.iter().take(take) {
            let (s, b) = &mut books[k];
            b.spend(bid);
            flows.deal_investment += bid;
            partners.push(*s);
            if let Some(firm) = table.slots[*s as usize].id
                && market.list_price > 0.0
            {
                builds.push(DataCentreBuild {
                    firm,
                    nation: n.index,
                    gpus: bid / market.list_price,
                    ready: month.saturating_add(d.build_months),
                });
            }
        }
        deals.builds.extend(builds);
        let Some(nd) = deals.nations.get_mut(n.index as usize) else {
            continue;
        };
        flows.deals_signed += 1;
        nd.current = Some(Deal {
            partners: partners.clone(),
            exclusive: rule == Rule::Exclusive,
            start: month,
            signed: month,
            months_left: d.term_months,
            free_until: month.saturating_add(d.free_months),
            renewals: 0,
        });
        nd.history.push((month, partners.clone()));
        nd.latest = partners;
        nd.ended = None;
    }
}

/// Deal data centres that are due are installed: their GPUs are taken from the month's vendor
/// output (as far as it goes) into the partner's fleet, or the public pool if the partner has
/// exited; the nations' hosted GPUs depreciate at the fleets' rate.
pub fn build_data_centres(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut deals: ResMut<Partnerships>,
    mut pool: ResMut<PublicPool>,
    mut fleets: Query<(&AgentId, &mut Fleet)>,
) {
    let sc = &cfg.0;
    let rate = 1.0 / (12.0 * sc.supply.life_years);
    for nd in &mut deals.nations {
        nd.hosted_gpus *= 1.0 - rate;
    }
    if deals.builds.is_empty() {
        return;
    }
    let mut owners: Vec<(AgentId, Mut<Fleet>)> = fleets.iter_mut().map(|(id, f)| (*id, f)).collect();
    owners.sort_by_key(|o| o.0);
    let month = clock.month;
    let Partnerships { nations, builds } = &mut *deals;
    for b in builds.iter_mut().filter(|b| b.ready <= month) {
        let got = b.gpus.min(market.capacity.max(0.0));
        if got <= 0.0 {
            continue;
        }
        market.capacity -= got;
        b.gpus -= got;
        match owners.binary_search_by_key(&b.firm, |o| o.0) {
            Ok(k) => owners[k].1.owned += got,
            Err(_) => pool.gpus += got,
        }
        if let Some(nd) = nations.get_mut(b.nation as usize) {
            nd.hosted_gpus += got;
        }
    }
    builds.retain(|b| b.gpus > 1e-9);
}

/// During the free months, non-adopting citizens of a deal nation adopt a partner (Bass `p`
/// times the seeding factor; the literacy-course take-up in the signing month).
pub fn seed_adoption(
    cfg: Res<Config>,
    clock: Res<Clock>,
    deals: Res<Partnerships>,
    mut users: ResMut<Users>,
    mut flows: ResMut<MonthFlows>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    let base = (sc.deals.bass_p_per_month * sc.deals.seeding_factor).min(1.0);
    let mut seeded = 0.0;
    for g in 0..users.groups.len() {
        let grp = users.groups[g].clone();
        if grp.enterprise {
            continue;
        }
        let Some(deal) = deals.active(grp.nation) else {
            continue;
        };
        if month >= deal.free_until || deal.partners.is_empty() {
            continue;
        }
        let h = if month == deal.start {
            let takeup = sc.nations[grp.nation as usize].literacy_course_takeup;
            1.0 - (1.0 - takeup) * (1.0 - base)
        } else {
            base
        };
        if h <= 0.0 {
            continue;
        }
        let mut d = rng::fast_stream(sc.run.seed, Stream::DealSeeding, g as u64, month);
        let mut i = u64::from(grp.start) + d.geometric(h);
        while i < u64::from(grp.end) {
            let idx = i as usize;
            if users.platform[idx] == NO_PLATFORM {
                let k = (d.next_u64() % deal.partners.len() as u64) as usize;
                seeded += users.adopt(idx, g, deal.partners[k], month);
            }
            i += 1 + d.geometric(h);
        }
    }
    flows.deal_seeded_people += seeded;
}

/// Deals whose partners left the market this month lose them; a deal without partners ends
/// and the nation may tender again next month.
pub fn end_deals_of_dead_partners(clock: Res<Clock>, table: Res<PlatformTable>, mut deals: ResMut<Partnerships>) {
    let month = clock.month;
    for nd in &mut deals.nations {
        let Some(deal) = nd.current.as_mut() else {
            continue;
        };
        deal.partners.retain(|&s| table.slots[s as usize].alive);
        if deal.partners.is_empty() {
            nd.current = None;
            nd.ended = Some(month);
            nd.next_tender = month + 1;
        }
    }
}

/// People (consumers) per platform slot that a partner serves for free this month: citizens of
/// nations whose deal is in its free months, on one of its partners.
pub fn free_consumers(deals: &Partnerships, users: &Users, month: u32) -> Vec<f64> {
    let mut out = vec![0.0; users.options];
    for (g, grp) in users.groups.iter().enumerate() {
        if grp.enterprise {
            continue;
        }
        if let Some(d) = deals.active(grp.nation)
            && month < d.free_until
        {
            for &s in &d.partners {
                out[s as usize] += users.counts[users.cell(g, s as usize)];
            }
        }
    }
    out
}

/// National lock-in: `(share, counterfactual)`. `share` is the share of the consumers of nations
/// that have or had a deal who use their latest partner(s); `counterfactual` the same partners'
/// share among consumers of nations that never had a deal (and may use them), weighted alike.
/// Both NaN when no nation ever had a deal.
pub fn lockin_shares(sc: &Scenario, deals: &Partnerships, users: &Users, table: &PlatformTable) -> (f64, f64) {
    let nations = sc.nations.len();
    let options = users.options;
    // Consumers by nation and option.
    let mut by = vec![0.0; nations * options];
    for (g, grp) in users.groups.iter().enumerate() {
        if grp.enterprise || grp.nation as usize >= nations {
            continue;
        }
        for o in 0..options {
            by[grp.nation as usize * options + o] += users.counts[users.cell(g, o)];
        }
    }
    let pop = |n: usize| by[n * options..(n + 1) * options].iter().sum::<f64>();
    let had = |n: usize| deals.nations.get(n).is_some_and(|d| !d.latest.is_empty());
    // Each slot's share among consumers of never-deal nations that may use it.
    let slots = options - 1;
    let mut cf = vec![f64::NAN; slots];
    for (s, c) in cf.iter_mut().enumerate() {
        let (mut on, mut all) = (0.0, 0.0);
        for n in 0..nations {
            let may = sc.nations[n].foreign_platforms || table.slots[s].nation as usize == n;
            if !had(n) && may {
                on += by[n * options + s];
                all += pop(n);
            }
        }
        if all > 0.0 {
            *c = on / all;
        }
    }
    let (mut on, mut cf_on, mut all) = (0.0, 0.0, 0.0);
    for n in (0..nations).filter(|&n| had(n)) {
        let p = pop(n);
        all += p;
        for &s in &deals.nations[n].latest {
            on += by[n * options + s as usize];
            cf_on += p * cf[s as usize];
        }
    }
    if all > 0.0 {
        (on / all, cf_on / all)
    } else {
        (f64::NAN, f64::NAN)
    }
}

#[cfg(test)]
mod tests;

//! Nation-state partnerships: the Malta and UAE deals (ODD §7.12).
//!
//! **Tender.** Each month a nation that solicits deals (`[[nations]] solicits_deals`), has no deal
//! and is past its cool-off runs a tender with probability `deals.solicit_probability`. Every
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
//! Reads: [`Config`], [`Clock`], [`PlatformTable`], [`Nation`]s. Writes: [`Partnerships`],
//! [`Users`] (seeded adopters), partners' [`Books`], [`MonthFlows`] (deal flows).
//! Guardrails: partners are alive frontier labs the nation may use; exclusive deals have one
//! partner; months left never exceed the term; every dollar goes through [`Books`].

pub mod params;

pub mod report;
pub mod state;
pub use state::{Deal, NationDeal, Partnerships};
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

/// Soliciting nations without a deal run a tender; the winning labs pay their investment.
pub fn tender_deals(
    cfg: Res<Config>,
    clock: Res<Clock>,
    table: Res<PlatformTable>,
    nations: Query<(&AgentId, &Nation)>,
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
        if !spec.solicits_deals || nd.current.is_some() || month < nd.next_tender {
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
        for &(_, k, bid) in offers.iter().take(take) {
            let (s, b) = &mut books[k];
            b.spend(bid);
            flows.deal_investment += bid;
            partners.push(*s);
        }
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
mod tests {
    use super::*;
    use crate::mechanisms::finance;
    use crate::mechanisms::testkit::{self, books, close};
    use crate::mechanisms::users;

    /// The small scenario (Open: foreign platforms allowed; Closed: domestic only; frontier Alpha
    /// and Beta in Open, open-weights Gamma in Closed) where both nations solicit every month,
    /// edited by `edit`, with nations and platforms spawned. Returns the world and the platforms'
    /// entities in slot order.
    fn deals_world(edit: impl FnOnce(&mut Scenario)) -> (World, Vec<Entity>) {
        let mut sc = testkit::small_scenario();
        for n in &mut sc.nations {
            n.solicits_deals = true;
        }
        sc.deals.solicit_probability = 1.0;
        edit(&mut sc);
        let mut w = testkit::world(sc.clone());
        for (i, n) in sc.nations.iter().enumerate() {
            let id = w.resource_mut::<Directory>().allocate();
            w.spawn((id, Nation::from_spec(i as u16, n)));
        }
        let es = testkit::spawn_platforms(&mut w);
        (w, es)
    }

    fn deal(w: &World, nation: u16) -> Option<Deal> {
        w.resource::<Partnerships>().active(nation).cloned()
    }

    fn set_month(w: &mut World, m: u32) {
        w.resource_mut::<Clock>().month = m;
    }

    /// Open's consumers on `slot` and in total.
    fn open_consumers(w: &World, slot: usize) -> (f64, f64) {
        let u = w.resource::<Users>();
        let (mut on, mut all) = (0.0, 0.0);
        for (g, grp) in u.groups.iter().enumerate() {
            if grp.nation == 0 && !grp.enterprise {
                on += u.counts[u.cell(g, slot)];
                all += (0..u.options).map(|o| u.counts[u.cell(g, o)]).sum::<f64>();
            }
        }
        (on, all)
    }

    #[test]
    fn a_nation_without_a_deal_signs_with_the_best_offer() {
        let (mut w, es) = deals_world(|sc| {
            sc.firms[0].governance_score = 0.0;
            sc.firms[1].governance_score = 1.0;
            sc.deals.trust_weight = 60.0;
        });
        let cash = [books(&w, es[0]).cash, books(&w, es[1]).cash, books(&w, es[2]).cash];
        w.run_system_cached(tender_deals).unwrap();
        let d = deal(&w, 0).expect("Open signs a deal");
        assert_eq!(d.partners, vec![1], "Beta, far more trusted, wins Open's tender");
        assert!(d.exclusive && d.months_left == 24 && d.free_until == 12 && d.start == 0);
        assert!(
            deal(&w, 1).is_none(),
            "Closed admits only domestic platforms and has no domestic frontier lab"
        );
        let sc = w.resource::<Config>().0.clone();
        let bid = (bid_per_person(&sc, 20.0) * 10e6).min(sc.deals.max_cash_share * cash[1]);
        assert!(close(cash[1] - books(&w, es[1]).cash, bid), "Beta pays its investment");
        assert!(close(books(&w, es[1]).costs, bid), "through its books");
        assert_eq!(books(&w, es[0]).cash, cash[0], "the losers pay nothing");
        assert!(close(w.resource::<MonthFlows>().deal_investment, bid));
        let h = &w.resource::<Partnerships>().nations[0];
        assert_eq!(h.history, vec![(0, vec![1])]);
        assert_eq!(h.latest, vec![1]);
    }

    #[test]
    fn the_nation_weighs_the_offer_when_labs_are_otherwise_alike() {
        // Dearer Beta values a citizen more, so bids more (and quality, trust are equal): with a
        // large weight on the offer Beta wins, with none the cheaper Alpha does.
        let pick = |offer_weight: f64| {
            let (mut w, _) = deals_world(|sc| {
                sc.firms[1].consumer_price_usd = 40.0;
                sc.deals.offer_weight = offer_weight;
                sc.users.theta_price_consumer = 1.0;
                sc.firms[0].cash_usd = 1e13;
                sc.firms[1].cash_usd = 1e13;
            });
            w.run_system_cached(tender_deals).unwrap();
            deal(&w, 0).expect("a deal").partners[0]
        };
        assert_eq!(pick(200.0), 1, "the larger offer wins when money counts");
        assert_eq!(pick(0.0), 0, "the cheaper lab wins when only price counts");
    }

    #[test]
    fn the_partner_is_the_default_during_the_deal() {
        let (mut w, _) = deals_world(|sc| sc.deals.trust_weight = 0.0);
        w.run_system_cached(tender_deals).unwrap();
        let partner = deal(&w, 0).expect("a deal").partners[0] as usize;
        let sc = w.resource::<Config>().0.clone();
        let table = w.resource::<PlatformTable>().clone();
        let u = w.resource::<Users>().clone();
        let none = Partnerships::new(2);
        let with = w.resource::<Partnerships>().clone();
        for grp in &u.groups {
            for month in [0, 11, 12, 23] {
                let a = users::utilities(&sc, &table, &with, grp, 8, month);
                let b = users::utilities(&sc, &table, &none, grp, 8, month);
                if b[partner] == f64::NEG_INFINITY {
                    assert_eq!(a[partner], f64::NEG_INFINITY, "a deal never admits a barred platform");
                    continue;
                }
                let price = sc.users.theta_price_consumer
                    * users::sensitivity(sc.users.price_sensitivity_sigma, 8)
                    * grp.income_factor
                    * table.slots[partner].consumer_price;
                let expect = if grp.nation != 0 || grp.enterprise {
                    0.0
                } else if month < 12 {
                    sc.deals.default_utility + price
                } else {
                    sc.deals.default_utility
                };
                let gain = a[partner] - b[partner];
                assert!(
                    (gain - expect).abs() < 1e-9,
                    "nation {} enterprise {} month {month}: the partner gains {gain}, expected {expect}",
                    grp.nation,
                    grp.enterprise
                );
                for o in (0..a.len()).filter(|&o| o != partner) {
                    assert_eq!(a[o], b[o], "other options are unchanged");
                }
            }
        }
    }

    #[test]
    fn seeded_adoption_moves_non_adopters_to_the_partner() {
        let (mut w, _) = deals_world(|sc| {
            sc.nations[0].literacy_course_takeup = 0.5;
            sc.users.initial_adoption_consumer = 0.3;
        });
        w.run_system_cached(tender_deals).unwrap();
        let partner = deal(&w, 0).expect("a deal").partners[0];
        let before = w.resource::<Users>().clone();
        let (on0, _) = open_consumers(&w, partner as usize);
        w.run_system_cached(seed_adoption).unwrap();
        let after = w.resource::<Users>();
        let (mut eligible, mut moved) = (0, 0);
        for grp in &before.groups {
            for i in grp.start as usize..grp.end as usize {
                let (was, now) = (before.platform[i], after.platform[i]);
                if grp.nation == 0 && !grp.enterprise && was == NO_PLATFORM {
                    eligible += 1;
                    if now != NO_PLATFORM {
                        assert_eq!(now, partner, "a seeded citizen adopts the partner");
                        assert_eq!(after.joined[i], 0, "and its tenure starts now");
                        moved += 1;
                    }
                } else {
                    assert_eq!(was, now, "only non-adopting citizens of the deal nation move");
                }
            }
        }
        let sc = w.resource::<Config>().0.clone();
        let h = 1.0 - 0.5 * (1.0 - sc.deals.bass_p_per_month * sc.deals.seeding_factor);
        let share = f64::from(moved) / f64::from(eligible);
        assert!(
            (share - h).abs() < 0.05,
            "{share:.3} of {eligible} non-adopters adopted; expected {h:.3}"
        );
        for (a, b) in after.counts.iter().zip(after.recount()) {
            assert!(close(*a, b), "counts stay consistent: {a} vs {b}");
        }
        let (on1, _) = open_consumers(&w, partner as usize);
        assert!(close(on1 - on0, w.resource::<MonthFlows>().deal_seeded_people));
        // After the free months no one is seeded.
        set_month(&mut w, 12);
        let before = w.resource::<Users>().platform.clone();
        w.run_system_cached(seed_adoption).unwrap();
        assert_eq!(
            before,
            w.resource::<Users>().platform,
            "no seeding after the free months"
        );
    }

    #[test]
    fn free_months_mean_no_bill() {
        let (mut w, es) = deals_world(|_| {});
        w.run_system_cached(tender_deals).unwrap();
        let partner = deal(&w, 0).expect("a deal").partners[0] as usize;
        let bill = |w: &mut World, month: u32| {
            set_month(w, month);
            *w.resource_mut::<MonthFlows>() = MonthFlows::default();
            for &e in &es {
                let mut b = w.get_mut::<Books>(e).unwrap();
                b.revenue = 0.0;
            }
            w.run_system_cached(finance::bill_platform_users).unwrap();
            (books(w, es[partner]).revenue, w.resource::<MonthFlows>().deal_foregone)
        };
        let (free_rev, foregone) = bill(&mut w, 3);
        let (paid_rev, none) = bill(&mut w, 12);
        let sc = w.resource::<Config>().0.clone();
        let (citizens, _) = open_consumers(&w, partner);
        let expect = citizens * sc.users.paid_conversion * 20.0;
        assert!(
            citizens > 0.0 && close(foregone, expect),
            "foregone {foregone}, expected {expect}"
        );
        assert!(
            close(paid_rev - free_rev, expect),
            "citizens are not billed in free months"
        );
        assert_eq!(none, 0.0, "nothing is foregone after the free months");
    }

    #[test]
    fn a_banned_rule_signs_nothing() {
        let (mut w, _) = deals_world(|sc| {
            sc.deals.from_month = 0;
            sc.deals.rule = Rule::Banned;
        });
        for m in 0..12 {
            set_month(&mut w, m);
            w.run_system_cached(review_deals).unwrap();
            w.run_system_cached(tender_deals).unwrap();
        }
        assert_eq!(w.resource::<Partnerships>().active_count(), 0);
        assert!(
            w.resource::<Partnerships>()
                .nations
                .iter()
                .all(|n| n.history.is_empty())
        );
        // A deal signed before the ban runs to its term and is not renewed.
        let (mut w, _) = deals_world(|sc| {
            sc.deals.from_month = 3;
            sc.deals.rule = Rule::Banned;
            sc.deals.term_months = 6;
            sc.deals.free_months = 2;
            sc.deals.renewal_fee_usd_per_person = 0.0;
        });
        for m in 0..12 {
            set_month(&mut w, m);
            w.run_system_cached(review_deals).unwrap();
            w.run_system_cached(tender_deals).unwrap();
            assert_eq!(deal(&w, 0).is_some(), m < 6, "month {m}");
        }
    }

    #[test]
    fn multi_vendor_deals_share_the_default() {
        let (mut w, es) = deals_world(|sc| {
            sc.deals.from_month = 0;
            sc.deals.rule = Rule::MultiVendor;
            sc.deals.max_partners = 2;
        });
        let cash: Vec<f64> = es.iter().map(|&e| books(&w, e).cash).collect();
        w.run_system_cached(tender_deals).unwrap();
        let d = deal(&w, 0).expect("a deal");
        let mut p = d.partners.clone();
        p.sort_unstable();
        assert_eq!(p, vec![0, 1], "both frontier labs are partners");
        assert!(!d.exclusive);
        for &e in &es[..2] {
            assert!(books(&w, e).costs > 0.0, "each partner pays its investment");
        }
        assert_eq!(books(&w, es[2]).cash, cash[2], "an open-weights lab never bids");
        let deals = w.resource::<Partnerships>();
        assert_eq!(deals.terms(0, 0, 0), (true, true));
        assert_eq!(deals.terms(0, 1, 0), (true, true));
        assert_eq!(deals.terms(0, 2, 0), (false, false));
    }

    #[test]
    fn the_deal_ends_when_the_partner_dies() {
        let (mut w, _) = deals_world(|_| {});
        w.run_system_cached(tender_deals).unwrap();
        let partner = deal(&w, 0).expect("a deal").partners[0];
        set_month(&mut w, 5);
        w.run_system_cached(end_deals_of_dead_partners).unwrap();
        assert!(deal(&w, 0).is_some(), "alive partner, deal in force");
        w.resource_mut::<PlatformTable>().slots[partner as usize].alive = false;
        w.run_system_cached(end_deals_of_dead_partners).unwrap();
        let nd = &w.resource::<Partnerships>().nations[0];
        assert!(nd.current.is_none(), "the deal ends with its partner");
        assert_eq!((nd.ended, nd.next_tender), (Some(5), 6));
        assert_eq!(nd.latest, vec![partner], "history keeps the partner");
    }

    #[test]
    fn a_deal_renews_only_when_the_renewal_price_is_below_the_partners_valuation() {
        let run = |fee: f64| {
            let (mut w, es) = deals_world(|sc| {
                sc.deals.term_months = 3;
                sc.deals.free_months = 1;
                sc.deals.renewal_fee_usd_per_person = fee;
                sc.deals.cooldown_months = 100;
            });
            for m in 0..4 {
                set_month(&mut w, m);
                w.run_system_cached(review_deals).unwrap();
                w.run_system_cached(tender_deals).unwrap();
            }
            let paid: f64 = es.iter().map(|&e| books(&w, e).costs).sum();
            (w.resource::<Partnerships>().nations[0].clone(), paid)
        };
        let sc = testkit::small_scenario();
        let valuation = bid_per_person(&sc, 20.0);
        let (cheap, paid) = run(valuation * 0.5);
        let d = cheap.current.expect("renewed");
        assert_eq!((d.renewals, d.signed, d.start, d.months_left), (1, 3, 0, 3));
        assert_eq!(d.free_until, 1, "a renewal brings no new free months");
        assert!(paid > 0.0);
        let (dear, _) = run(valuation * 2.0);
        assert!(
            dear.current.is_none(),
            "a renewal price above the valuation ends the deal"
        );
        assert_eq!((dear.ended, dear.next_tender), (Some(3), 103));
    }

    #[test]
    fn the_lockin_share_counts_the_partner_in_deal_nations_against_no_deal_nations() {
        let (mut w, _) = deals_world(|sc| sc.nations[1].foreign_platforms = true);
        let sc = w.resource::<Config>().0.clone();
        let (u, table) = (w.resource::<Users>().clone(), w.resource::<PlatformTable>().clone());
        let (a, b) = lockin_shares(&sc, w.resource::<Partnerships>(), &u, &table);
        assert!(a.is_nan() && b.is_nan(), "no deal, no lock-in share");
        w.resource_mut::<Partnerships>().nations[0].latest = vec![0];
        let (a, b) = lockin_shares(&sc, w.resource::<Partnerships>(), &u, &table);
        let (on, all) = open_consumers(&w, 0);
        assert!(close(a, on / all), "lock-in {a} vs {}", on / all);
        let (mut on1, mut all1) = (0.0, 0.0);
        for (g, grp) in u.groups.iter().enumerate() {
            if grp.nation == 1 && !grp.enterprise {
                on1 += u.counts[u.cell(g, 0)];
                all1 += (0..u.options).map(|o| u.counts[u.cell(g, o)]).sum::<f64>();
            }
        }
        assert!(close(b, on1 / all1), "counterfactual {b} vs {}", on1 / all1);
    }
}

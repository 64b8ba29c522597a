//! Finance, funding and exit (ODD §7.17).
//!
//! **Revenue.** A platform earns `(paying consumers · price + seats · seat price) ·
//! served_fraction` (unserved demand pays nothing), paying consumers those who convert from the
//! free tier by the paid-tier decision of [`users`](super::users) (ODD §7.11); startups' app revenue and API fees are
//! booked by [`startups`](super::startups), rents by the contract and spot markets.
//! **Costs.** Wages (`staff · lab_wage` or `team · startup wage`, net of the researchers the
//! talent market pays) and GPU running costs
//! (`owned · 730 h · variable_cost · c_t`, c_t the cost index of [`Market`]); capital spending and compute purchases are booked where
//! they happen. **Funding.** Parents fund their labs every month; a lab or lessor whose runway
//! falls below `strategic_runway_months` raises `strategic_round_months` of burn (at most
//! `strategic_revenue_multiple` × annual revenue, and at least `strategic_round_floor_usd` of cap)
//! with probability `p / (1 + strategic_rank_decay · rank)` by quality rank (lessors: `p` above
//! break-even, `strategic_lessor_distress_factor · p` below); a
//! startup whose runway falls below `runway_trigger_months` raises `round_months_of_burn` of
//! burn × `S^e` with probability `logistic(logit p₀ + w · traction + w_S ln S)`, traction = ln of
//! 6-month revenue growth, `S` the market sentiment index of [`venture`](super::venture), minus
//! the kill-zone penalty of a startup exposed to a platform's own app in its niche (see
//! [`platform_entry`](super::platform_entry)).
//! **Exit.** A startup acqui-hired this month ([`AcquiredBy`], see [`venture`](super::venture))
//! exits with cause acqui-hire; otherwise a firm exits when its cash is negative after funding
//! (cause: *incident* when the month's incident losses and fines alone turned its cash
//! negative; else, for a startup whose app niche a platform entered within
//! `platform_entry.attribution_months`, *platform entry* (see
//! [`platform_entry`](super::platform_entry)); else cash) or, for a lessor, after `exit_months_below` consecutive months below
//! break-even (cause: break-even). Exits are counted by [`ExitCause`] in [`MonthFlows`], recorded
//! in the startups' [`Cohorts`], and the exiting firm's last [`PanelRow`] is kept for the panel.
//! An exiting firm's fleet is sold in a fire sale ([`sell_fleet`]) at `fire_sale_fraction` of
//! list value to the firms that want it: a lab bids for its unmet need
//! (`need − owned − reserved`), a lessor for the exiting firm's leased GPUs (their contracts
//! come with them) plus, when it is expanding (committed share ≥ `expand_utilisation` and the
//! contract price covers break-even plus margin, as in its vendor orders), a month of its
//! expansion; nobody beyond what its cash pays for. Bids are filled pro rata (water-filling);
//! what nobody wants is scrapped. Consolidation is an outcome of who needs compute, not a rule.
//! The exiting firm's lessor contracts follow its fleet's largest buyer among lessors (else
//! the largest buyer), scaled down to the GPUs that buyer got when it got fewer; contracts it
//! bought end; its users fall back to "no platform" and startups built on it move to the best
//! open model.
//!
//! Every cash movement goes through [`Books`], so `cash = cash_start + revenue − costs +
//! funding` holds for every firm every month.

pub mod params;

pub mod state;
/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism::new("finance");

use bevy_ecs::prelude::*;

use super::deals::Partnerships;
use super::platform_entry::Niches;
use super::talent::Roster;
use super::users::Users;
use super::venture::{Cohorts, Sentiment};
use crate::math;
use crate::params::FirmKind;
use crate::rng::{self, Stream};
use crate::state::*;

/// Platforms bill their paying consumers and enterprise seats. Consumers use a platform on its
/// free tier and convert to the paid tier by the decision of
/// [`users::paid_consumers`](super::users::paid_consumers) at the platform's consumer price; a deal
/// partner bills nothing to the citizens of a nation in its deal's free months (the paid-tier
/// revenue foregone is counted in [`MonthFlows::deal_foregone`]).
pub fn bill_platform_users(
    cfg: Res<Config>,
    clock: Res<Clock>,
    users: Res<Users>,
    deals: Res<Partnerships>,
    mut flows: ResMut<MonthFlows>,
    mut platforms: Query<(&AgentId, &Platform, &Fleet, &mut Books)>,
) {
    let mut rows: Vec<_> = platforms.iter_mut().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    let mut prices = vec![0.0; users.options.saturating_sub(1)];
    for (_, p, _, _) in &rows {
        if let Some(x) = prices.get_mut(p.slot as usize) {
            *x = p.consumer_price;
        }
    }
    let tier = super::users::paid_consumers(&cfg.0, &deals, &users, &prices, clock.month);
    for (_, p, f, b) in &mut rows {
        let slot = p.slot as usize;
        let paying = tier.paid.get(slot).copied().unwrap_or(0.0);
        let free_paid = tier.free_months.get(slot).copied().unwrap_or(0.0);
        let revenue = (paying * p.consumer_price + p.seats * p.enterprise_price) * f.served_fraction;
        flows.deal_foregone += free_paid * p.consumer_price * f.served_fraction;
        b.earn(revenue);
    }
}

/// Wages and GPU running costs.
pub fn pay_operating_costs(
    cfg: Res<Config>,
    market: Res<Market>,
    roster: Res<Roster>,
    mut firms: Query<(&AgentId, &Fleet, &mut Books, Option<&Staff>, Option<&Startup>)>,
) {
    let sc = &cfg.0;
    for (id, f, mut b, staff, startup) in &mut firms {
        let wages = match (staff, startup) {
            // Researchers in the team are paid by the talent market.
            (_, Some(s)) => (s.team - roster.people_at(*id)).max(0.0) * sc.startups.wage_usd_per_month,
            (Some(s), None) => s.0 * sc.finance.lab_wage_usd_per_month,
            (None, None) => 0.0,
        };
        let running = f.owned * HOURS_PER_MONTH * sc.spot.variable_cost_usd_per_hour * market.cost_index;
        b.spend(wages + running);
    }
}

/// Parent funding, strategic rounds and venture rounds.
pub fn raise_funding(
    cfg: Res<Config>,
    clock: Res<Clock>,
    sentiment: Res<Sentiment>,
    mut flows: ResMut<MonthFlows>,
    (niches, market): (Res<Niches>, Res<Market>),
    mut firms: Query<(
        &AgentId,
        &Firm,
        &mut Books,
        Option<&Lab>,
        Option<&Lessor>,
        Option<(&Startup, Option<&AppNiche>)>,
    )>,
) {
    let sc = &cfg.0;
    let f = &sc.finance;
    let st = &sc.startups;
    // Quality ranks of labs (0 = best), ties by id.
    let mut labs: Vec<(AgentId, f64)> = firms
        .iter()
        .filter_map(|(id, _, _, lab, _, _)| lab.map(|l| (*id, l.served_quality)))
        .collect();
    labs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (id, firm, mut b, _, lessor, startup) in &mut firms {
        if b.parent_funding > 0.0 {
            let p = b.parent_funding;
            b.fund(p);
        }
        let burn = (b.costs - b.revenue).max(b.last_burn);
        if burn <= 0.0 {
            continue;
        }
        let mut d = rng::stream(sc.run.seed, Stream::VentureRound, id.0, clock.month);
        match firm.kind {
            FirmKind::Startup => {
                if b.cash < st.runway_trigger_months * burn {
                    let traction = (math::ln(
                        (b.revenue_history[0] + st.traction_reference_usd)
                            / (b.revenue_history[6] + st.traction_reference_usd),
                    ))
                    .clamp(-3.0, 3.0);
                    let p0 = st.round_probability.clamp(1e-9, 1.0 - 1e-9);
                    let v = &sc.venture;
                    let s = sentiment.level;
                    let kill_zone = startup.map_or(0.0, |(s, niche)| {
                        super::platform_entry::kill_zone_shift(sc, &market, &niches, clock.month, s, niche)
                    });
                    let p = math::logistic(
                        math::ln(p0 / (1.0 - p0))
                            + st.round_traction_weight * traction
                            + v.round_sentiment_weight * math::ln(s)
                            + kill_zone,
                    );
                    if d.bernoulli(p) {
                        let round = st.round_months_of_burn * burn * math::pow(s, v.round_size_sentiment_elasticity);
                        b.fund(round);
                        flows.venture_funding += round;
                    }
                }
            }
            _ => {
                if b.cash < f.strategic_runway_months * burn {
                    let factor = match lessor {
                        Some(l) => {
                            if l.realised_price >= l.break_even {
                                1.0
                            } else {
                                f.strategic_lessor_distress_factor
                            }
                        }
                        None => {
                            1.0 / (1.0
                                + f.strategic_rank_decay
                                    * labs.iter().position(|l| l.0 == *id).unwrap_or(labs.len()) as f64)
                        }
                    };
                    let mut d = rng::stream(sc.run.seed, Stream::StrategicRound, id.0, clock.month);
                    if d.bernoulli(f.strategic_round_probability * factor) {
                        let cap = (f.strategic_revenue_multiple * 12.0 * b.revenue).max(f.strategic_round_floor_usd);
                        b.fund((f.strategic_round_months * burn).min(cap));
                    }
                }
            }
        }
    }
}

pub use crate::state::ExitCause;

/// Firms that ran out of cash, and lessors long below break-even, leave the market.
#[allow(clippy::too_many_arguments)]
pub fn exit_firms(
    mut commands: Commands,
    cfg: Res<Config>,
    clock: Res<Clock>,
    market: Res<Market>,
    mut dir: ResMut<Directory>,
    mut book: ResMut<ContractBook>,
    mut table: ResMut<PlatformTable>,
    mut users: ResMut<Users>,
    mut flows: ResMut<MonthFlows>,
    mut cohorts: ResMut<Cohorts>,
    mut transfers: ResMut<TeamTransfers>,
    ledger: Res<RiskLedger>,
    niches: Res<Niches>,
    releases: Res<OpenReleases>,
    mut firms: Query<(
        Entity,
        &AgentId,
        &Firm,
        &mut Fleet,
        &mut Books,
        Option<&Lessor>,
        Option<&Platform>,
        Option<&mut Startup>,
        (Option<&Lab>, Option<&Staff>, Option<&AcquiredBy>, Option<&AppNiche>),
    )>,
) {
    let sc = &cfg.0;
    let attribution = sc.platform_entry.attribution_months;
    let mut exiting: Vec<(AgentId, Entity, ExitCause)> = firms
        .iter()
        .filter_map(|(e, id, _, _, b, lessor, _, s, (_, _, acquired, niche))| {
            if let Some(buyer) = acquired {
                transfers.0.insert(*id, buyer.0);
                Some((*id, e, ExitCause::AcquiHire))
            } else if b.cash < 0.0 {
                let incident = ledger.incident_cost(*id);
                let entered = s.is_some()
                    && niches
                        .get(niche.map_or(0, |n| n.0))
                        .is_some_and(|n| n.entered_within(clock.month, attribution));
                if incident > 0.0 && b.cash + incident >= 0.0 {
                    Some((*id, e, ExitCause::Incident))
                } else if entered {
                    Some((*id, e, ExitCause::PlatformEntry))
                } else {
                    Some((*id, e, ExitCause::Cash))
                }
            } else if lessor.is_some_and(|l| l.months_below >= sc.lessors.exit_months_below) {
                Some((*id, e, ExitCause::BreakEven))
            } else {
                None
            }
        })
        .collect();
    if exiting.is_empty() {
        return;
    }
    exiting.sort_by_key(|x| x.0);
    let leaving: Vec<AgentId> = exiting.iter().map(|x| x.0).collect();
    let unit_price = sc.lessors.fire_sale_fraction * market.list_price;
    let expanding_pays = market.contract_price >= market.break_even * (1.0 + sc.contracts.lessor_margin);
    for &(id, entity, cause) in &exiting {
        let (owned, slot, kind, founded) = {
            let (_, _, firm, fleet, books, _, p, s, (lab, staff, _, niche)) =
                firms.get(entity).expect("exiting firm exists");
            if let Some(s) = s {
                super::platform_entry::count_exit(sc, &market, &niches, &mut flows, s, niche);
            }
            flows.exited_rows.push(PanelRow::of(
                clock.month,
                id,
                firm,
                books,
                fleet,
                lab,
                p,
                s,
                staff,
                Some(cause),
            ));
            (fleet.owned, p.map(|p| p.slot), firm.kind, firm.founded)
        };
        // The fire sale: bidders are the firms staying, in id order.
        let leased: f64 = book.contracts.iter().filter(|c| c.seller == id).map(|c| c.gpus).sum();
        let mut bidders: Vec<FleetBidder> = firms
            .iter()
            .filter(|(_, aid, _, _, _, _, _, _, _)| !leaving.contains(aid))
            .filter_map(|(e, aid, f, fl, b, _, _, _, _)| {
                let want = match f.kind {
                    FirmKind::Frontier | FirmKind::OpenWeights => (fl.need - fl.owned - fl.reserved).max(0.0),
                    FirmKind::Neocloud => {
                        let util = if fl.owned > 0.0 { fl.committed / fl.owned } else { 1.0 };
                        let expand = if util >= sc.lessors.expand_utilisation && expanding_pays {
                            fl.owned * sc.lessors.expand_rate_per_month
                        } else {
                            0.0
                        };
                        leased + expand
                    }
                    FirmKind::Startup => 0.0,
                };
                (want > 0.0).then_some(FleetBidder {
                    id: *aid,
                    entity: e,
                    lessor: f.kind == FirmKind::Neocloud,
                    want,
                    cash: b.cash,
                })
            })
            .collect();
        bidders.sort_by_key(|b| b.id);
        let lots = sell_fleet(owned, unit_price, &bidders);
        for (bidder, &lot) in bidders.iter().zip(&lots) {
            if lot <= 0.0 {
                continue;
            }
            if let Ok((_, _, _, mut fl, mut b, _, _, _, _)) = firms.get_mut(bidder.entity) {
                b.spend(lot * unit_price);
                fl.owned += lot;
            }
        }
        let sold: f64 = lots.iter().sum();
        if let Ok((_, _, _, mut fl, mut b, _, _, _, _)) = firms.get_mut(entity) {
            b.earn(sold * unit_price);
            fl.owned = 0.0;
        }
        flows.fleet_sold += sold;
        flows.fleet_scrapped += (owned - sold).max(0.0);
        // The lessor contracts follow the largest lot among lessors, else the largest lot.
        let heir = bidders
            .iter()
            .zip(&lots)
            .filter(|(_, l)| **l > 0.0)
            .max_by(|a, b| {
                a.0.lessor
                    .cmp(&b.0.lessor)
                    .then(a.1.total_cmp(b.1))
                    .then(b.0.id.cmp(&a.0.id))
            })
            .map(|(b, &l)| (b.id, l));
        book.contracts
            .retain(|c| c.buyer != id && (c.seller != id || heir.is_some()));
        if let Some((aid, lot)) = heir {
            let scale = if leased > lot { lot / leased } else { 1.0 };
            for c in book.contracts.iter_mut().filter(|c| c.seller == id) {
                c.seller = aid;
                c.gpus *= scale;
            }
            // GPUs the heir had rented from the exiting lessor are now its own.
            book.contracts.retain(|c| c.buyer != c.seller);
        }
        if let Some(slot) = slot {
            users.evict_platform(slot);
            table.slots[slot as usize].alive = false;
            // Its startups move to the best usable open release (else the best frontier API).
            let base = match releases.best_usable() {
                Some((r, _)) => Base::Open(r),
                None => Base::Platform(super::open_source::best_platform(&table)),
            };
            for (_, _, _, _, _, _, _, s, _) in &mut firms {
                if let Some(mut s) = s
                    && s.base == Base::Platform(slot)
                {
                    s.base = base;
                }
            }
        }
        flows.record_exit(kind, (clock.month as i32 - founded).max(0) as u32, cause);
        if kind == FirmKind::Startup {
            cohorts.exit(id, clock.month, cause);
        }
        dir.entities.remove(&id);
        commands.entity(entity).despawn();
    }
}

/// A firm bidding for an exiting firm's fleet.
#[derive(Clone, Copy, Debug)]
pub struct FleetBidder {
    pub id: AgentId,
    pub entity: Entity,
    /// A lessor (it takes over the exiting firm's lessor contracts before a lab does).
    pub lessor: bool,
    /// GPUs wanted.
    pub want: f64,
    pub cash: f64,
}

/// Fire sale of `fleet` GPUs at `unit_price` each: every bidder asks for `want`, at most what
/// its cash pays for; the fleet is shared pro rata to the asks by water-filling (no one gets
/// more than it asked; what a satisfied bidder leaves goes to the others). Returns each
/// bidder's lot, in the bidders' order; the lots sum to `min(fleet, Σ asks)`.
pub fn sell_fleet(fleet: f64, unit_price: f64, bidders: &[FleetBidder]) -> Vec<f64> {
    let asks: Vec<f64> = bidders
        .iter()
        .map(|b| {
            let affordable = if unit_price > 0.0 {
                b.cash.max(0.0) / unit_price
            } else {
                f64::INFINITY
            };
            b.want.min(affordable).max(0.0)
        })
        .collect();
    let weights = vec![1.0; asks.len()];
    super::allocation::ration(&asks, &weights, fleet.max(0.0), f64::INFINITY)
}

/// Closes the month: last burn and revenue history.
pub fn close_books(mut books: Query<&mut Books>) {
    for mut b in &mut books {
        b.last_burn = b.costs - b.revenue;
        b.revenue_history.rotate_right(1);
        b.revenue_history[0] = b.revenue;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::clock::open_month;
    use crate::mechanisms::testkit::{self, books, close, fleet, fleet_of, id_of, spawn_firm};
    use crate::params::Scenario;

    fn contract(id: u64, buyer: AgentId, seller: AgentId) -> Contract {
        Contract {
            id,
            buyer,
            seller,
            gpus: 10.0,
            price: 2.0,
            start: 0,
            end: 12,
        }
    }

    #[test]
    fn a_platform_bills_paying_consumers_and_seats_for_the_demand_it_serves() {
        let mut w = testkit::world(testkit::small_scenario());
        let labs = testkit::spawn_platforms(&mut w);
        let lab = labs[0];
        w.get_mut::<Fleet>(lab).expect("fleet").served_fraction = 0.5;
        {
            let mut p = w.get_mut::<Platform>(lab).expect("platform");
            p.consumer_price = 20.0;
            p.enterprise_price = 30.0;
        }
        let before = books(&w, lab).cash;
        w.run_system_cached(bill_platform_users).unwrap();
        let p = w.get::<Platform>(lab).expect("platform").clone();
        let sc = w.resource::<Config>().0.clone();
        let slots = w.resource::<Users>().options - 1;
        let mut prices = vec![0.0; slots];
        prices[p.slot as usize] = 20.0;
        let paying =
            super::super::users::paid_consumers(&sc, w.resource::<Partnerships>(), w.resource::<Users>(), &prices, 0)
                .paid[p.slot as usize];
        assert!(
            paying > 0.0 && paying < 0.5 * p.consumers,
            "{paying} of {} consumers pay: a minority converts",
            p.consumers
        );
        let expect = (paying * 20.0 + p.seats * 30.0) * 0.5;
        let b = books(&w, lab);
        assert!(
            close(b.revenue, expect),
            "revenue {} != (paying consumers × price + seats × seat price) × served {expect}",
            b.revenue
        );
        assert!(close(b.cash - before, expect), "revenue is cash");
    }

    #[test]
    fn a_bankrupt_lessors_fleet_goes_to_the_firms_that_need_it_and_its_contracts_to_a_lessor() {
        let sc = Scenario::default();
        let mut w = testkit::world(sc.clone());
        w.resource_mut::<Market>().list_price = sc.supply.list_price_usd;
        // Two labs short of compute (need − owned = 600 and 200) ...
        let short = spawn_firm(&mut w, FirmKind::Frontier, 1e10, fleet(5_000.0, 5_600.0));
        let shorter = spawn_firm(&mut w, FirmKind::Frontier, 1e10, fleet(5_000.0, 5_200.0));
        // ... and the richest firm, which needs nothing more: not a buyer, however rich.
        let richest = spawn_firm(&mut w, FirmKind::Frontier, 1e12, fleet(5_000.0, 5_000.0));
        let broke = spawn_firm(&mut w, FirmKind::Neocloud, -1.0, fleet(1_000.0, 0.0));
        let other = spawn_firm(&mut w, FirmKind::Neocloud, 1e8, fleet(1_000.0, 0.0));
        let ids = |e| id_of(&w, e);
        let (broke_id, shorter_id, other_id) = (ids(broke), ids(shorter), ids(other));
        w.resource_mut::<ContractBook>().contracts = vec![
            contract(1, shorter_id, broke_id), // sold by the exiting lessor: follows the fleet
            contract(2, broke_id, other_id),   // bought by it: ends
        ];
        w.run_system_cached(exit_firms).unwrap();
        assert!(w.get_entity(broke).is_err(), "the bankrupt lessor must be despawned");
        assert!(
            !w.resource::<Directory>().entities.contains_key(&broke_id),
            "the exiting firm must leave the directory"
        );
        assert_eq!(
            w.resource::<MonthFlows>().exits_for(ExitCause::Cash),
            1,
            "one exit for cash recorded"
        );
        // Asks: 600 + 200 + the 10 leased GPUs (the other lessor is not expanding) < 1,000.
        assert!(
            close(fleet_of(&w, short).owned, 5_600.0),
            "the lab short by 600 buys 600"
        );
        assert!(
            close(fleet_of(&w, shorter).owned, 5_200.0),
            "the lab short by 200 buys 200"
        );
        assert!(
            close(fleet_of(&w, other).owned, 1_010.0),
            "the lessor buys the leased GPUs"
        );
        assert_eq!(
            fleet_of(&w, richest).owned,
            5_000.0,
            "richest but not short: buys nothing"
        );
        let flows = w.resource::<MonthFlows>();
        assert!(
            close(flows.fleet_sold, 810.0) && close(flows.fleet_scrapped, 190.0),
            "sold {} and scrapped {}",
            flows.fleet_sold,
            flows.fleet_scrapped
        );
        let unit = sc.lessors.fire_sale_fraction * sc.supply.list_price_usd;
        assert!(
            close(books(&w, short).costs, 600.0 * unit),
            "a buyer pays the fire-sale price per GPU"
        );
        let book = &w.resource::<ContractBook>().contracts;
        assert_eq!(book.len(), 1, "the exiting firm's purchases end: {book:?}");
        assert_eq!(
            (book[0].buyer, book[0].seller, book[0].gpus),
            (shorter_id, other_id, 10.0),
            "the lessor that bought the leased GPUs takes over the contract"
        );
    }

    #[test]
    fn a_fire_sale_shares_a_short_fleet_pro_rata_and_no_one_buys_beyond_its_cash() {
        let bidder = |id: u64, want: f64, cash: f64| FleetBidder {
            id: AgentId(id),
            entity: Entity::PLACEHOLDER,
            lessor: false,
            want,
            cash,
        };
        let lots = sell_fleet(100.0, 10.0, &[bidder(1, 300.0, 1e9), bidder(2, 100.0, 1e9)]);
        assert!(
            close(lots[0], 75.0) && close(lots[1], 25.0),
            "pro rata to asks: {lots:?}"
        );
        // The second can pay for 5 GPUs only: its ask is 5, and with a fleet larger than the
        // asks both get what they ask.
        let lots = sell_fleet(1_000.0, 10.0, &[bidder(1, 300.0, 1e9), bidder(2, 100.0, 50.0)]);
        assert!(close(lots[0], 300.0) && close(lots[1], 5.0), "cash-limited: {lots:?}");
        let lots = sell_fleet(100.0, 10.0, &[bidder(1, 0.0, 1e9), bidder(2, 30.0, -5.0)]);
        assert_eq!(lots, vec![0.0, 0.0], "no ask, or no cash, buys nothing");
    }

    #[test]
    fn contracts_shrink_to_the_gpus_their_new_lessor_bought() {
        let sc = Scenario::default();
        let mut w = testkit::world(sc.clone());
        w.resource_mut::<Market>().list_price = sc.supply.list_price_usd;
        let tenant = spawn_firm(&mut w, FirmKind::Frontier, 1e10, fleet(100.0, 100.0));
        let broke = spawn_firm(&mut w, FirmKind::Neocloud, -1.0, fleet(1_000.0, 0.0));
        // The only bidder can pay for 5 of the 10 leased GPUs.
        let unit = sc.lessors.fire_sale_fraction * sc.supply.list_price_usd;
        let poor = spawn_firm(&mut w, FirmKind::Neocloud, 5.0 * unit, fleet(1_000.0, 0.0));
        let (tenant_id, broke_id, poor_id) = (id_of(&w, tenant), id_of(&w, broke), id_of(&w, poor));
        w.resource_mut::<ContractBook>().contracts = vec![contract(1, tenant_id, broke_id)];
        w.run_system_cached(exit_firms).unwrap();
        let book = &w.resource::<ContractBook>().contracts;
        assert_eq!(book.len(), 1, "{book:?}");
        assert_eq!(book[0].seller, poor_id, "the contract follows the fleet's buyer");
        assert!(close(book[0].gpus, 5.0), "scaled to the GPUs bought: {}", book[0].gpus);
        assert!(
            close(fleet_of(&w, poor).owned, 1_005.0),
            "it bought what it could pay for"
        );
    }

    #[test]
    fn a_lessor_long_below_break_even_exits() {
        let sc = Scenario::default();
        let mut w = testkit::world(sc.clone());
        let lessor = spawn_firm(&mut w, FirmKind::Neocloud, 1e9, fleet(1_000.0, 0.0));
        let patient = spawn_firm(&mut w, FirmKind::Neocloud, 1e9, fleet(1_000.0, 0.0));
        let below = |months_below| Lessor {
            months_below,
            ..Default::default()
        };
        w.entity_mut(lessor).insert(below(sc.lessors.exit_months_below));
        w.entity_mut(patient).insert(below(sc.lessors.exit_months_below - 1));
        w.run_system_cached(exit_firms).unwrap();
        assert!(
            w.get_entity(lessor).is_err(),
            "exit after exit_months_below months below break-even"
        );
        assert!(w.get_entity(patient).is_ok(), "one month less must not trigger exit");
        let f = w.resource::<MonthFlows>();
        assert_eq!(
            (f.exits_for(ExitCause::BreakEven), f.exits_for(ExitCause::Cash)),
            (1, 0),
            "the exit is recorded as break-even"
        );
    }

    #[test]
    fn an_exiting_platform_loses_its_users_and_its_startups_move_to_open_models() {
        let mut w = testkit::world(testkit::small_scenario());
        let platforms = testkit::spawn_platforms(&mut w);
        let (alpha, beta) = (platforms[0], platforms[1]);
        let before = testkit::population(w.resource::<Users>());
        let mut dir = w.resource::<Directory>().clone();
        let mut releases = OpenReleases::default();
        let sc = w.resource::<Config>().0.clone();
        let gamma = testkit::id_of(&w, platforms[2]);
        super::super::open_source::publish(&sc, &mut releases, &mut dir, gamma, 5.0, 0, false);
        let best = super::super::open_source::publish(&sc, &mut releases, &mut dir, gamma, 7.0, 0, false);
        w.insert_resource(dir);
        w.insert_resource(releases);
        assert!(
            w.resource::<Users>().people_by_option()[0] > 0.0,
            "Alpha starts with users"
        );
        let app = spawn_firm(&mut w, FirmKind::Startup, 1e6, fleet(0.0, 0.0));
        w.entity_mut(app).insert(Startup {
            base: Base::Platform(0),
            customers: 100.0,
            team: 3.0,
            finetune_flop: 0.0,
            quality: 0.0,
            cohort: 0,
        });
        w.get_mut::<Books>(alpha).unwrap().spend(2e10);
        let alpha_fleet = fleet_of(&w, alpha).owned;
        let (beta_before, beta_gap) = {
            let f = fleet_of(&w, beta);
            (f.owned, (f.need - f.owned - f.reserved).max(0.0))
        };
        w.run_system_cached(exit_firms).unwrap();
        assert!(w.get_entity(alpha).is_err(), "Alpha ran out of cash and must exit");
        let users = w.resource::<Users>();
        assert_eq!(users.people_by_option()[0], 0.0, "nobody may stay on a dead platform");
        assert!(
            close(users.counts.iter().sum(), before),
            "evicted users must fall back to no platform, not vanish"
        );
        assert!(
            !w.resource::<PlatformTable>().slots[0].alive,
            "the slot must be marked dead"
        );
        assert_eq!(
            w.get::<Startup>(app).unwrap().base,
            Base::Open(best),
            "its startups move to the best open release"
        );
        let bought = fleet_of(&w, beta).owned - beta_before;
        assert!(
            bought <= beta_gap + 1e-6,
            "Beta buys at most its unmet need {beta_gap}, not the whole fleet by rule: bought {bought}"
        );
        let flows = w.resource::<MonthFlows>();
        assert!(
            close(flows.fleet_sold + flows.fleet_scrapped, alpha_fleet),
            "Alpha's fleet is sold or scrapped: {} + {} vs {alpha_fleet}",
            flows.fleet_sold,
            flows.fleet_scrapped
        );
    }

    #[test]
    fn a_parent_funds_its_lab_every_month() {
        let mut w = testkit::world(Scenario::default());
        let child = spawn_firm(&mut w, FirmKind::OpenWeights, 1e9, Fleet::default());
        let orphan = spawn_firm(&mut w, FirmKind::OpenWeights, 1e9, Fleet::default());
        w.get_mut::<Books>(child).unwrap().parent_funding = 5e7;
        for month in 0..3 {
            w.resource_mut::<Clock>().month = month;
            w.run_system_cached(open_month).unwrap();
            w.run_system_cached(raise_funding).unwrap();
            let b = books(&w, child);
            assert_eq!(
                b.funding, 5e7,
                "month {month}: the parent's monthly funding must arrive"
            );
            assert_eq!(
                b.cash,
                1e9 + 5e7 * f64::from(month + 1),
                "month {month}: funding is cash"
            );
            assert_eq!(
                books(&w, orphan).funding,
                0.0,
                "a firm without a parent or burn raises nothing"
            );
        }
    }

    #[test]
    fn an_acquihired_startup_exits_with_its_cause_in_the_flows_the_cohorts_and_the_panel() {
        let mut w = testkit::world(Scenario::default());
        w.resource_mut::<Clock>().month = 30;
        let buyer = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
        let sold = spawn_firm(&mut w, FirmKind::Startup, 5e5, fleet(0.0, 0.0));
        let broke = spawn_firm(&mut w, FirmKind::Startup, -1.0, fleet(0.0, 0.0));
        let (buyer_id, sold_id, broke_id) = (id_of(&w, buyer), id_of(&w, sold), id_of(&w, broke));
        for (e, id) in [(sold, sold_id), (broke, broke_id)] {
            w.get_mut::<Firm>(e).unwrap().founded = 6;
            w.resource_mut::<Cohorts>().found(id, 6);
        }
        // Sold with cash in hand: still leaves, as an acqui-hire.
        w.entity_mut(sold).insert(AcquiredBy(buyer_id));
        w.run_system_cached(exit_firms).unwrap();
        assert!(
            w.get_entity(sold).is_err() && w.get_entity(broke).is_err(),
            "both leave"
        );
        let f = w.resource::<MonthFlows>();
        assert_eq!(
            (f.exits_for(ExitCause::AcquiHire), f.exits_for(ExitCause::Cash)),
            (1, 1),
            "one acqui-hire, one exit for cash"
        );
        assert_eq!(f.startup_exits, 2);
        assert_eq!(f.startup_exit_ages, vec![24, 24], "ages at exit");
        let rows: Vec<_> = f.exited_rows.iter().map(|r| (r.id, r.alive, r.exit_cause)).collect();
        assert_eq!(
            rows,
            vec![(sold_id.0, false, "acqui_hire"), (broke_id.0, false, "cash")],
            "one closing panel row per exit, in id order"
        );
        let c = &w.resource::<Cohorts>().0;
        assert_eq!(c[&sold_id].exit, Some((30, ExitCause::AcquiHire)));
        assert_eq!(c[&broke_id].exit, Some((30, ExitCause::Cash)));
    }

    #[test]
    fn venture_rounds_are_likelier_and_larger_when_sentiment_is_high() {
        // 300 startups burning 100k a month with 200k left: all seek a round this month.
        let rounds = |level: f64| {
            let mut w = testkit::world(Scenario::default());
            w.resource_mut::<Sentiment>().level = level;
            let firms: Vec<Entity> = (0..300)
                .map(|_| {
                    let e = spawn_firm(&mut w, FirmKind::Startup, 2e5, Fleet::default());
                    w.get_mut::<Books>(e).unwrap().last_burn = 1e5;
                    e
                })
                .collect();
            w.run_system_cached(raise_funding).unwrap();
            let funded: Vec<f64> = firms
                .iter()
                .map(|&e| books(&w, e).funding)
                .filter(|f| *f > 0.0)
                .collect();
            let total: f64 = funded.iter().sum();
            assert!(
                close(w.resource::<MonthFlows>().venture_funding, total),
                "venture funding is counted in the month's flows"
            );
            (funded.len(), funded.first().copied().unwrap_or(0.0))
        };
        let (n_bust, _) = rounds(0.4);
        let (n_neutral, size_neutral) = rounds(1.0);
        let (n_boom, size_boom) = rounds(2.5);
        assert!(
            n_bust < n_neutral && n_neutral < n_boom,
            "rounds closed: bust {n_bust}, neutral {n_neutral}, boom {n_boom}"
        );
        let st = Scenario::default().startups;
        assert!(
            close(size_neutral, st.round_months_of_burn * 1e5),
            "a neutral round funds round_months_of_burn months of burn"
        );
        let e = Scenario::default().venture.round_size_sentiment_elasticity;
        assert!(
            close(size_boom, size_neutral * math::pow(2.5, e)),
            "round size scales with S^e: {size_boom} vs {size_neutral}"
        );
    }

    #[test]
    fn closing_the_books_records_burn_and_revenue_history() {
        let mut w = testkit::world(Scenario::default());
        let firm = spawn_firm(&mut w, FirmKind::Startup, 1e6, Fleet::default());
        for revenue in [10.0, 20.0] {
            w.run_system_cached(open_month).unwrap();
            let mut b = w.get_mut::<Books>(firm).unwrap();
            b.earn(revenue);
            b.spend(100.0);
            w.run_system_cached(close_books).unwrap();
        }
        let b = books(&w, firm);
        assert_eq!(b.last_burn, 80.0, "burn = costs − revenue of the month");
        assert_eq!(b.revenue_history[..3], [20.0, 10.0, 0.0], "most recent first");
    }
}

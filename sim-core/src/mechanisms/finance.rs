//! Finance, funding and exit (MODEL.md step 13).
//!
//! **Revenue.** A platform earns `(consumers · paid_conversion · price + seats · seat price) ·
//! served_fraction` (unserved demand pays nothing); startups' app revenue and API fees are
//! booked by [`startups`](super::startups), rents by the contract and spot markets.
//! **Costs.** Wages (`staff · lab_wage` or `team · startup wage`) and GPU running costs
//! (`owned · 730 h · variable_cost`); capital spending and compute purchases are booked where
//! they happen. **Funding.** Parents fund their labs every month; a lab or lessor whose runway
//! falls below `strategic_runway_months` raises `strategic_round_months` of burn (at most
//! `strategic_revenue_multiple` × annual revenue, and at least `strategic_round_floor_usd` of cap)
//! with probability `p / (1 + rank/4)` by quality rank (lessors: `p` above break-even, `0.3 p`
//! below); a
//! startup whose runway falls below `runway_trigger_months` raises `round_months_of_burn` of
//! burn with probability `logistic(logit p₀ + w · traction)`, traction = ln of 6-month revenue
//! growth. **Exit.** A firm exits when its cash is negative after funding (cause: cash) or, for
//! a lessor, after `exit_months_below` consecutive months below break-even (cause: break-even).
//! An exiting firm's fleet is bought by the richest frontier lab at `fire_sale_fraction` of
//! list value (consolidation), which also takes over its lessor contracts; contracts it bought
//! end; its users fall back to "no platform" and startups built on it move to the best open
//! model.
//!
//! Every cash movement goes through [`Books`], so `cash = cash_start + revenue − costs +
//! funding` holds for every firm every month.

use bevy_ecs::prelude::*;

use super::users::Users;
use crate::math;
use crate::params::FirmKind;
use crate::rng::{self, Stream};
use crate::state::*;

/// Platforms bill their consumers and enterprise seats.
pub fn bill_platform_users(cfg: Res<Config>, mut platforms: Query<(&Platform, &Fleet, &mut Books)>) {
    let conv = cfg.0.users.paid_conversion;
    for (p, f, mut b) in &mut platforms {
        let revenue = (p.consumers * conv * p.consumer_price + p.seats * p.enterprise_price) * f.served_fraction;
        b.earn(revenue);
    }
}

/// Wages and GPU running costs.
pub fn pay_operating_costs(
    cfg: Res<Config>,
    market: Res<Market>,
    mut firms: Query<(&Fleet, &mut Books, Option<&Staff>, Option<&Startup>)>,
) {
    let sc = &cfg.0;
    for (f, mut b, staff, startup) in &mut firms {
        let wages = match (staff, startup) {
            (_, Some(s)) => s.team * sc.startups.wage_usd_per_month,
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
    mut firms: Query<(&AgentId, &Firm, &mut Books, Option<&Lab>, Option<&Lessor>)>,
) {
    let sc = &cfg.0;
    let f = &sc.finance;
    let st = &sc.startups;
    // Quality ranks of labs (0 = best), ties by id.
    let mut labs: Vec<(AgentId, f64)> = firms
        .iter()
        .filter_map(|(id, _, _, lab, _)| lab.map(|l| (*id, l.served_quality)))
        .collect();
    labs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (id, firm, mut b, _, lessor) in &mut firms {
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
                    let p = math::logistic(math::ln(p0 / (1.0 - p0)) + st.round_traction_weight * traction);
                    if d.bernoulli(p) {
                        b.fund(st.round_months_of_burn * burn);
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
                                0.3
                            }
                        }
                        None => 1.0 / (1.0 + 0.25 * labs.iter().position(|l| l.0 == *id).unwrap_or(labs.len()) as f64),
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

/// Why a firm left the market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCause {
    Cash,
    BreakEven,
}

/// Firms that ran out of cash, and lessors long below break-even, leave the market.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
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
    mut firms: Query<(
        Entity,
        &AgentId,
        &Firm,
        &mut Fleet,
        &mut Books,
        Option<&Lessor>,
        Option<&Platform>,
        Option<&mut Startup>,
    )>,
) {
    let sc = &cfg.0;
    let mut exiting: Vec<(AgentId, Entity, ExitCause)> = firms
        .iter()
        .filter_map(|(e, id, _, _, b, lessor, _, _)| {
            if b.cash < 0.0 {
                Some((*id, e, ExitCause::Cash))
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
    for &(id, entity, cause) in &exiting {
        // The richest remaining frontier lab acquires the fleet.
        let acquirer = firms
            .iter()
            .filter(|(_, aid, f, _, _, _, _, _)| f.kind == FirmKind::Frontier && !leaving.contains(aid))
            .map(|(e, aid, _, _, b, _, _, _)| (*aid, e, b.cash))
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
        let (owned, slot, kind, founded) = {
            let (_, _, firm, fleet, _, _, p, _) = firms.get(entity).expect("exiting firm exists");
            (fleet.owned, p.map(|p| p.slot), firm.kind, firm.founded)
        };
        let mut new_seller = None;
        if let Some((aid, ae, acash)) = acquirer {
            let price = sc.lessors.fire_sale_fraction * owned * market.list_price;
            if owned > 0.0 && acash >= price {
                if let Ok((_, _, _, mut fl, mut b, _, _, _)) = firms.get_mut(ae) {
                    b.spend(price);
                    fl.owned += owned;
                }
                if let Ok((_, _, _, mut fl, mut b, _, _, _)) = firms.get_mut(entity) {
                    b.earn(price);
                    fl.owned = 0.0;
                }
                new_seller = Some(aid);
            }
        }
        book.contracts
            .retain(|c| c.buyer != id && (c.seller != id || new_seller.is_some()));
        if let Some(aid) = new_seller {
            for c in book.contracts.iter_mut().filter(|c| c.seller == id) {
                c.seller = aid;
            }
        }
        if let Some(slot) = slot {
            users.evict_platform(slot);
            table.slots[slot as usize].alive = false;
            for (_, _, _, _, _, _, _, s) in &mut firms {
                if let Some(mut s) = s
                    && s.base == Base::Platform(slot) {
                        s.base = Base::Open;
                    }
            }
        }
        if kind == FirmKind::Startup {
            flows.startup_exits += 1;
            flows
                .startup_exit_ages
                .push((clock.month as i32 - founded).max(0) as u32);
        }
        match cause {
            ExitCause::Cash => flows.exited_cash += 1,
            ExitCause::BreakEven => flows.exited_break_even += 1,
        }
        dir.entities.remove(&id);
        commands.entity(entity).despawn();
    }
}

/// Closes the month: last burn and revenue history.
pub fn close_books(mut books: Query<&mut Books>) {
    for mut b in &mut books {
        b.last_burn = b.costs - b.revenue;
        b.revenue_history.rotate_right(1);
        b.revenue_history[0] = b.revenue;
    }
}

//! Compute needs, vendor orders and allocation under rationing (ODD §7.4).
//!
//! Every firm first states its compute need for the month: a lab needs serving capacity for its
//! users (`g_c` per million consumers, `g_s` per million seats) plus a training target that
//! grows `training_growth_per_year`; a startup needs serving capacity for its app customers
//! (×`open_hosting_factor` on an open model) plus fine-tuning compute per employee; a lessor
//! needs nothing for itself. The five largest holders (owned + reserved) are "large".
//!
//! Labs order the part they mean to own of their need projected `order_horizon_months` ahead,
//! `buy_share · (projected need − reserved) − owned`, spread over `order_smoothing_months`
//! (`buy_share` = 1: an owner that buys whatever its contracts do not cover; near 0: a renter
//! that leaves the rest to the contract and spot markets); lessors order `expand_rate_per_month`
//! of their fleet when their committed share exceeds `expand_utilisation`, or, if more, their
//! fleet share of `build_to_suit` × last month's unmet contract demand (bids that would have paid
//! the ask but found no capacity) over `order_smoothing_months` — clouds build for tenants —
//! both only when the contract price covers break-even plus margin. Orders are paced by cash
//! (`capex_cash_share`).
//!
//! The vendor ships `Y = min(Σ o, Cap_t)`, rationed pro rata with priority weights
//! `y_b = Y · w_b o_b / Σ w o`, `w_b = (1 + owned_b)^θ` (θ > 0 favours big fleets), no buyer above
//! its order or above `buyer_share_cap · Cap_t` (from `cap_from_month`); from
//! `nondiscriminatory_from_month` an antitrust remedy sets θ = 0; what a capped or satisfied buyer leaves is
//! redistributed among the others (water-filling). Buyers pay the list price on delivery.
//!
//! **Export controls** (a policy lever, `[export_controls]`): tier-1 nations buy freely; a
//! tier-2 nation's buyers share a monthly cap (small orders are licence-exempt); tier-3 buyers
//! are embargoed (`tier3_share` of their orders filled) and buy substitute chips from a domestic
//! vendor whose capacity grows on its own path, at `list price / substitute_efficiency` per
//! H100e. Blocked orders count as rationed. While controls apply, a tier-3 firm may rent only
//! `tier3_cloud_access` of its shortfall on the contract and spot markets (remote access).
//!
//! Guardrails: shipments ≤ capacity and ≤ orders; every delivery ≤ its order.

pub mod params;

pub mod init;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    populate: init::populate,
    ..crate::mechanism::Mechanism::new("allocation")
};

use bevy_ecs::prelude::*;

use crate::math;
use crate::params::FirmKind;
use crate::state::*;

/// Each firm's compute need this month, and which firms are large.
pub fn plan_compute_needs(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut firms: Query<(&AgentId, &Firm, &mut Fleet, Option<&Platform>, Option<&Startup>)>,
) {
    let sc = &cfg.0;
    let growth = math::pow(sc.research.training_growth_per_year, f64::from(clock.month) / 12.0);
    let mut sizes: Vec<(AgentId, f64)> = Vec::new();
    for (id, firm, mut fleet, platform, startup) in &mut firms {
        let (serving, other) = match (firm.kind, platform, startup) {
            (FirmKind::Frontier | FirmKind::OpenWeights, Some(p), _) => (
                p.consumers / 1e6 * sc.users.gpus_per_million_consumers
                    + p.seats / 1e6 * sc.users.gpus_per_million_seats,
                fleet.training_base * growth,
            ),
            (FirmKind::Startup, _, Some(s)) => {
                let host = if s.base.is_open() {
                    sc.startups.open_hosting_factor
                } else {
                    1.0
                };
                (
                    s.customers / 1000.0 * sc.startups.gpus_per_thousand_customers * host,
                    s.team * sc.startups.gpus_per_employee,
                )
            }
            _ => (0.0, 0.0),
        };
        fleet.serving_need = serving;
        fleet.need = serving + other;
        sizes.push((*id, fleet.owned + fleet.reserved));
    }
    sizes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let large: Vec<AgentId> = sizes.iter().take(5).map(|s| s.0).collect();
    for (id, _, mut fleet, _, _) in &mut firms {
        fleet.large = large.contains(id);
    }
}

/// Vendor orders of labs and lessors.
pub fn place_orders(
    cfg: Res<Config>,
    clock: Res<Clock>,
    market: Res<Market>,
    mut firms: Query<(&Firm, &mut Fleet, &Books)>,
) {
    let sc = &cfg.0;
    let a = &sc.allocation;
    let ahead = math::pow(
        sc.research.training_growth_per_year,
        (f64::from(clock.month) + a.order_horizon_months) / 12.0,
    );
    // Lessors build for last month's unmet contract demand in proportion to their fleets.
    let lessor_fleet: f64 = {
        let mut f: Vec<f64> = firms
            .iter()
            .filter(|(firm, _, _)| firm.kind == FirmKind::Neocloud)
            .map(|(_, fl, _)| fl.owned)
            .collect();
        f.sort_by(f64::total_cmp);
        f.iter().sum()
    };
    for (firm, mut fleet, books) in &mut firms {
        let wanted = match firm.kind {
            FirmKind::Frontier | FirmKind::OpenWeights => {
                let projected = fleet.serving_need + fleet.training_base * ahead;
                let own_target = fleet.buy_share * (projected - fleet.reserved);
                (own_target - fleet.owned).max(0.0) / a.order_smoothing_months
            }
            FirmKind::Neocloud => {
                let util = if fleet.owned > 0.0 {
                    fleet.committed / fleet.owned
                } else {
                    1.0
                };
                let pays = market.contract_price >= market.break_even * (1.0 + sc.contracts.lessor_margin);
                let expand = if util >= sc.lessors.expand_utilisation && pays {
                    fleet.owned * sc.lessors.expand_rate_per_month
                } else {
                    0.0
                };
                let build = if pays && lessor_fleet > 0.0 {
                    sc.lessors.build_to_suit * market.contract_unmet * fleet.owned
                        / lessor_fleet
                        / a.order_smoothing_months
                } else {
                    0.0
                };
                expand.max(build)
            }
            FirmKind::Startup => 0.0,
        };
        let budget = a.capex_cash_share * books.cash.max(0.0) / market.list_price.max(1e-9);
        fleet.ordered = wanted.min(budget);
        fleet.delivered = 0.0;
    }
}

/// Water-filling allocation: returns each buyer's shipment. `orders`, `weights` and the result
/// are in the same (id) order.
pub fn ration(orders: &[f64], weights: &[f64], capacity: f64, per_buyer_cap: f64) -> Vec<f64> {
    let n = orders.len();
    let mut y = vec![0.0; n];
    let limit: Vec<f64> = orders.iter().map(|&o| o.min(per_buyer_cap).max(0.0)).collect();
    let mut active: Vec<bool> = limit.iter().map(|&l| l > 0.0).collect();
    let mut remaining = capacity.min(orders.iter().sum::<f64>()).max(0.0);
    for _ in 0..=n {
        let w: f64 = (0..n).filter(|&b| active[b]).map(|b| weights[b] * orders[b]).sum();
        if w <= 0.0 || remaining <= 0.0 {
            break;
        }
        let mut saturated = false;
        for b in 0..n {
            if !active[b] {
                continue;
            }
            let share = remaining * weights[b] * orders[b] / w;
            if share >= limit[b] - y[b] {
                saturated = true;
            }
        }
        if !saturated {
            for b in 0..n {
                if active[b] {
                    y[b] += remaining * weights[b] * orders[b] / w;
                }
            }
            break;
        }
        let mut freed = 0.0;
        for b in 0..n {
            if active[b] && remaining * weights[b] * orders[b] / w >= limit[b] - y[b] {
                freed += limit[b] - y[b];
                y[b] = limit[b];
                active[b] = false;
            }
        }
        remaining -= freed;
    }
    y
}

/// What export controls let the vendor ship to each buyer: `(vendor order, substitute order)`.
/// Tier 1 is unrestricted; a tier-2 nation's buyers share `tier2_cap_gpus_per_month` (orders up
/// to `licence_exemption_gpus` are exempt), the rest of their orders go unfilled; a tier-3
/// buyer gets `tier3_share` of its order from the vendor and turns to substitute chips for the
/// rest. Buyers are taken in id order, so who uses a nation's cap first is reproducible.
pub fn export_split(sc: &crate::params::Scenario, month: u32, buyers: &[(u16, f64)]) -> Vec<(f64, f64)> {
    let ec = &sc.export_controls;
    let active = crate::kernel::lever::in_window(month, ec.from_month, ec.until_month);
    let mut cap_left: Vec<f64> = vec![ec.tier2_cap_gpus_per_month; sc.nations.len()];
    buyers
        .iter()
        .map(|&(nation, order)| {
            let tier = sc.nations.get(nation as usize).map_or(1, |n| n.tier);
            if !active || tier <= 1 {
                return (order, 0.0);
            }
            if tier == 2 {
                if order <= ec.licence_exemption_gpus {
                    return (order, 0.0);
                }
                let left = &mut cap_left[nation as usize];
                let allowed = order.min(*left);
                *left -= allowed;
                return (allowed, 0.0);
            }
            let vendor = order * ec.tier3_share;
            (vendor, order - vendor)
        })
        .collect()
}

/// Share of its compute shortfall a firm may rent from the (foreign) contract and spot markets:
/// `tier3_cloud_access` for a tier-3 firm while export controls apply, else 1.
pub fn rental_access(sc: &crate::params::Scenario, month: u32, nation: u16) -> f64 {
    let ec = &sc.export_controls;
    let tier = sc.nations.get(nation as usize).map_or(1, |n| n.tier);
    if tier >= 3 && crate::kernel::lever::in_window(month, ec.from_month, ec.until_month) {
        ec.tier3_cloud_access
    } else {
        1.0
    }
}

/// Ships the vendor's capacity (and the substitute vendor's, to export-controlled buyers) and
/// bills the buyers.
pub fn allocate_chips(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let sc = &cfg.0;
    let theta = if crate::kernel::lever::in_force(clock.month, sc.allocation.nondiscriminatory_from_month) {
        0.0
    } else {
        sc.allocation.priority_theta
    };
    let ec = &sc.export_controls;
    let mut rows: Vec<_> = firms.iter_mut().filter(|(_, _, f, _)| f.ordered > 0.0).collect();
    rows.sort_by_key(|(id, _, _, _)| **id);
    let split = export_split(
        sc,
        clock.month,
        &rows
            .iter()
            .map(|(_, firm, f, _)| (firm.nation, f.ordered))
            .collect::<Vec<_>>(),
    );
    let weights: Vec<f64> = rows
        .iter()
        .map(|(_, _, f, _)| math::pow(1.0 + f.owned, theta))
        .collect();
    let vendor_orders: Vec<f64> = split.iter().map(|s| s.0).collect();
    let substitute_price = market.list_price / ec.substitute_efficiency.max(1e-9);
    // Substitute chips cost more per H100e: the same capex budget buys fewer of them.
    let substitute_orders: Vec<f64> = split
        .iter()
        .zip(&rows)
        .map(|(s, (_, _, _, b))| {
            s.1.min(sc.allocation.capex_cash_share * b.cash.max(0.0) / substitute_price)
        })
        .collect();
    let y = ration(
        &vendor_orders,
        &weights,
        market.capacity,
        market.buyer_share_cap * market.capacity,
    );
    let years = f64::from(clock.month) / 12.0;
    market.substitute_capacity =
        ec.substitute_capacity_gpus_per_month * math::pow(ec.substitute_growth_per_year, years);
    let z = ration(&substitute_orders, &weights, market.substitute_capacity, f64::INFINITY);
    let (mut shipped, mut ordered, mut revenue, mut substituted, mut blocked) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (((_, _, mut fleet, mut books), &got), ((&sub, &(v, _)), &s)) in rows
        .into_iter()
        .zip(&y)
        .zip(z.iter().zip(&split).zip(&substitute_orders))
    {
        ordered += v;
        shipped += got;
        substituted += sub;
        blocked += fleet.ordered - v - s;
        let bill = got * market.list_price;
        revenue += bill;
        books.spend(bill + sub * substitute_price);
        fleet.owned += got + sub;
        fleet.delivered = got + sub;
        flows.delivered += got + sub;
        if fleet.large {
            flows.requested_large += fleet.ordered;
            flows.obtained_large += got + sub;
        } else {
            flows.requested_small += fleet.ordered;
            flows.obtained_small += got + sub;
        }
    }
    market.orders = ordered;
    market.shipments = shipped;
    market.vendor_revenue = revenue;
    market.substitute_shipments = substituted;
    market.export_blocked = blocked;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export_scenario() -> crate::params::Scenario {
        use crate::params::{NationSpec, Scenario};
        let mut sc = Scenario::default();
        for (name, tier) in [("Open", 1), ("Capped", 2), ("Embargoed", 3)] {
            sc.nations.push(NationSpec {
                name: name.into(),
                tier,
                ..Default::default()
            });
        }
        sc.export_controls.tier2_cap_gpus_per_month = 5_000.0;
        sc.export_controls.licence_exemption_gpus = 1_000.0;
        sc
    }

    #[test]
    fn export_controls_cap_tier2_embargo_tier3_and_leave_tier1_alone() {
        let sc = export_scenario();
        // Two tier-2 buyers share one cap in id order; a small order is licence-exempt.
        let split = export_split(
            &sc,
            0,
            &[(0, 9_000.0), (1, 4_000.0), (1, 4_000.0), (1, 800.0), (2, 6_000.0)],
        );
        assert_eq!(split[0], (9_000.0, 0.0), "tier 1 buys freely");
        assert_eq!(split[1], (4_000.0, 0.0), "the first tier-2 buyer fits under the cap");
        assert_eq!(
            split[2],
            (1_000.0, 0.0),
            "the second gets what is left of the nation's cap"
        );
        assert_eq!(
            split[3],
            (800.0, 0.0),
            "an order under the licence exemption is not capped"
        );
        assert_eq!(
            split[4],
            (0.0, 6_000.0),
            "tier 3 is embargoed and turns to substitute chips"
        );
        assert_eq!(rental_access(&sc, 0, 2), sc.export_controls.tier3_cloud_access);
        assert_eq!(rental_access(&sc, 0, 1), 1.0);
    }

    #[test]
    fn lifted_export_controls_restrict_nobody() {
        let mut sc = export_scenario();
        sc.export_controls.until_month = 12;
        let split = export_split(&sc, 12, &[(1, 9_000.0), (2, 6_000.0)]);
        assert_eq!(split, vec![(9_000.0, 0.0), (6_000.0, 0.0)]);
        assert_eq!(rental_access(&sc, 12, 2), 1.0);
    }
    use crate::mechanisms::testkit::{self, books, close, fleet_of, spawn_firm};
    use crate::params::Scenario;

    /// A world with vendor `capacity` and two buyers ordering 500 GPUs each: a small one owning
    /// 1000 GPUs and a large one owning 100 000. Returns (small, large).
    fn two_buyers(theta: f64, capacity: f64) -> (World, Entity, Entity) {
        let mut sc = Scenario::default();
        sc.allocation.priority_theta = theta;
        let mut w = testkit::world(sc);
        w.resource_mut::<Market>().capacity = capacity;
        let order = |owned| Fleet {
            owned,
            ordered: 500.0,
            ..Default::default()
        };
        let small = spawn_firm(&mut w, FirmKind::Frontier, 1e10, order(1_000.0));
        let large = spawn_firm(&mut w, FirmKind::Frontier, 1e10, order(100_000.0));
        (w, small, large)
    }

    #[test]
    fn no_scarcity_serves_every_order() {
        let y = ration(&[10.0, 20.0], &[1.0, 5.0], 100.0, f64::INFINITY);
        assert_eq!(y, vec![10.0, 20.0]);
    }

    #[test]
    fn scarcity_favours_heavy_weights_and_never_exceeds_capacity_or_orders() {
        let y = ration(&[100.0, 100.0], &[1.0, 3.0], 100.0, f64::INFINITY);
        assert!((y.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        assert!((y[0] - 25.0).abs() < 1e-9 && (y[1] - 75.0).abs() < 1e-9, "{y:?}");
        let y = ration(&[10.0, 100.0], &[1.0, 100.0], 50.0, f64::INFINITY);
        assert!(y[1] <= 50.0 && y.iter().sum::<f64>() <= 50.0 + 1e-9);
    }

    #[test]
    fn a_buyer_cap_redistributes_to_the_others() {
        // The big buyer would take 75 of 100; capped at 70, the small one gets the other 30.
        let y = ration(&[100.0, 100.0], &[1.0, 3.0], 100.0, 70.0);
        assert!((y[1] - 70.0).abs() < 1e-9, "{y:?}");
        assert!((y[0] - 30.0).abs() < 1e-9, "{y:?}");
    }

    #[test]
    fn under_scarcity_the_vendor_favours_the_larger_fleet_within_capacity() {
        let (mut w, small, large) = two_buyers(0.3, 600.0);
        w.run_system_cached(allocate_chips).unwrap();
        let (ys, yl) = (fleet_of(&w, small).delivered, fleet_of(&w, large).delivered);
        // y_b = Y · w_b o_b / Σ w o with w_b = (1 + owned_b)^θ and equal orders.
        let (ws, wl) = (math::pow(1_001.0, 0.3), math::pow(100_001.0, 0.3));
        assert!(
            close(ys, 600.0 * ws / (ws + wl)) && close(yl, 600.0 * wl / (ws + wl)),
            "deliveries {ys}, {yl} do not follow the priority weights"
        );
        assert!(
            yl > ys,
            "θ > 0 must favour the larger fleet: large got {yl}, small {ys}"
        );
        assert!(ys <= 500.0 && yl <= 500.0, "no buyer may receive more than it ordered");
        let m = w.resource::<Market>();
        assert!(
            m.shipments <= 600.0 * (1.0 + 1e-12),
            "shipped {} above capacity 600",
            m.shipments
        );
        assert!(
            close(m.shipments, 600.0),
            "scarce capacity must all be shipped, got {}",
            m.shipments
        );
        assert_eq!(m.orders, 1000.0, "orders recorded");
        assert!(
            close(fleet_of(&w, large).owned, 100_000.0 + yl),
            "deliveries join the fleet"
        );
    }

    #[test]
    fn without_priority_scarce_chips_are_shared_pro_rata_to_orders() {
        let (mut w, small, large) = two_buyers(0.0, 600.0);
        w.run_system_cached(allocate_chips).unwrap();
        let (ys, yl) = (fleet_of(&w, small).delivered, fleet_of(&w, large).delivered);
        assert!(
            close(ys, 300.0) && close(yl, 300.0),
            "θ = 0 with equal orders: got {ys}, {yl}"
        );
    }

    #[test]
    fn buyers_pay_the_list_price_for_what_is_delivered() {
        let (mut w, small, large) = two_buyers(0.3, 600.0);
        w.resource_mut::<Market>().list_price = 25_000.0;
        w.run_system_cached(allocate_chips).unwrap();
        let mut billed = 0.0;
        for e in [small, large] {
            let (got, b) = (fleet_of(&w, e).delivered, books(&w, e));
            assert!(
                close(b.costs, got * 25_000.0),
                "billed {} for {got} GPUs at $25k",
                b.costs
            );
            assert!(close(b.cash, 1e10 - got * 25_000.0), "cash must fall by the bill");
            billed += b.costs;
        }
        let m = w.resource::<Market>();
        assert!(
            close(m.vendor_revenue, billed),
            "vendor revenue {} != bills {billed}",
            m.vendor_revenue
        );
        assert!(
            close(w.resource::<MonthFlows>().delivered, m.shipments),
            "deliveries counted"
        );
    }

    #[test]
    fn without_scarcity_every_order_is_delivered() {
        let (mut w, small, large) = two_buyers(2.0, 1e6);
        w.run_system_cached(allocate_chips).unwrap();
        for e in [small, large] {
            assert_eq!(fleet_of(&w, e).delivered, 500.0, "ample capacity must fill every order");
        }
    }

    #[test]
    fn a_lab_needs_serving_for_its_users_plus_its_grown_training_target() {
        let mut sc = Scenario::default();
        sc.research.training_growth_per_year = 2.0;
        let mut w = testkit::world(sc.clone());
        w.resource_mut::<Clock>().month = 12;
        let lab = spawn_firm(
            &mut w,
            FirmKind::Frontier,
            1e10,
            Fleet {
                training_base: 1_000.0,
                ..Default::default()
            },
        );
        w.entity_mut(lab).insert(Platform {
            slot: 0,
            consumer_price: 20.0,
            enterprise_price: 30.0,
            consumers: 2e6,
            seats: 1e5,
        });
        w.run_system_cached(plan_compute_needs).unwrap();
        let f = fleet_of(&w, lab);
        let serving = 2.0 * sc.users.gpus_per_million_consumers + 0.1 * sc.users.gpus_per_million_seats;
        assert!(
            close(f.serving_need, serving),
            "serving need {} != {serving}",
            f.serving_need
        );
        assert!(
            close(f.need, serving + 2_000.0),
            "need {} != serving + training target doubled after a year",
            f.need
        );
        assert!(f.large, "the only holder is among the five largest");
    }
}

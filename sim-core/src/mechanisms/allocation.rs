//! Compute needs, vendor orders and allocation under rationing (MODEL.md step 3).
//!
//! Every firm first states its compute need for the month: a lab needs serving capacity for its
//! users (`g_c` per million consumers, `g_s` per million seats) plus a training target that
//! grows `training_growth_per_year`; a startup needs serving capacity for its app customers
//! (×`open_hosting_factor` on an open model) plus fine-tuning compute per employee; a lessor
//! needs nothing for itself. The five largest holders (owned + reserved) are "large".
//!
//! Labs order the gap between their need projected `order_horizon_months` ahead and their fleet,
//! spread over `order_smoothing_months`; lessors order `expand_rate_per_month` of their fleet
//! when their committed share exceeds `expand_utilisation` and the contract price covers
//! break-even plus margin. Orders are paced by cash (`capex_cash_share`).
//!
//! The vendor ships `Y = min(Σ o, Cap_t)`, rationed pro rata with priority weights
//! `y_b = Y · w_b o_b / Σ w o`, `w_b = (1 + owned_b)^θ` (θ > 0 favours big fleets), no buyer above
//! its order or above `buyer_share_cap · Cap_t`; what a capped or satisfied buyer leaves is
//! redistributed among the others (water-filling). Buyers pay the list price on delivery.
//!
//! Guardrails: shipments ≤ capacity and ≤ orders; every delivery ≤ its order.

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
                let host = if s.base == Base::Open {
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
    for (firm, mut fleet, books) in &mut firms {
        let wanted = match firm.kind {
            FirmKind::Frontier | FirmKind::OpenWeights => {
                let projected = fleet.serving_need + fleet.training_base * ahead;
                (projected - fleet.owned - fleet.reserved).max(0.0) / a.order_smoothing_months
            }
            FirmKind::Neocloud => {
                let util = if fleet.owned > 0.0 {
                    fleet.committed / fleet.owned
                } else {
                    1.0
                };
                let pays = market.contract_price >= market.break_even * (1.0 + sc.contracts.lessor_margin);
                if util >= sc.lessors.expand_utilisation && pays {
                    fleet.owned * sc.lessors.expand_rate_per_month
                } else {
                    0.0
                }
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

/// Ships the vendor's capacity to buyers and bills them.
pub fn allocate_chips(
    cfg: Res<Config>,
    mut market: ResMut<Market>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &mut Fleet, &mut Books)>,
) {
    let theta = cfg.0.allocation.priority_theta;
    let mut rows: Vec<_> = firms.iter_mut().filter(|(_, f, _)| f.ordered > 0.0).collect();
    rows.sort_by_key(|(id, _, _)| **id);
    let orders: Vec<f64> = rows.iter().map(|(_, f, _)| f.ordered).collect();
    let weights: Vec<f64> = rows.iter().map(|(_, f, _)| math::pow(1.0 + f.owned, theta)).collect();
    let y = ration(
        &orders,
        &weights,
        market.capacity,
        market.buyer_share_cap * market.capacity,
    );
    let (mut shipped, mut ordered, mut revenue) = (0.0, 0.0, 0.0);
    for ((_, mut fleet, mut books), &got) in rows.into_iter().zip(&y) {
        ordered += fleet.ordered;
        shipped += got;
        let bill = got * market.list_price;
        revenue += bill;
        books.spend(bill);
        fleet.owned += got;
        fleet.delivered = got;
        flows.delivered += got;
        if fleet.large {
            flows.requested_large += fleet.ordered;
            flows.obtained_large += got;
        } else {
            flows.requested_small += fleet.ordered;
            flows.obtained_small += got;
        }
    }
    market.orders = ordered;
    market.shipments = shipped;
    market.vendor_revenue = revenue;
}

#[cfg(test)]
mod tests {
    use super::*;
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

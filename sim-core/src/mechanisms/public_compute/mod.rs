//! Public compute (a policy lever, ODD §7.5).
//!
//! From `from_month` a public pool buys `supply_share` of the vendor's monthly output at the
//! list price (paid from the public budget, outside the firms' books) before firms are served;
//! its fleet depreciates like any other. Each month it lends its fleet to eligible firms —
//! startups, and open-weights labs if `open_weights_eligible` — in proportion to their unmet
//! need, at a subsidised price `(1 − subsidy) × last spot price` per GPU-hour. What an eligible
//! firm gets counts as available compute in the spot market, so it bids for less.
//!
//! Reads: [`Config`], [`Clock`], [`Market`], eligible firms' [`Fleet`]. Writes: [`PublicPool`],
//! [`Market::capacity`] left for firms, `Fleet::public`, the borrowers' [`Books`].
//! Guardrails: the pool lends at most its fleet; a borrower gets at most its unmet need and
//! pays only what it can afford this month.

pub mod params;

mod hash;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: |w| w.insert_resource(PublicPool::default()),
    ..crate::mechanism::Mechanism::new("public_compute")
};

use bevy_ecs::prelude::*;

use crate::params::FirmKind;
use crate::state::*;

/// The public compute pool.
#[derive(Resource, Clone, Debug, Default)]
pub struct PublicPool {
    /// GPUs owned by the pool.
    pub gpus: f64,
    /// GPUs bought this month.
    pub bought: f64,
    /// GPUs lent this month.
    pub lent: f64,
    /// Public spending on chips this month.
    pub spending: f64,
}

/// Whether the lever is on in `month`.
pub fn active(sc: &crate::params::Scenario, month: u32) -> bool {
    crate::kernel::lever::in_force(month, sc.public_compute.from_month)
}

/// The pool buys its share of the month's output, before firms are served.
pub fn buy_public_compute(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut pool: ResMut<PublicPool>,
) {
    let sc = &cfg.0;
    let rate = 1.0 / (12.0 * sc.supply.life_years);
    pool.gpus *= 1.0 - rate;
    pool.bought = 0.0;
    pool.spending = 0.0;
    if active(sc, clock.month) {
        let bought = market.capacity * sc.public_compute.supply_share;
        market.capacity -= bought;
        pool.gpus += bought;
        pool.bought = bought;
        pool.spending = bought * market.list_price;
    }
}

/// The pool lends its fleet to eligible firms with unmet need, pro rata, at the subsidised price.
pub fn lend_public_compute(
    cfg: Res<Config>,
    market: Res<Market>,
    mut pool: ResMut<PublicPool>,
    mut firms: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let sc = &cfg.0;
    let p = &sc.public_compute;
    let mut rows: Vec<_> = firms.iter_mut().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    for (_, _, f, _) in rows.iter_mut() {
        f.public = 0.0;
    }
    pool.lent = 0.0;
    if pool.gpus <= 0.0 {
        return;
    }
    let price = (1.0 - p.subsidy) * market.spot_price;
    let eligible = |k: FirmKind| k == FirmKind::Startup || (p.open_weights_eligible && k == FirmKind::OpenWeights);
    let gaps: Vec<f64> = rows
        .iter()
        .map(|(_, firm, f, b)| {
            if !eligible(firm.kind) || b.cash <= 0.0 {
                return 0.0;
            }
            let gap = (f.need - f.available()).max(0.0);
            if price > 0.0 {
                gap.min(b.cash / (price * HOURS_PER_MONTH))
            } else {
                gap
            }
        })
        .collect();
    let wanted: f64 = gaps.iter().sum();
    if wanted <= 0.0 {
        return;
    }
    let fill = (pool.gpus / wanted).min(1.0);
    let mut lent = 0.0;
    for ((_, _, f, b), gap) in rows.iter_mut().zip(&gaps) {
        let got = gap * fill;
        if got > 0.0 {
            f.public = got;
            b.spend(got * price * HOURS_PER_MONTH);
            lent += got;
        }
    }
    pool.lent = lent;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, fleet, fleet_of, spawn_firm};
    use crate::params::Scenario;

    fn world(from_month: u32) -> World {
        let mut sc = Scenario::default();
        sc.public_compute.from_month = from_month;
        sc.public_compute.supply_share = 0.1;
        sc.public_compute.subsidy = 0.5;
        let mut w = testkit::world(sc);
        w.resource_mut::<Market>().capacity = 1000.0;
        w.resource_mut::<Market>().spot_price = 2.0;
        w.insert_resource(PublicPool::default());
        w
    }

    #[test]
    fn the_pool_buys_its_share_and_lends_to_startups_only_at_the_subsidised_price() {
        let mut w = world(0);
        let startup = spawn_firm(&mut w, FirmKind::Startup, 1e9, fleet(0.0, 60.0));
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 500.0));
        w.run_system_cached(buy_public_compute).unwrap();
        assert!(
            (w.resource::<Market>().capacity - 900.0).abs() < 1e-9,
            "firms are left 90% of output"
        );
        assert!((w.resource::<PublicPool>().gpus - 100.0).abs() < 1e-9);
        w.run_system_cached(lend_public_compute).unwrap();
        assert!(
            (fleet_of(&w, startup).public - 60.0).abs() < 1e-9,
            "the startup's whole gap is met"
        );
        assert_eq!(fleet_of(&w, lab).public, 0.0, "labs are not eligible");
        let paid = 1e9 - books(&w, startup).cash;
        assert!(
            (paid - 60.0 * 1.0 * HOURS_PER_MONTH).abs() < 1e-6,
            "pays half the spot price: {paid}"
        );
    }

    #[test]
    fn a_short_pool_is_shared_pro_rata_and_nothing_happens_before_the_lever() {
        let mut w = world(0);
        let a = spawn_firm(&mut w, FirmKind::Startup, 1e9, fleet(0.0, 150.0));
        let b = spawn_firm(&mut w, FirmKind::Startup, 1e9, fleet(0.0, 50.0));
        w.run_system_cached(buy_public_compute).unwrap();
        w.run_system_cached(lend_public_compute).unwrap();
        assert!((fleet_of(&w, a).public - 75.0).abs() < 1e-9 && (fleet_of(&w, b).public - 25.0).abs() < 1e-9);
        let mut w = world(12);
        spawn_firm(&mut w, FirmKind::Startup, 1e9, fleet(0.0, 50.0));
        w.run_system_cached(buy_public_compute).unwrap();
        assert_eq!(w.resource::<PublicPool>().gpus, 0.0);
        assert_eq!(w.resource::<Market>().capacity, 1000.0);
    }
}

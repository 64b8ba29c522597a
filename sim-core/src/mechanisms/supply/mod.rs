//! Chip supply (ODD §7.3).
//!
//! The dominant vendor's capacity grows at a rate that may slow as the industry matures, and is
//! cut by scheduled shocks: the log growth rate decays by `d` a year, `ln g_y = ln g_0 · d^y`
//! (y = t/12 years), so `Cap_t = Cap_0 · exp(ln g_0 · (d^y − 1) / ln d) · shock_t`, which is
//! `Cap_0 · g_0^y · shock_t` when `d = 1` (constant growth, the baseline) and levels off at
//! `Cap_0 · g_0^(1/(−ln d))` when `d < 1` (history: shipments grew ×3.8 in 2024 and ×2.7 in 2025). Its list price per H100e follows
//! `price_t = price_0 · f^(t/12)` (newer generations deliver more H100e per dollar); the same
//! cost index `f^(t/12)` scales every cost per H100e-hour (running costs, lessors' break-even,
//! buyers' willingness to pay). Installed
//! fleets depreciate exponentially over their economic life: `K ← K · (1 − 1/(12·life))`.
//!
//! Reads: [`Config`], [`Clock`], [`Market::shock_factor`]. Writes: [`Market`] (capacity, list
//! price, depreciation), every [`Fleet::owned`].

pub mod params;

mod check;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    check: check::check,
    ..crate::mechanism::Mechanism::new("supply")
};

use bevy_ecs::prelude::*;

use crate::math;
use crate::state::*;

/// Sets this month's vendor capacity and list price.
pub fn produce_chips(cfg: Res<Config>, clock: Res<Clock>, mut market: ResMut<Market>) {
    let s = &cfg.0.supply;
    let years = f64::from(clock.month) / 12.0;
    market.capacity = s.capacity_gpus_per_month
        * capacity_growth(s.capacity_growth_per_year, s.capacity_growth_decay_per_year, years)
        * market.shock_factor;
    market.cost_index = math::pow(s.price_factor_per_year, years);
    market.list_price = s.list_price_usd * market.cost_index;
    market.break_even = super::spot::break_even(&cfg.0) * market.cost_index;
}

/// Cumulative capacity growth after `years`: `exp(ln g0 · ∫_0^y d^s ds)`, i.e. `g0^y` when
/// `d = 1` and `exp(ln g0 · (d^y − 1) / ln d)` otherwise.
pub fn capacity_growth(g0: f64, decay: f64, years: f64) -> f64 {
    let ln_d = math::ln(decay);
    if ln_d.abs() < 1e-12 {
        return math::pow(g0, years);
    }
    math::exp(math::ln(g0) * (math::pow(decay, years) - 1.0) / ln_d)
}

/// Depreciates every fleet; sums what was retired in id order.
pub fn depreciate_fleets(cfg: Res<Config>, mut market: ResMut<Market>, mut fleets: Query<(&AgentId, &mut Fleet)>) {
    let rate = 1.0 / (12.0 * cfg.0.supply.life_years);
    let mut rows: Vec<_> = fleets.iter_mut().collect();
    rows.sort_by_key(|(id, _)| **id);
    let mut retired = 0.0;
    for (_, mut f) in rows {
        let r = f.owned * rate;
        f.owned -= r;
        retired += r;
    }
    market.depreciation = retired;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Scenario;
    use std::sync::Arc;

    #[test]
    fn capacity_grows_by_g_per_year_and_fleets_lose_one_life_share() {
        let mut world = World::new();
        let sc = Scenario::default();
        world.insert_resource(Config(Arc::new(sc.clone())));
        world.insert_resource(Clock { month: 12 });
        world.insert_resource(Market {
            shock_factor: 1.0,
            ..Default::default()
        });
        world.spawn((
            AgentId(1),
            Fleet {
                owned: 1200.0,
                ..Default::default()
            },
        ));
        world.run_system_cached(produce_chips).unwrap();
        world.run_system_cached(depreciate_fleets).unwrap();
        let m = world.resource::<Market>();
        let expect = sc.supply.capacity_gpus_per_month * sc.supply.capacity_growth_per_year;
        assert!(
            (m.capacity - expect).abs() < 1e-6 * expect,
            "capacity after 12 months: {}",
            m.capacity
        );
        let retired = 1200.0 / (12.0 * sc.supply.life_years);
        assert!((m.depreciation - retired).abs() < 1e-9, "retired {}", m.depreciation);
    }

    #[test]
    fn decaying_growth_slows_year_by_year_and_no_decay_is_geometric() {
        assert!((capacity_growth(3.0, 1.0, 2.0) - 9.0).abs() < 1e-9, "d = 1 is g^y");
        // d = 0.5: each year grows less than the one before.
        let y1 = capacity_growth(4.0, 0.5, 1.0);
        let y2 = capacity_growth(4.0, 0.5, 2.0) / y1;
        let y3 = capacity_growth(4.0, 0.5, 3.0) / capacity_growth(4.0, 0.5, 2.0);
        assert!(y1 > y2 && y2 > y3 && y3 > 1.0, "growth slows: {y1} {y2} {y3}");
        // The ratio of consecutive years' log growth is d.
        assert!(
            (math::ln(y3) / math::ln(y2) - 0.5).abs() < 1e-9,
            "log growth halves each year"
        );
        // Levels off at g0^(1/(-ln d)).
        let limit = math::pow(4.0, 1.0 / -math::ln(0.5));
        assert!(
            (capacity_growth(4.0, 0.5, 60.0) - limit).abs() < 1e-6 * limit,
            "plateau"
        );
        assert!((capacity_growth(4.0, 0.5, 0.0) - 1.0).abs() < 1e-12, "month 0 is Cap_0");
    }
}

//! Shocks and the policy clock (MODEL.md step 1).
//!
//! Opens the month: every firm's ledger is reset (`cash_start = cash`, flows to zero), the
//! month's counters are cleared, the scheduled supply shocks in force are multiplied into a
//! capacity factor, and policy levers scheduled from a month are switched on.
//!
//! Reads: [`Config`], [`Clock`]. Writes: [`Market`] (shock factor, buyer cap), [`MonthFlows`],
//! every [`Books`].

use bevy_ecs::prelude::*;

use crate::state::*;

/// Opens the month's books and applies the schedule of shocks and policies.
pub fn open_month(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut flows: ResMut<MonthFlows>,
    mut books: Query<&mut Books>,
) {
    let sc = &cfg.0;
    *flows = MonthFlows::default();
    for mut b in &mut books {
        b.cash_start = b.cash;
        b.revenue = 0.0;
        b.costs = 0.0;
        b.funding = 0.0;
    }
    market.shock_factor = shock_factor(sc, clock.month);
    market.buyer_share_cap = if clock.month >= sc.allocation.cap_from_month {
        sc.allocation.buyer_share_cap
    } else {
        1.0
    };
}

/// The product of the factors of every supply shock in force in `month`.
pub fn shock_factor(sc: &crate::params::Scenario, month: u32) -> f64 {
    sc.shocks
        .iter()
        .filter(|s| month >= s.start_month && month < s.start_month.saturating_add(s.months))
        .fold(1.0, |f, s| f * s.factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Scenario, SupplyShock};

    #[test]
    fn overlapping_shocks_multiply_and_end_on_time() {
        let sc = Scenario {
            shocks: vec![
                SupplyShock {
                    start_month: 2,
                    months: 3,
                    factor: 0.5,
                },
                SupplyShock {
                    start_month: 4,
                    months: 2,
                    factor: 0.8,
                },
            ],
            ..Default::default()
        };
        assert_eq!(shock_factor(&sc, 1), 1.0);
        assert_eq!(shock_factor(&sc, 2), 0.5);
        assert!((shock_factor(&sc, 4) - 0.4).abs() < 1e-12);
        assert_eq!(shock_factor(&sc, 5), 0.8);
        assert_eq!(shock_factor(&sc, 6), 1.0);
    }
}

//! Shocks and the policy clock (ODD §7.2).
//!
//! Opens the month: every firm's ledger is reset (`cash_start = cash`, flows to zero), the
//! month's counters are cleared, the scheduled supply shocks in force are multiplied into a
//! capacity factor, and policy levers scheduled from a month are switched on.
//!
//! Reads: [`Config`], [`Clock`]. Writes: [`Market`] (shock factor, buyer cap), [`MonthFlows`],
//! every [`Books`].

pub mod params;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism::new("clock");

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
    market.buyer_share_cap = if crate::kernel::lever::in_force(clock.month, sc.allocation.cap_from_month) {
        sc.allocation.buyer_share_cap
    } else {
        1.0
    };
}

/// The product of the factors of every supply shock in force in `month`.
pub fn shock_factor(sc: &crate::params::Scenario, month: u32) -> f64 {
    sc.shocks
        .iter()
        .filter(|s| crate::kernel::lever::in_window(month, s.start_month, s.start_month.saturating_add(s.months)))
        .fold(1.0, |f, s| f * s.factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, spawn_firm};
    use crate::params::{FirmKind, Scenario, SupplyShock};

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

    #[test]
    fn opening_a_month_resets_every_ledger_to_its_cash() {
        let mut w = testkit::world(Scenario::default());
        // Two firms ending a month: cash = cash_start + revenue - costs + funding.
        let mut firms = Vec::new();
        for (cash_start, revenue, costs, funding) in [(50.0, 30.0, 10.0, 30.0), (1e6, 0.0, 4e5, 0.0)] {
            let e = spawn_firm(&mut w, FirmKind::Frontier, cash_start, Fleet::default());
            let mut b = w.get_mut::<Books>(e).unwrap();
            b.earn(revenue);
            b.spend(costs);
            b.fund(funding);
            firms.push((e, b.cash));
        }
        w.resource_mut::<MonthFlows>().entered = 3;
        w.resource_mut::<MonthFlows>().spot_bought = 12.0;
        w.run_system_cached(open_month).unwrap();
        for (e, cash) in firms {
            let b = books(&w, e);
            assert_eq!(b.cash, cash, "opening the month must not move cash");
            assert_eq!(b.cash_start, cash, "cash_start must be the cash the month opens with");
            assert_eq!(
                (b.revenue, b.costs, b.funding),
                (0.0, 0.0, 0.0),
                "the month's flows must start at zero"
            );
        }
        let flows = w.resource::<MonthFlows>();
        assert_eq!(flows.entered, 0, "last month's entries must not carry over");
        assert_eq!(flows.spot_bought, 0.0, "last month's spot volume must not carry over");
    }

    #[test]
    fn shocks_and_the_buyer_cap_take_effect_on_schedule() {
        let mut sc = Scenario {
            shocks: vec![SupplyShock {
                start_month: 3,
                months: 2,
                factor: 0.5,
            }],
            ..Default::default()
        };
        sc.allocation.buyer_share_cap = 0.2;
        sc.allocation.cap_from_month = 4;
        let mut w = testkit::world(sc);
        for (month, shock, cap) in [(2, 1.0, 1.0), (3, 0.5, 1.0), (4, 0.5, 0.2), (5, 1.0, 0.2)] {
            w.resource_mut::<Clock>().month = month;
            w.run_system_cached(open_month).unwrap();
            let m = w.resource::<Market>();
            assert_eq!(m.shock_factor, shock, "capacity factor in month {month}");
            assert_eq!(m.buyer_share_cap, cap, "buyer share cap in month {month}");
        }
    }
}

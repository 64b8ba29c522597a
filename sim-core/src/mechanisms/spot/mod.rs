//! The spot market (ODD §7.7).
//!
//! A uniform-price clearing ([`auction`](super::auction)) each month of
//!
//! * bids: every firm whose need exceeds its available compute (owned + reserved − committed)
//!   bids for the gap, budget-limited (startups may spend `startup_budget_share` of their cash
//!   in a month, labs `lab_budget_share`): the part that serves users at its kind's willingness
//!   to pay (`wtp_*`), a lab's training shortfall at the lower
//!   `wtp_training_usd × (1 + rationing_urgency × share of its chip order not delivered)`
//!   (capped at `wtp_frontier_usd`): chips that do not arrive send labs to the rental market;
//! * asks: lessors' uncommitted fleets in eight equal tranches priced evenly from
//!   `lessor_reserve_fraction × p_BE` to `lessor_ask_ceiling × p_BE` (an upward-sloping supply
//!   schedule: the scarcer idle capacity, the dearer), and a startup's
//!   idle *reserved* GPUs resold at `resale_fraction × contract price paid`. Labs sell nothing:
//!   whatever their serving leaves free goes to training.
//!
//! The clearing price is the spot price. Scarcity (a supply shock leaves needs unmet while
//! idle capacity shrinks) lifts it toward the labs' willingness to pay; a glut (idle reserved
//! capacity resold) pushes it below lessors' break-even. Buyers' expectation of spot is an
//! exponential average with span `expectation_months`.
//!
//! Afterwards each firm's used compute, the share of its serving need that was met, and its
//! training compute are set; lessors compare their realised revenue per GPU-hour with
//! break-even and count consecutive months below it (they exit after `exit_months_below`).
//!
//! Reads: [`Fleet`], [`Books`], [`Market`]. Writes: spot fills and payments, [`Market`] prices,
//! [`MonthFlows`] rationing, [`Lessor`] exit clock.

pub mod params;

mod check;
mod hash;
pub mod init;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    populate: init::populate,
    check: check::check,
    ..crate::mechanism::Mechanism::new("spot")
};

use bevy_ecs::prelude::*;

use super::auction::{self, Ask, Bid};
use crate::params::FirmKind;
use crate::state::*;

/// Tranches in a lessor's spot supply schedule.
const ASK_TRANCHES: usize = 8;

/// Clears the spot market and settles it.
pub fn clear_spot_market(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let s = &cfg.0.spot;
    let mut rows: Vec<_> = firms.iter_mut().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    let mut bids = Vec::new();
    let mut bid_rows = Vec::new();
    let mut asks = Vec::new();
    let mut ask_rows = Vec::new();
    let ci = market.cost_index;
    for (i, (id, firm, f, b)) in rows.iter().enumerate() {
        let avail = f.available();
        let lab = matches!(firm.kind, FirmKind::Frontier | FirmKind::OpenWeights);
        if lab && avail >= f.need {
            // A lab trains on whatever its serving leaves free: it sells nothing.
        } else if firm.kind == FirmKind::Neocloud || avail > f.need {
            // Idle capacity: owned first, then resold reservations.
            let idle = if firm.kind == FirmKind::Neocloud {
                avail
            } else {
                avail - f.need
            };
            let idle_owned = idle.min((f.owned - f.committed).max(0.0));
            let idle_reserved = idle - idle_owned;
            if idle_owned > 0.0 {
                // An upward-sloping schedule: equal tranches priced from the reserve price up to
                // the ceiling (lessors price their last idle GPUs dearer).
                for k in 0..ASK_TRANCHES {
                    let x = k as f64 / (ASK_TRANCHES - 1) as f64;
                    let ratio =
                        s.lessor_reserve_fraction + (s.lessor_ask_ceiling - s.lessor_reserve_fraction).max(0.0) * x;
                    asks.push(Ask {
                        id: **id,
                        qty: idle_owned / ASK_TRANCHES as f64,
                        price: ratio * market.break_even,
                    });
                    ask_rows.push(i);
                }
            }
            if idle_reserved > 0.0 {
                asks.push(Ask {
                    id: **id,
                    qty: idle_reserved,
                    price: s.resale_fraction * f.reserved_price,
                });
                ask_rows.push(i);
            }
        } else if f.need > avail {
            // Serving shortfalls are urgent (paying users wait); a lab's training shortfall is
            // deferrable and bid at the lower training value.
            let access = super::allocation::rental_access(&cfg.0, clock.month, firm.nation);
            let serving_gap = (f.serving_need - avail).max(0.0);
            let rest = (f.need - avail - serving_gap) * access;
            let serving_gap = serving_gap * access;
            // Chips ordered but not delivered make a lab scramble for rentals. (Counting contract
            // bids that did not fill as well lifts the 2023 peak to ~$8 in history but keeps spot
            // near $4-6 through 2025, because the lessors' fleets lag the renters' demand; left
            // out: see ODD §6.)
            let vendor_shortfall = if f.ordered > 0.0 {
                1.0 - f.delivered / f.ordered
            } else {
                0.0
            };
            let training =
                (s.wtp_training_usd * (1.0 + s.rationing_urgency * vendor_shortfall)).min(s.wtp_frontier_usd);
            let (limit, budget, rest_limit) = match firm.kind {
                FirmKind::Frontier => (s.wtp_frontier_usd, s.lab_budget_share * b.cash, training),
                FirmKind::OpenWeights => (s.wtp_open_weights_usd, s.lab_budget_share * b.cash, training),
                _ => (s.wtp_startup_usd, s.startup_budget_share * b.cash, s.wtp_startup_usd),
            };
            if budget > 0.0 {
                // One budget for both bids: the second may use only what the first cannot spend
                // even at its limit, so the firm never spends more than its budget.
                let serving_max = serving_gap * HOURS_PER_MONTH * limit * ci;
                let rest_budget = (budget - serving_max).max(0.0);
                for (qty, lim, bud) in [(serving_gap, limit, budget), (rest, rest_limit, rest_budget)] {
                    if qty > 0.0 && bud > 0.0 {
                        bids.push(Bid {
                            id: **id,
                            qty,
                            limit: lim * ci,
                            budget: Some(bud),
                        });
                        bid_rows.push(i);
                    }
                }
            }
        }
    }
    for (_, _, f, _) in rows.iter_mut() {
        f.spot_wanted = 0.0;
        f.spot_bought = 0.0;
        f.spot_sold = 0.0;
    }
    let c = auction::clear(&bids, &asks);
    let price = c.price.unwrap_or(market.spot_price).max(s.price_floor_usd);
    for ((bid, &i), &fill) in bids.iter().zip(&bid_rows).zip(&c.bid_fills) {
        let (_, _, f, b) = &mut rows[i];
        f.spot_wanted += bid.demand(price);
        f.spot_bought += fill;
        flows.spot_bought += fill;
        b.spend(fill * price * HOURS_PER_MONTH);
    }
    for (&i, &fill) in ask_rows.iter().zip(&c.ask_fills) {
        let (_, _, f, b) = &mut rows[i];
        f.spot_sold += fill;
        flows.spot_sold += fill;
        b.earn(fill * price * HOURS_PER_MONTH);
    }
    for (_, firm, f, _) in rows.iter_mut() {
        let usable = f.available() - f.spot_sold + f.spot_bought;
        let lab = matches!(firm.kind, FirmKind::Frontier | FirmKind::OpenWeights);
        // Labs put every GPU they hold to work (training absorbs the rest); others use up to need.
        f.used = if lab {
            usable.max(0.0)
        } else {
            f.need.min(usable).max(0.0)
        };
        let serving = f.serving_need.min(f.used);
        f.served_fraction = if f.serving_need > 0.0 {
            serving / f.serving_need
        } else {
            1.0
        };
        f.training_used = if matches!(firm.kind, FirmKind::Frontier | FirmKind::OpenWeights) {
            f.used - serving
        } else {
            0.0
        };
        if f.large {
            flows.requested_large += f.spot_wanted;
            flows.obtained_large += f.spot_bought;
        } else {
            flows.requested_small += f.spot_wanted;
            flows.obtained_small += f.spot_bought;
        }
    }
    market.spot_price = price;
    market.spot_volume = c.volume;
    let alpha = 2.0 / (cfg.0.contracts.expectation_months + 1.0);
    market.spot_expected = alpha * price + (1.0 - alpha) * market.spot_expected;
}

/// Lessors compare realised revenue per GPU-hour with break-even.
pub fn review_lessors(market: Res<Market>, mut lessors: Query<(&Fleet, &Books, &mut Lessor)>) {
    for (f, b, mut l) in &mut lessors {
        l.break_even = market.break_even;
        l.realised_price = if f.owned > 0.0 {
            b.revenue / (f.owned * HOURS_PER_MONTH)
        } else {
            0.0
        };
        if l.realised_price < l.break_even {
            l.months_below += 1
        } else {
            l.months_below = 0
        }
    }
}

/// Break-even rental price of a GPU: `capex·CRF(i, n) / (8760·u) + variable cost`, with
/// `CRF = i(1+i)^n / ((1+i)^n − 1)` (EVIDENCE.md §2.7f).
pub fn break_even(sc: &crate::params::Scenario) -> f64 {
    let l = &sc.lessors;
    let n = sc.supply.life_years;
    let i = l.wacc;
    let crf = if i > 0.0 {
        let g = crate::math::pow(1.0 + i, n);
        i * g / (g - 1.0)
    } else {
        1.0 / n
    };
    l.capex_per_gpu_usd * crf / (8760.0 * l.breakeven_utilisation) + sc.spot.variable_cost_usd_per_hour
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, close, fleet, fleet_of, spawn_firm};
    use crate::params::Scenario;

    /// A world with break-even $2/h (so lessors' tranches are priced $1.20 … $5.00) and spot at
    /// $2.40.
    fn spot_world() -> World {
        let mut w = testkit::world(Scenario::default());
        w.resource_mut::<Market>().break_even = 2.0;
        w.resource_mut::<Market>().spot_price = 2.4;
        w
    }

    fn startup(w: &mut World, cash: f64, serving: f64, tuning: f64) -> Entity {
        let f = Fleet {
            need: serving + tuning,
            serving_need: serving,
            ..fleet(0.0, 0.0)
        };
        spawn_firm(w, FirmKind::Startup, cash, f)
    }

    #[test]
    fn default_break_even_lies_in_the_calibrated_band() {
        let p = break_even(&Scenario::default());
        assert!(
            (1.2..=3.0).contains(&p),
            "break-even {p} outside $1.2-3.0/h (EVIDENCE.md §2.7f)"
        );
    }

    #[test]
    fn a_startup_short_of_compute_buys_a_lessors_idle_capacity() {
        let mut w = spot_world();
        let buyer = startup(&mut w, 1e6, 100.0, 0.0);
        let lessor = spawn_firm(&mut w, FirmKind::Neocloud, 1e6, fleet(1_000.0, 0.0));
        w.run_system_cached(clear_spot_market).unwrap();
        let (b, s) = (fleet_of(&w, buyer), fleet_of(&w, lessor));
        assert!(
            close(b.spot_bought, 100.0),
            "the startup must get its 100 GPUs, got {}",
            b.spot_bought
        );
        assert!(
            close(s.spot_sold, 100.0),
            "the lessor must sell them, sold {}",
            s.spot_sold
        );
        assert_eq!(b.served_fraction, 1.0, "the startup's customers are served");
        // The cheapest tranche (125 GPUs at 0.6 × break-even) covers the demand.
        let price = w.resource::<Market>().spot_price;
        assert!(close(price, 1.2), "a glut clears at the lowest tranche, got {price}");
        let paid = 1e6 - books(&w, buyer).cash;
        let received = books(&w, lessor).cash - 1e6;
        assert!(
            close(paid, 100.0 * price * HOURS_PER_MONTH),
            "the buyer pays volume × price × 730"
        );
        assert!(
            close(paid, received),
            "buyer paid {paid} but seller received {received}"
        );
        let flows = w.resource::<MonthFlows>();
        assert!(
            close(flows.spot_bought, flows.spot_sold),
            "spot bought must equal spot sold"
        );
    }

    #[test]
    fn scarcity_raises_the_spot_price_up_the_lessors_supply_schedule() {
        let mut w = spot_world();
        // Cash enough that the budget never binds.
        startup(&mut w, 1e9, 300.0, 0.0);
        spawn_firm(&mut w, FirmKind::Neocloud, 1e6, fleet(1_000.0, 0.0));
        w.run_system_cached(clear_spot_market).unwrap();
        // 300 GPUs need the third tranche (250 < 300 ≤ 375), priced at 0.6 + 1.9 × 2/7 of $2.
        let p = w.resource::<Market>().spot_price;
        let third = 2.0 * (0.6 + 1.9 * 2.0 / 7.0);
        assert!(
            close(p, third),
            "demand for 300 GPUs should clear at the third tranche {third}, got {p}"
        );
    }

    #[test]
    fn a_lab_with_spare_compute_sells_nothing_and_trains_on_it() {
        let mut w = spot_world();
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(1_000.0, 200.0));
        let buyer = startup(&mut w, 1e6, 100.0, 0.0);
        w.run_system_cached(clear_spot_market).unwrap();
        let f = fleet_of(&w, lab);
        assert_eq!(f.spot_sold, 0.0, "a lab must never sell on spot");
        assert_eq!(
            fleet_of(&w, buyer).spot_bought,
            0.0,
            "with only a lab around nothing trades"
        );
        assert_eq!(f.used, 1_000.0, "a lab puts every GPU it holds to work");
        assert_eq!(f.training_used, 800.0, "what serving leaves free goes to training");
        assert_eq!(
            fleet_of(&w, buyer).served_fraction,
            0.0,
            "the startup's customers go unserved"
        );
    }

    #[test]
    fn with_no_asks_the_spot_price_stays_where_it_was() {
        let mut w = spot_world();
        startup(&mut w, 1e6, 100.0, 0.0);
        w.run_system_cached(clear_spot_market).unwrap();
        let m = w.resource::<Market>();
        assert_eq!(m.spot_price, 2.4, "no asks: the last price must be kept");
        assert_eq!(m.spot_volume, 0.0, "no asks: nothing trades");
        assert_eq!(
            m.spot_expected, 2.4,
            "the expectation of an unchanged price is unchanged"
        );
    }

    #[test]
    fn buyers_expectation_moves_toward_the_new_price_by_the_averaging_weight() {
        let mut w = spot_world();
        startup(&mut w, 1e6, 100.0, 0.0);
        spawn_firm(&mut w, FirmKind::Neocloud, 1e6, fleet(1_000.0, 0.0));
        w.run_system_cached(clear_spot_market).unwrap();
        let alpha = 2.0 / (Scenario::default().contracts.expectation_months + 1.0);
        let m = w.resource::<Market>();
        assert!(
            close(m.spot_expected, alpha * m.spot_price + (1.0 - alpha) * 2.4),
            "E[spot] {} is not the exponential average",
            m.spot_expected
        );
    }

    #[test]
    fn a_startup_never_spends_more_than_its_budget_share_on_spot() {
        let mut w = spot_world();
        // Short 100 GPUs for customers and 100 for fine-tuning, with $1000 of cash: its budget,
        // 30% of cash, buys well under a GPU at any price.
        let buyer = startup(&mut w, 1_000.0, 100.0, 100.0);
        spawn_firm(&mut w, FirmKind::Neocloud, 1e6, fleet(1_000.0, 0.0));
        w.run_system_cached(clear_spot_market).unwrap();
        let budget = Scenario::default().spot.startup_budget_share * 1_000.0;
        let spent = books(&w, buyer).costs;
        assert!(
            spent <= budget * (1.0 + 1e-9),
            "the startup spent {spent} on spot, above its budget {budget}"
        );
    }

    #[test]
    fn a_lessor_below_break_even_counts_the_months() {
        let mut w = spot_world();
        let lessor = spawn_firm(&mut w, FirmKind::Neocloud, 1e6, fleet(1_000.0, 0.0));
        w.entity_mut(lessor).insert(Lessor::default());
        // Revenue of $1/GPU-h on the whole fleet, below break-even $2, for two months; then $3.
        for (revenue_per_hour, months_below) in [(1.0, 1), (1.0, 2), (3.0, 0)] {
            w.get_mut::<Books>(lessor).unwrap().revenue = revenue_per_hour * 1_000.0 * HOURS_PER_MONTH;
            w.run_system_cached(review_lessors).unwrap();
            let l = w.get::<Lessor>(lessor).unwrap();
            assert!(
                close(l.realised_price, revenue_per_hour),
                "realised price {}",
                l.realised_price
            );
            assert_eq!(
                l.months_below, months_below,
                "at ${revenue_per_hour}/h vs break-even $2"
            );
        }
    }
}

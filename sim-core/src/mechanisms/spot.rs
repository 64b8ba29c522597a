//! The spot market (MODEL.md step 5).
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

use bevy_ecs::prelude::*;

use super::auction::{self, Ask, Bid};
use crate::params::FirmKind;
use crate::state::*;

/// Tranches in a lessor's spot supply schedule.
const ASK_TRANCHES: usize = 8;

/// Clears the spot market and settles it.
pub fn clear_spot_market(
    cfg: Res<Config>,
    mut market: ResMut<Market>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let s = &cfg.0.spot;
    let mut rows: Vec<_> = firms.iter_mut().collect();
    rows.sort_by_key(|r| *r.0);
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
            let serving_gap = (f.serving_need - avail).max(0.0);
            let rest = f.need - avail - serving_gap;
            // Chips ordered but not delivered make a lab scramble for rentals.
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
                for (qty, lim) in [(serving_gap, limit), (rest, rest_limit)] {
                    if qty > 0.0 {
                        bids.push(Bid {
                            id: **id,
                            qty,
                            limit: lim * ci,
                            budget: Some(budget),
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
/// `CRF = i(1+i)^n / ((1+i)^n − 1)` (calibration.md §2.7f).
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
    use crate::params::Scenario;

    #[test]
    fn default_break_even_lies_in_the_calibrated_band() {
        let p = break_even(&Scenario::default());
        assert!(
            (1.2..=3.0).contains(&p),
            "break-even {p} outside $1.2-3.0/h (calibration.md §2.7f)"
        );
    }
}

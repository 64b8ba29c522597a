//! Uniform-price double auction, shared by the contract and the spot market.
//!
//! Buyers submit a quantity, a limit price and optionally a budget; a budget-limited buyer
//! wants `min(q, B / (730 p))` GPUs at price `p`, so demand `D(p)` falls with price. Sellers
//! submit a quantity at an ask. The clearing price is the lowest price at which demand does not
//! exceed supply, `p* = min{p : D(p) ≤ S(p)}`, found by bisection (a fixed 64 iterations: exact
//! to the last bits and deterministic). The traded volume is `min(D(p*), S(p*))`; sellers are
//! filled cheapest first (ties by id), buyers pro rata to their demand at `p*`.
//!
//! Guardrails: no trade below the lowest ask or above the highest bid; fills never exceed
//! offers; the sum of buyer fills equals the sum of seller fills.

use crate::state::{AgentId, HOURS_PER_MONTH};

/// A buyer's order.
#[derive(Clone, Debug)]
pub struct Bid {
    pub id: AgentId,
    pub qty: f64,
    pub limit: f64,
    /// Money available for this purchase this month (None: unlimited).
    pub budget: Option<f64>,
}

impl Bid {
    /// Quantity wanted at price `p`.
    pub fn demand(&self, p: f64) -> f64 {
        if p > self.limit || self.qty <= 0.0 {
            return 0.0;
        }
        match self.budget {
            Some(b) if p > 0.0 => self.qty.min((b / (HOURS_PER_MONTH * p)).max(0.0)),
            Some(_) | None => self.qty,
        }
    }
}

/// A seller's offer.
#[derive(Clone, Debug)]
pub struct Ask {
    pub id: AgentId,
    pub qty: f64,
    pub price: f64,
}

/// The outcome of a clearing.
#[derive(Clone, Debug, Default)]
pub struct Clearing {
    /// Clearing price (None when there were no asks).
    pub price: Option<f64>,
    pub volume: f64,
    /// Fill of each bid, in the order given.
    pub bid_fills: Vec<f64>,
    /// Fill of each ask, in the order given.
    pub ask_fills: Vec<f64>,
}

fn supply(asks: &[Ask], p: f64) -> f64 {
    asks.iter().filter(|a| a.price <= p).map(|a| a.qty).sum()
}

fn demand(bids: &[Bid], p: f64) -> f64 {
    bids.iter().map(|b| b.demand(p)).sum()
}

/// Clears the market. Bids and asks must already be in a deterministic order.
pub fn clear(bids: &[Bid], asks: &[Ask]) -> Clearing {
    let mut out = Clearing {
        bid_fills: vec![0.0; bids.len()],
        ask_fills: vec![0.0; asks.len()],
        ..Default::default()
    };
    let asks_live: Vec<&Ask> = asks.iter().filter(|a| a.qty > 0.0).collect();
    if asks_live.is_empty() {
        return out;
    }
    let lo = asks_live.iter().map(|a| a.price).fold(f64::INFINITY, f64::min);
    let max_bid = bids
        .iter()
        .filter(|b| b.qty > 0.0)
        .map(|b| b.limit)
        .fold(f64::NEG_INFINITY, f64::max);
    let p = if demand(bids, lo) <= supply(asks, lo) || max_bid < lo {
        lo
    } else {
        // D(lo) > S(lo): the price rises until demand no longer exceeds supply, at most to the
        // highest limit (above it demand is zero).
        let (mut a, mut b) = (lo, max_bid);
        if demand(bids, b) > supply(asks, b) {
            a = b;
        } else {
            for _ in 0..64 {
                let m = 0.5 * (a + b);
                if demand(bids, m) > supply(asks, m) {
                    a = m
                } else {
                    b = m
                }
            }
        }
        b.max(a.min(max_bid))
    };
    out.price = Some(p);
    let d = demand(bids, p);
    let s = supply(asks, p);
    let volume = d.min(s);
    out.volume = volume;
    if volume <= 0.0 {
        return out;
    }
    // Buyers pro rata to demand at p.
    let scale = volume / d;
    for (f, b) in out.bid_fills.iter_mut().zip(bids) {
        *f = b.demand(p) * scale;
    }
    // Sellers cheapest first, ties by id.
    let mut order: Vec<usize> = (0..asks.len())
        .filter(|&i| asks[i].qty > 0.0 && asks[i].price <= p)
        .collect();
    order.sort_by(|&i, &j| {
        asks[i]
            .price
            .total_cmp(&asks[j].price)
            .then(asks[i].id.cmp(&asks[j].id))
    });
    let mut left = volume;
    for i in order {
        let take = asks[i].qty.min(left);
        out.ask_fills[i] = take;
        left -= take;
        if left <= 0.0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bid(id: u64, qty: f64, limit: f64) -> Bid {
        Bid {
            id: AgentId(id),
            qty,
            limit,
            budget: None,
        }
    }
    fn ask(id: u64, qty: f64, price: f64) -> Ask {
        Ask {
            id: AgentId(id),
            qty,
            price,
        }
    }

    #[test]
    fn a_glut_clears_at_the_lowest_ask() {
        let c = clear(&[bid(1, 10.0, 5.0)], &[ask(2, 100.0, 1.0), ask(3, 100.0, 2.0)]);
        assert_eq!(c.price, Some(1.0));
        assert_eq!(c.volume, 10.0);
        assert_eq!(c.ask_fills, vec![10.0, 0.0], "the cheapest seller sells first");
    }

    #[test]
    fn scarcity_raises_the_price_to_the_marginal_bid() {
        // 10 GPUs offered at $1; buyers want 10 at up to $8 and 10 at up to $3.
        let c = clear(&[bid(1, 10.0, 8.0), bid(2, 10.0, 3.0)], &[ask(9, 10.0, 1.0)]);
        let p = c.price.unwrap();
        assert!((p - 3.0).abs() < 1e-9, "price {p} should rise to the marginal limit 3");
        assert!((c.volume - 10.0).abs() < 1e-9);
        let filled: f64 = c.bid_fills.iter().sum();
        assert!(
            (filled - c.ask_fills.iter().sum::<f64>()).abs() < 1e-9,
            "fills must balance"
        );
    }

    #[test]
    fn budgets_make_demand_fall_with_price() {
        let b = Bid {
            id: AgentId(1),
            qty: 100.0,
            limit: 10.0,
            budget: Some(730.0 * 50.0),
        };
        assert_eq!(b.demand(0.5), 100.0);
        assert!((b.demand(1.0) - 50.0).abs() < 1e-12);
        let c = clear(&[b], &[ask(2, 40.0, 0.1)]);
        let p = c.price.unwrap();
        assert!(
            (p - 1.25).abs() < 1e-9,
            "budget 50 GPU-months at $1 → 40 GPUs clear at $1.25, got {p}"
        );
    }

    #[test]
    fn no_bids_above_the_asks_means_no_trade() {
        let c = clear(&[bid(1, 10.0, 0.5)], &[ask(2, 10.0, 1.0)]);
        assert_eq!(c.volume, 0.0);
        assert_eq!(c.price, Some(1.0), "the posted ask is the price signal");
    }
}

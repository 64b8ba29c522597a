//! Reserved take-or-pay contracts (MODEL.md step 4).
//!
//! Each month active contracts are paid in full (`gpus × price × 730 h`) whether the capacity
//! is used or not, and expired ones end. Then new contracts are traded in a uniform-price
//! auction ([`auction`](super::auction)):
//!
//! * buyers — labs seek to reserve `reserve_share_lab × max(0, need − owned) − reserved`,
//!   startups `reserve_share_startup × need − reserved`, each with limit price
//!   `E[spot] × (1 + certainty_premium)` (E[spot] an exponential average of past spot prices)
//!   and a budget of three months of cash;
//! * sellers — lessors offer their uncommitted fleet, less the `on_demand_share` they keep for
//!   the spot market, at `p_BE × (1 + lessor_margin)`, so the
//!   contract price never falls below break-even while spot can (the curves diverge).
//!
//! Terms are drawn uniformly in `[term_min, term_max]` months from the buyer's stream. The
//! contract price index is the clearing price, or the lowest posted ask when nothing traded.
//!
//! Reads: [`Fleet`], [`Books`], [`Market`]. Writes: [`ContractBook`], reserved/committed GPUs,
//! payments between buyer and seller.

use bevy_ecs::prelude::*;

use super::auction::{self, Ask, Bid};
use crate::params::FirmKind;
use crate::rng::{self, Stream};
use crate::state::*;

/// Recomputes every firm's reserved and committed GPUs from the contract book.
pub fn tally_contracts(
    book: &ContractBook,
    fleets: &mut Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
    dir: &Directory,
) {
    for (_, _, mut f, _) in fleets.iter_mut() {
        f.reserved = 0.0;
        f.committed = 0.0;
        f.reserved_price = 0.0;
    }
    for c in &book.contracts {
        if let Some(&e) = dir.entities.get(&c.buyer)
            && let Ok((_, _, mut f, _)) = fleets.get_mut(e) {
                let total = f.reserved + c.gpus;
                f.reserved_price = if total > 0.0 {
                    (f.reserved_price * f.reserved + c.price * c.gpus) / total
                } else {
                    0.0
                };
                f.reserved = total;
            }
        if let Some(&e) = dir.entities.get(&c.seller)
            && let Ok((_, _, mut f, _)) = fleets.get_mut(e) {
                f.committed += c.gpus;
            }
    }
}

fn pay(c: &Contract, fleets: &mut Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>, dir: &Directory) {
    let amount = c.gpus * c.price * HOURS_PER_MONTH;
    if let Some(&e) = dir.entities.get(&c.buyer)
        && let Ok((_, _, _, mut b)) = fleets.get_mut(e) {
            b.spend(amount);
        }
    if let Some(&e) = dir.entities.get(&c.seller)
        && let Ok((_, _, _, mut b)) = fleets.get_mut(e) {
            b.earn(amount);
        }
}

/// Recounts reserved and committed GPUs after exits changed the book.
pub fn retally_contracts(
    book: Res<ContractBook>,
    dir: Res<Directory>,
    mut fleets: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    tally_contracts(&book, &mut fleets, &dir);
}

/// Ends expired contracts and collects this month's take-or-pay payments.
pub fn settle_contracts(
    clock: Res<Clock>,
    dir: Res<Directory>,
    mut book: ResMut<ContractBook>,
    mut fleets: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let month = clock.month;
    book.contracts.retain(|c| c.end > month);
    for c in &book.contracts {
        pay(c, &mut fleets, &dir);
    }
    tally_contracts(&book, &mut fleets, &dir);
}

/// Trades new reserved contracts.
pub fn sign_contracts(
    cfg: Res<Config>,
    clock: Res<Clock>,
    dir: Res<Directory>,
    mut market: ResMut<Market>,
    mut book: ResMut<ContractBook>,
    mut fleets: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let sc = &cfg.0;
    let c = &sc.contracts;
    let limit = market.spot_expected * (1.0 + c.certainty_premium);
    let ask_price = market.break_even * (1.0 + c.lessor_margin);
    let mut bids = Vec::new();
    let mut asks = Vec::new();
    let mut rows: Vec<_> = fleets
        .iter()
        .map(|(id, firm, f, b)| (*id, firm.kind, f.clone(), b.cash))
        .collect();
    rows.sort_by_key(|r| r.0);
    for (id, kind, f, cash) in rows {
        let want = match kind {
            FirmKind::Frontier | FirmKind::OpenWeights => {
                c.reserve_share_lab * (f.need - f.owned).max(0.0) - f.reserved
            }
            FirmKind::Startup => c.reserve_share_startup * f.need - f.reserved,
            FirmKind::Neocloud => {
                let free = f.owned * (1.0 - sc.lessors.on_demand_share) - f.committed;
                if free > 0.0 {
                    asks.push(Ask {
                        id,
                        qty: free,
                        price: ask_price,
                    });
                }
                0.0
            }
        };
        if want > 0.0 && cash > 0.0 {
            bids.push(Bid {
                id,
                qty: want,
                limit,
                budget: Some(cash / 3.0),
            });
        }
    }
    let clearing = auction::clear(&bids, &asks);
    market.contract_volume = clearing.volume;
    if clearing.volume > 0.0 {
        market.contract_price = clearing.price.unwrap_or(market.contract_price);
    } else if !asks.is_empty() {
        market.contract_price = ask_price;
    }
    if clearing.volume <= 0.0 {
        return;
    }
    let price = market.contract_price;
    // Pair filled bids with filled asks in id order (two pointers).
    let mut sellers: Vec<(AgentId, f64)> = asks
        .iter()
        .zip(&clearing.ask_fills)
        .filter(|(_, q)| **q > 0.0)
        .map(|(a, &q)| (a.id, q))
        .collect();
    let mut si = 0;
    for (b, &fill) in bids.iter().zip(&clearing.bid_fills) {
        let term = rng::stream(sc.run.seed, Stream::ContractTerm, b.id.0, clock.month)
            .int_inclusive(c.term_min_months, c.term_max_months);
        let mut left = fill;
        while left > 1e-9 && si < sellers.len() {
            let q = left.min(sellers[si].1);
            book.next_id += 1;
            let contract = Contract {
                id: book.next_id,
                buyer: b.id,
                seller: sellers[si].0,
                gpus: q,
                price,
                start: clock.month,
                end: clock.month + term,
            };
            pay(&contract, &mut fleets, &dir);
            book.contracts.push(contract);
            left -= q;
            sellers[si].1 -= q;
            if sellers[si].1 <= 1e-9 {
                si += 1;
            }
        }
    }
    tally_contracts(&book, &mut fleets, &dir);
}

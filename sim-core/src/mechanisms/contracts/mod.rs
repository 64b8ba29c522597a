//! Reserved take-or-pay contracts (ODD §7.6).
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
//! The demand at the ask that found no capacity is kept in [`Market::contract_unmet`]: lessors
//! build for it the next month ([`allocation`](super::allocation)).
//!
//! Reads: [`Fleet`], [`Books`], [`Market`]. Writes: [`ContractBook`], reserved/committed GPUs,
//! payments between buyer and seller.

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
    ..crate::mechanism::Mechanism::new("contracts")
};

use bevy_ecs::prelude::*;

use super::auction::{self, Ask, Bid};
use crate::kernel::by_id::ById;
use crate::params::FirmKind;
use crate::rng::{self, Stream};

use crate::state::*;

/// A firm's position in the contract book.
#[derive(Clone, Copy, Debug, Default)]
struct Position {
    reserved: f64,
    /// Σ gpus × price over contracts as buyer.
    reserved_value: f64,
    committed: f64,
}

/// The largest firm id among the contracts' parties (0 for an empty book).
fn max_party(contracts: &[Contract]) -> u64 {
    contracts.iter().map(|c| c.buyer.0.max(c.seller.0)).max().unwrap_or(0)
}

/// Sums the book per firm, in contract-id order (so float sums are reproducible).
fn positions(book: &ContractBook) -> ById<Position> {
    let mut out: ById<Position> = ById::with_max_id(max_party(&book.contracts));
    for c in &book.contracts {
        let b = out.at(c.buyer);
        b.reserved += c.gpus;
        b.reserved_value += c.gpus * c.price;
        out.at(c.seller).committed += c.gpus;
    }
    out
}

/// Recomputes every firm's reserved and committed GPUs from the contract book.
pub fn tally_contracts(book: &ContractBook, fleets: &mut Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>) {
    let pos = positions(book);
    for (id, _, mut f, _) in fleets.iter_mut() {
        let p = *pos.get(*id);
        f.reserved = p.reserved;
        f.committed = p.committed;
        f.reserved_price = if p.reserved > 0.0 {
            p.reserved_value / p.reserved
        } else {
            0.0
        };
    }
}

/// What a firm's bid or ask is made of (its fleet's need, owned, reserved and committed GPUs).
struct Need {
    need: f64,
    owned: f64,
    reserved: f64,
    committed: f64,
}

/// Books the take-or-pay payments of `contracts`: each firm pays (or receives) the sum of its
/// contracts, summed in contract order.
fn pay_all(contracts: &[Contract], fleets: &mut Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>) {
    let mut flows: ById<(f64, f64)> = ById::with_max_id(max_party(contracts));
    for c in contracts {
        let amount = c.gpus * c.price * HOURS_PER_MONTH;
        flows.at(c.buyer).0 += amount;
        flows.at(c.seller).1 += amount;
    }
    for (id, _, _, mut b) in fleets.iter_mut() {
        let &(paid, received) = flows.get(*id);
        if paid > 0.0 {
            b.spend(paid);
        }
        if received > 0.0 {
            b.earn(received);
        }
    }
}

/// Recounts reserved and committed GPUs after exits changed the book.
pub fn retally_contracts(book: Res<ContractBook>, mut fleets: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>) {
    tally_contracts(&book, &mut fleets);
}

/// Ends expired contracts and collects this month's take-or-pay payments.
pub fn settle_contracts(
    clock: Res<Clock>,
    mut book: ResMut<ContractBook>,
    mut fleets: Query<(&AgentId, &Firm, &mut Fleet, &mut Books)>,
) {
    let month = clock.month;
    book.contracts.retain(|c| c.end > month);
    pay_all(&book.contracts, &mut fleets);
    tally_contracts(&book, &mut fleets);
}

/// Trades new reserved contracts.
pub fn sign_contracts(
    cfg: Res<Config>,
    clock: Res<Clock>,
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
    // (id, kind, nation, need, owned, reserved, committed, cash); ids are unique, so an unstable
    // sort gives the id order.
    let mut rows: Vec<_> = fleets
        .iter()
        .map(|(id, firm, f, b)| {
            (
                *id,
                firm.kind,
                firm.nation,
                Need {
                    need: f.need,
                    owned: f.owned,
                    reserved: f.reserved,
                    committed: f.committed,
                },
                b.cash,
            )
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    for (id, kind, nation, f, cash) in rows {
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
        let want = want * super::allocation::rental_access(sc, clock.month, nation);
        // Contracting has a fixed cost: nobody signs for less than `min_contract_share` of need.
        if want > 0.0 && want >= c.min_contract_share * f.need && cash > 0.0 {
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
    // Demand at the ask that the lessors' free capacity could not meet (bids in id order).
    let wanted_at_ask: f64 = bids.iter().map(|b| b.demand(ask_price)).sum();
    market.contract_unmet = (wanted_at_ask - clearing.volume).max(0.0);
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
    let first_new = book.contracts.len();
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
            book.contracts.push(contract);
            left -= q;
            sellers[si].1 -= q;
            if sellers[si].1 <= 1e-9 {
                si += 1;
            }
        }
    }
    // The first month of every new contract is paid at signing.
    pay_all(&book.contracts[first_new..], &mut fleets);
    tally_contracts(&book, &mut fleets);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, close, fleet, fleet_of, id_of, spawn_firm};
    use crate::params::Scenario;

    /// A lab needing 1000 GPUs and owning none, and a lessor with 10 000 idle GPUs; break-even
    /// $2/h, so the lessor asks $2 × (1 + 0.15) = $2.30/h. Returns (world, lab, lessor).
    fn lab_and_lessor(spot_expected: f64) -> (World, Entity, Entity) {
        let mut w = testkit::world(Scenario::default());
        {
            let mut m = w.resource_mut::<Market>();
            m.break_even = 2.0;
            m.spot_expected = spot_expected;
        }
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 1_000.0));
        let lessor = spawn_firm(&mut w, FirmKind::Neocloud, 1e8, fleet(10_000.0, 0.0));
        (w, lab, lessor)
    }

    #[test]
    fn settling_pays_every_active_contract_in_full_and_drops_expired_ones() {
        let (mut w, lab, lessor) = lab_and_lessor(2.4);
        let (buyer, seller) = (id_of(&w, lab), id_of(&w, lessor));
        let contract = |id, gpus, end| Contract {
            id,
            buyer,
            seller,
            gpus,
            price: 2.0,
            start: 0,
            end,
        };
        w.resource_mut::<ContractBook>().contracts = vec![contract(1, 100.0, 6), contract(2, 50.0, 5)];
        w.resource_mut::<Clock>().month = 5;
        w.run_system_cached(settle_contracts).unwrap();
        let due = 100.0 * 2.0 * HOURS_PER_MONTH;
        assert!(
            close(books(&w, lab).costs, due),
            "the buyer must pay gpus × price × 730 = {due} for the active contract only, paid {}",
            books(&w, lab).costs
        );
        assert!(
            close(books(&w, lessor).revenue, due),
            "the seller must receive what the buyer pays"
        );
        let book = w.resource::<ContractBook>();
        assert_eq!(
            book.contracts.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![1],
            "the contract ending in month 5 must be dropped"
        );
        assert_eq!(fleet_of(&w, lab).reserved, 100.0, "buyer's reserved GPUs");
        assert_eq!(fleet_of(&w, lab).reserved_price, 2.0, "buyer's reserved price");
        assert_eq!(fleet_of(&w, lessor).committed, 100.0, "seller's committed GPUs");
    }

    #[test]
    fn a_lab_short_of_compute_reserves_from_a_lessor_when_its_limit_covers_the_ask() {
        // Limit = E[spot] × (1 + 0.25) = 3.0 ≥ ask 2.30.
        let (mut w, lab, lessor) = lab_and_lessor(2.4);
        w.run_system_cached(sign_contracts).unwrap();
        let book = w.resource::<ContractBook>();
        assert_eq!(book.contracts.len(), 1, "one contract expected: {:?}", book.contracts);
        let c = book.contracts[0].clone();
        assert_eq!((c.buyer, c.seller), (id_of(&w, lab), id_of(&w, lessor)), "parties");
        let sc = Scenario::default();
        assert!(
            close(c.gpus, sc.contracts.reserve_share_lab * 1_000.0),
            "the lab reserves reserve_share_lab of its shortfall, got {}",
            c.gpus
        );
        assert!(
            close(c.price, 2.3),
            "the price clears at the lessor's ask, got {}",
            c.price
        );
        let term = c.end - c.start;
        assert!(
            (sc.contracts.term_min_months..=sc.contracts.term_max_months).contains(&term),
            "term {term} outside the drawn range"
        );
        assert!(
            close(w.resource::<Market>().contract_price, 2.3),
            "contract price index"
        );
        assert!(
            close(fleet_of(&w, lab).reserved, c.gpus),
            "the lab's reservation is tallied"
        );
        assert!(
            close(fleet_of(&w, lessor).committed, c.gpus),
            "the lessor's commitment is tallied"
        );
        let first = c.gpus * c.price * HOURS_PER_MONTH;
        assert!(close(books(&w, lab).costs, first), "the first month is paid at signing");
        assert!(close(books(&w, lessor).revenue, first), "the lessor is paid at signing");
    }

    #[test]
    fn no_contract_is_signed_when_expected_spot_with_premium_is_below_the_ask() {
        // Limit = 1.5 × 1.25 = 1.875 < ask 2.30.
        let (mut w, lab, lessor) = lab_and_lessor(1.5);
        w.run_system_cached(sign_contracts).unwrap();
        assert!(
            w.resource::<ContractBook>().contracts.is_empty(),
            "a buyer must not reserve above its limit price"
        );
        assert_eq!(fleet_of(&w, lab).reserved, 0.0, "nothing reserved");
        assert_eq!(
            (books(&w, lab).costs, books(&w, lessor).revenue),
            (0.0, 0.0),
            "no payment"
        );
        let m = w.resource::<Market>();
        assert_eq!(m.contract_volume, 0.0, "no volume");
        assert!(
            close(m.contract_price, 2.3),
            "with no trade the index is the posted ask"
        );
    }

    #[test]
    fn a_lessor_keeps_its_on_demand_share_out_of_contracts() {
        let (mut w, _, lessor) = lab_and_lessor(2.4);
        // The lab now wants far more than the lessor may commit.
        w.query::<(&Firm, &mut Fleet)>()
            .iter_mut(&mut w)
            .filter(|(f, _)| f.kind == FirmKind::Frontier)
            .for_each(|(_, mut f)| f.need = 1e6);
        w.run_system_cached(sign_contracts).unwrap();
        let keep = Scenario::default().lessors.on_demand_share;
        assert!(
            close(fleet_of(&w, lessor).committed, 10_000.0 * (1.0 - keep)),
            "the lessor commits its fleet less the on-demand share, committed {}",
            fleet_of(&w, lessor).committed
        );
    }

    #[test]
    fn a_contract_is_paid_for_exactly_its_term() {
        let (mut w, lab, _) = lab_and_lessor(2.4);
        w.run_system_cached(sign_contracts).unwrap();
        let c = w.resource::<ContractBook>().contracts[0].clone();
        let mut paid = books(&w, lab).costs;
        for month in 1..=c.end + 2 {
            w.resource_mut::<Clock>().month = month;
            w.get_mut::<Books>(lab).unwrap().costs = 0.0;
            w.run_system_cached(settle_contracts).unwrap();
            paid += books(&w, lab).costs;
        }
        let term = f64::from(c.end - c.start);
        assert!(
            close(paid, c.gpus * c.price * HOURS_PER_MONTH * term),
            "take-or-pay over {term} months should cost {}, paid {paid}",
            c.gpus * c.price * HOURS_PER_MONTH * term
        );
        assert!(w.resource::<ContractBook>().contracts.is_empty(), "the contract ended");
    }
}

//! Contracts at month 0: each lab's need beyond its own fleet is already reserved from the
//! lessors (in proportion to their fleets, up to 90% of each), at the initial contract price,
//! with remaining terms drawn uniformly up to the longest term.

use bevy_ecs::prelude::*;

use crate::kernel::init::scenario;
use crate::params::FirmKind;
use crate::rng::{self, Stream};
use crate::state::*;

/// An empty book.
pub fn resources(world: &mut World) {
    world.insert_resource(ContractBook::default());
}

/// Signs the initial contracts and tallies every fleet's reserved and committed GPUs.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let mut lessors: Vec<(AgentId, f64)> = world
        .query::<(&AgentId, &Firm, &Fleet)>()
        .iter(world)
        .filter(|(_, f, _)| f.kind == FirmKind::Neocloud)
        .map(|(id, _, fl)| (*id, 0.9 * fl.owned))
        .collect();
    lessors.sort_by_key(|l| l.0);
    let mut labs: Vec<(AgentId, f64)> = world
        .query::<(&AgentId, &Fleet, &Platform)>()
        .iter(world)
        .map(|(id, fl, _)| {
            let need = fl.training_base + (fl.need_ratio_serving());
            (*id, (need - fl.owned).max(0.0))
        })
        .collect();
    labs.sort_by_key(|l| l.0);
    let capacity: f64 = lessors.iter().map(|l| l.1).sum();
    let wanted: f64 = labs.iter().map(|l| l.1).sum();
    if capacity <= 0.0 || wanted <= 0.0 {
        return;
    }
    let fill = (capacity / wanted).min(1.0);
    let mut book = ContractBook::default();
    for (buyer, want) in labs {
        for &(seller, cap) in &lessors {
            let gpus = want * fill * cap / capacity;
            if gpus <= 0.0 {
                continue;
            }
            book.next_id += 1;
            let mut d = rng::stream(sc.run.seed, Stream::ContractTerm, book.next_id, 0);
            let end = d.int_inclusive(1, sc.contracts.term_max_months);
            book.contracts.push(Contract {
                id: book.next_id,
                buyer,
                seller,
                gpus,
                price: sc.contracts.initial_price_usd,
                start: 0,
                end,
            });
        }
    }
    world.insert_resource(book);
    world
        .run_system_cached(super::retally_contracts)
        .expect("tally initial contracts");
}

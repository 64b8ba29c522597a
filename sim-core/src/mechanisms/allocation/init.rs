//! Allocation at month 0: each lab's training target is its need beyond serving.

use bevy_ecs::prelude::*;

use crate::kernel::init::scenario;
use crate::state::{Firm, Fleet, Platform};

/// Sets each lab's serving need and training base from its spec's need ratio, and its buy share.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let gc = sc.users.gpus_per_million_consumers;
    let gs = sc.users.gpus_per_million_seats;
    let mut labs = world.query::<(&Firm, &Platform, &mut Fleet)>();
    for (firm, p, mut fleet) in labs.iter_mut(world) {
        let spec = sc
            .firms
            .iter()
            .find(|f| f.name == firm.name)
            .expect("lab comes from a spec");
        let serving = p.consumers / 1e6 * gc + p.seats / 1e6 * gs;
        fleet.training_base = (spec.need_ratio * fleet.owned - serving).max(0.0);
        fleet.serving_need = serving;
        fleet.buy_share = spec.buy_share;
    }
}

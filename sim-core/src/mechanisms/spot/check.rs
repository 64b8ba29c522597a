//! The spot market's invariant.

use bevy_ecs::prelude::*;

use crate::kernel::check::{close, month};
use crate::state::MonthFlows;

/// Spot GPUs bought = spot GPUs sold.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let flows = world.resource::<MonthFlows>();
    let (bought, sold) = (flows.spot_bought, flows.spot_sold);
    if !close(bought, sold) {
        errs.push(format!("month {month}: spot bought {bought} != sold {sold}"));
    }
}

//! The spot market at month 0: lessors get their break-even clock, the market its break-even
//! price.

use bevy_ecs::prelude::*;

use crate::kernel::init::{scenario, scenario_firms};
use crate::params::FirmKind;
use crate::state::{Lessor, Market};

/// The lessors' break-even price at month 0.
pub fn resources(world: &mut World) {
    let break_even = super::break_even(&scenario(world));
    world.resource_mut::<Market>().break_even = break_even;
}

/// Every lessor (neocloud) of the scenario gets its break-even clock.
pub fn populate(world: &mut World) {
    for (_, _, e) in scenario_firms(world, &[FirmKind::Neocloud]) {
        world.entity_mut(e).insert(Lessor::default());
    }
}

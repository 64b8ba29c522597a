//! Users at month 0: the user agents, their platforms' head counts and the switching costs.

use bevy_ecs::prelude::*;

use super::{SwitchCostTable, Users};
use crate::kernel::init::scenario;
use crate::state::{Nation, PlatformTable};

/// An empty platform table, no users, and the switching costs of the scenario.
pub fn resources(world: &mut World) {
    let sc = scenario(world);
    world.insert_resource(PlatformTable::default());
    world.insert_resource(Users::default());
    world.insert_resource(SwitchCostTable::new(&sc));
}

/// Builds the user agents over the platforms the kernel spawned, records each platform's
/// people in the table, and counts its consumers and seats.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let nations: Vec<Nation> = sc
        .nations
        .iter()
        .enumerate()
        .map(|(i, n)| Nation::from_spec(i as u16, n))
        .collect();
    let users = super::initial_users(&sc, &nations, world.resource::<PlatformTable>());
    let people = users.people_by_option();
    for (i, s) in world.resource_mut::<PlatformTable>().slots.iter_mut().enumerate() {
        s.people = people[i];
    }
    world.insert_resource(users);
    world
        .run_system_cached(super::count_platform_users)
        .expect("count users at month 0");
}

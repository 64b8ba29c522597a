//! The open ecosystem at month 0: every open-weights maker has one release out.

use bevy_ecs::prelude::*;

use crate::kernel::init::scenario;
use crate::state::{Directory, OpenReleases};

/// No releases.
pub fn resources(world: &mut World) {
    world.insert_resource(OpenReleases::default());
}

/// Publishes each maker's initial release (see [`super::initial_releases`]).
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let best = super::super::research::init::best_frontier(world);
    let mut dir = std::mem::take(&mut *world.resource_mut::<Directory>());
    let open = super::initial_releases(world, &sc, &mut dir, best);
    world.insert_resource(dir);
    world.insert_resource(open);
}

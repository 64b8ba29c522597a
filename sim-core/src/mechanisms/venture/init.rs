//! Venture at month 0: neutral sentiment and no cohorts (the startups register theirs).

use bevy_ecs::prelude::*;

use super::{Cohorts, Sentiment};
use crate::kernel::init::scenario;

/// Neutral sentiment, no cohorts.
pub fn resources(world: &mut World) {
    let sc = scenario(world);
    world.insert_resource(Cohorts::default());
    world.insert_resource(Sentiment::new(&sc));
}

//! Startups at month 0: the initial startups, with ages spread over the past and heavy-tailed
//! customer bases; their books open at their seed cash (funding happened before the run).

use bevy_ecs::prelude::*;

use super::super::venture::Cohorts;
use crate::kernel::init::scenario;
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// Spawns `startups.initial_count` startups under fresh ids and registers their cohorts.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let st = &sc.startups;
    for _ in 0..st.initial_count {
        let id = world.resource_mut::<Directory>().allocate();
        let mut d = rng::stream(sc.run.seed, Stream::InitStartups, id.0, 0);
        let age = d.int_inclusive(0, st.initial_age_max_months) as i32;
        let mut bundle = super::new_startup(
            &sc,
            world.resource::<PlatformTable>(),
            world.resource::<OpenReleases>(),
            id,
            -age,
            &mut d,
        );
        let k = st.attachment_scale * 0.2 * (crate::math::pow(d.open01(), -1.0 / 1.2) - 1.0);
        bundle.4.customers = k.min(st.attachment_scale * 1000.0);
        let e = world.spawn(bundle).id();
        world.resource_mut::<Directory>().entities.insert(id, e);
        world.resource_mut::<Cohorts>().found(id, -age);
    }
    for mut b in world.query::<&mut Books>().iter_mut(world) {
        b.cash_start = b.cash;
        b.funding = 0.0;
    }
}

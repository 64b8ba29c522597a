//! Pricing at month 0: each frontier platform's markup scales, inverted from its scenario prices.

use bevy_ecs::prelude::*;

use super::{PriceSetting, compute_cost_per_hour, divisor_of, invert_scale, qualities, serving_costs};
use crate::kernel::init::scenario;
use crate::params::FirmKind;
use crate::state::*;

/// Gives every frontier platform its [`PriceSetting`]: the markup scales that put this month's
/// target prices at the scenario's prices, given month-0 costs, rivals and open tier.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let all = {
        let mut q = world.query_filtered::<(&AgentId, &Lab), With<Platform>>();
        qualities(q.iter(world).map(|(id, l)| (*id, l)))
    };
    let open = world.resource::<OpenReleases>().best_usable().map(|(_, q)| q);
    let market = world.resource::<Market>().clone();
    let mut q = world.query::<(Entity, &AgentId, &Firm, &Fleet, &Platform)>();
    let mut settings: Vec<(AgentId, Entity, PriceSetting)> = q
        .iter(world)
        .filter(|r| r.2.kind == FirmKind::Frontier)
        .map(|(e, id, _, fleet, p)| {
            let (consumer_cost, seat_cost) = serving_costs(&sc, compute_cost_per_hour(&sc, fleet, &market));
            let divisor = divisor_of(&sc, *id, &all, open);
            let setting = PriceSetting {
                consumer_scale: invert_scale(p.consumer_price, consumer_cost, divisor),
                seat_scale: invert_scale(p.enterprise_price, seat_cost, divisor),
                consumer_cost,
                seat_cost,
                divisor,
            };
            (*id, e, setting)
        })
        .collect();
    settings.sort_unstable_by_key(|r| r.0);
    for (_, e, s) in settings {
        world.entity_mut(e).insert(s);
    }
}

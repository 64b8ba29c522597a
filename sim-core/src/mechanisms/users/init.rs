//! Users at month 0: the labs' platforms, the user agents, the platforms' head counts and the
//! switching costs.

use bevy_ecs::prelude::*;

use super::{SwitchCostTable, Users};
use crate::kernel::init::{scenario, scenario_firms};
use crate::params::{FirmKind, FirmSpec};
use crate::state::{AgentId, Firm, Lab, Nation, Platform, PlatformTable, Slot, SlotInfo};

/// An empty platform table, no users, and the switching costs of the scenario.
pub fn resources(world: &mut World) {
    let sc = scenario(world);
    world.insert_resource(PlatformTable::default());
    world.insert_resource(Users::default());
    world.insert_resource(SwitchCostTable::new(&sc));
}

/// A lab's platform at month 0 (users counted below).
pub fn initial_platform(f: &FirmSpec, slot: Slot) -> Platform {
    Platform {
        slot,
        consumer_price: f.consumer_price_usd,
        enterprise_price: f.enterprise_price_usd,
        consumers: 0.0,
        seats: 0.0,
    }
}

/// What users see of a platform at month 0.
pub fn initial_slot(f: &FirmSpec, id: AgentId, nation: u16, quality: f64, api_fee: f64) -> SlotInfo {
    SlotInfo {
        id: Some(id),
        alive: true,
        nation,
        quality,
        consumer_price: f.consumer_price_usd,
        enterprise_price: f.enterprise_price_usd,
        people: 0.0,
        api_fee,
        name: f.name.clone(),
        kind: Some(f.kind),
    }
}

/// Gives each lab its platform (slots in scenario order) and fills the platform table; builds
/// the user agents over the platforms, records each platform's
/// people in the table, and counts its consumers and seats.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let mut table = PlatformTable::default();
    for (f, id, e) in scenario_firms(world, &[FirmKind::Frontier, FirmKind::OpenWeights]) {
        let slot = table.slots.len() as Slot;
        let (nation, quality) = {
            let firm = world.entity(e);
            let nation = firm.get::<Firm>().expect("a firm").nation;
            (
                nation,
                firm.get::<Lab>().expect("research gave the lab its quality").quality,
            )
        };
        let api_fee = sc.startups.api_fee_usd_per_customer;
        table.slots.push(initial_slot(&f, id, nation, quality, api_fee));
        world.entity_mut(e).insert(initial_platform(&f, slot));
    }
    world.insert_resource(table);
    let nations: Vec<Nation> = sc
        .nations
        .iter()
        .enumerate()
        .map(|(i, n)| Nation::from_spec(i as u16, n))
        .collect();
    let users = super::initial_users(&sc, &nations, world.resource::<PlatformTable>());
    let people = users.people_by_option();
    let by_nation = super::people_by_nation_slot(&users, nations.len());
    let mut table = world.resource_mut::<PlatformTable>();
    for (i, s) in table.slots.iter_mut().enumerate() {
        s.people = people[i];
    }
    table.people_by_nation = by_nation;
    world.insert_resource(users);
    world
        .run_system_cached(super::count_platform_users)
        .expect("count users at month 0");
}

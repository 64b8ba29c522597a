//! Month 0 of the kernel: the clock, the id directory and the market;
//! then the nations and the scenario's firms, each under a fresh id, in scenario order (the ids
//! every later stream is keyed by).

use bevy_ecs::prelude::*;

use crate::kernel::state::*;
use crate::params::{FirmKind, FirmSpec, Scenario};

/// The scenario of a world being built.
pub fn scenario(world: &World) -> std::sync::Arc<Scenario> {
    world.resource::<Config>().0.clone()
}

/// The clock at month 0, an empty directory and the market at its initial prices.
pub fn resources(world: &mut World) {
    let sc = scenario(world);
    world.insert_resource(Market::at_month_zero(&sc));
    world.insert_resource(Clock::default());
    world.insert_resource(Directory::default());
}

/// Spawns the nations and the scenario's firms (each with its books, fleet and staff; the
/// mechanisms add their own components: research the labs', users the platforms', spot the
/// lessors').
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let mut dir = std::mem::take(&mut *world.resource_mut::<Directory>());
    for (i, n) in sc.nations.iter().enumerate() {
        let id = dir.allocate();
        let e = world.spawn((id, Nation::from_spec(i as u16, n))).id();
        dir.entities.insert(id, e);
    }
    let nation_index = |name: &str| sc.nations.iter().position(|n| n.name == name).unwrap_or(0) as u16;
    for f in &sc.firms {
        let id = dir.allocate();
        let mut books = Books::with_cash(f.cash_usd);
        books.parent_funding = f.parent_funding_usd_per_month;
        let fleet = Fleet {
            owned: f.owned_gpus,
            served_fraction: 1.0,
            ..Default::default()
        };
        let firm = Firm {
            kind: f.kind,
            name: f.name.clone(),
            nation: nation_index(&f.nation),
            founded: -1,
        };
        let e = world.spawn((id, firm, books, fleet, Staff(f64::from(f.staff)))).id();
        dir.entities.insert(id, e);
    }
    world.insert_resource(dir);
}

/// The scenario's firms with their ids and entities, in scenario (= id) order, only those of
/// `kinds` (firms founded later have larger ids, so the first ones are the scenario's).
pub fn scenario_firms(world: &mut World, kinds: &[FirmKind]) -> Vec<(FirmSpec, AgentId, Entity)> {
    let sc = scenario(world);
    let mut firms: Vec<(AgentId, Entity)> = world
        .query_filtered::<(Entity, &AgentId), With<Firm>>()
        .iter(world)
        .map(|(e, id)| (*id, e))
        .collect();
    firms.sort_by_key(|f| f.0);
    sc.firms
        .iter()
        .zip(firms)
        .filter(|(f, _)| kinds.contains(&f.kind))
        .map(|(f, (id, e))| (f.clone(), id, e))
        .collect()
}

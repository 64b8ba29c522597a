//! Month 0 of the kernel: the clock, the id directory, the month's counters and the market;
//! then the nations and the scenario's firms, each under a fresh id, in scenario order (the ids
//! every later stream is keyed by).

use bevy_ecs::prelude::*;

use crate::params::{FirmKind, FirmSpec, Scenario};
use crate::state::*;

/// The scenario of a world being built.
pub fn scenario(world: &World) -> std::sync::Arc<Scenario> {
    world.resource::<Config>().0.clone()
}

/// The clock at month 0, an empty directory, zero counters and the market at its initial prices.
pub fn resources(world: &mut World) {
    let sc = scenario(world);
    world.insert_resource(Market::at_month_zero(&sc));
    world.insert_resource(Clock::default());
    world.insert_resource(Directory::default());
    world.insert_resource(MonthFlows::default());
}

/// Spawns the nations and the scenario's firms (labs with their platform slot, lessors with
/// their break-even clock) and fills the platform table.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let mut dir = std::mem::take(&mut *world.resource_mut::<Directory>());
    for (i, n) in sc.nations.iter().enumerate() {
        let id = dir.allocate();
        let e = world.spawn((id, Nation::from_spec(i as u16, n))).id();
        dir.entities.insert(id, e);
    }
    let nation_index = |name: &str| sc.nations.iter().position(|n| n.name == name).unwrap_or(0) as u16;
    let mut table = PlatformTable::default();
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
        let mut e = world.spawn((id, firm, books, fleet, Staff(f64::from(f.staff))));
        match f.kind {
            FirmKind::Frontier | FirmKind::OpenWeights => {
                let slot = table.slots.len() as Slot;
                let (lab, platform) = lab_and_platform(&sc, f, slot);
                table.slots.push(initial_slot(
                    f,
                    id,
                    nation_index(&f.nation),
                    lab.quality,
                    sc.startups.api_fee_usd_per_customer,
                ));
                e.insert((lab, platform));
            }
            FirmKind::Neocloud => {
                e.insert(Lessor::default());
            }
            FirmKind::Startup => {}
        }
        let entity = e.id();
        dir.entities.insert(id, entity);
    }
    world.insert_resource(dir);
    world.insert_resource(table);
}

/// The lab and platform components of a frontier or open-weights firm at month 0.
pub(crate) fn lab_and_platform(sc: &Scenario, f: &FirmSpec, slot: Slot) -> (Lab, Platform) {
    let q = crate::mechanisms::research::quality(&sc.research, f.cumulative_flop, f.talent);
    (
        Lab {
            cumulative_flop: f.cumulative_flop,
            quality: q,
            talent: f.talent,
            open_lag: f.open_lag_months,
            served_quality: q,
        },
        Platform {
            slot,
            consumer_price: f.consumer_price_usd,
            enterprise_price: f.enterprise_price_usd,
            consumers: 0.0,
            seats: 0.0,
        },
    )
}

/// What users see of a platform at month 0.
pub(crate) fn initial_slot(f: &FirmSpec, id: AgentId, nation: u16, quality: f64, api_fee: f64) -> SlotInfo {
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

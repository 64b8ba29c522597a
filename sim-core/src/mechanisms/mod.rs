//! One module per mechanism of the monthly schedule of ODD §3. Each module's header states the
//! economic rule, its equation, what it reads and writes, and its guardrails.

pub mod allocation;
pub mod auction;
pub mod clock;
pub mod contracts;
pub mod deals;
pub mod finance;
pub mod open_source;
pub mod platform_entry;
pub mod pricing;
pub mod public_compute;
pub mod record;
pub mod regulation;
pub mod research;
pub mod security;
pub mod spot;
pub mod startups;
pub mod supply;
pub mod talent;
pub mod users;
pub mod venture;

/// Helpers shared by the mechanisms' unit tests: a bare [`World`](bevy_ecs::world::World) with
/// the resources of month 0, firms spawned under fresh ids, and a small two-nation scenario with
/// three platforms and its user agents.
#[cfg(test)]
pub(crate) mod testkit {
    use std::sync::Arc;

    use bevy_ecs::prelude::*;

    use super::users::{self, SwitchCostTable, Users};
    use crate::params::{FirmKind, FirmSpec, NationSpec, Scenario};
    use crate::state::*;

    /// Equal up to rounding (relative 1e-9, absolute 1e-9 near zero).
    pub fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// A bare world holding `sc` and every mechanism's resources in their empty month-0 form,
    /// inserted by the same hooks `Sim::new` uses (`registry::insert_resources`): the market at
    /// its initial prices, empty flows, directory, contract book, frontier history and platform
    /// table, neutral sentiment, no cohorts, no open releases, no users and no agents.
    pub fn world(sc: Scenario) -> World {
        let mut w = World::new();
        crate::registry::insert_resources(&mut w, Arc::new(sc));
        w
    }

    /// Spawns a firm of `kind` with `cash` and `fleet` under a fresh id registered in the
    /// [`Directory`] (home nation 0, founded before the run).
    pub fn spawn_firm(w: &mut World, kind: FirmKind, cash: f64, fleet: Fleet) -> Entity {
        let id = w.resource_mut::<Directory>().allocate();
        let firm = Firm {
            kind,
            name: format!("firm-{}", id.0),
            nation: 0,
            founded: -1,
        };
        let e = w.spawn((id, firm, Books::with_cash(cash), fleet)).id();
        w.resource_mut::<Directory>().entities.insert(id, e);
        e
    }

    /// A fleet owning `owned` GPUs and needing `need` (all of it serving), fully served so far.
    pub fn fleet(owned: f64, need: f64) -> Fleet {
        Fleet {
            owned,
            need,
            serving_need: need,
            served_fraction: 1.0,
            ..Default::default()
        }
    }

    pub fn id_of(w: &World, e: Entity) -> AgentId {
        *w.get::<AgentId>(e).expect("entity has an id")
    }

    pub fn books(w: &World, e: Entity) -> &Books {
        w.get::<Books>(e).expect("firm has books")
    }

    pub fn fleet_of(w: &World, e: Entity) -> &Fleet {
        w.get::<Fleet>(e).expect("firm has a fleet")
    }

    /// Two nations — "Open" (10M internet users, 1M seats, may use foreign platforms) and
    /// "Closed" (5M, 0.5M, domestic platforms only) — and three platforms: frontier labs
    /// "Alpha" and "Beta" in Open, open-weights lab "Gamma" in Closed. 3000 consumer and 600
    /// enterprise agents.
    pub fn small_scenario() -> Scenario {
        let nation = |name: &str, internet: f64, seats: f64, foreign: bool| NationSpec {
            name: name.into(),
            population_millions: internet * 1.5,
            internet_users_millions: internet,
            enterprise_seats_millions: seats,
            gdp_per_capita_usd: 40_000.0,
            foreign_platforms: foreign,
            ..Default::default()
        };
        let lab = |name: &str, kind: FirmKind, nation: &str, share: f64| FirmSpec {
            name: name.into(),
            kind,
            nation: nation.into(),
            initial_consumer_share: share,
            initial_enterprise_share: share,
            ..Default::default()
        };
        let mut sc = Scenario {
            nations: vec![nation("Open", 10.0, 1.0, true), nation("Closed", 5.0, 0.5, false)],
            firms: vec![
                lab("Alpha", FirmKind::Frontier, "Open", 0.5),
                lab("Beta", FirmKind::Frontier, "Open", 0.3),
                lab("Gamma", FirmKind::OpenWeights, "Closed", 0.2),
            ],
            ..Default::default()
        };
        sc.users.consumer_agents = 3000;
        sc.users.enterprise_agents = 600;
        sc.run.months = 24;
        sc
    }

    /// Spawns the scenario's platforms (labs with their slots, as `Sim::new` does), fills the
    /// [`PlatformTable`], builds the user agents with [`users::initial_users`] and inserts
    /// [`Users`] and the [`SwitchCostTable`]. Returns the platforms' entities in slot order.
    pub fn spawn_platforms(w: &mut World) -> Vec<Entity> {
        let sc = w.resource::<Config>().0.clone();
        let nations: Vec<Nation> = sc
            .nations
            .iter()
            .enumerate()
            .map(|(i, n)| Nation::from_spec(i as u16, n))
            .collect();
        let mut table = PlatformTable::default();
        let mut entities = Vec::new();
        for f in sc
            .firms
            .iter()
            .filter(|f| matches!(f.kind, FirmKind::Frontier | FirmKind::OpenWeights))
        {
            let nation = sc.nations.iter().position(|n| n.name == f.nation).unwrap_or(0) as u16;
            let slot = table.slots.len() as Slot;
            let e = spawn_firm(w, f.kind, f.cash_usd, fleet(f.owned_gpus, 0.0));
            let id = id_of(w, e);
            let lab = super::research::init::initial_lab(&sc, f);
            let api_fee = sc.startups.api_fee_usd_per_customer;
            table
                .slots
                .push(users::init::initial_slot(f, id, nation, lab.quality, api_fee));
            let platform = users::init::initial_platform(f, slot);
            w.entity_mut(e).insert((lab, platform, Staff(f64::from(f.staff))));
            w.get_mut::<Firm>(e).expect("firm").nation = nation;
            entities.push(e);
        }
        let users = users::initial_users(&sc, &nations, &table);
        for (s, p) in table.slots.iter_mut().zip(users.people_by_option()) {
            s.people = p;
        }
        table.people_by_nation = users::people_by_nation_slot(&users, nations.len());
        w.insert_resource(table);
        w.insert_resource(users);
        w.insert_resource(SwitchCostTable::new(&sc));
        w.run_system_cached(users::count_platform_users)
            .expect("count users at month 0");
        entities
    }

    /// People (or seats) that exist: Σ over groups of weight × agents.
    pub fn population(users: &Users) -> f64 {
        users.groups.iter().map(|g| g.weight * f64::from(g.end - g.start)).sum()
    }
}

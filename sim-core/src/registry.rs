//! The list of mechanisms and the state hash's table: the two places that name every
//! mechanism. [`Sim`](crate::Sim) builds, hashes and checks the world through them.

use std::any::{TypeId, type_name};

use bevy_ecs::prelude::*;

use crate::hash::{StateHash, StateHasher};
use crate::kernel;
use crate::mechanism::Mechanism;
use crate::mechanisms::deals::Partnerships;
use crate::mechanisms::platform_entry::Niches;
use crate::mechanisms::public_compute::PublicPool;
use crate::mechanisms::record::MetricsLog;
use crate::mechanisms::talent::{Researchers, Roster};
use crate::mechanisms::users::{SwitchCostTable, Users};
use crate::mechanisms::venture::{Cohorts, Sentiment};
use crate::mechanisms::*;
use crate::state::*;

/// Every mechanism, once, in the order month 0 is built: a mechanism's `populate` may read what
/// the ones above it populated (the kernel's nations and firms; research's labs before the open
/// releases and the platforms; the releases and users' platform table before the initial
/// startups; the startups before the contracts' and researchers' books). The labs', platforms'
/// and lessors' components are added before the first startup is spawned, as they always were
/// (bevy's storage order follows the order components first appear). The monthly order is the phase table in
/// [`schedule`](crate::schedule). (`auction` is a clearing routine shared by contracts and spot,
/// with no state of its own.)
pub const MECHANISMS: &[Mechanism] = &[
    kernel::MECHANISM,
    research::MECHANISM,
    open_source::MECHANISM,
    users::MECHANISM,
    pricing::MECHANISM,
    spot::MECHANISM,
    venture::MECHANISM,
    startups::MECHANISM,
    allocation::MECHANISM,
    contracts::MECHANISM,
    talent::MECHANISM,
    clock::MECHANISM,
    supply::MECHANISM,
    public_compute::MECHANISM,
    security::MECHANISM,
    regulation::MECHANISM,
    deals::MECHANISM,
    platform_entry::MECHANISM,
    finance::MECHANISM,
    record::MECHANISM,
];

/// Inserts the scenario and every mechanism's empty resources (a bare world, as the unit tests
/// use it).
pub fn insert_resources(world: &mut World, scenario: std::sync::Arc<crate::Scenario>) {
    world.insert_resource(Config(scenario));
    for m in MECHANISMS {
        (m.resources)(world);
    }
}

/// Builds month 0: every mechanism's resources, then every mechanism's population in list order.
pub fn build_world(world: &mut World, scenario: std::sync::Arc<crate::Scenario>) {
    insert_resources(world, scenario);
    for m in MECHANISMS {
        (m.populate)(world);
    }
}

/// Every mechanism's invariants, in list order.
pub fn check(world: &mut World) -> Vec<String> {
    let mut errs = Vec::new();
    for m in MECHANISMS {
        (m.check)(world, &mut errs);
    }
    errs
}

/// The state hash's table: which resources and which components of the agents are hashed, in
/// which order. Each type's words are its [`StateHash`] implementation, in the folder of the
/// mechanism that owns it. The order is part of every golden hash: append, never reorder.
macro_rules! hash_table {
    (resources: [$($r:ty),* $(,)?], components: [$($c:ty),* $(,)?] $(,)?) => {
        /// A stable 64-bit digest of the whole state: the resources in table order, then every
        /// agent sorted by [`AgentId`] — its id, then its components in table order.
        pub fn state_hash(world: &mut World) -> u64 {
            let mut h = StateHasher::new();
            $( world.resource::<$r>().hash(&mut h); )*
            let mut agents: Vec<(AgentId, Entity)> =
                world.query::<(Entity, &AgentId)>().iter(world).map(|(e, id)| (*id, e)).collect();
            agents.sort_by_key(|a| a.0);
            for (id, e) in agents {
                h.u64(id.0);
                let agent = world.entity(e);
                $( if let Some(c) = agent.get::<$c>() { c.hash(&mut h); } )*
            }
            h.finish()
        }

        /// The types the hash covers: (type, name).
        pub fn hashed_types() -> Vec<(TypeId, &'static str)> {
            vec![
                (TypeId::of::<AgentId>(), type_name::<AgentId>()),
                $( (TypeId::of::<$r>(), type_name::<$r>()), )*
                $( (TypeId::of::<$c>(), type_name::<$c>()), )*
            ]
        }
    };
}

hash_table! {
    resources: [
        Clock,
        Market,
        PublicPool,
        Partnerships,
        Directory,
        ContractBook,
        OpenReleases,
        RiskLedger,
        TeamTransfers,
        FrontierHistory,
        Sentiment,
        Cohorts,
        Niches,
        PlatformTable,
        Users,
        Researchers,
        Roster,
    ],
    components: [Firm, Books, Fleet, Lab, Platform, Lessor, Startup, Nation, AppNiche, OwnedBy, PriceSetting, Staff],
}

/// State in the world that the hash leaves out on purpose, with the reason.
pub fn unhashed_types() -> Vec<(TypeId, &'static str, &'static str)> {
    fn t<T: 'static>(why: &'static str) -> (TypeId, &'static str, &'static str) {
        (TypeId::of::<T>(), type_name::<T>(), why)
    }
    vec![
        t::<Config>("the scenario: the run's input, fixed for the run"),
        t::<MetricsLog>("the output: every month's metrics, functions of the hashed state"),
        t::<MonthFlows>("this month's counters for the recorder, zeroed when the month opens"),
        t::<SwitchCostTable>("derived from the scenario at month 0 and never written"),
        t::<AcquiredBy>("a marker set and consumed within the finance phase (the firm exits)"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sim-core resource or component that ever existed in a built-in scenario's world
    /// (month 0 and after a year) is hashed or excused in [`unhashed_types`].
    #[test]
    fn every_resource_and_component_in_the_world_is_hashed_or_excused() {
        let hashed = hashed_types();
        let excused = unhashed_types();
        for (name, _) in crate::scenario::BUILTIN {
            let mut sc = crate::scenario::load_builtin(name, &[]).expect("built-in scenario loads");
            sc.run.months = sc.run.months.min(12);
            let mut sim = crate::Sim::new(sc).expect("built-in scenario builds");
            sim.run(sim.horizon());
            let world = sim.world();
            let (mut missing, mut seen) = (Vec::new(), 0);
            for archetype in world.archetypes().iter() {
                for id in archetype.iter_components() {
                    let info = world.components().get_info(id).expect("registered component");
                    let name = format!("{}", info.name());
                    if !name.starts_with("sim_core::") {
                        continue;
                    }
                    seen += 1;
                    let covered = info
                        .type_id()
                        .is_some_and(|t| hashed.iter().any(|h| h.0 == t) || excused.iter().any(|x| x.0 == t));
                    if !covered && !missing.contains(&name) {
                        missing.push(name);
                    }
                }
            }
            assert!(
                seen > 20,
                "{name}: only {seen} sim-core types found: are type names available?"
            );
            assert!(
                missing.is_empty(),
                "{name}: state not covered by the state hash (add it to the hash table in registry.rs, or \
                 to unhashed_types with a reason): {missing:?}"
            );
        }
    }

    /// The excuses name real types that are not hashed as well.
    #[test]
    fn no_type_is_both_hashed_and_excused() {
        let hashed = hashed_types();
        for (t, name, _) in unhashed_types() {
            assert!(!hashed.iter().any(|h| h.0 == t), "{name} is hashed and excused");
        }
    }
}

//! The talent market at month 0: labs employ `lab_research_share` of their staff (taken off
//! the staff wage bill), startups `researchers_per_startup`; then the roster is tallied and each
//! lab's research productivity recorded as the reference of its talent factor.

use bevy_ecs::prelude::*;

use super::{InitialEmployer, LabReference, Researchers, Roster};
use crate::kernel::init::scenario;
use crate::params::FirmKind;
use crate::state::*;

/// No researchers, an empty roster, no teams in transit.
pub fn resources(world: &mut World) {
    world.insert_resource(Researchers::default());
    world.insert_resource(Roster::default());
    world.insert_resource(TeamTransfers::default());
}

/// Hires the initial researchers, posts wages, tallies the roster and records each lab's
/// reference productivity and budget share.
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    let t = &sc.talent;
    let mut employers: Vec<InitialEmployer> = world
        .query::<(&AgentId, &Firm, Option<&Staff>, Option<&Startup>)>()
        .iter(world)
        .filter(|(_, f, _, _)| f.kind != FirmKind::Neocloud)
        .map(|(id, f, staff, st)| InitialEmployer {
            id: *id,
            kind: f.kind,
            nation: f.nation,
            people: match st {
                Some(s) => t.researchers_per_startup.min(s.team),
                None => staff.map_or(0.0, |s| s.0 * t.lab_research_share),
            },
        })
        .collect();
    employers.sort_by_key(|e| e.id);
    let researchers = super::initial_researchers(&sc, &employers);
    world.insert_resource(researchers);
    world.insert_resource(Roster::default());
    world
        .run_system_cached(super::post_wages)
        .expect("post wages at month 0");
    world
        .run_system_cached(super::tally_researchers)
        .expect("tally researchers at month 0");
    let people: Vec<(AgentId, f64, f64, f64)> = world
        .resource::<Roster>()
        .employers
        .iter()
        .map(|(id, e)| (*id, e.people, e.productivity, e.wage_bill))
        .collect();
    let mut labs = world.query::<(&AgentId, &Firm, &Books, &Lab, &mut Staff)>();
    let mut reference = std::collections::BTreeMap::new();
    for (id, firm, books, lab, mut staff) in labs.iter_mut(world) {
        if let Ok(k) = people.binary_search_by_key(id, |p| p.0) {
            let (_, heads, productivity, bill) = people[k];
            staff.0 = (staff.0 - heads).max(0.0);
            let res = super::resources(t, firm.kind, books);
            let budget_share = if res > 0.0 && bill > 0.0 {
                (t.lab_budget_headroom * bill / res).min(1.0)
            } else {
                t.wage_budget_share
            };
            reference.insert(
                *id,
                LabReference {
                    talent: lab.talent,
                    productivity,
                    budget_share,
                },
            );
        }
    }
    world.resource_mut::<Roster>().reference = reference;
}

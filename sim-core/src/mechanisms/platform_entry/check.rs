//! Platform entry's invariants.

use bevy_ecs::prelude::*;

use super::Niches;
use crate::kernel::check::month;
use crate::kernel::init::scenario;
use crate::params::FirmKind;
use crate::state::*;

/// Every startup's app niche exists; an owner of a startup is still in the market; a niche's
/// active entries belong to alive frontier platforms (an entry of a platform that left is
/// recorded as ended, with no customers); one entry per platform and niche.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let niches = world.resource::<Niches>().clone();
    let count = scenario(world).app_niches().len();
    let mut q = world.query::<(&AgentId, Option<&AppNiche>, Option<&OwnedBy>, &Startup)>();
    for (id, niche, owner, _) in q.iter(world) {
        if niche.is_none_or(|n| n.0 as usize >= count) {
            errs.push(format!(
                "month {month}: startup {} has niche {:?}, not one of the {count} niches",
                id.0,
                niche.map(|n| n.0)
            ));
        }
        if owner.is_some_and(|o| !world.resource::<Directory>().entities.contains_key(&o.0)) {
            errs.push(format!("month {month}: startup {} is owned by a firm that left", id.0));
        }
    }
    let mut labs = world.query::<(&AgentId, &Firm, &Platform)>();
    let frontier: Vec<(AgentId, Slot)> = labs
        .iter(world)
        .filter(|(_, f, _)| f.kind == FirmKind::Frontier)
        .map(|(id, _, p)| (*id, p.slot))
        .collect();
    for (k, n) in niches.niches.iter().enumerate() {
        for e in &n.entries {
            let alive = frontier.contains(&(e.platform, e.slot));
            if e.active() && !alive {
                errs.push(format!(
                    "month {month}: niche {k} has an active entry of {}, not an alive frontier platform",
                    e.platform.0
                ));
            }
            if !e.customers.is_finite() || e.customers < 0.0 || (!e.active() && e.customers != 0.0) {
                errs.push(format!(
                    "month {month}: niche {k}: entry of {} has {} customers",
                    e.platform.0, e.customers
                ));
            }
        }
        if n.entries
            .iter()
            .filter(|e| n.entries.iter().filter(|f| f.platform == e.platform).count() > 1)
            .count()
            > 0
        {
            errs.push(format!("month {month}: niche {k} was entered twice by one platform"));
        }
    }
}

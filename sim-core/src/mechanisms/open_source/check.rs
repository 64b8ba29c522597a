//! The open ecosystem's invariants.

use bevy_ecs::prelude::*;

use crate::kernel::check::{close, month};
use crate::state::*;

/// Every startup's open base is an existing release, not one pulled after a discovered backdoor
/// (its startups migrated in the research phase); downloads never fall (cumulative = before +
/// this month's, each release's cumulative ≥ its monthly ≥ 0, the releases' cumulative
/// downloads sum to the total); the release count matches the releases held, every id was
/// allocated and no release is dated in the future.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let open = world.resource::<OpenReleases>().clone();
    let next_id = world.resource::<Directory>().next_id;
    let mut q = world.query::<(&AgentId, &Startup)>();
    let mut bases: Vec<(AgentId, Base)> = q.iter(world).map(|(id, s)| (*id, s.base)).collect();
    bases.sort_by_key(|b| b.0);
    for (id, base) in bases {
        if let Base::Open(r) = base
            && !open.releases.get(&r).is_some_and(OpenRelease::usable)
        {
            errs.push(format!(
                "month {month}: startup {} builds on release {}, unknown or pulled after a discovered backdoor",
                id.0, r.0
            ));
        }
    }
    if open.total_downloads < open.total_before
        || !close(open.total_downloads - open.total_before, open.month_downloads)
    {
        errs.push(format!(
            "month {month}: cumulative downloads {} != {} before + {} this month",
            open.total_downloads, open.total_before, open.month_downloads
        ));
    }
    let sum: f64 = open.releases.values().map(|r| r.downloads).sum();
    if !close(sum, open.total_downloads) {
        errs.push(format!(
            "month {month}: releases' downloads sum to {sum}, total {}",
            open.total_downloads
        ));
    }
    for (id, r) in &open.releases {
        let sane = r.monthly_downloads >= 0.0
            && r.downloads >= r.monthly_downloads * (1.0 - 1e-12)
            && r.derivatives.is_finite()
            && r.deployments >= 0.0;
        if !sane || id.0 > next_id || r.month > month {
            errs.push(format!(
                "month {month}: release {} has downloads {} (this month {}), derivatives {}, deployments {}, \
                 month {} (ids allocated up to {next_id})",
                id.0, r.downloads, r.monthly_downloads, r.derivatives, r.deployments, r.month
            ));
        }
    }
    if open.published as usize != open.releases.len() {
        errs.push(format!(
            "month {month}: {} releases published but {} held",
            open.published,
            open.releases.len()
        ));
    }
}

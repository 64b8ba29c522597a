//! The national deals' invariants.

use bevy_ecs::prelude::*;

use super::{Partnerships, Rule, rule_in_force};
use crate::kernel::check::month;
use crate::kernel::init::scenario;
use crate::params::FirmKind;
use crate::state::PlatformTable;

/// Partnerships are consistent with the nations and the platforms (and deal data centres hold a
/// finite, non-negative number of GPUs): partners alive frontier
/// labs the nation may use, months left within the term, exclusive deals with one partner,
/// multi-vendor ones with at most `max_partners`, and no deal signed or renewed under a ban.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let sc = scenario(world);
    let d = &sc.deals;
    let table = world.resource::<PlatformTable>();
    let deals = world.resource::<Partnerships>();
    if deals.nations.len() != sc.nations.len() {
        errs.push(format!(
            "month {month}: partnerships of {} nations, {} exist",
            deals.nations.len(),
            sc.nations.len()
        ));
    }
    // The rule chosen for the run (in force from `from_month`).
    let banned_since = (rule_in_force(&sc, u32::MAX) == Rule::Banned).then_some(d.from_month);
    for b in &deals.builds {
        if !(b.gpus.is_finite() && b.gpus > 0.0) || b.nation as usize >= sc.nations.len() {
            errs.push(format!(
                "month {month}: a deal data centre of {:?} in nation {} has {} GPUs to install",
                b.firm, b.nation, b.gpus
            ));
        }
    }
    for (n, nd) in deals.nations.iter().enumerate().take(sc.nations.len()) {
        let spec = &sc.nations[n];
        if !(nd.hosted_gpus.is_finite() && nd.hosted_gpus >= 0.0) {
            errs.push(format!(
                "month {month}: {} hosts {} deal data-centre GPUs",
                spec.name, nd.hosted_gpus
            ));
        }
        if let Some(since) = banned_since
            && nd.history.iter().any(|(m, _)| *m >= since)
        {
            errs.push(format!(
                "month {month}: {} signed a deal after the ban of month {since}",
                spec.name
            ));
        }
        let Some(deal) = &nd.current else {
            continue;
        };
        if let Some(since) = banned_since
            && deal.signed >= since
        {
            errs.push(format!(
                "month {month}: {} renewed a deal after the ban of month {since}",
                spec.name
            ));
        }
        let size_ok = if deal.exclusive {
            deal.partners.len() == 1
        } else {
            !deal.partners.is_empty() && deal.partners.len() <= d.max_partners as usize
        };
        if !size_ok || deal.months_left == 0 || deal.months_left > d.term_months || deal.signed < deal.start {
            errs.push(format!(
                "month {month}: {}'s deal has partners {:?} (exclusive {}), {} months left of {}, signed {} \
                 after start {}",
                spec.name, deal.partners, deal.exclusive, deal.months_left, d.term_months, deal.signed, deal.start
            ));
        }
        for &p in &deal.partners {
            let slot = table.slots.get(p as usize);
            let ok = slot.is_some_and(|s| {
                s.alive && s.kind == Some(FirmKind::Frontier) && (spec.foreign_platforms || s.nation as usize == n)
            });
            if !ok {
                errs.push(format!(
                    "month {month}: {}'s partner slot {p} is not an alive frontier lab its citizens may use",
                    spec.name
                ));
            }
        }
    }
}

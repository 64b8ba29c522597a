//! Security's invariants.

use bevy_ecs::prelude::*;

use crate::kernel::check::month;
use crate::kernel::init::scenario;
use crate::state::RiskLedger;

/// Hygiene within [0, h_max]; hygiene, incident, fine and compliance costs finite and ≥ 0.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let h_max = scenario(world).security.hygiene_max;
    for (id, r) in &world.resource::<RiskLedger>().firms {
        let costs = [r.hygiene_cost, r.loss, r.fines, r.compliance];
        if !(0.0..=h_max).contains(&r.hygiene) || costs.iter().any(|x| !x.is_finite() || *x < 0.0) {
            errs.push(format!(
                "month {month}: firm {} has hygiene {} (max {h_max}) or a negative or non-finite cost {costs:?}",
                id.0, r.hygiene
            ));
        }
    }
}

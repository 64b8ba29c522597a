//! Pricing's invariants.

use bevy_ecs::prelude::*;

use super::state::PriceSetting;
use crate::kernel::check::month;
use crate::state::{AgentId, Platform};

/// Every priced platform's prices are finite and non-negative, its costs and markup scales
/// finite and non-negative, and its divisor at least 1.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let mut q = world.query::<(&AgentId, &Platform, &PriceSetting)>();
    let mut rows: Vec<_> = q.iter(world).collect();
    rows.sort_unstable_by_key(|r| *r.0);
    for (id, p, s) in rows {
        let values = [
            p.consumer_price,
            p.enterprise_price,
            s.consumer_scale,
            s.seat_scale,
            s.consumer_cost,
            s.seat_cost,
        ];
        if values.iter().any(|x| !x.is_finite() || *x < 0.0) || s.divisor.is_nan() || s.divisor < 1.0 {
            errs.push(format!(
                "month {month}: platform {} has a price, cost or markup that is negative or not finite: {p:?} {s:?}",
                id.0
            ));
        }
    }
}

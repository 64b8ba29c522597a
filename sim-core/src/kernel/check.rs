//! The kernel's invariants: every firm's books balance and its fleet is a real number of GPUs.

use bevy_ecs::prelude::*;

use crate::kernel::state::*;

/// Equal up to rounding, for the invariants (relative 1e-6, absolute 1e-6 near zero).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// The month the invariants are checked in.
pub fn month(world: &World) -> u32 {
    world.resource::<Clock>().month
}

/// Every firm's `cash = cash_start + revenue − costs + funding`; owned GPUs finite and ≥ 0.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let mut q = world.query::<(&AgentId, &Books, &Fleet)>();
    let mut rows: Vec<_> = q.iter(world).collect();
    rows.sort_by_key(|r| *r.0);
    for (id, b, f) in rows {
        let expect = b.cash_start + b.revenue - b.costs + b.funding;
        if !close(b.cash, expect) {
            errs.push(format!(
                "month {month}: firm {} cash {} != start {} + revenue {} - costs {} + funding {}",
                id.0, b.cash, b.cash_start, b.revenue, b.costs, b.funding
            ));
        }
        if f.owned < -1e-9 || !f.owned.is_finite() {
            errs.push(format!("month {month}: firm {} owns {} GPUs", id.0, f.owned));
        }
    }
}

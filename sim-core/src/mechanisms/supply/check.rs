//! The chip supply's invariants.

use bevy_ecs::prelude::*;

use crate::kernel::check::{close, month};
use crate::state::{Market, MonthFlows};

/// GPUs shipped ≤ vendor capacity and ≤ orders; deliveries booked = shipments + substitute
/// shipments.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let m = world.resource::<Market>();
    if m.shipments > m.capacity * (1.0 + 1e-9) + 1e-6 {
        errs.push(format!(
            "month {month}: shipped {} GPUs above capacity {}",
            m.shipments, m.capacity
        ));
    }
    if m.shipments > m.orders * (1.0 + 1e-9) + 1e-6 {
        errs.push(format!(
            "month {month}: shipped {} GPUs above orders {}",
            m.shipments, m.orders
        ));
    }
    let delivered = world.resource::<MonthFlows>().delivered;
    if !close(delivered, m.shipments + m.substitute_shipments) {
        errs.push(format!(
            "month {month}: deliveries {delivered} != shipments {} + substitute shipments {}",
            m.shipments, m.substitute_shipments
        ));
    }
}

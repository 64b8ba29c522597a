//! The contract market's invariant.

use bevy_ecs::prelude::*;

use crate::kernel::check::{close, month};
use crate::state::{AgentId, Fleet};

/// GPUs reserved by buyers = GPUs committed by sellers (summed in id order).
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let mut q = world.query::<(&AgentId, &Fleet)>();
    let mut rows: Vec<_> = q.iter(world).collect();
    rows.sort_by_key(|r| *r.0);
    let (mut reserved, mut committed) = (0.0, 0.0);
    for (_, f) in rows {
        reserved += f.reserved;
        committed += f.committed;
    }
    if !close(reserved, committed) {
        errs.push(format!("month {month}: reserved {reserved} != committed {committed}"));
    }
}

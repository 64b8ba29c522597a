//! The talent market's invariants.

use bevy_ecs::prelude::*;

use super::{NO_EMPLOYER, RESEARCHER_ID_BASE, Researchers, Status};
use crate::kernel::check::month;

/// Researchers conserved: employed + outside + left = agents, and only the employed have an
/// employer.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let r = world.resource::<Researchers>();
    let [employed, outside, left] = r.status_counts();
    if employed + outside + left != r.len() as u64 || left != r.left {
        errs.push(format!(
            "month {month}: researchers not conserved: {employed} employed + {outside} outside + {left} left \
             of {} agents ({} recorded as left)",
            r.len(),
            r.left
        ));
    }
    for i in 0..r.len() {
        let ok = match r.status[i] {
            Status::Employed => r.employer[i] != NO_EMPLOYER,
            _ => r.employer[i] == NO_EMPLOYER,
        };
        if !ok {
            errs.push(format!(
                "month {month}: researcher {} has status {:?} and employer {}",
                RESEARCHER_ID_BASE + i as u64,
                r.status[i],
                r.employer[i].0
            ));
            break;
        }
    }
}

//! Users' invariants.

use bevy_ecs::prelude::*;

use super::Users;
use crate::kernel::check::{close, month};

/// Users conserved: the counts per option equal a fresh recount and sum to the population.
pub fn check(world: &mut World, errs: &mut Vec<String>) {
    let month = month(world);
    let users = world.resource::<Users>();
    let recount = users.recount();
    for (i, (a, b)) in users.counts.iter().zip(&recount).enumerate() {
        if !close(*a, *b) {
            errs.push(format!("month {month}: user count cell {i} is {a}, recount gives {b}"));
        }
    }
    let population: f64 = users.groups.iter().map(|g| g.weight * f64::from(g.end - g.start)).sum();
    let counted: f64 = users.counts.iter().sum();
    if !close(population, counted) {
        errs.push(format!(
            "month {month}: users not conserved: {counted} counted, {population} exist"
        ));
    }
}

//! Research at month 0: the frontier history starts at the best frontier lab's quality.

use bevy_ecs::prelude::*;

use crate::params::FirmKind;
use crate::state::{Firm, FrontierHistory, Lab};

/// The best quality among the frontier labs (−∞ without one).
pub fn best_frontier(world: &mut World) -> f64 {
    world
        .query::<(&Firm, &Lab)>()
        .iter(world)
        .filter(|(f, _)| f.kind == FirmKind::Frontier)
        .map(|(_, l)| l.quality)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// An empty history.
pub fn resources(world: &mut World) {
    world.insert_resource(FrontierHistory::default());
}

/// The history's starting point: the best frontier quality at month 0 (0 without a frontier lab).
pub fn populate(world: &mut World) {
    let best = best_frontier(world);
    world.insert_resource(FrontierHistory {
        initial: if best.is_finite() { best } else { 0.0 },
        best: Vec::new(),
    });
}

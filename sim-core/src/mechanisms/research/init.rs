//! Research at month 0: the labs' quality from their compute and talent; the frontier history
//! starts at the best frontier lab's quality.

use bevy_ecs::prelude::*;

use crate::kernel::init::{scenario, scenario_firms};
use crate::params::{FirmKind, FirmSpec, Scenario};
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

/// A frontier or open-weights lab at month 0: its quality from its compute and talent.
pub fn initial_lab(sc: &Scenario, f: &FirmSpec) -> Lab {
    let q = super::quality(&sc.research, f.cumulative_flop, f.talent);
    Lab {
        cumulative_flop: f.cumulative_flop,
        quality: q,
        talent: f.talent,
        open_lag: f.open_lag_months,
        served_quality: q,
    }
}

/// The labs' components, and the history's starting point: the best frontier quality at month 0
/// (0 without a frontier lab).
pub fn populate(world: &mut World) {
    let sc = scenario(world);
    for (f, _, e) in scenario_firms(world, &[FirmKind::Frontier, FirmKind::OpenWeights]) {
        world.entity_mut(e).insert(initial_lab(&sc, &f));
    }
    let best = best_frontier(world);
    world.insert_resource(FrontierHistory {
        initial: if best.is_finite() { best } else { 0.0 },
        best: Vec::new(),
    });
}

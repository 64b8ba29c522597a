//! Research's state: the labs' component and the frontier's history.

use bevy_ecs::prelude::*;

/// A model-building lab (frontier or open-weights).
#[derive(Component, Clone, Debug, Default)]
pub struct Lab {
    /// Cumulative effective training FLOP.
    pub cumulative_flop: f64,
    /// Quality of the lab's own research.
    pub quality: f64,
    /// Research talent factor.
    pub talent: f64,
    /// Open-weights makers: months their releases trail the frontier.
    pub open_lag: u32,
    /// Quality of the model the lab serves (= `quality`, or the latest open release).
    pub served_quality: f64,
}

/// Best frontier quality by month (index = month), for open-weights lags.
#[derive(Resource, Clone, Debug, Default)]
pub struct FrontierHistory {
    /// Best frontier quality at month 0 (before the first step).
    pub initial: f64,
    pub best: Vec<f64>,
}

impl FrontierHistory {
    /// Best frontier quality `lag` months before `month` (clamped at the start).
    pub fn lagged(&self, month: u32, lag: u32) -> f64 {
        if month < lag || self.best.is_empty() {
            return self.initial;
        }
        let i = (month - lag) as usize;
        self.best.get(i).copied().unwrap_or(self.initial)
    }
}

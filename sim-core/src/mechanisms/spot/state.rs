//! The spot market's state: the lessors' break-even clock.

use bevy_ecs::prelude::*;

/// A GPU lessor's break-even and exit clock.
#[derive(Component, Clone, Debug, Default)]
pub struct Lessor {
    /// Break-even price (USD/GPU-h).
    pub break_even: f64,
    /// Consecutive months with realised price below break-even.
    pub months_below: u32,
    /// Realised revenue per owned GPU-hour this month.
    pub realised_price: f64,
}

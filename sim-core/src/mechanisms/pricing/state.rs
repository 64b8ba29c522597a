//! A frontier platform's pricing state: the markup scale inverted from its month-0 prices, and
//! this month's serving costs and target markups (read by the recorder).

use bevy_ecs::prelude::*;

/// Carried by every frontier platform (open-weights assistants keep their scenario prices).
#[derive(Component, Clone, Debug, Default, PartialEq)]
pub struct PriceSetting {
    /// Markup scale of the paid consumer tier, μ̄_c (USD/month): the markup with no close rival
    /// and no open tier, inverted from the scenario's price at month 0.
    pub consumer_scale: f64,
    /// Markup scale of the enterprise seat, μ̄_e (USD/seat-month).
    pub seat_scale: f64,
    /// Serving cost of a paid consumer this month (USD/month), the consumer price's floor.
    pub consumer_cost: f64,
    /// Serving cost of an enterprise seat this month (USD/seat-month), the seat price's floor.
    pub seat_cost: f64,
    /// The markup divisor 1 + a R + b O this month.
    pub divisor: f64,
}

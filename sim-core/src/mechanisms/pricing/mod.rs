//! Pricing: frontier platforms set their paid-tier and seat prices (ODD §7.19).
//!
//! Each month, before users choose, every frontier platform `j` moves its paid consumer price and
//! its enterprise seat price part of the way toward a target: serving cost plus a markup in
//! dollars that falls as rivals and the open tier come close in quality.
//!
//! ```text
//! c_j    = h · w_j                            serving cost per paid consumer (h = users.gpus_per_million_consumers
//!                                             / 1e6 · 730 GPU-h) or per seat (users.gpus_per_million_seats)
//! w_j    = (K_own · v · c_t + K_res · p_res + K_spot · p_spot) / (K_own + K_res + K_spot)
//!                                             the firm's cost of a GPU-hour: owned chips at their running
//!                                             cost (capital is sunk), reserved at the contract price paid,
//!                                             spot at the clearing price (p_spot if it holds none)
//! R_j    = Σ_{k≠j} exp(−max(0, Q_j − Q_k) / Δ)   closeness of every rival platform (frontier or open-weights)
//! O_j    = exp(−max(0, Q_j − q_open) / Δ)       closeness of the best usable open release (0 if none)
//! p*_j   = c_j + μ̄_j / (1 + a R_j + b O_j)
//! p_j,t  = min(cap, p_j,t−1 + λ (p*_j − p_j,t−1))   then at least c_j (never below serving cost)
//! ```
//!
//! The markup is additive, as in the Bertrand–Nash prices of logit demand, where a single-product
//! firm's markup is `p − c = 1 / (α (1 − s_j))` whatever its cost (Anderson, de Palma & Thisse
//! 1992, *Discrete Choice Theory of Product Differentiation*, ch. 7; Berry 1994, RAND J. Econ.
//! 25(2)): a cost change passes through one for one, and the markup falls as close substitutes
//! take share. The explicit formula is not used: the users' price weight (θ_P = 0.05 utils per
//! dollar on the paid-tier decision, sensitivity ≈ 1) puts it at $20/(1 − s) a month — the
//! observed $20 for a small platform, but ≈ $67 for a leader with 70% of paying users, where
//! ChatGPT Plus stayed at $20: static best responses do not rationalise the leader's price
//! (platforms price for growth and network effects). Instead, as in the
//! demand-estimation literature that backs marginal costs out of observed prices (Berry,
//! Levinsohn & Pakes 1995), each platform's markup scale μ̄ is inverted at month 0 from the
//! scenario's price: `μ̄_j = max(0, p_j,0 − c_j,0) · (1 + a R_j,0 + b O_j,0)`, so month 0 sits at
//! the scenario's prices and every later change comes from costs, rivals and the open tier.
//! A rival's exit, a widening quality lead or dearer compute raise prices; a rival or an open
//! release closing the gap lowers them (price wars; the open-source cap on subscriptions).
//!
//! Open-weights makers' assistants keep their scenario prices: their makers are funded by an
//! orthogonal business and price to commoditise the complement (EVIDENCE.md §2.10), not at a
//! markup over cost. The API fee per app customer is not priced here: it is the list fee
//! `startups.api_fee_usd_per_customer` capped at the open tier's cost plus the quality lead
//! (`open_source::capped_api_fee`), the same competitive force acting through startups' option to
//! self-host, which already makes it fall as the open tier closes in.
//!
//! `λ = 0` keeps the scenario's prices fixed (the model before prices were decisions).
//!
//! Reads: [`Config`], [`Market`] (spot price, cost index), [`OpenReleases`], [`Lab::served_quality`],
//! [`Fleet`]. Writes: [`Platform::consumer_price`], [`Platform::enterprise_price`], [`PriceSetting`].
//! Guardrails: prices finite, at least the serving cost, at most the cap (unless the cost itself
//! is above it); the divisor is at least 1, so a markup never exceeds its scale.

pub mod params;

mod check;
mod hash;
pub mod init;
pub mod report;
pub mod state;

pub use state::PriceSetting;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    populate: init::populate,
    check: check::check,
    ..crate::mechanism::Mechanism::new("pricing")
};

use bevy_ecs::prelude::*;

use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::state::*;

/// The firm's cost of a GPU-hour: its owned, reserved and spot-bought compute at their unit
/// costs, weighted by quantity; the spot price if it holds none.
pub fn compute_cost_per_hour(sc: &Scenario, fleet: &Fleet, market: &Market) -> f64 {
    let own = fleet.owned.max(0.0);
    let res = fleet.reserved.max(0.0);
    let spot = fleet.spot_bought.max(0.0);
    let total = own + res + spot;
    if total <= 0.0 {
        return market.spot_price.max(0.0);
    }
    let running = sc.spot.variable_cost_usd_per_hour * market.cost_index;
    (own * running + res * fleet.reserved_price.max(0.0) + spot * market.spot_price.max(0.0)) / total
}

/// Serving cost per paid consumer and per enterprise seat (USD/month) at `per_hour` a GPU-hour.
pub fn serving_costs(sc: &Scenario, per_hour: f64) -> (f64, f64) {
    let u = &sc.users;
    let hours = |gpus_per_million: f64| gpus_per_million / 1e6 * HOURS_PER_MONTH;
    (
        hours(u.gpus_per_million_consumers) * per_hour,
        hours(u.gpus_per_million_seats) * per_hour,
    )
}

/// Closeness of a competitor at quality `other` to a platform at `own`: 1 if it is as good or
/// better, falling by 1/e per `closeness_scale_points` of the platform's lead.
pub fn closeness(sc: &Scenario, own: f64, other: f64) -> f64 {
    math::exp(-(own - other).max(0.0) / sc.pricing.closeness_scale_points)
}

/// The markup divisor `1 + a R + b O` of a platform at quality `own`, with its rivals' qualities
/// and the best usable open release (`None`: no open tier).
pub fn markup_divisor(sc: &Scenario, own: f64, rivals: &[f64], open: Option<f64>) -> f64 {
    let p = &sc.pricing;
    let r: f64 = rivals.iter().map(|&q| closeness(sc, own, q)).sum();
    let o = open.map_or(0.0, |q| closeness(sc, own, q));
    1.0 + p.rival_weight * r + p.open_weight * o
}

/// The markup scale that puts the target at `price` given `cost` and `divisor` (never negative).
pub fn invert_scale(price: f64, cost: f64, divisor: f64) -> f64 {
    (price - cost).max(0.0) * divisor
}

/// This month's price: a step `λ` toward `cost + scale / divisor`, at most `cap`, at least `cost`.
pub fn next_price(sc: &Scenario, current: f64, cost: f64, scale: f64, divisor: f64, cap: f64) -> f64 {
    let target = cost + scale / divisor;
    let p = current + sc.pricing.adjustment_per_month * (target - current);
    p.min(cap).max(cost)
}

/// Every platform's (id, quality), sorted by id.
fn qualities<'a>(rows: impl Iterator<Item = (AgentId, &'a Lab)>) -> Vec<(AgentId, f64)> {
    let mut q: Vec<(AgentId, f64)> = rows.map(|(id, l)| (id, l.served_quality)).collect();
    q.sort_unstable_by_key(|r| r.0);
    q
}

/// The divisor of platform `id` among `all` platforms' qualities.
fn divisor_of(sc: &Scenario, id: AgentId, all: &[(AgentId, f64)], open: Option<f64>) -> f64 {
    let own = all.iter().find(|r| r.0 == id).map_or(0.0, |r| r.1);
    let rivals: Vec<f64> = all.iter().filter(|r| r.0 != id).map(|r| r.1).collect();
    markup_divisor(sc, own, &rivals, open)
}

/// Frontier platforms set this month's consumer and seat prices (before users choose).
pub fn set_prices(
    cfg: Res<Config>,
    market: Res<Market>,
    releases: Res<OpenReleases>,
    labs: Query<(&AgentId, &Lab), With<Platform>>,
    mut platforms: Query<(&AgentId, &Firm, &Fleet, &mut Platform, &mut PriceSetting)>,
) {
    let sc = &cfg.0;
    let all = qualities(labs.iter().map(|(id, l)| (*id, l)));
    let open = releases.best_usable().map(|(_, q)| q);
    for (id, firm, fleet, mut p, mut s) in &mut platforms {
        if firm.kind != FirmKind::Frontier {
            continue;
        }
        let (consumer_cost, seat_cost) = serving_costs(sc, compute_cost_per_hour(sc, fleet, &market));
        let divisor = divisor_of(sc, *id, &all, open);
        let pr = &sc.pricing;
        p.consumer_price = next_price(
            sc,
            p.consumer_price,
            consumer_cost,
            s.consumer_scale,
            divisor,
            pr.consumer_price_cap_usd,
        );
        p.enterprise_price = next_price(
            sc,
            p.enterprise_price,
            seat_cost,
            s.seat_scale,
            divisor,
            pr.seat_price_cap_usd,
        );
        s.consumer_cost = consumer_cost;
        s.seat_cost = seat_cost;
        s.divisor = divisor;
    }
}

#[cfg(test)]
mod tests;

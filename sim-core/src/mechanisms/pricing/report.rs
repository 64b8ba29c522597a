//! Pricing's metrics: pure functions of the platforms' prices and costs.

use super::PriceSetting;
use crate::metrics::Metrics;
use crate::state::{AgentId, Platform};

/// The frontier platforms' (those with a [`PriceSetting`]) consumer-weighted mean paid-tier
/// price, seat-weighted mean seat price and consumer-weighted Lerner index `(p − c) / p` of the
/// paid tier. Sums in id order; NaN when nobody is counted.
pub fn report(platforms: &[(AgentId, &Platform, Option<&PriceSetting>)], m: &mut Metrics) {
    let mut rows: Vec<_> = platforms.iter().filter(|r| r.2.is_some()).copied().collect();
    rows.sort_unstable_by_key(|r| r.0);
    let mean = |pairs: &mut dyn Iterator<Item = (f64, f64)>| {
        let (sum, weight) = pairs.fold((0.0, 0.0), |(s, w), (x, v)| (s + x * v, w + v));
        if weight > 0.0 { sum / weight } else { f64::NAN }
    };
    m.consumer_price_usd = mean(&mut rows.iter().map(|r| (r.1.consumer_price, r.1.consumers)));
    m.seat_price_usd = mean(&mut rows.iter().map(|r| (r.1.enterprise_price, r.1.seats)));
    m.platform_markup = mean(&mut rows.iter().filter_map(|r| {
        r.2.filter(|_| r.1.consumer_price > 0.0).map(|s| {
            (
                (r.1.consumer_price - s.consumer_cost) / r.1.consumer_price,
                r.1.consumers,
            )
        })
    }));
}

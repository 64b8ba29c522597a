//! The users' welfare and freemium metrics: pure functions of the users, the platform table and
//! the partnerships.

use crate::metrics::Metrics;
use crate::params::Scenario;
use crate::state::{Partnerships, PlatformTable, Slot, Users};

/// Consumer surplus (total and per user, see [`Surplus`](super::Surplus)), paying consumers and
/// the paid conversion (paying consumers / consumers of the platforms that sell a paid tier), at
/// the table's prices.
pub fn report(sc: &Scenario, table: &PlatformTable, deals: &Partnerships, users: &Users, month: u32, m: &mut Metrics) {
    let surplus = super::consumer_surplus(sc, table, deals, users, month);
    let prices: Vec<f64> = table.slots.iter().map(|s| s.consumer_price).collect();
    let paid = super::paid_consumers(sc, deals, users, &prices, month).paying();
    // Consumers of the platforms that sell a paid tier (a positive consumer price), outside a
    // deal's free months: the base of the conversion rate.
    let consumers: f64 = users
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.enterprise)
        .map(|(gi, g)| {
            (0..prices.len().min(users.options.saturating_sub(1)))
                .filter(|&o| prices[o] > 0.0 && !deals.terms(g.nation, o as Slot, month).1)
                .map(|o| users.counts[users.cell(gi, o)])
                .sum::<f64>()
        })
        .sum();
    m.consumer_surplus_usd = surplus.total;
    m.consumer_surplus_per_user_usd = surplus.per_user;
    m.paid_users = paid;
    m.paid_conversion = if consumers > 0.0 { paid / consumers } else { 0.0 };
}

//! The open ecosystem's metrics: pure functions of the releases and the startups' bases.

use crate::metrics::Metrics;
use crate::params::Scenario;
use crate::state::OpenReleases;

/// Downloads and their concentration, releases, live backdoors, deployments (all and exposed),
/// the open tier's cost, and the share of the `startups` alive (`on_open` of them on an open
/// release).
pub fn report(sc: &Scenario, open: &OpenReleases, spot_price: f64, on_open: f64, startups: f64, m: &mut Metrics) {
    let share = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    let (open_downloads_hhi, open_top_release_share) = super::downloads_concentration(open);
    m.open_downloads = open.month_downloads;
    m.open_downloads_hhi = open_downloads_hhi;
    m.open_top_release_share = open_top_release_share;
    m.open_releases_published = f64::from(open.published_month);
    m.open_backdoors_live = open.releases.values().filter(|r| r.live_backdoor()).count() as f64;
    m.startups_open_share = share(on_open, startups);
    m.open_deployments = open.releases.values().fold(0.0, |sum, r| sum + r.deployments);
    m.open_exposed_deployments = open
        .releases
        .values()
        .filter(|r| r.live_backdoor())
        .fold(0.0, |sum, r| sum + r.deployments);
    m.open_tier_cost_usd = super::open_tier_cost(sc, spot_price);
}

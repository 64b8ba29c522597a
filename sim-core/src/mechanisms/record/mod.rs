//! Record (ODD §7.18): computes the month's [`Metrics`] from state. Read-only.

pub mod state;
/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: |w| {
        w.insert_resource(MonthFlows::default());
        w.insert_resource(MetricsLog::default());
    },
    ..crate::mechanism::Mechanism::new("record")
};

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use super::platform_entry::Niches;
use super::talent::{Researchers, Roster};
use super::users::Users;
use super::venture::{Cohorts, Sentiment};
use crate::metrics::Metrics;
use crate::metrics::reporters::{concentration, gini, rationing};
use crate::params::{FirmKind, Scenario};
use crate::state::*;

/// The metrics of every month recorded so far.
#[derive(Resource, Clone, Debug, Default)]
pub struct MetricsLog(pub Vec<Metrics>);

/// Months since the best frontier quality first reached `open` (0 when open is level or ahead,
/// NaN without an open release). `history.best[m]` is the best frontier quality in month m.
pub fn frontier_gap_months(history: &FrontierHistory, month: u32, open: f64) -> f64 {
    if !open.is_finite() {
        return f64::NAN;
    }
    let current = history.best.get(month as usize).copied().unwrap_or(history.initial);
    if open >= current {
        return 0.0;
    }
    if history.initial >= open {
        // Reached before the run started: at least `month + 1` months ago.
        return f64::from(month) + 1.0;
    }
    let first = history.best.iter().position(|&q| q >= open).unwrap_or(month as usize);
    f64::from(month) - first as f64
}

/// The app market's concentration this month.
pub struct AppMarket {
    /// Platforms' own apps' share of app customers.
    pub platform_share: f64,
    /// Customer-weighted mean of the within-niche HHI (startups and platform apps).
    pub hhi: f64,
}

/// Platform apps' share and the app-niche HHI from the startups' customers (summed in id
/// order) and the niches' platform apps.
pub fn app_market(niches: &Niches, apps: &Query<(&AgentId, &Startup, Option<&AppNiche>)>) -> AppMarket {
    let mut rows: Vec<_> = apps.iter().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    let mut sizes: Vec<Vec<f64>> = vec![Vec::new(); niches.niches.len().max(1)];
    for (_, s, niche) in rows {
        let k = (niche.map_or(0, |n| n.0) as usize).min(sizes.len() - 1);
        sizes[k].push(s.customers);
    }
    let mut own = 0.0;
    for (k, n) in niches.niches.iter().enumerate() {
        for e in n.entries.iter().filter(|e| e.active()) {
            sizes[k].push(e.customers);
            own += e.customers;
        }
    }
    let (mut all, mut weighted) = (0.0, 0.0);
    for s in &sizes {
        let total: f64 = s.iter().filter(|&&x| x > 0.0).sum();
        all += total;
        weighted += total * concentration(s).0;
    }
    AppMarket {
        platform_share: if all > 0.0 { own / all } else { 0.0 },
        hhi: if all > 0.0 { weighted / all } else { 0.0 },
    }
}

/// Everything the recorder reads (read-only).
#[derive(SystemParam)]
pub struct RecordInputs<'w, 's> {
    cfg: Res<'w, Config>,
    clock: Res<'w, Clock>,
    market: Res<'w, Market>,
    flows: Res<'w, MonthFlows>,
    table: Res<'w, PlatformTable>,
    users: Res<'w, Users>,
    pool: Res<'w, super::public_compute::PublicPool>,
    researchers: Res<'w, Researchers>,
    roster: Res<'w, Roster>,
    sentiment: Res<'w, Sentiment>,
    cohorts: Res<'w, Cohorts>,
    ledger: Res<'w, RiskLedger>,
    history: Res<'w, FrontierHistory>,
    deals: Res<'w, super::deals::Partnerships>,
    open: Res<'w, OpenReleases>,
    niches: Res<'w, Niches>,
    startups: Query<'w, 's, &'static Startup>,
    firms: Query<
        'w,
        's,
        (
            &'static AgentId,
            &'static Firm,
            &'static Fleet,
            &'static Books,
            Option<&'static Lab>,
        ),
    >,
    apps: Query<'w, 's, (&'static AgentId, &'static Startup, Option<&'static AppNiche>)>,
    prices: Query<'w, 's, (&'static AgentId, &'static Platform, Option<&'static PriceSetting>)>,
}

/// Records the month's metrics.
pub fn record_metrics(inputs: RecordInputs, mut log: ResMut<MetricsLog>) {
    let RecordInputs {
        cfg,
        clock,
        market,
        flows,
        table,
        users,
        pool,
        researchers,
        roster,
        sentiment,
        cohorts,
        ledger,
        history,
        deals,
        open,
        niches,
        startups,
        firms,
        apps,
        prices,
    } = inputs;
    let mut rows: Vec<_> = firms.iter().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    let people = users.people_by_option();
    let on_platforms = &people[..people.len() - 1];
    let adopted: f64 = on_platforms.iter().sum();
    let potential: f64 = people.iter().sum();
    let (users_hhi, users_cr1, users_cr3, users_cr5) = concentration(on_platforms);
    let owned: Vec<f64> = rows.iter().map(|r| r.2.owned).collect();
    let (compute_hhi, compute_cr1, compute_cr3, compute_cr5) = concentration(&owned);
    // Use (issue 12): what each firm trained and served on this month, whoever owns the chips.
    let used: Vec<f64> = rows.iter().map(|r| r.2.used).collect();
    let (compute_used_hhi, _, _, compute_used_cr5) = concentration(&used);
    let compute_used_frontier_share = {
        let all: f64 = used.iter().sum();
        let frontier: f64 = rows
            .iter()
            .zip(&used)
            .filter(|(r, _)| r.1.kind == FirmKind::Frontier)
            .map(|(_, u)| u)
            .sum();
        if all > 0.0 { frontier / all } else { 0.0 }
    };
    let held: Vec<f64> = rows
        .iter()
        .map(|r| (r.2.owned + r.2.reserved - r.2.committed + r.2.spot_bought - r.2.spot_sold).max(0.0))
        .collect();
    let count = |k: FirmKind| rows.iter().filter(|r| r.1.kind == k).count() as f64;
    let best = |k: FirmKind| {
        rows.iter()
            .filter(|r| r.1.kind == k)
            .filter_map(|r| r.4.map(|l| l.served_quality))
            .fold(f64::NAN, f64::max)
    };
    let revenue = |f: &dyn Fn(FirmKind) -> bool| rows.iter().filter(|r| f(r.1.kind)).map(|r| r.3.revenue).sum::<f64>();
    let employers: Vec<(AgentId, FirmKind)> = rows
        .iter()
        .filter(|r| r.1.kind != FirmKind::Neocloud)
        .map(|r| (*r.0, r.1.kind))
        .collect();
    let app = app_market(&niches, &apps);
    let on_open = startups.iter().filter(|s| s.base.is_open()).count() as f64;
    let mut m = Metrics {
        month: f64::from(clock.month),
        users_hhi,
        users_cr1,
        users_cr3,
        users_cr5,
        users_effective_platforms: if users_hhi > 0.0 { 10000.0 / users_hhi } else { 0.0 },
        leader_user_share: users_cr1,
        adoption_rate: if potential > 0.0 { adopted / potential } else { 0.0 },
        switching_rate: if adopted > 0.0 {
            flows.switched_people / adopted
        } else {
            0.0
        },
        compute_hhi,
        compute_cr1,
        compute_cr3,
        compute_cr5,
        compute_gini: gini(&held),
        spot_price_usd: market.spot_price,
        contract_price_usd: market.contract_price,
        spot_volume_gpus: market.spot_volume,
        contract_volume_gpus: market.contract_volume,
        rationing_large: rationing(flows.requested_large, flows.obtained_large),
        rationing_small: rationing(flows.requested_small, flows.obtained_small),
        capacity_gpus: market.capacity,
        shipments_gpus: market.shipments,
        installed_gpus: owned.iter().sum(),
        vendor_revenue_usd: market.vendor_revenue,
        startups_alive: count(FirmKind::Startup),
        startups_entered: f64::from(flows.entered),
        startups_exited: f64::from(flows.startup_exits),
        neoclouds_alive: count(FirmKind::Neocloud),
        exits_cash: f64::from(flows.exits_for(ExitCause::Cash)),
        exits_break_even: f64::from(flows.exits_for(ExitCause::BreakEven)),
        frontier_quality: best(FirmKind::Frontier),
        open_quality: best(FirmKind::OpenWeights),
        platform_revenue_usd: revenue(&|k| matches!(k, FirmKind::Frontier | FirmKind::OpenWeights)),
        startup_revenue_usd: revenue(&|k| k == FirmKind::Startup),
        public_compute_gpus: pool.gpus,
        public_compute_lent_gpus: pool.lent,
        public_compute_spending_usd: pool.spending,
        substitute_shipments_gpus: market.substitute_shipments,
        export_blocked_gpus: market.export_blocked,
        compute_share_tier3: {
            let total: f64 = owned.iter().sum();
            let tier3: f64 = rows
                .iter()
                .filter(|r| cfg.0.nations.get(r.1.nation as usize).is_some_and(|n| n.tier >= 3))
                .map(|r| r.2.owned)
                .sum();
            if total > 0.0 { tier3 / total } else { 0.0 }
        },
        exits_acqui_hire: f64::from(flows.exits_for(ExitCause::AcquiHire)),
        startup_exits_cash: f64::from(flows.startup_exits_by_cause[ExitCause::Cash.index()]),
        frontier_gap_months: frontier_gap_months(&history, clock.month, best(FirmKind::OpenWeights)),
        haves_revenue_share: {
            // The product market: GPU clouds' revenue is rent the labs and startups pay, counted
            // once already in their costs (a value chain, not a market share).
            let all: f64 = rows
                .iter()
                .filter(|r| r.1.kind != FirmKind::Neocloud)
                .map(|r| r.3.revenue)
                .sum();
            if all > 0.0 {
                revenue(&|k| k == FirmKind::Frontier) / all
            } else {
                0.0
            }
        },
        haves_compute_share: {
            let all: f64 = held.iter().sum();
            let haves: f64 = rows
                .iter()
                .zip(&held)
                .filter(|(r, _)| r.1.kind == FirmKind::Frontier)
                .map(|(_, h)| h)
                .sum();
            if all > 0.0 { haves / all } else { 0.0 }
        },
        haves_profit_usd: rows
            .iter()
            .filter(|r| r.1.kind == FirmKind::Frontier)
            .map(|r| r.3.revenue - r.3.costs)
            .sum(),
        have_nots_profit_usd: rows
            .iter()
            .filter(|r| r.1.kind != FirmKind::Frontier)
            .map(|r| r.3.revenue - r.3.costs)
            .sum(),
        startup_exits_incident: f64::from(flows.startup_exits_by_cause[ExitCause::Incident.index()]),
        exits_incident: f64::from(flows.exits_for(ExitCause::Incident)),
        platform_app_share: app.platform_share,
        app_niche_hhi: app.hhi,
        api_fee_usd: api_fee_paid(&cfg.0, &table, apps.iter().map(|(id, s, _)| (*id, s))),
        compute_used_hhi,
        compute_used_cr5,
        compute_used_frontier_share,
        exit_fleet_sold_gpus: flows.fleet_sold,
        exit_fleet_scrapped_gpus: flows.fleet_scrapped,
        ..Default::default()
    };
    // Each mechanism's reporters: pure functions of its state.
    super::talent::report::report(&researchers, &roster, &employers, cfg.0.nations.len(), &mut m);
    super::venture::report::report(&sentiment, &cohorts, &flows, clock.month, &mut m);
    super::security::report::report(&ledger, &mut m);
    super::deals::report::report(&cfg.0, &deals, &users, &table, &flows, &mut m);
    super::users::report::report(&cfg.0, &table, &deals, &users, clock.month, &mut m);
    super::platform_entry::report::report(&niches, &flows, &mut m);
    let startups_alive = count(FirmKind::Startup);
    super::open_source::report::report(&cfg.0, &open, market.spot_price, on_open, startups_alive, &mut m);
    let priced: Vec<_> = prices.iter().map(|(id, p, s)| (*id, p, s)).collect();
    super::pricing::report::report(&priced, &mut m);
    log.0.truncate(clock.month as usize);
    log.0.push(m);
}

/// Customer-weighted mean API fee paid by startups on a platform's API (summed in id order).
fn api_fee_paid<'a>(
    sc: &Scenario,
    table: &PlatformTable,
    startups: impl Iterator<Item = (AgentId, &'a Startup)>,
) -> f64 {
    let mut rows: Vec<(AgentId, f64, f64)> = startups
        .filter_map(|(id, s)| match s.base {
            Base::Platform(slot) => table.slots.get(slot as usize).map(|t| (id, s.customers, t.api_fee)),
            Base::Open(_) => None,
        })
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    let (paid, customers) = rows.iter().fold((0.0, 0.0), |(p, c), r| (p + r.1 * r.2, c + r.1));
    if customers > 0.0 {
        paid / customers
    } else {
        sc.startups.api_fee_usd_per_customer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_gap_counts_months_since_the_frontier_reached_the_open_model() {
        let h = FrontierHistory {
            initial: 10.0,
            best: vec![10.0, 12.0, 14.0, 16.0, 18.0],
        };
        assert_eq!(
            frontier_gap_months(&h, 4, 14.0),
            2.0,
            "the frontier reached 14 in month 2"
        );
        assert_eq!(frontier_gap_months(&h, 4, 15.0), 1.0, "15 was first passed in month 3");
        assert_eq!(frontier_gap_months(&h, 4, 18.0), 0.0, "open level with the frontier");
        assert_eq!(
            frontier_gap_months(&h, 4, 9.0),
            5.0,
            "reached before the run: at least month + 1"
        );
        assert!(frontier_gap_months(&h, 4, f64::NAN).is_nan());
    }
}

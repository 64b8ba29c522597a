//! The open-weights ecosystem (MODEL.md steps 6, 10, 11; entity "Open model release"; lever
//! "open-source funding").
//!
//! **Releases.** Open-weights makers are labs funded by an orthogonal business
//! (`parent_funding`). A maker publishes a release every `I` months (`month % I = 0`) at quality
//! `q = max(own research Q, best frontier Q lagged L months, its previous release)`, so open
//! models trail the frontier by months; the maker serves its latest release
//! (`Lab::served_quality`). Each release is a model entity with our own [`AgentId`], kept in
//! [`OpenReleases`]: maker, quality, month, licence (permissive with probability
//! `permissive_share`, else restricted-use), downloads, derivatives, deployments, and a hidden
//! backdoor flag.
//!
//! **Downloads** (calibration.md §2.2, Bianconi–Barabási with recency decay). The month's
//! downloads `N_t = downloads_per_adopted_person × people on AI platforms` are shared among
//! the usable releases in proportion to
//! `w_r = e^{θ_d (q_r − q_best)} · (1 + D_r / D0)^α · δ^{age_r}` (fitness × preferential
//! attachment on cumulative downloads D × decay with age). Derivatives grow by
//! `derivatives_per_download × n_r` (× `restricted_factor` for a restricted licence) and
//! production deployments by `φ · n_r` (`deployments_per_download`).
//!
//! **Base choice.** A new startup chooses between each frontier platform's API and the open
//! nest (valued at the best usable release plus `base_open_bonus`, see `startups`); within the
//! nest it picks a release by a logit on `θ_q q_r + θ_pop s_r + ln(licence factor)`, with `s_r`
//! the release's share of this month's downloads. A startup on an open release reconsiders with
//! probability `migrate_probability_per_month` (among releases at least as good as its own) and
//! must migrate when its release's backdoor is discovered (to another usable release, else to the
//! best frontier API).
//!
//! **Backdoors.** A new release is backdoored with probability `p` (`p × audit_backdoor_factor`
//! if audited; a release is audited with probability `audit_share`, or `funded_audit_share`
//! under the funding lever). The flag is hidden: a live backdoor is discovered with a monthly
//! hazard `h` (`h × audit_discovery_factor` if audited; mean time undiscovered `1/h`). On
//! discovery the release is pulled (no more downloads; its deployments are taken down) and its
//! startups migrate. Until then, startups on it carry `security.backdoor_exposure_factor`
//! (see `security::incident_rate`).
//!
//! **Funding lever** (`funding_from_month`): each month `grant_usd_per_month` is split equally
//! among the alive open-weights makers ([`Books::fund`]); funded makers release every
//! `round(I × funded_interval_factor)` months (at least 1) with lag `L − funded_lag_reduction`,
//! and audit `funded_audit_share` of their releases. The grant buys this package; its size does
//! not scale the effects (it is the lever's cost, and the makers' extra cash).
//!
//! **Price effect** (calibration.md §2.10: open quality at the lagged frontier caps closed prices
//! at the trailing tier). Each month every frontier platform's API fee per app customer is
//!
//! ```text
//! f_j = min(f_list, c_open + μ · max(0, Q_j − q_open)),   c_open = (h − 1) · g / 1000 · p_spot · 730
//! ```
//!
//! `q_open` the best usable release, `c_open` what a startup would pay extra to host that release
//! itself (`h` = `startups.open_hosting_factor`, `g` = GPUs per thousand customers), `μ` =
//! `price_premium_usd_per_point`: a platform can charge for its quality lead over the open tier,
//! not more. When the open tier closes in, API fees fall. Consumer and enterprise subscription
//! prices stay at their list prices: a quality point is worth `θ_Q / θ_P` ≈ $15 a month to the
//! median consumer, so the trailing tier caps a $20 subscription only when the gap is under
//! about one and a half points.
//!
//! Reads: [`Config`], [`Clock`], [`FrontierHistory`], [`Users`] (adopted people),
//! [`PlatformTable`], [`Market::spot_price`]. Writes: [`OpenReleases`], [`Lab::served_quality`], makers' [`Books`]
//! (grants), [`Startup::base`], [`Directory`] (release ids), [`SlotInfo::api_fee`]. Guardrails: weights finite and
//! ≥ 0; downloads never fall; a startup's open base always names an existing release.

pub mod params;

use bevy_ecs::prelude::*;

use super::users::Users;
use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// The extra monthly cost per app customer of hosting an open model instead of calling an API.
pub fn open_tier_cost(sc: &Scenario, spot_price: f64) -> f64 {
    let st = &sc.startups;
    (st.open_hosting_factor - 1.0) * st.gpus_per_thousand_customers / 1000.0 * spot_price * HOURS_PER_MONTH
}

/// A platform's API fee per customer given its quality and the open tier (`None`: no open release).
pub fn capped_api_fee(sc: &Scenario, quality: f64, open: Option<f64>, spot_price: f64) -> f64 {
    let list = sc.startups.api_fee_usd_per_customer;
    match open {
        Some(q_open) => {
            let cap = open_tier_cost(sc, spot_price)
                + sc.open_source.price_premium_usd_per_point * (quality - q_open).max(0.0);
            list.min(cap)
        }
        None => list,
    }
}

/// Frontier platforms price their APIs against the open tier.
pub fn price_apis_against_open_tier(
    cfg: Res<Config>,
    market: Res<Market>,
    releases: Res<OpenReleases>,
    mut table: ResMut<PlatformTable>,
    labs: Query<(&Platform, &Lab, &Firm)>,
) {
    let sc = &cfg.0;
    let open = releases.best_usable().map(|(_, q)| q);
    for (p, lab, firm) in &labs {
        if firm.kind == FirmKind::Frontier {
            table.slots[p.slot as usize].api_fee = capped_api_fee(sc, lab.served_quality, open, market.spot_price);
        }
    }
}

/// Is the open-source funding lever in force in `month`?
pub fn funded(sc: &Scenario, month: u32) -> bool {
    month >= sc.open_source.funding_from_month
}

/// Months between a maker's releases.
pub fn release_interval(sc: &Scenario, funded: bool) -> u32 {
    let o = &sc.open_source;
    if funded {
        ((f64::from(o.release_interval_months) * o.funded_interval_factor).round() as u32).max(1)
    } else {
        o.release_interval_months.max(1)
    }
}

/// A maker's lag behind the frontier.
pub fn release_lag(sc: &Scenario, lag: u32, funded: bool) -> u32 {
    if funded {
        lag.saturating_sub(sc.open_source.funded_lag_reduction_months)
    } else {
        lag
    }
}

/// Publishes a release of `maker` at `quality` in `month` under a fresh id; its licence, audit
/// and hidden backdoor are drawn from the release's own stream.
pub fn publish(
    sc: &Scenario,
    releases: &mut OpenReleases,
    dir: &mut Directory,
    maker: AgentId,
    quality: f64,
    month: u32,
    funded: bool,
) -> AgentId {
    let o = &sc.open_source;
    let id = dir.allocate();
    let mut d = rng::stream(sc.run.seed, Stream::OpenRelease, id.0, month);
    let licence = if d.bernoulli(o.permissive_share) {
        Licence::Permissive
    } else {
        Licence::Restricted
    };
    let audited = d.bernoulli(if funded { o.funded_audit_share } else { o.audit_share });
    let p = o.backdoor_probability * if audited { o.audit_backdoor_factor } else { 1.0 };
    let backdoored = d.bernoulli(p);
    releases.releases.insert(
        id,
        OpenRelease {
            maker,
            quality,
            month,
            licence,
            downloads: 0.0,
            monthly_downloads: 0.0,
            derivatives: 0.0,
            deployments: 0.0,
            backdoored,
            audited,
            discovered: None,
        },
    );
    releases.published += 1;
    releases.published_month += 1;
    id
}

/// Month 0: every open-weights maker has one release out, at the better of its own quality and
/// the frontier (before the run every lag reaches back to the initial frontier).
pub fn initial_releases(world: &mut World, sc: &Scenario, dir: &mut Directory, best_frontier: f64) -> OpenReleases {
    let mut releases = OpenReleases::default();
    let mut makers: Vec<(AgentId, Mut<Lab>)> = world
        .query::<(&AgentId, &Firm, &mut Lab)>()
        .iter_mut(world)
        .filter(|(_, f, _)| f.kind == FirmKind::OpenWeights)
        .map(|(id, _, lab)| (*id, lab))
        .collect();
    makers.sort_by_key(|m| m.0);
    for (id, lab) in &mut makers {
        let q = lab.quality.max(best_frontier);
        publish(sc, &mut releases, dir, *id, q, 0, funded(sc, 0));
        lab.served_quality = q;
    }
    releases.published_month = 0;
    releases
}

/// Grants under the lever; frontier labs serve their own quality; makers publish on their
/// interval at the lagged frontier and serve their latest release.
pub fn publish_open_releases(
    cfg: Res<Config>,
    clock: Res<Clock>,
    history: Res<FrontierHistory>,
    mut dir: ResMut<Directory>,
    mut releases: ResMut<OpenReleases>,
    mut labs: Query<(&AgentId, &Firm, &mut Lab, &mut Books)>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    let on = funded(sc, month);
    releases.published_month = 0;
    let mut rows: Vec<_> = labs.iter_mut().collect();
    rows.sort_by_key(|r| *r.0);
    let makers = rows.iter().filter(|r| r.1.kind == FirmKind::OpenWeights).count();
    let grant = if on && makers > 0 {
        sc.open_source.grant_usd_per_month / makers as f64
    } else {
        0.0
    };
    let interval = release_interval(sc, on);
    for (id, firm, lab, books) in &mut rows {
        if firm.kind != FirmKind::OpenWeights {
            lab.served_quality = lab.quality;
            continue;
        }
        if grant > 0.0 {
            books.fund(grant);
        }
        let latest = releases.latest_of(**id).map(|(_, r)| (r.month, r.quality));
        if !month.is_multiple_of(interval) || latest.is_some_and(|(m, _)| m == month) {
            continue;
        }
        let lagged = history.lagged(month, release_lag(sc, lab.open_lag, on));
        let q = lab
            .quality
            .max(lagged)
            .max(latest.map_or(f64::NEG_INFINITY, |l| l.1))
            .max(lab.served_quality);
        publish(sc, &mut releases, &mut dir, **id, q, month, on);
        lab.served_quality = q;
    }
}

/// Live backdoors are discovered with a monthly hazard; a discovered release is pulled.
pub fn discover_backdoors(cfg: Res<Config>, clock: Res<Clock>, mut releases: ResMut<OpenReleases>) {
    let sc = &cfg.0;
    let o = &sc.open_source;
    for (id, r) in releases.releases.iter_mut() {
        if !r.live_backdoor() || r.month >= clock.month {
            continue;
        }
        let h = (o.discovery_hazard_per_month * if r.audited { o.audit_discovery_factor } else { 1.0 }).min(1.0);
        if rng::stream(sc.run.seed, Stream::OpenDiscovery, id.0, clock.month).bernoulli(h) {
            r.discovered = Some(clock.month);
            r.deployments = 0.0;
        }
    }
}

/// Attraction of a release for this month's downloads: fitness × attachment × decay.
pub fn download_weight(sc: &Scenario, r: &OpenRelease, best: f64, month: u32) -> f64 {
    let o = &sc.open_source;
    if !r.usable() {
        return 0.0;
    }
    let age = month.saturating_sub(r.month);
    math::exp(o.download_theta_quality * (r.quality - best))
        * math::pow(1.0 + r.downloads / o.download_scale, o.download_alpha)
        * math::pow(o.download_decay_per_month, f64::from(age))
}

/// The month's downloads are shared among usable releases; derivatives and deployments follow.
pub fn share_downloads(cfg: Res<Config>, clock: Res<Clock>, users: Res<Users>, mut releases: ResMut<OpenReleases>) {
    let sc = &cfg.0;
    let o = &sc.open_source;
    let people = users.people_by_option();
    let adopted: f64 = people[..people.len().saturating_sub(1)].iter().sum();
    let total = o.downloads_per_adopted_person * adopted;
    let best = releases
        .releases
        .values()
        .filter(|r| r.usable())
        .map(|r| r.quality)
        .fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = releases
        .releases
        .values()
        .map(|r| download_weight(sc, r, best, clock.month))
        .collect();
    let sum: f64 = weights.iter().sum();
    let before = releases.total_downloads;
    let mut month_total = 0.0;
    for (r, w) in releases.releases.values_mut().zip(&weights) {
        let n = if sum > 0.0 { total * w / sum } else { 0.0 };
        r.monthly_downloads = n;
        r.downloads += n;
        let licence = match r.licence {
            Licence::Permissive => 1.0,
            Licence::Restricted => o.restricted_factor,
        };
        r.derivatives += o.derivatives_per_download * licence * n;
        r.deployments += o.deployments_per_download * n;
        month_total += n;
    }
    releases.total_before = before;
    releases.month_downloads = month_total;
    releases.total_downloads = before + month_total;
}

/// Picks a usable release of quality at least `min_quality` by the logit
/// `θ_q q + θ_pop s + ln(licence factor)` from uniform `u` (None if there is none).
pub fn choose_release(sc: &Scenario, releases: &OpenReleases, min_quality: f64, u: f64) -> Option<AgentId> {
    let (tq, tp) = (sc.startups.base_theta_quality, sc.open_source.base_theta_popularity);
    let month_total = releases.month_downloads;
    let options: Vec<(AgentId, f64)> = releases
        .releases
        .iter()
        .filter(|(_, r)| r.usable() && r.quality >= min_quality)
        .map(|(id, r)| {
            let share = if month_total > 0.0 {
                r.monthly_downloads / month_total
            } else {
                0.0
            };
            let licence = match r.licence {
                Licence::Permissive => 1.0,
                Licence::Restricted => sc.open_source.restricted_factor,
            };
            let v = if licence > 0.0 {
                tq * r.quality + tp * share + math::ln(licence)
            } else {
                f64::NEG_INFINITY
            };
            (*id, v)
        })
        .collect();
    let vmax = options.iter().map(|o| o.1).fold(f64::NEG_INFINITY, f64::max);
    if !vmax.is_finite() {
        return None;
    }
    let w: Vec<f64> = options
        .iter()
        .map(|o| if o.1.is_finite() { math::exp(o.1 - vmax) } else { 0.0 })
        .collect();
    super::startups::pick(&w, u).map(|k| options[k].0)
}

/// The best alive frontier platform (the fallback API when no open release is usable).
pub fn best_platform(table: &PlatformTable) -> Slot {
    let mut best: Option<(usize, f64)> = None;
    for (i, s) in table.slots.iter().enumerate() {
        if s.alive && s.kind == Some(FirmKind::Frontier) && best.is_none_or(|b| s.quality > b.1) {
            best = Some((i, s.quality));
        }
    }
    best.map_or(0, |b| b.0 as Slot)
}

/// A new startup that chose the open nest picks its release (its own stream, at its founding
/// month); without a usable release it falls back to the best frontier API.
pub fn open_base_for_entrant(
    sc: &Scenario,
    releases: &OpenReleases,
    table: &PlatformTable,
    id: AgentId,
    month: i32,
) -> Base {
    let u = rng::stream(sc.run.seed, Stream::OpenBase, id.0, month.max(0) as u32).uniform();
    match choose_release(sc, releases, f64::NEG_INFINITY, u) {
        Some(r) => Base::Open(r),
        None => Base::Platform(best_platform(table)),
    }
}

/// Startups on open releases migrate: all of those whose release was pulled, and a share of the
/// others (to a release at least as good as theirs).
pub fn rebase_open_startups(
    cfg: Res<Config>,
    clock: Res<Clock>,
    table: Res<PlatformTable>,
    releases: Res<OpenReleases>,
    mut startups: Query<(&AgentId, &mut Startup)>,
) {
    let sc = &cfg.0;
    let mut rows: Vec<_> = startups.iter_mut().filter(|r| r.1.base.is_open()).collect();
    rows.sort_by_key(|r| *r.0);
    for (id, s) in &mut rows {
        let current = releases.base_release(s.base);
        let forced = !current.is_some_and(OpenRelease::usable);
        let mut d = rng::stream(sc.run.seed, Stream::OpenMigration, id.0, clock.month);
        let reconsider = d.bernoulli(sc.open_source.migrate_probability_per_month);
        if !forced && !reconsider {
            continue;
        }
        let floor = if forced {
            f64::NEG_INFINITY
        } else {
            current.map_or(f64::NEG_INFINITY, |r| r.quality)
        };
        let u = d.uniform();
        match choose_release(sc, &releases, floor, u) {
            Some(r) => s.base = Base::Open(r),
            None if forced => s.base = Base::Platform(best_platform(&table)),
            None => {}
        }
    }
}

/// Downloads concentration this month: HHI by maker (0–10000) and the top release's share.
pub fn downloads_concentration(releases: &OpenReleases) -> (f64, f64) {
    let total = releases.month_downloads;
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    let mut by_maker: std::collections::BTreeMap<AgentId, f64> = std::collections::BTreeMap::new();
    let mut top: f64 = 0.0;
    for r in releases.releases.values() {
        *by_maker.entry(r.maker).or_default() += r.monthly_downloads;
        top = top.max(r.monthly_downloads);
    }
    let hhi = by_maker
        .values()
        .map(|d| (100.0 * d / total) * (100.0 * d / total))
        .sum();
    (hhi, top / total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, close, spawn_firm};

    /// Spawns a lab of `kind` with quality `q`, lag 2 (open-weights makers).
    fn lab(w: &mut World, kind: FirmKind, q: f64) -> Entity {
        let e = spawn_firm(w, kind, 1e10, Fleet::default());
        w.entity_mut(e).insert(Lab {
            cumulative_flop: 1e25,
            quality: q,
            talent: 1.0,
            open_lag: 2,
            served_quality: q,
        });
        e
    }

    /// A frontier that improves by 10 points a month from 10.
    fn rising_frontier(w: &mut World, months: u32) {
        w.insert_resource(FrontierHistory {
            initial: 10.0,
            best: (0..months).map(|m| 10.0 + 10.0 * f64::from(m)).collect(),
        });
    }

    fn release(maker: u64, quality: f64, month: u32, downloads: f64) -> OpenRelease {
        OpenRelease {
            maker: AgentId(maker),
            quality,
            month,
            licence: Licence::Permissive,
            downloads,
            monthly_downloads: 0.0,
            derivatives: 0.0,
            deployments: 0.0,
            backdoored: false,
            audited: false,
            discovered: None,
        }
    }

    fn releases_of(w: &World, maker: Entity) -> Vec<OpenRelease> {
        let id = testkit::id_of(w, maker);
        w.resource::<OpenReleases>()
            .releases
            .values()
            .filter(|r| r.maker == id)
            .cloned()
            .collect()
    }

    fn run_months(w: &mut World, months: std::ops::Range<u32>) {
        for month in months {
            w.resource_mut::<Clock>().month = month;
            w.run_system_cached(publish_open_releases).unwrap();
        }
    }

    #[test]
    fn makers_publish_at_the_lagged_frontier_on_their_interval() {
        // Releases every 4 months, lag 2, own quality 5; the frontier improves by 10 a month.
        let mut w = testkit::world(Scenario::default());
        let open = lab(&mut w, FirmKind::OpenWeights, 5.0);
        let frontier = lab(&mut w, FirmKind::Frontier, 33.0);
        rising_frontier(&mut w, 12);
        for (month, served) in [(0, 10.0), (3, 10.0), (4, 30.0), (5, 30.0), (7, 30.0), (8, 70.0)] {
            run_months(&mut w, month..month + 1);
            let lab = w.get::<Lab>(open).unwrap();
            assert_eq!(
                lab.served_quality, served,
                "month {month}: the maker serves the frontier of its last release month − 2"
            );
            assert_eq!(w.get::<Lab>(frontier).unwrap().served_quality, 33.0);
        }
        let rs = releases_of(&w, open);
        assert_eq!(
            rs.iter().map(|r| (r.month, r.quality)).collect::<Vec<_>>(),
            vec![(0, 10.0), (4, 30.0), (8, 70.0)],
            "one release per interval, each at the lagged frontier"
        );
        assert_eq!(w.resource::<OpenReleases>().published, 3);
        // A second pass over the same month publishes nothing new.
        run_months(&mut w, 8..9);
        assert_eq!(releases_of(&w, open).len(), 3, "at most one release a month");
        // A maker ahead of the lagged frontier publishes its own quality.
        w.get_mut::<Lab>(open).unwrap().quality = 500.0;
        run_months(&mut w, 12..13);
        assert_eq!(w.get::<Lab>(open).unwrap().served_quality, 500.0);
    }

    #[test]
    fn funding_shortens_the_lag_speeds_releases_and_pays_grants() {
        let mut sc = Scenario::default();
        sc.open_source.funding_from_month = 0;
        sc.open_source.grant_usd_per_month = 3e8;
        let mut w = testkit::world(sc.clone());
        let a = lab(&mut w, FirmKind::OpenWeights, 0.0);
        let b = lab(&mut w, FirmKind::OpenWeights, 0.0);
        let f = lab(&mut w, FirmKind::Frontier, 0.0);
        rising_frontier(&mut w, 12);
        run_months(&mut w, 0..9);
        // Interval 4 × 0.5 = 2, lag 2 − 2 = 0.
        let rs = releases_of(&w, a);
        assert_eq!(
            rs.iter().map(|r| (r.month, r.quality)).collect::<Vec<_>>(),
            (0..=8)
                .step_by(2)
                .map(|m| (m, 10.0 + 10.0 * f64::from(m)))
                .collect::<Vec<_>>(),
            "funded makers release every 2 months at the current frontier"
        );
        assert!(rs.iter().all(|r| r.audited), "funded releases are all audited");
        for e in [a, b] {
            let books = testkit::books(&w, e);
            assert!(
                close(books.funding, 9.0 * 1.5e8) && close(books.cash, 1e10 + 9.0 * 1.5e8),
                "each of two makers receives half the grant every month: {}",
                books.funding
            );
        }
        assert_eq!(testkit::books(&w, f).funding, 0.0, "frontier labs get no grant");
        // Without the lever: interval 4, lag 2, no grant.
        let mut w = testkit::world(Scenario::default());
        let a = lab(&mut w, FirmKind::OpenWeights, 0.0);
        rising_frontier(&mut w, 12);
        run_months(&mut w, 0..9);
        assert_eq!(
            releases_of(&w, a).iter().map(|r| r.month).collect::<Vec<_>>(),
            vec![0, 4, 8]
        );
        assert_eq!(testkit::books(&w, a).funding, 0.0);
        assert_eq!(releases_of(&w, a)[1].quality, 30.0, "lag 2 at month 4");
    }

    #[test]
    fn downloads_favour_fit_and_popular_releases_and_decay_with_age() {
        let mut sc = testkit::small_scenario();
        sc.open_source.download_alpha = 1.0;
        sc.open_source.download_scale = 1e6;
        sc.open_source.download_decay_per_month = 0.8;
        let mut w = testkit::world(sc.clone());
        testkit::spawn_platforms(&mut w);
        w.resource_mut::<Clock>().month = 10;
        let mut rel = OpenReleases::default();
        // Same age and downloads: quality decides. Same quality: popularity decides. Older: less.
        rel.releases.insert(AgentId(101), release(1, 20.0, 10, 0.0));
        rel.releases.insert(AgentId(102), release(1, 18.0, 10, 0.0));
        rel.releases.insert(AgentId(103), release(2, 18.0, 10, 9e6));
        rel.releases.insert(AgentId(104), release(2, 18.0, 6, 9e6));
        let mut pulled = release(2, 25.0, 10, 5e6);
        pulled.backdoored = true;
        pulled.discovered = Some(9);
        rel.releases.insert(AgentId(105), pulled);
        rel.total_downloads = 23e6;
        w.insert_resource(rel);
        w.run_system_cached(share_downloads).unwrap();
        let r = w.resource::<OpenReleases>();
        let n = |id: u64| r.releases[&AgentId(id)].monthly_downloads;
        let people = w.resource::<Users>().people_by_option();
        let adopted: f64 = people[..people.len() - 1].iter().sum();
        assert!(close(
            r.month_downloads,
            sc.open_source.downloads_per_adopted_person * adopted
        ));
        assert!(close(
            n(101) / n(102),
            math::exp(2.0 * sc.open_source.download_theta_quality)
        ));
        assert!(close(n(103) / n(102), 10.0), "(1 + 9e6/1e6)^1 = 10× the attraction");
        assert!(close(n(104) / n(103), math::pow(0.8, 4.0)), "four months older: 0.8^4");
        assert_eq!(n(105), 0.0, "a pulled release gets no downloads");
        assert!(close(r.total_downloads, 23e6 + r.month_downloads));
        assert!(close(r.total_before, 23e6));
        let x = &r.releases[&AgentId(103)];
        assert!(
            close(x.downloads, 9e6 + x.monthly_downloads),
            "cumulative downloads grow"
        );
        assert!(close(
            x.derivatives,
            sc.open_source.derivatives_per_download * x.monthly_downloads
        ));
        assert!(close(
            x.deployments,
            sc.open_source.deployments_per_download * x.monthly_downloads
        ));
        let (hhi, top) = downloads_concentration(r);
        assert!(top > 0.0 && top < 1.0 && hhi > 5000.0 - 1e-6 && hhi <= 10000.0);
    }

    #[test]
    fn a_backdoor_is_hidden_until_discovered_then_users_migrate() {
        let mut sc = testkit::small_scenario();
        sc.open_source.discovery_hazard_per_month = 0.3;
        sc.open_source.migrate_probability_per_month = 0.0;
        let mut w = testkit::world(sc.clone());
        testkit::spawn_platforms(&mut w);
        let mut rel = OpenReleases::default();
        let mut bad = release(1, 30.0, 0, 1e6);
        bad.backdoored = true;
        rel.releases.insert(AgentId(101), bad);
        rel.releases.insert(AgentId(102), release(1, 25.0, 0, 1e6));
        w.insert_resource(rel);
        let users: Vec<Entity> = (0..20)
            .map(|_| {
                let e = spawn_firm(&mut w, FirmKind::Startup, 1e6, Fleet::default());
                w.entity_mut(e).insert(Startup {
                    base: Base::Open(AgentId(101)),
                    customers: 0.0,
                    team: 3.0,
                    finetune_flop: 0.0,
                    quality: 0.0,
                    cohort: 0,
                });
                e
            })
            .collect();
        let mut found = None;
        for month in 1..60 {
            w.resource_mut::<Clock>().month = month;
            let exposed = w.resource::<OpenReleases>().exposes(Base::Open(AgentId(101)));
            w.run_system_cached(discover_backdoors).unwrap();
            w.run_system_cached(rebase_open_startups).unwrap();
            let r = &w.resource::<OpenReleases>().releases[&AgentId(101)];
            let bases: Vec<Base> = users.iter().map(|&e| w.get::<Startup>(e).unwrap().base).collect();
            if r.discovered.is_none() {
                assert!(exposed, "until discovered the backdoor exposes its users");
                assert!(
                    bases.iter().all(|b| *b == Base::Open(AgentId(101))),
                    "nobody leaves a release whose backdoor is hidden (migration off)"
                );
            } else {
                found = Some(month);
                assert_eq!(r.deployments, 0.0, "deployments of a pulled release are taken down");
                assert!(
                    bases.iter().all(|b| *b == Base::Open(AgentId(102))),
                    "once discovered every user migrates to the clean release"
                );
                break;
            }
        }
        let found = found.expect("a 30% monthly hazard finds the backdoor within 60 months");
        assert!(found >= 1);
        // With no usable release left, users fall back to the best frontier API.
        w.resource_mut::<OpenReleases>()
            .releases
            .get_mut(&AgentId(102))
            .unwrap()
            .discovered = Some(found);
        w.run_system_cached(rebase_open_startups).unwrap();
        let best = best_platform(w.resource::<PlatformTable>());
        assert!(
            users
                .iter()
                .all(|&e| w.get::<Startup>(e).unwrap().base == Base::Platform(best)),
            "no open release left: back to an API"
        );
    }

    #[test]
    fn audits_cut_backdoors_and_speed_discovery() {
        let count = |audited: bool| {
            let mut sc = Scenario::default();
            sc.open_source.backdoor_probability = 0.3;
            sc.open_source.audit_share = if audited { 1.0 } else { 0.0 };
            let mut rel = OpenReleases::default();
            let mut dir = Directory::default();
            for _ in 0..2000 {
                publish(&sc, &mut rel, &mut dir, AgentId(1), 1.0, 0, false);
            }
            assert!(rel.releases.values().all(|r| r.audited == audited));
            rel.releases.values().filter(|r| r.backdoored).count() as f64 / 2000.0
        };
        let (plain, audited) = (count(false), count(true));
        assert!((plain - 0.3).abs() < 0.04, "p = 0.3 per release, got {plain}");
        assert!(
            (audited - 0.3 * 0.2).abs() < 0.02,
            "audits cut the probability to p × 0.2, got {audited}"
        );
        // Audited backdoors are found faster: mean months undiscovered ≈ 1/h vs 1/(3h).
        let months_hidden = |audited: bool| {
            let mut sc = Scenario::default();
            sc.open_source.discovery_hazard_per_month = 0.1;
            let mut w = testkit::world(sc);
            let mut rel = OpenReleases::default();
            for i in 0..400 {
                let mut r = release(1, 1.0, 0, 0.0);
                r.backdoored = true;
                r.audited = audited;
                rel.releases.insert(AgentId(100 + i), r);
            }
            w.insert_resource(rel);
            for month in 1..=24 {
                w.resource_mut::<Clock>().month = month;
                w.run_system_cached(discover_backdoors).unwrap();
            }
            let rel = w.resource::<OpenReleases>();
            rel.releases
                .values()
                .map(|r| f64::from(r.discovered.unwrap_or(25)))
                .sum::<f64>()
                / 400.0
        };
        let (slow, fast) = (months_hidden(false), months_hidden(true));
        assert!(
            fast < 0.5 * slow,
            "audited backdoors are found in ≈1/(3h) months: {fast:.1} vs {slow:.1}"
        );
    }

    #[test]
    fn entrants_and_migrants_choose_good_popular_permissive_releases() {
        let sc = testkit::small_scenario();
        let mut rel = OpenReleases::default();
        rel.releases.insert(AgentId(101), release(1, 20.0, 0, 0.0));
        rel.releases.insert(AgentId(102), release(1, 15.0, 0, 0.0));
        let mut restricted = release(2, 20.0, 0, 0.0);
        restricted.licence = Licence::Restricted;
        rel.releases.insert(AgentId(103), restricted);
        rel.releases.get_mut(&AgentId(101)).unwrap().monthly_downloads = 1.0;
        rel.month_downloads = 1.0;
        let n = 4000;
        let mut counts = [0usize; 3];
        for i in 0..n {
            let u = (f64::from(i) + 0.5) / f64::from(n);
            let k = choose_release(&sc, &rel, f64::NEG_INFINITY, u).unwrap();
            counts[(k.0 - 101) as usize] += 1;
        }
        let share = |k: usize| counts[k] as f64 / f64::from(n);
        let (tq, tp) = (sc.startups.base_theta_quality, sc.open_source.base_theta_popularity);
        let w = [
            math::exp(tq * 20.0 + tp),
            math::exp(tq * 15.0),
            0.5 * math::exp(tq * 20.0),
        ];
        let total: f64 = w.iter().sum();
        for (k, wk) in w.iter().enumerate() {
            assert!(
                (share(k) - wk / total).abs() < 0.01,
                "logit share {k}: {} vs {}",
                share(k),
                wk / total
            );
        }
        assert_eq!(
            choose_release(&sc, &rel, 18.0, 0.99),
            Some(AgentId(103)),
            "migrants only consider releases at least as good as theirs"
        );
        assert_eq!(choose_release(&sc, &rel, 99.0, 0.5), None);
    }

    #[test]
    fn the_open_tier_caps_api_fees_at_its_cost_plus_the_quality_lead() {
        let sc = testkit::small_scenario();
        let (list, mu) = (
            sc.startups.api_fee_usd_per_customer,
            sc.open_source.price_premium_usd_per_point,
        );
        let c_open = open_tier_cost(&sc, 2.0);
        assert!(
            c_open > 0.0 && c_open < list,
            "self-hosting costs something, less than the list fee"
        );
        assert_eq!(capped_api_fee(&sc, 50.0, None, 2.0), list, "no open release, no cap");
        assert_eq!(
            capped_api_fee(&sc, 50.0, Some(0.0), 2.0),
            list,
            "a far-behind open tier does not bind"
        );
        let near = capped_api_fee(&sc, 50.0, Some(49.0), 2.0);
        assert!(
            (near - (c_open + mu)).abs() < 1e-12,
            "a one-point lead is worth mu over the open tier's cost: {near}"
        );
        assert!(
            (capped_api_fee(&sc, 50.0, Some(51.0), 2.0) - c_open).abs() < 1e-12,
            "no lead, no premium"
        );
        assert!(
            capped_api_fee(&sc, 50.0, Some(49.0), 4.0) > near,
            "dearer compute makes self-hosting dearer and raises the cap"
        );
    }

    #[test]
    fn platforms_price_their_apis_against_the_best_usable_release() {
        let mut w = testkit::world(testkit::small_scenario());
        let platforms = testkit::spawn_platforms(&mut w);
        w.resource_mut::<Market>().spot_price = 2.0;
        let maker = w.get::<AgentId>(platforms[2]).copied().unwrap();
        let q_alpha = w.get::<Lab>(platforms[0]).unwrap().served_quality;
        let mut rel = OpenReleases::default();
        rel.releases
            .insert(AgentId(900), release(maker.0, q_alpha - 1.0, 0, 0.0));
        w.insert_resource(rel);
        w.run_system_cached(price_apis_against_open_tier).unwrap();
        let sc = testkit::small_scenario();
        let t = w.resource::<PlatformTable>();
        let expected = capped_api_fee(&sc, q_alpha, Some(q_alpha - 1.0), 2.0);
        assert!(
            (t.slots[0].api_fee - expected).abs() < 1e-12,
            "{} vs {expected}",
            t.slots[0].api_fee
        );
        assert!(
            t.slots[0].api_fee < sc.startups.api_fee_usd_per_customer,
            "a close open tier binds"
        );
    }
}

//! The open-weights ecosystem (ODD §7.9; entity "Open model release"; lever
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
//! **Downloads** (EVIDENCE.md §2.2, Bianconi–Barabási with recency decay). The month's
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
//! **Price effect** (EVIDENCE.md §2.10: open quality at the lagged frontier caps closed prices
//! at the trailing tier). Each month every frontier platform's API fee per app customer is
//!
//! ```text
//! f_j = min(f_list, c_open + μ · max(0, Q_j − q_open)),   c_open = (h − 1) · g / 1000 · p_spot · 730
//! ```
//!
//! `q_open` the best usable release, `c_open` what a startup would pay extra to host that release
//! itself (`h` = `startups.open_hosting_factor`, `g` = GPUs per thousand customers), `μ` =
//! `price_premium_usd_per_point`: a platform can charge for its quality lead over the open tier,
//! not more. When the open tier closes in, API fees fall. Subscription and seat prices are not
//! capped here: a quality point is worth `θ_Q / θ_P` ≈ $15 a month to the median consumer, so
//! the trailing tier would cap a $20 subscription only when the gap is under about one and a half
//! points; the open tier lowers them through the frontier platforms' markups
//! ([`pricing`](super::pricing)).
//!
//! Reads: [`Config`], [`Clock`], [`FrontierHistory`], [`Users`] (adopted people),
//! [`PlatformTable`], [`Market::spot_price`]. Writes: [`OpenReleases`], [`Lab::served_quality`], makers' [`Books`]
//! (grants), [`Startup::base`], [`Directory`] (release ids), [`SlotInfo::api_fee`]. Guardrails: weights finite and
//! ≥ 0; downloads never fall; a startup's open base always names an existing release.

pub mod params;

mod check;
mod hash;
pub mod init;
pub mod report;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    populate: init::populate,
    check: check::check,
    ..crate::mechanism::Mechanism::new("open_source")
};

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
    crate::kernel::lever::in_force(month, sc.open_source.funding_from_month)
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
        OpenRelease::new(maker, quality, month, licence, backdoored, audited),
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
    rows.sort_unstable_by_key(|r| *r.0);
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
    rng::pick_weighted(&w, u).map(|k| options[k].0)
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
    rows.sort_unstable_by_key(|r| *r.0);
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
mod tests;

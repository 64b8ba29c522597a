//! Security incidents (ODD §7.15).
//!
//! **Exposure.** A firm's monthly incident rate at no hygiene is
//! `λ_f = λ0 · s_t / 12 · x_f`, with activity exposure `x_f = (1 + R_f / R_ref)^e` (R = annual
//! revenue: more users and customers, more attack surface), multiplied by `open_base_exposure`
//! for a startup built on an unvetted open model ([`Base::Open`]) and, while its own release
//! carries an undiscovered backdoor, by `backdoor_exposure_factor` on top. `s_t` is
//! `mandatory_scanning_factor` once the security standard is in force (`standard_from_month`),
//! 1 before.
//!
//! **Backdoors** are drawn per release and discovered by the open-source mechanism
//! ([`open_source`](super::open_source)); here only their exposure counts: a startup is exposed
//! while the release it builds on is backdoored and undiscovered ([`OpenReleases::exposes`]).
//!
//! **Hygiene.** Each month a firm chooses hygiene `h ∈ [0, h_max]` trading its cost against the
//! expected loss it prevents. It decides on what it can know, never on the hidden backdoor flag:
//! the rate it plans for is the no-backdoor rate times `1 + p̂ (backdoor_exposure_factor − 1)`
//! for a startup on an open base, with `p̂` the public belief that its release is backdoored —
//! the disclosure record smoothed by a prior,
//! `p̂ = (D + k · p_0) / (N + k)` (`D` releases found backdoored so far, `N` releases published,
//! `k` = `belief_prior_releases`, `p_0` = `open_source.backdoor_probability`, the published base
//! rate), times `open_source.audit_backdoor_factor` for an audited release (audits are public)
//! and 0 for a release whose backdoor was disclosed. The hidden flag only draws true incidents. Full hygiene costs `C = (F_h · φ_t + v_h · R) / 12` a month
//! (`φ_t` = `public_scanning_factor` under the standard: shared public scanning lowers the
//! fixed cost), and partial hygiene `C · (h / h_max)²` (rising marginal cost). Minimising
//! `C (h/h_max)² + λ_f (1 − h) L̄_f` gives
//! `h* = min(h_max, λ_f · L̄_f · h_max² / (2 C))`: firms with small expected losses relative to
//! the fixed cost — the small — buy less.
//!
//! **Incidents and losses.** `N ~ Poisson(λ_f (1 − h))`; each loss is lognormal with mean
//! `L̄_f = min(loss_mean, loss_floor + sme_loss_share · R)` and log-spread `loss_sigma` (mean
//! $4.44M for large firms, a few percent of revenue for SMEs, with a fat tail). Hygiene and
//! losses are costs ([`Books::spend`]); a firm whose cash the month's losses (and fines) drive
//! negative exits in the finance phase with cause *incident*.
//!
//! **Churn.** A startup hit by `N` incidents keeps `(1 − customer_churn)^N` of its app
//! customers; each user of a platform hit by `N` incidents leaves it with probability
//! `1 − (1 − user_churn)^N` (to no platform, or the rest of an enterprise portfolio; users are
//! conserved). Platform billing sees the change from the next month.
//!
//! Reads: [`Config`], [`Clock`], [`Books`] (last month's revenue), [`Startup::base`],
//! [`OpenReleases`] (hidden backdoors for the draws; disclosures and audits for the belief). Writes: [`RiskLedger`], [`Books`] (hygiene and losses), [`Startup::customers`],
//! [`Users`]. Guardrails: `h ≤ h_max < 1`; losses finite and ≥ 0; user counts recounted after
//! churn.

pub mod params;

mod check;
mod hash;
pub mod report;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: |w| w.insert_resource(RiskLedger::default()),
    check: check::check,
    ..crate::mechanism::Mechanism::new("security")
};

use bevy_ecs::prelude::*;

use super::users::Users;
use crate::math;
use crate::params::Scenario;
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// Annual revenue basis of a firm: last completed month's revenue × 12.
pub fn annual_revenue(b: &Books) -> f64 {
    12.0 * b.revenue_history[0].max(0.0)
}

/// Is the security standard in force in `month`?
pub fn standard_in_force(sc: &Scenario, month: u32) -> bool {
    crate::kernel::lever::in_force(month, sc.security.standard_from_month)
}

/// Monthly incident rate at no hygiene.
pub fn incident_rate(sc: &Scenario, month: u32, base: Option<Base>, annual_revenue: f64, backdoor: bool) -> f64 {
    let s = &sc.security;
    let scan = if standard_in_force(sc, month) {
        s.mandatory_scanning_factor
    } else {
        1.0
    };
    let mut x = math::pow(1.0 + annual_revenue / s.activity_reference_usd, s.activity_elasticity);
    if base.is_some_and(Base::is_open) {
        x *= s.open_base_exposure;
        if backdoor {
            x *= s.backdoor_exposure_factor;
        }
    }
    s.incidents_per_year * scan * x / 12.0
}

/// The public belief that the open release under `base` carries a backdoor (0 for an API base
/// or a release whose backdoor was disclosed): the disclosure record smoothed by the published
/// base rate, `(D + k p_0) / (N + k)`, times the audit factor for an audited release. Reads no
/// hidden flag of an undiscovered release.
pub fn believed_backdoor_probability(sc: &Scenario, releases: &OpenReleases, base: Option<Base>) -> f64 {
    let Some(r) = base.and_then(|b| releases.base_release(b)) else {
        return 0.0;
    };
    if r.discovered.is_some() {
        return 0.0;
    }
    let o = &sc.open_source;
    let k = sc.security.belief_prior_releases;
    let disclosed = releases.releases.values().filter(|r| r.discovered.is_some()).count() as f64;
    let published = releases.releases.len() as f64;
    let p = if published + k > 0.0 {
        (disclosed + k * o.backdoor_probability) / (published + k)
    } else {
        o.backdoor_probability
    };
    let audit = if r.audited { o.audit_backdoor_factor } else { 1.0 };
    (p * audit).clamp(0.0, 1.0)
}

/// The monthly incident rate a firm plans its hygiene for: the no-backdoor rate, times the
/// expected backdoor factor `1 + p̂ (backdoor_exposure_factor − 1)` on an open base.
pub fn expected_incident_rate(sc: &Scenario, month: u32, base: Option<Base>, annual_revenue: f64, belief: f64) -> f64 {
    let clean = incident_rate(sc, month, base, annual_revenue, false);
    if base.is_some_and(Base::is_open) {
        clean * (1.0 + belief * (sc.security.backdoor_exposure_factor - 1.0))
    } else {
        clean
    }
}

/// Mean loss of one incident for a firm with `annual_revenue`.
pub fn mean_loss(sc: &Scenario, annual_revenue: f64) -> f64 {
    let s = &sc.security;
    (s.loss_floor_usd + s.sme_loss_share_revenue * annual_revenue).min(s.loss_mean_usd)
}

/// Monthly cost of full hygiene.
pub fn full_hygiene_cost(sc: &Scenario, month: u32, annual_revenue: f64) -> f64 {
    let s = &sc.security;
    let public = if standard_in_force(sc, month) {
        s.public_scanning_factor
    } else {
        1.0
    };
    (s.hygiene_fixed_usd_per_year * public + s.hygiene_variable_share * annual_revenue) / 12.0
}

/// The hygiene that minimises cost plus expected loss, and its cost: `(h*, C (h*/h_max)²)`.
pub fn choose_hygiene(rate: f64, loss: f64, full_cost: f64, h_max: f64) -> (f64, f64) {
    if h_max <= 0.0 {
        return (0.0, 0.0);
    }
    let h = if full_cost <= 0.0 {
        h_max
    } else {
        (rate * loss * h_max * h_max / (2.0 * full_cost)).clamp(0.0, h_max)
    };
    (h, full_cost * (h / h_max) * (h / h_max))
}

/// Firms buy hygiene, suffer incidents and book their losses; hit startups lose customers.
pub fn draw_incidents(
    cfg: Res<Config>,
    clock: Res<Clock>,
    releases: Res<OpenReleases>,
    mut ledger: ResMut<RiskLedger>,
    mut firms: Query<(&AgentId, &mut Books, Option<&mut Startup>)>,
) {
    let sc = &cfg.0;
    let s = &sc.security;
    let month = clock.month;
    ledger.firms.clear();
    let mut rows: Vec<_> = firms.iter_mut().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    for (id, books, startup) in rows.iter_mut() {
        let revenue = annual_revenue(books);
        let base = startup.as_ref().map(|st| st.base);
        // The firm plans on the public belief; the hidden flag only draws the true incidents.
        let belief = believed_backdoor_probability(sc, &releases, base);
        let planned = expected_incident_rate(sc, month, base, revenue, belief);
        let backdoor = base.is_some_and(|b| releases.exposes(b));
        let rate = incident_rate(sc, month, base, revenue, backdoor);
        let loss_mean = mean_loss(sc, revenue);
        let full = full_hygiene_cost(sc, month, revenue);
        let (hygiene, hygiene_cost) = choose_hygiene(planned, loss_mean, full, s.hygiene_max);
        if hygiene_cost > 0.0 {
            books.spend(hygiene_cost);
        }
        let mut d = rng::stream(sc.run.seed, Stream::Incidents, id.0, month);
        let incidents = d.poisson(rate * (1.0 - hygiene));
        let mut loss = 0.0;
        for _ in 0..incidents {
            loss += if loss_mean > 0.0 {
                d.lognormal_mean(loss_mean, s.loss_sigma)
            } else {
                0.0
            };
        }
        if loss > 0.0 {
            books.spend(loss);
        }
        if incidents > 0
            && let Some(st) = startup
        {
            st.customers *= math::pow(1.0 - s.customer_churn_per_incident, f64::from(incidents));
        }
        ledger.firms.insert(
            **id,
            FirmRisk {
                large: revenue >= s.large_revenue_usd,
                revenue: revenue / 12.0,
                hygiene,
                hygiene_cost,
                incidents,
                loss,
                ..Default::default()
            },
        );
    }
}

/// Users of platforms hit by incidents leave them.
pub fn shed_platform_users(
    cfg: Res<Config>,
    clock: Res<Clock>,
    ledger: Res<RiskLedger>,
    mut users: ResMut<Users>,
    platforms: Query<(&AgentId, &Platform)>,
) {
    let sc = &cfg.0;
    let mut hit: Vec<(AgentId, Slot, u32)> = platforms
        .iter()
        .filter_map(|(id, p)| {
            let n = ledger.firms.get(id).map_or(0, |r| r.incidents);
            (n > 0).then_some((*id, p.slot, n))
        })
        .collect();
    hit.sort_by_key(|h| h.0);
    for (_, slot, n) in hit {
        let leave = 1.0 - math::pow(1.0 - sc.security.user_churn_per_incident, f64::from(n));
        if leave <= 0.0 {
            continue;
        }
        // Each user of the platform leaves with probability `leave`: draw the candidates by
        // geometric skips over every agent (one stream per platform and month), so the cost is
        // proportional to the leavers, not to the population.
        let mut d = rng::fast_stream(sc.run.seed, Stream::IncidentChurn, u64::from(slot), clock.month);
        let agents = users.len() as u64;
        let mut chosen = Vec::new();
        let mut i = d.geometric(leave);
        while i < agents {
            chosen.push(i as usize);
            i += 1 + d.geometric(leave);
        }
        users.evict_agents(slot, &chosen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, fleet, spawn_firm};
    use crate::params::FirmKind;

    fn startup(base: Base, customers: f64) -> Startup {
        Startup {
            base,
            customers,
            team: 3.0,
            finetune_flop: 0.0,
            quality: 0.0,
            cohort: 0,
        }
    }

    /// A world of `n` startups on `base`, each with last month's revenue `monthly_revenue`.
    fn startups(sc: Scenario, n: usize, base: Base, monthly_revenue: f64) -> (World, Vec<Entity>) {
        let mut w = testkit::world(sc);
        let es = (0..n)
            .map(|_| {
                let e = spawn_firm(&mut w, FirmKind::Startup, 1e9, fleet(0.0, 0.0));
                w.get_mut::<Books>(e).unwrap().revenue_history[0] = monthly_revenue;
                w.entity_mut(e).insert(startup(base, 1000.0));
                e
            })
            .collect();
        (w, es)
    }

    fn incidents(w: &World) -> u32 {
        w.resource::<RiskLedger>().firms.values().map(|r| r.incidents).sum()
    }

    #[test]
    fn hygiene_trades_its_cost_against_expected_loss() {
        let (h, c) = choose_hygiene(0.01, 1e6, 1e6, 0.9);
        assert!((h - 0.01 * 1e6 * 0.81 / 2e6).abs() < 1e-12, "interior optimum, got {h}");
        assert!((c - 1e6 * (h / 0.9) * (h / 0.9)).abs() < 1e-6);
        assert_eq!(choose_hygiene(10.0, 1e9, 1.0, 0.9).0, 0.9, "capped at h_max");
        assert_eq!(choose_hygiene(0.0, 1e9, 1.0, 0.9).0, 0.0, "no risk, no hygiene");
        let sc = Scenario::default();
        // A small firm buys less hygiene than a large one: the fixed cost weighs on it.
        let pick = |r: f64| {
            choose_hygiene(
                incident_rate(&sc, 0, None, r, false),
                mean_loss(&sc, r),
                full_hygiene_cost(&sc, 0, r),
                sc.security.hygiene_max,
            )
            .0
        };
        assert!(
            pick(1e6) < pick(1e10),
            "small {} should buy less hygiene than large {}",
            pick(1e6),
            pick(1e10)
        );
    }

    #[test]
    fn losses_scale_with_size_up_to_the_average_breach() {
        let sc = Scenario::default();
        assert_eq!(mean_loss(&sc, 0.0), sc.security.loss_floor_usd);
        assert!((mean_loss(&sc, 1e7) - (5e4 + 0.05 * 1e7)).abs() < 1e-6);
        assert_eq!(mean_loss(&sc, 1e11), sc.security.loss_mean_usd, "capped at $4.44M");
    }

    #[test]
    fn open_bases_and_backdoors_raise_exposure_and_the_standard_lowers_it() {
        let mut sc = Scenario::default();
        let api = incident_rate(&sc, 0, Some(Base::Platform(0)), 1e6, false);
        let open = incident_rate(&sc, 0, Some(Base::Open(AgentId(1))), 1e6, false);
        let doored = incident_rate(&sc, 0, Some(Base::Open(AgentId(1))), 1e6, true);
        assert!((open / api - sc.security.open_base_exposure).abs() < 1e-12);
        assert!((doored / open - sc.security.backdoor_exposure_factor).abs() < 1e-12);
        assert_eq!(
            incident_rate(&sc, 0, Some(Base::Platform(0)), 1e6, true),
            api,
            "a backdoored open release does not touch API-based firms"
        );
        sc.security.standard_from_month = 5;
        assert_eq!(incident_rate(&sc, 4, None, 1e6, false), api);
        assert!((incident_rate(&sc, 5, None, 1e6, false) / api - sc.security.mandatory_scanning_factor).abs() < 1e-12);
        assert!(
            full_hygiene_cost(&sc, 5, 0.0) < full_hygiene_cost(&sc, 4, 0.0),
            "public scanning"
        );
    }

    #[test]
    fn incidents_cost_money_and_customers_and_hygiene_is_paid() {
        let mut sc = Scenario::default();
        sc.security.incidents_per_year = 12.0; // one a month at unit exposure
        let (mut w, es) = startups(sc.clone(), 200, Base::Open(AgentId(1)), 50_000.0);
        w.run_system_cached(draw_incidents).unwrap();
        let n = incidents(&w);
        let ledger = w.resource::<RiskLedger>().clone();
        // At λ ≈ 2/month a loss far above hygiene's cost: every firm buys h_max, so the expected
        // count is 200 × λ × (1 − h_max) ≈ 41.
        assert!(ledger.firms.values().all(|r| r.hygiene == sc.security.hygiene_max));
        let lambda = incident_rate(&sc, 0, Some(Base::Open(AgentId(1))), 600_000.0, false);
        let expect = 200.0 * lambda * (1.0 - sc.security.hygiene_max);
        assert!(
            (f64::from(n) - expect).abs() < 4.0 * expect.sqrt(),
            "200 open-model startups should suffer ≈{expect:.0} incidents, got {n}"
        );
        for &e in &es {
            let id = testkit::id_of(&w, e);
            let r = &ledger.firms[&id];
            let b = books(&w, e);
            assert!(
                testkit::close(b.costs, r.loss + r.hygiene_cost),
                "costs {} = losses {} + hygiene {}",
                b.costs,
                r.loss,
                r.hygiene_cost
            );
            assert!(r.hygiene > 0.0 && r.hygiene <= sc.security.hygiene_max);
            let kept = w.get::<Startup>(e).unwrap().customers;
            let expect = 1000.0 * math::pow(1.0 - sc.security.customer_churn_per_incident, f64::from(r.incidents));
            assert!((kept - expect).abs() < 1e-9, "customers churn per incident");
            assert_eq!(r.loss > 0.0, r.incidents > 0, "a loss for every incident");
        }
    }

    #[test]
    fn the_security_standard_lowers_incidents_for_the_same_draws() {
        let mut sc = Scenario::default();
        sc.security.incidents_per_year = 6.0;
        let count = |sc: Scenario| {
            let (mut w, _) = startups(sc, 300, Base::Open(AgentId(1)), 20_000.0);
            w.run_system_cached(draw_incidents).unwrap();
            incidents(&w)
        };
        let before = count(sc.clone());
        sc.security.standard_from_month = 0;
        let after = count(sc);
        assert!(
            after < before,
            "mandatory scanning must cut incidents: {after} vs {before}"
        );
    }

    /// An open release of maker 0 at quality 10, month 0.
    fn release(backdoored: bool, discovered: Option<u32>, audited: bool) -> OpenRelease {
        OpenRelease {
            discovered,
            ..OpenRelease::new(AgentId(0), 10.0, 0, Licence::Permissive, backdoored, audited)
        }
    }
    #[test]
    fn only_startups_on_a_release_with_a_live_backdoor_are_exposed() {
        let mut sc = Scenario::default();
        sc.security.incidents_per_year = 6.0;
        let count = |backdoored: bool, discovered: bool| {
            let (mut w, _) = startups(sc.clone(), 300, Base::Open(AgentId(1)), 20_000.0);
            let mut rel = OpenReleases::default();
            rel.releases
                .insert(AgentId(1), release(backdoored, discovered.then_some(0), false));
            w.insert_resource(rel);
            w.run_system_cached(draw_incidents).unwrap();
            incidents(&w)
        };
        let (clean, live, found) = (count(false, false), count(true, false), count(true, true));
        assert!(
            live > 2 * clean,
            "a live backdoor multiplies exposure by {}: {live} vs {clean}",
            sc.security.backdoor_exposure_factor
        );
        assert_eq!(found, clean, "a discovered backdoor no longer exposes (same draws)");
    }

    /// Regression (issue 12): the hygiene choice read the hidden backdoor flag, so firms bought
    /// protection against what nobody had discovered.
    #[test]
    fn hygiene_does_not_see_an_undiscovered_backdoor_but_sees_disclosures() {
        // Default rates: hygiene is interior (well below h_max), so beliefs move it.
        let sc = Scenario::default();
        // Startups on release 1; releases 2.. are other releases in the public record.
        let hygiene = |rel1: OpenRelease, others: &[OpenRelease]| {
            let (mut w, _) = startups(sc.clone(), 20, Base::Open(AgentId(1)), 20_000.0);
            let mut rel = OpenReleases::default();
            rel.releases.insert(AgentId(1), rel1);
            for (k, r) in others.iter().enumerate() {
                rel.releases.insert(AgentId(2 + k as u64), r.clone());
            }
            w.insert_resource(rel);
            w.run_system_cached(draw_incidents).unwrap();
            let l = w.resource::<RiskLedger>();
            l.firms.values().map(|r| r.hygiene).sum::<f64>() / l.firms.len() as f64
        };
        let clean = hygiene(release(false, None, false), &[]);
        let hidden = hygiene(release(true, None, false), &[]);
        assert_eq!(
            clean, hidden,
            "an undiscovered backdoor must not change the hygiene bought"
        );
        let disclosed: Vec<_> = (0..5).map(|_| release(true, Some(0), false)).collect();
        let wary = hygiene(release(false, None, false), &disclosed);
        assert!(
            wary > clean,
            "disclosed backdoors elsewhere raise the believed risk and the hygiene: {wary} vs {clean}"
        );
        let audited = hygiene(release(false, None, true), &disclosed);
        assert!(
            audited < wary,
            "an audited release is believed safer: {audited} vs {wary}"
        );
        let rel = {
            let mut r = OpenReleases::default();
            r.releases.insert(AgentId(1), release(true, None, false));
            r
        };
        let k = sc.security.belief_prior_releases;
        let p0 = sc.open_source.backdoor_probability;
        assert!(
            (believed_backdoor_probability(&sc, &rel, Some(Base::Open(AgentId(1)))) - k * p0 / (1.0 + k)).abs() < 1e-12,
            "with no disclosures the belief is the prior, shrunk by one clean-looking release"
        );
        assert_eq!(believed_backdoor_probability(&sc, &rel, Some(Base::Platform(0))), 0.0);
    }

    #[test]
    fn a_platform_hit_by_an_incident_loses_users_who_stay_counted() {
        let mut sc = testkit::small_scenario();
        sc.security.user_churn_per_incident = 0.3;
        let mut w = testkit::world(sc);
        let platforms = testkit::spawn_platforms(&mut w);
        let before = w.resource::<Users>().people_by_option();
        let population = testkit::population(w.resource::<Users>());
        let alpha = testkit::id_of(&w, platforms[0]);
        w.resource_mut::<RiskLedger>().firms.insert(
            alpha,
            FirmRisk {
                incidents: 1,
                ..Default::default()
            },
        );
        w.run_system_cached(shed_platform_users).unwrap();
        let users = w.resource::<Users>();
        let after = users.people_by_option();
        let lost = 1.0 - after[0] / before[0];
        assert!(
            (0.2..0.4).contains(&lost),
            "Alpha should lose ≈30% of its users, lost {lost}"
        );
        assert!(
            after[1] <= before[1] + 1e-9,
            "Beta was not hit and gains nobody from churn"
        );
        assert!(
            testkit::close(users.counts.iter().sum(), population),
            "users leaving a platform are conserved"
        );
        assert_eq!(users.counts, users.recount(), "counts match a recount");
    }
}

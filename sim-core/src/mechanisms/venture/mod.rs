//! Venture finance and sentiment; acqui-hires; survival by cohort (ODD §7.17).
//!
//! **Sentiment.** The industry's "vibes" are an index `S_t` (1 = neutral) driven by the
//! momentum of sector returns. Sector revenue `R_t` is the revenue of labs and startups (summed
//! in id order); its monthly log growth `g_t = ln(R_t / R_{t−1})` enters a fast and a slow
//! exponential average, the momentum `m_t = m_{t−1} + (g_t − m_{t−1}) / momentum_months` and the
//! trend `τ_t = τ_{t−1} + (g_t − τ_{t−1}) / trend_months` (both start at the first observed
//! growth), and
//!
//! `S_t = clamp(S_{t−1} + κ (1 − S_{t−1}) + η (m_t − τ_t) + σ ε_t, S_min, S_max)`,
//!
//! with `ε_t` a standard normal from the [`Stream::SentimentShock`] stream. Growth accelerating
//! above its trend lifts sentiment (a moving-average crossover: the market judges returns
//! against what it has become used to, so a maturing sector whose growth slows is not in a
//! permanent bust), decelerating growth or a revenue drop depresses it; sentiment and sentiment feeds back into funding and entry, so the
//! index can boom and bust; the reversion `κ` and the clamp keep it bounded
//! (EVIDENCE.md §2.14: VC arrivals `Poisson(λ_VC · H_t)`, `H_t` a return-momentum index).
//! Sentiment acts in [`finance::raise_funding`](super::finance::raise_funding) (the round logit
//! shifts by `round_sentiment_weight · ln S`, round sizes scale by `S^e`) and in
//! [`startups::enter_startups`](super::startups::enter_startups) (`λ = λ₀ S^η_s (p_ref/p_spot)^η`).
//!
//! **Acqui-hires.** A startup in distress — cash negative after this month's funding, i.e. no
//! round came — is acqui-hired instead of shutting down with probability
//! `logistic(logit p₀ + w_q (q_i − q̄) + w_t ln(team_i / team_ref))` (q̄: mean startup quality),
//! drawn from its own [`Stream::AcquiHire`] stream. The acquirer is drawn with probability
//! proportional to cash among the labs (frontier and open-weights) and the startups not in
//! distress that hold at least `acquirer_cash_multiple` × the price; the price is
//! `acquihire_price_usd_per_employee · team · S` (paid from the acquirer's books as a cost and
//! into the target's as funding, so the accounting identity holds). The team moves: a lab's
//! staff, or a startup acquirer's team, grows by it. Customers: a startup acquirer takes over
//! the target's customers (it buys the product with the team); a lab shuts the app down (it
//! buys the team, as in Character.ai → Google, Windsurf → Google), so the customers are lost.
//! The target is marked [`AcquiredBy`] and leaves the market in
//! [`finance::exit_firms`](super::finance::exit_firms) with cause
//! [`ExitCause::AcquiHire`]; without an acquirer with enough cash it exits for cash. (Healthy,
//! successful startups can instead be bought by a frontier lab in a *strategic acquisition*,
//! see [`platform_entry`](super::platform_entry): they keep operating, marked
//! [`OwnedBy`](crate::state::OwnedBy), and may lose their API access.)
//!
//! **Survival by cohort.** [`Cohorts`] records every startup's founding month and, once it
//! leaves, its exit month and cause (a `BTreeMap` by id). The recorder reads survival at 12
//! and 60 months of the cohorts founded during the run and old enough, and the trailing
//! 12-month hazard of startups in their first year.
//!
//! Reads: [`Books`] (revenue), [`Startup`], [`Lab`], [`Config`]. Writes: [`Sentiment`],
//! [`Cohorts`], acquirers' and targets' [`Books`], [`Staff`], [`Startup`] (team, customers),
//! [`AcquiredBy`].
//!
//! Guardrails: sentiment is clamped to `[sentiment_min, sentiment_max]`; growth is only taken
//! when both months' sector revenue is positive, and clamped to ±1 per month; an acquirer keeps
//! at least `(acquirer_cash_multiple − 1)` × the price in cash.

pub mod params;

mod hash;
pub mod init;
pub mod report;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    ..crate::mechanism::Mechanism::new("venture")
};

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::math;
use crate::params::FirmKind;
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// The market sentiment index and the momentum behind it.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Sentiment {
    /// The index `S_t` (1 = neutral).
    pub level: f64,
    /// Fast exponential average of the monthly log growth of sector revenue.
    pub momentum: f64,
    /// Slow exponential average of the same growth.
    pub trend: f64,
    /// Months in which growth was observed.
    pub observed: u32,
    /// Sector revenue (labs and startups) of the last month.
    pub sector_revenue: f64,
}

impl Sentiment {
    /// The initial sentiment, no growth observed yet.
    pub fn new(sc: &crate::params::Scenario) -> Self {
        Self {
            level: sc.venture.initial_sentiment,
            momentum: 0.0,
            trend: 0.0,
            observed: 0,
            sector_revenue: 0.0,
        }
    }
}

/// A startup's founding month and, once it left, its exit month and cause.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CohortEntry {
    /// Month founded (negative: before the run).
    pub founded: i32,
    /// Month it left the market and why.
    pub exit: Option<(u32, ExitCause)>,
}

/// Every startup that ever existed, by id.
#[derive(Resource, Clone, Debug, Default)]
pub struct Cohorts(pub BTreeMap<AgentId, CohortEntry>);

impl Cohorts {
    /// Registers a startup founded in `founded`.
    pub fn found(&mut self, id: AgentId, founded: i32) {
        self.0.insert(id, CohortEntry { founded, exit: None });
    }

    /// Records that startup `id` left in `month` for `cause` (ignored for unknown ids).
    pub fn exit(&mut self, id: AgentId, month: u32, cause: ExitCause) {
        if let Some(e) = self.0.get_mut(&id) {
            e.exit = Some((month, cause));
        }
    }

    /// Survival to `horizon` months of age of the startups founded during the run (month ≥ 0)
    /// at least `horizon` months before `month`: the share not exited by age `horizon`.
    /// `None` while no cohort is old enough.
    pub fn survival(&self, month: u32, horizon: u32) -> Option<f64> {
        let (mut eligible, mut alive) = (0u64, 0u64);
        for e in self.0.values() {
            if e.founded < 0 || e.founded as u32 + horizon > month {
                continue;
            }
            eligible += 1;
            // Exiting in month f + a means living a months; surviving `horizon` needs a > horizon.
            if e.exit.is_none_or(|(m, _)| m > e.founded as u32 + horizon) {
                alive += 1;
            }
        }
        (eligible > 0).then(|| alive as f64 / eligible as f64)
    }

    /// Annualised exit hazard of startups in their first year, over the 12 months to `month`:
    /// `1 − (1 − exits / months at risk)^12`, where a startup is at risk in each month it was
    /// alive at ages 0–11 (its exit month included). `None` without startup-months at risk.
    pub fn year1_hazard(&self, month: u32) -> Option<f64> {
        let m = i64::from(month);
        let lo = m - 11;
        let (mut at_risk, mut exits) = (0i64, 0i64);
        for e in self.0.values() {
            let f = i64::from(e.founded);
            let last = match e.exit {
                Some((x, _)) => i64::from(x),
                None => m,
            };
            let (from, to) = (f.max(lo).max(0), (f + 11).min(last).min(m));
            if to >= from {
                at_risk += to - from + 1;
            }
            if let Some((x, _)) = e.exit {
                let x = i64::from(x);
                if x >= lo && x <= m && x - f <= 11 {
                    exits += 1;
                }
            }
        }
        (at_risk > 0).then(|| 1.0 - math::pow(1.0 - exits as f64 / at_risk as f64, 12.0))
    }
}

/// Updates the sentiment index from the month's sector revenue.
pub fn update_sentiment(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut s: ResMut<Sentiment>,
    firms: Query<(&AgentId, &Firm, &Books)>,
) {
    let v = &cfg.0.venture;
    let mut rows: Vec<(AgentId, f64)> = firms
        .iter()
        .filter(|(_, f, _)| f.kind != FirmKind::Neocloud)
        .map(|(id, _, b)| (*id, b.revenue))
        .collect();
    rows.sort_unstable_by_key(|r| r.0);
    let revenue: f64 = rows.iter().map(|r| r.1).sum();
    if revenue > 0.0 && s.sector_revenue > 0.0 {
        let g = math::ln(revenue / s.sector_revenue).clamp(-1.0, 1.0);
        if s.observed == 0 {
            (s.momentum, s.trend) = (g, g);
        } else {
            s.momentum += (g - s.momentum) / v.momentum_months;
            s.trend += (g - s.trend) / v.trend_months;
        }
        s.observed = s.observed.saturating_add(1);
    }
    s.sector_revenue = revenue;
    let eps = rng::stream(cfg.0.run.seed, Stream::SentimentShock, 0, clock.month).normal();
    let next = s.level
        + v.reversion_per_month * (1.0 - s.level)
        + v.momentum_weight * (s.momentum - s.trend)
        + v.noise_sigma * eps;
    s.level = next.clamp(v.sentiment_min, v.sentiment_max);
}

/// Startups in distress may be bought for their team instead of shutting down.
pub fn acquihire_startups(
    mut commands: Commands,
    cfg: Res<Config>,
    clock: Res<Clock>,
    sentiment: Res<Sentiment>,
    mut firms: Query<(
        Entity,
        &AgentId,
        &mut Books,
        Option<&Lab>,
        Option<&mut Startup>,
        Option<&mut Staff>,
    )>,
) {
    let sc = &cfg.0;
    let v = &sc.venture;
    // Startups (id, entity, quality, team, customers, distressed).
    let mut startups: Vec<(AgentId, Entity, f64, f64, f64, bool)> = firms
        .iter()
        .filter_map(|(e, id, b, _, s, _)| s.map(|s| (*id, e, s.quality, s.team, s.customers, b.cash < 0.0)))
        .collect();
    startups.sort_unstable_by_key(|r| r.0);
    if !startups.iter().any(|r| r.5) {
        return;
    }
    let q_mean = startups.iter().map(|r| r.2).sum::<f64>() / startups.len() as f64;
    // Possible acquirers with their cash (updated as they buy).
    let mut buyers: Vec<(AgentId, Entity, f64)> = firms
        .iter()
        .filter(|(_, _, b, lab, s, _)| (lab.is_some() || s.is_some()) && b.cash > 0.0)
        .map(|(e, id, b, _, _, _)| (*id, e, b.cash))
        .collect();
    buyers.sort_unstable_by_key(|r| r.0);
    let p0 = v.acquihire_probability.clamp(1e-9, 1.0 - 1e-9);
    for &(id, entity, quality, team, customers, distressed) in &startups {
        if !distressed || v.acquihire_probability <= 0.0 {
            continue;
        }
        let mut d = rng::stream(sc.run.seed, Stream::AcquiHire, id.0, clock.month);
        let p = math::logistic(
            math::ln(p0 / (1.0 - p0))
                + v.acquihire_quality_weight * (quality - q_mean)
                + v.acquihire_team_weight * math::ln(team.max(1.0) / v.acquihire_team_reference),
        );
        if !d.bernoulli(p) {
            continue;
        }
        let price = v.acquihire_price_usd_per_employee * team * sentiment.level;
        let weights: Vec<f64> = buyers
            .iter()
            .map(|b| {
                if b.0 != id && b.2 >= v.acquirer_cash_multiple * price {
                    b.2
                } else {
                    0.0
                }
            })
            .collect();
        let Some(k) = rng::pick_weighted(&weights, d.uniform()) else {
            continue;
        };
        let (buyer_id, buyer) = (buyers[k].0, buyers[k].1);
        buyers[k].2 -= price;
        if let Ok((_, _, mut b, _, s, staff)) = firms.get_mut(buyer) {
            b.spend(price);
            match (s, staff) {
                (Some(mut s), _) => {
                    s.team += team;
                    s.customers += customers;
                }
                (None, Some(mut staff)) => staff.0 += team,
                (None, None) => {}
            }
        }
        if let Ok((_, _, mut b, _, _, _)) = firms.get_mut(entity) {
            b.fund(price);
        }
        commands.entity(entity).insert(AcquiredBy(buyer_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, close, fleet, spawn_firm};
    use crate::params::Scenario;

    fn sentiment_world(sc: Scenario) -> World {
        let mut w = testkit::world(sc.clone());
        w.insert_resource(Sentiment::new(&sc));
        w
    }

    /// Runs `update_sentiment` for `months` months with sector revenue growing by `growth(month)`
    /// a month (log), returning the sentiment path.
    fn sentiment_path(sc: Scenario, growth: impl Fn(u32) -> f64, months: u32) -> Vec<f64> {
        let mut w = sentiment_world(sc);
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
        let mut revenue = 1e6;
        let mut path = Vec::new();
        for month in 0..months {
            w.resource_mut::<Clock>().month = month;
            w.get_mut::<Books>(lab).unwrap().revenue = revenue;
            w.run_system_cached(update_sentiment).unwrap();
            revenue *= math::exp(growth(month));
            path.push(w.resource::<Sentiment>().level);
        }
        path
    }

    #[test]
    fn sentiment_booms_when_growth_accelerates_and_busts_when_it_stalls() {
        let mut sc = Scenario::default();
        sc.venture.noise_sigma = 0.0;
        let steady = sentiment_path(sc.clone(), |_| 0.03, 48);
        assert!(
            steady.iter().all(|s| close(*s, 1.0)),
            "steady growth, whatever its rate, keeps sentiment neutral: {steady:?}"
        );
        // Growth at 1%/month for two years, then 6%/month (a boom), then flat (a bust).
        let path = sentiment_path(
            sc.clone(),
            |m| match m {
                0..24 => 0.01,
                24..42 => 0.06,
                _ => 0.0,
            },
            66,
        );
        let (boom, bust) = (path[41], path[65]);
        assert!(boom > 1.3, "accelerating sector revenue lifts sentiment: {boom}");
        assert!(bust < 0.8, "stalling revenue after a boom depresses it: {bust}");
        let runaway = sentiment_path(sc.clone(), |m| if m < 12 { 0.0 } else { 0.9 }, 24);
        assert!(
            close(*runaway.last().unwrap(), sc.venture.sentiment_max),
            "explosive growth is clamped at sentiment_max: {runaway:?}"
        );
    }

    #[test]
    fn sentiment_noise_comes_from_its_stream() {
        let mut sc = Scenario::default();
        let a = sentiment_path(sc.clone(), |_| 0.02, 24);
        assert_eq!(a, sentiment_path(sc.clone(), |_| 0.02, 24), "same seed, same path");
        assert!(a.iter().any(|s| *s != 1.0), "with noise the index moves");
        sc.run.seed += 1;
        assert!(a != sentiment_path(sc, |_| 0.02, 24), "another seed, another path");
    }

    fn spawn_app(w: &mut World, cash: f64, team: f64, quality: f64, customers: f64) -> Entity {
        let e = spawn_firm(w, FirmKind::Startup, cash, fleet(0.0, 0.0));
        w.entity_mut(e).insert(Startup {
            base: Base::Open(AgentId(0)),
            customers,
            team,
            finetune_flop: 0.0,
            quality,
            cohort: 0,
        });
        e
    }

    #[test]
    fn a_distressed_startup_is_acquihired_by_a_firm_with_cash_which_pays_and_takes_the_team() {
        let mut sc = Scenario::default();
        sc.venture.acquihire_probability = 1.0 - 1e-12;
        let mut w = sentiment_world(sc.clone());
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
        w.entity_mut(lab).insert((Lab::default(), Staff(100.0)));
        // A lessor with cash is not an acquirer.
        spawn_firm(&mut w, FirmKind::Neocloud, 1e12, fleet(0.0, 0.0));
        let target = spawn_app(&mut w, -1e5, 8.0, 10.0, 500.0);
        let healthy = spawn_app(&mut w, 1e4, 5.0, 10.0, 100.0);
        w.run_system_cached(acquihire_startups).unwrap();
        let lab_id = testkit::id_of(&w, lab);
        assert_eq!(
            w.get::<AcquiredBy>(target).map(|a| a.0),
            Some(lab_id),
            "the only buyer with enough cash, the lab, acquires the distressed startup"
        );
        assert!(
            w.get::<AcquiredBy>(healthy).is_none(),
            "a startup with cash is not sold"
        );
        let price = sc.venture.acquihire_price_usd_per_employee * 8.0;
        assert!(
            close(books(&w, lab).costs, price),
            "the acquirer pays team × price per head"
        );
        assert!(close(books(&w, target).funding, price), "the target receives the price");
        assert_eq!(w.get::<Staff>(lab).unwrap().0, 108.0, "the team joins the lab's staff");
    }

    #[test]
    fn a_startup_acquirer_takes_over_the_customers_and_nobody_buys_without_cash() {
        let mut sc = Scenario::default();
        sc.venture.acquihire_probability = 1.0 - 1e-12;
        let mut w = sentiment_world(sc.clone());
        let big = spawn_app(&mut w, 1e9, 20.0, 10.0, 10_000.0);
        let target = spawn_app(&mut w, -1.0, 6.0, 10.0, 700.0);
        w.run_system_cached(acquihire_startups).unwrap();
        assert!(w.get::<AcquiredBy>(target).is_some(), "the big startup buys the team");
        let s = w.get::<Startup>(big).unwrap();
        assert_eq!((s.team, s.customers), (26.0, 10_700.0), "team and customers move");

        let mut w = sentiment_world(sc);
        spawn_app(&mut w, 1e6, 20.0, 10.0, 10_000.0); // cash below 3 × the price
        let target = spawn_app(&mut w, -1.0, 6.0, 10.0, 700.0);
        w.run_system_cached(acquihire_startups).unwrap();
        assert!(
            w.get::<AcquiredBy>(target).is_none(),
            "without a buyer holding acquirer_cash_multiple × the price there is no deal"
        );
    }

    #[test]
    fn better_and_bigger_teams_are_acquihired_more_often() {
        let sc = Scenario::default();
        let mut w = sentiment_world(sc.clone());
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e13, fleet(0.0, 0.0));
        w.entity_mut(lab).insert((Lab::default(), Staff(10.0)));
        // Three groups of 300 distressed startups; mean quality 10.
        let group = |w: &mut World, quality: f64, team: f64| -> Vec<Entity> {
            (0..300).map(|_| spawn_app(w, -1.0, team, quality, 0.0)).collect()
        };
        let (weak, strong, big) = (
            group(&mut w, 7.0, 6.0),
            group(&mut w, 13.0, 6.0),
            group(&mut w, 10.0, 24.0),
        );
        w.run_system_cached(acquihire_startups).unwrap();
        let sold = |g: &[Entity]| g.iter().filter(|&&t| w.get::<AcquiredBy>(t).is_some()).count();
        let (weak, strong, big) = (sold(&weak), sold(&strong), sold(&big));
        let at_mean = 300.0 * sc.venture.acquihire_probability;
        assert!(
            (weak as f64) < at_mean && (strong as f64) > at_mean,
            "quality below the mean lowers the odds, above raises them: {weak} and {strong} vs {at_mean}"
        );
        assert!(
            big as f64 > 1.5 * at_mean,
            "a team 4x the reference raises the odds: {big} vs {at_mean}"
        );
    }

    #[test]
    fn survival_and_hazard_count_cohorts_by_age() {
        let mut c = Cohorts::default();
        // Four startups founded in month 0: one exits at age 5, one at 30, one at 70, one lives.
        for (i, exit) in [Some(5), Some(30), Some(70), None].into_iter().enumerate() {
            let id = AgentId(i as u64 + 1);
            c.found(id, 0);
            if let Some(m) = exit {
                c.exit(id, m, ExitCause::Cash);
            }
        }
        c.found(AgentId(9), -20); // founded before the run: not in the cohort survival
        assert_eq!(c.survival(11, 12), None, "no cohort is 12 months old yet");
        assert_eq!(c.survival(12, 12), Some(0.75), "one of four exited in its first year");
        assert_eq!(c.survival(100, 60), Some(0.5), "two of four exited within five years");
        // Hazard in months 0-11: 4 at risk until month 5, 3 after; one exit.
        let at_risk = 4.0 * 6.0 + 3.0 * 6.0;
        let expect = 1.0 - math::pow(1.0 - 1.0 / at_risk, 12.0);
        assert!(close(c.year1_hazard(11).unwrap(), expect), "trailing year-1 hazard");
        assert_eq!(c.year1_hazard(40), None, "no startup in its first year since month 28");
        c.found(AgentId(10), 35);
        assert_eq!(c.year1_hazard(40), Some(0.0), "a young startup at risk, no exit");
    }
}

//! Startups: the app market and startup entry (ODD §7.13).
//!
//! **App market.** Each month `app_adoption_per_month` of the people on some AI platform start
//! using an app; the inflow is split over the app niches ([`platform_entry`]) by demand share,
//! and within a niche the startups (and any platform's own app) win newcomers in proportion to
//! their attraction `A_i = e^{θ_app (q_i − q_max)} · (1 + K_i / K_0)^α · ε_i` (fitness ×
//! preferential attachment × a lognormal acquisition shock with mean 1 and log-scale sigma
//! `acquisition_noise_sigma · (1 + K_i / K_0)^(−β)`); they lose `customer_churn_per_month` of
//! their customers, and the customer base itself takes a Gibrat shock,
//! `K ← K · g_i · (1 − churn) + won`, `g_i` lognormal with mean 1 and log-scale sigma
//! `σ(K) = σ_0 (1 + K / K0)^(−β)` (Stanley et al. 1996: a large app's many independent customers
//! average out, β ≈ 0.2). This is a Simon–Yule process with fitness: it produces heavy-tailed
//! firm sizes and, pooling firms whose volatility differs with size, tent-shaped growth rates
//! whose volatility falls with size. Revenue is
//! `K_i · arpu · served_fraction` (an unserved customer does not pay); an API-based startup pays
//! its platform the platform's API fee per customer (`api_fee_usd_per_customer`, capped by the
//! open tier: [`open_source`](super::open_source)). Teams grow with revenue
//! (`revenue / revenue_per_employee`).
//!
//! **Entry.** New startups arrive as `Poisson(λ)`,
//! `λ = entry_rate · S^η_S · (p_ref · c_t / p_spot)^η` (`entry_rate_per_month`,
//! `entry_sentiment_elasticity`, `entry_reference_price_usd`, `entry_price_elasticity`):
//! entry rises with the market sentiment index `S` of [`venture`](super::venture) (VC arrivals
//! `Poisson(λ_VC · H_t)`, EVIDENCE.md §2.14) and dear compute deters it. `c_t` is the cost
//! index `f^(t/12)` of [`supply`](super::supply) ([`Market::cost_index`], 1 at month 0): the
//! reference price falls with it, so compute is "dear" relative to the trend cost per
//! H100e-hour, and the secular fall of compute prices alone does not raise entry. This is the
//! only place the mechanism reads the cost index; startups' GPU running costs scale with it in
//! [`finance`](super::finance) (`owned · 730 h · variable_cost · c_t`), and the compute they
//! rent is priced by the spot market, whose lessors' break-even scales with it. Entrants are
//! registered in the [`Cohorts`] with their founding month. An entrant draws its seed round (lognormal), team size, home nation
//! (weighted by internet users × GDP per capita) and base model: a logit over alive platforms'
//! quality and the open nest valued at the best usable open release (`base_theta_quality`,
//! `base_open_bonus`); within the nest [`open_source`](super::open_source) picks the release.
//!
//! Reads: [`Users`] (adopted people), [`PlatformTable`], [`Market`], [`Sentiment`]. Writes:
//! [`Startup`], startups' and platforms' [`Books`], new startup entities, [`Cohorts`].

pub mod params;

mod hash;
pub mod init;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    populate: init::populate,
    ..crate::mechanism::Mechanism::new("startups")
};

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use super::platform_entry::{self, Niches};
use super::users::Users;
use super::venture::{Cohorts, Sentiment};
use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Draws, Source, Stream};
use crate::state::*;

/// The components of a new startup.
pub type StartupBundle = (AgentId, Firm, Books, Fleet, Startup, AppNiche);

/// Draws a new startup's traits. `month` is its founding month (negative for initial firms).
pub fn new_startup(
    sc: &Scenario,
    table: &PlatformTable,
    open: &OpenReleases,
    id: AgentId,
    month: i32,
    d: &mut Draws,
) -> StartupBundle {
    let st = &sc.startups;
    let cash = if st.seed_cash_usd > 0.0 {
        d.lognormal_mean(st.seed_cash_usd, st.seed_cash_sigma)
    } else {
        0.0
    };
    let team = f64::from(d.int_inclusive(st.team_min, st.team_max));
    // Home nation by economic weight.
    let weights: Vec<f64> = sc
        .nations
        .iter()
        .map(|n| n.internet_users_millions * n.gdp_per_capita_usd)
        .collect();
    let nation = rng::pick_weighted(&weights, d.uniform()).unwrap_or(0) as u16;
    // Base model: platforms by quality, or the open nest (valued at the best usable release).
    let best_open = open.best_usable().map_or(f64::NEG_INFINITY, |b| b.1);
    let mut utils: Vec<f64> = table
        .slots
        .iter()
        .map(|s| {
            if s.alive && s.kind == Some(FirmKind::Frontier) {
                st.base_theta_quality * s.quality
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    utils.push(if best_open.is_finite() {
        st.base_theta_quality * best_open + st.base_open_bonus
    } else {
        f64::NEG_INFINITY
    });
    let vmax = utils.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = utils
        .iter()
        .map(|&u| if u.is_finite() { math::exp(u - vmax) } else { 0.0 })
        .collect();
    let base = match rng::pick_weighted(&w, d.uniform()) {
        Some(k) if k < table.slots.len() => Base::Platform(k as Slot),
        _ => super::open_source::open_base_for_entrant(sc, open, table, id, month),
    };
    let mut books = Books::default();
    books.fund(cash);
    (
        id,
        Firm {
            kind: FirmKind::Startup,
            name: format!("startup-{}", id.0),
            nation,
            founded: month,
        },
        books,
        Fleet {
            served_fraction: 1.0,
            ..Default::default()
        },
        Startup {
            base,
            customers: 0.0,
            team,
            finetune_flop: 0.0,
            quality: 0.0,
            cohort: month,
        },
        super::platform_entry::draw_niche(sc, id, month),
    )
}

/// `(1 + K / K0)^(−β)`: how much less volatile an app with `K` customers grows than a new one.
pub fn size_factor(st: &crate::params::Startups, customers: f64) -> f64 {
    math::pow(1.0 + customers / st.attachment_scale, -st.size_volatility_beta)
}

/// Monthly log-scale sigma of an app's customer-base shock: `σ_0 (1 + K / K0)^(−β)`.
pub fn stock_sigma(st: &crate::params::Startups, customers: f64) -> f64 {
    st.stock_noise_sigma * size_factor(st, customers)
}

/// One app competing in a niche this month: a startup (row index) or a platform's own app
/// (entry index in the niche).
#[derive(Clone, Copy)]
enum App {
    Startup(usize),
    Own(usize),
}

/// App customers come and go, niche by niche; startups earn revenue and pay API fees to their
/// platform; platforms' own apps earn their customers' revenue.
#[allow(clippy::too_many_arguments)]
pub fn serve_app_customers(
    cfg: Res<Config>,
    clock: Res<Clock>,
    market: Res<Market>,
    users: Res<Users>,
    mut niches: ResMut<Niches>,
    table: Res<PlatformTable>,
    mut startups: Query<(&AgentId, &mut Startup, &Fleet, &mut Books, Option<&AppNiche>), Without<Platform>>,
    mut platforms: Query<(&AgentId, &Platform, Option<&Lab>, &Fleet, &mut Books), Without<Startup>>,
) {
    let sc = &cfg.0;
    let st = &sc.startups;
    let pe = &sc.platform_entry;
    let ban = platform_entry::banned(sc, clock.month);
    let people = users.people_by_option();
    let adopted: f64 = people[..people.len() - 1].iter().sum();
    let inflow = st.app_adoption_per_month * adopted * st.app_market_scale;
    let specs = sc.app_niches();
    let share_total: f64 = specs.iter().map(|n| n.demand_share).sum();
    let mut rows: Vec<_> = startups.iter_mut().collect();
    rows.sort_unstable_by_key(|r| *r.0);
    // Platforms by slot: (quality of the own app, served fraction).
    let mut by_slot = vec![(f64::NEG_INFINITY, 1.0); 256];
    for (_, p, lab, fleet, _) in &platforms {
        by_slot[p.slot as usize] = (
            lab.map_or(0.0, |l| l.served_quality) + pe.own_app_quality_points,
            fleet.served_fraction,
        );
    }
    let q_max = rows
        .iter()
        .map(|r| r.1.quality)
        .chain(niches.niches.iter().flat_map(|n| {
            n.entries
                .iter()
                .filter(|e| e.active())
                .map(|e| by_slot[e.slot as usize].0)
        }))
        .fold(f64::NEG_INFINITY, f64::max);
    let attract = |q: f64, customers: f64, shock: f64| {
        math::exp(st.theta_app_quality * (q - q_max))
            * math::pow(1.0 + customers / st.attachment_scale, st.attachment_alpha)
            * shock
    };
    let mut stock_shocks = Vec::with_capacity(rows.len());
    let attraction: Vec<f64> = rows
        .iter()
        .map(|(id, s, _, _, _)| {
            let mut d = rng::stream(sc.run.seed, Stream::AppDemand, id.0, clock.month);
            let f = size_factor(st, s.customers);
            let shock = d.lognormal_mean(1.0, st.acquisition_noise_sigma * f);
            stock_shocks.push(d.lognormal_mean(1.0, st.stock_noise_sigma * f));
            attract(s.quality, s.customers, shock)
        })
        .collect();
    let niche_of = |n: Option<&AppNiche>| (n.map_or(0, |n| n.0) as usize).min(specs.len() - 1);
    let bonus = if ban { 1.0 } else { math::exp(pe.default_bonus) };
    let mut won = vec![0.0; rows.len()];
    let mut fees = vec![0.0; 256];
    let mut own_revenue: Vec<(Slot, f64)> = Vec::new();
    for (k, spec) in specs.iter().enumerate() {
        let niche = &mut niches.niches[k];
        let inflow_k = if share_total > 0.0 {
            inflow * spec.demand_share / share_total
        } else {
            0.0
        };
        let mut apps: Vec<(App, f64)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| niche_of(r.4) == k)
            .map(|(i, _)| (App::Startup(i), attraction[i]))
            .collect();
        for (j, e) in niche.entries.iter().enumerate().filter(|(_, e)| e.active()) {
            let mut d = platform_entry::app_stream(sc, e.platform, k, clock.month);
            let a = attract(
                by_slot[e.slot as usize].0,
                e.customers,
                d.lognormal_mean(1.0, st.acquisition_noise_sigma * size_factor(st, e.customers)),
            );
            apps.push((App::Own(j), a));
        }
        // Segments of the inflow: each entrant's own users (its app placed by default), the rest.
        let mut segments: Vec<(Option<usize>, f64)> = Vec::new();
        let mut own_users = 0.0;
        if !ban && adopted > 0.0 {
            for (j, e) in niche.entries.iter().enumerate().filter(|(_, e)| e.active()) {
                let s = people.get(e.slot as usize).copied().unwrap_or(0.0) / adopted;
                own_users += s;
                segments.push((Some(j), s));
            }
        }
        segments.push((None, (1.0 - own_users).max(0.0)));
        let mut own_won = vec![0.0; niche.entries.len()];
        for (seg, weight) in segments {
            let boosted = |app: &App, a: f64| match (app, seg) {
                (App::Own(j), Some(s)) if *j == s => a * bonus,
                _ => a,
            };
            let total: f64 = apps.iter().map(|(app, a)| boosted(app, *a)).sum();
            if total <= 0.0 {
                continue;
            }
            for (app, a) in &apps {
                let w = inflow_k * weight * boosted(app, *a) / total;
                match app {
                    App::Startup(i) => won[*i] += w,
                    App::Own(j) => own_won[*j] += w,
                }
            }
        }
        // Churn, and the default-placed own apps pulling the startups' customers over.
        let (mut revenue, mut customers, mut weighted_q) = (0.0, 0.0, 0.0);
        let mut pulled = vec![0.0; niche.entries.len()];
        for (app, _) in &apps {
            let App::Startup(i) = *app else { continue };
            let (_, s, fleet, books, _) = &mut rows[i];
            let mut kept = s.customers * stock_shocks[i] * (1.0 - st.customer_churn_per_month);
            if !ban {
                for (j, e) in niche.entries.iter().enumerate().filter(|(_, e)| e.active()) {
                    let lost = kept * platform_entry::entry_churn(sc, market.algo_efficiency, s, e.slot);
                    kept -= lost;
                    pulled[j] += lost;
                }
            }
            s.customers = kept + won[i];
            let r = s.customers * st.arpu_usd * fleet.served_fraction;
            books.earn(r);
            s.team = s.team.max(r / st.revenue_per_employee_usd);
            if let Base::Platform(slot) = s.base {
                let fee = s.customers
                    * table
                        .slots
                        .get(slot as usize)
                        .map_or(st.api_fee_usd_per_customer, |t| t.api_fee);
                books.spend(fee);
                fees[slot as usize] += fee;
            }
            revenue += r;
            customers += s.customers;
            weighted_q += s.customers * s.quality;
        }
        niche.quality = if customers > 0.0 { weighted_q / customers } else { 0.0 };
        for (j, e) in niche.entries.iter_mut().enumerate().filter(|(_, e)| e.ended.is_none()) {
            e.customers = e.customers * (1.0 - st.customer_churn_per_month) + own_won[j] + pulled[j];
            let r = e.customers * st.arpu_usd * by_slot[e.slot as usize].1;
            own_revenue.push((e.slot, r));
            revenue += r;
            customers += e.customers;
        }
        niche.revenue = revenue;
        niche.customers = customers;
    }
    for (s, r) in own_revenue {
        fees[s as usize] += r;
    }
    for (_, p, _, _, mut b) in &mut platforms {
        if fees[p.slot as usize] > 0.0 {
            b.earn(fees[p.slot as usize]);
        }
    }
}

/// What startup entry reads of the month: the scenario and clock, and the signals founders
/// respond to (venture sentiment, the spot price against the cost index, the platforms and open
/// models they can build on).
#[derive(SystemParam)]
pub struct EntryConditions<'w> {
    cfg: Res<'w, Config>,
    clock: Res<'w, Clock>,
    market: Res<'w, Market>,
    table: Res<'w, PlatformTable>,
    open: Res<'w, OpenReleases>,
    sentiment: Res<'w, Sentiment>,
}

/// Poisson entry of new startups.
pub fn enter_startups(
    mut commands: Commands,
    conditions: EntryConditions,
    mut dir: ResMut<Directory>,
    mut flows: ResMut<MonthFlows>,
    mut cohorts: ResMut<Cohorts>,
) {
    let EntryConditions {
        cfg,
        clock,
        market,
        table,
        open,
        sentiment,
    } = conditions;
    let sc = &cfg.0;
    let st = &sc.startups;
    let lambda = st.entry_rate_per_month
        * math::pow(sentiment.level, sc.venture.entry_sentiment_elasticity)
        * math::pow(
            st.entry_reference_price_usd * market.cost_index / market.spot_price.max(1e-6),
            st.entry_price_elasticity,
        );
    let n = rng::stream(sc.run.seed, Stream::StartupEntry, 0, clock.month).poisson(lambda);
    for _ in 0..n {
        let id = dir.allocate();
        let mut d = rng::stream(sc.run.seed, Stream::StartupTraits, id.0, clock.month);
        let bundle = new_startup(sc, &table, &open, id, clock.month as i32, &mut d);
        let e = commands.spawn(bundle).id();
        dir.entities.insert(id, e);
        cohorts.found(id, clock.month as i32);
    }
    flows.entered += n;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, close, fleet, spawn_firm};

    /// The small scenario's world, its three platforms spawned, entry at `rate` a month.
    fn platform_world(rate: f64) -> (World, Vec<Entity>) {
        let mut sc = testkit::small_scenario();
        sc.startups.entry_rate_per_month = rate;
        let mut w = testkit::world(sc);
        let platforms = testkit::spawn_platforms(&mut w);
        (w, platforms)
    }

    fn spawn_app(w: &mut World, base: Base, customers: f64) -> Entity {
        let e = spawn_firm(w, FirmKind::Startup, 1e6, fleet(0.0, 0.0));
        w.entity_mut(e).insert(Startup {
            base,
            customers,
            team: 3.0,
            finetune_flop: 0.0,
            quality: 10.0,
            cohort: 0,
        });
        e
    }

    fn entrants(rate: f64, spot_price: f64) -> u32 {
        let (mut w, _) = platform_world(rate);
        w.resource_mut::<Market>().spot_price = spot_price;
        w.run_system_cached(enter_startups).unwrap();
        w.resource::<MonthFlows>().entered
    }

    #[test]
    fn entrants_get_fresh_ids_registered_in_the_directory() {
        let (mut w, _) = platform_world(40.0);
        w.resource_mut::<Clock>().month = 7;
        let first_new = w.resource::<Directory>().next_id + 1;
        w.run_system_cached(enter_startups).unwrap();
        let entered = w.resource::<MonthFlows>().entered;
        assert!(
            entered > 10,
            "an entry rate of 40 a month should bring startups, got {entered}"
        );
        let mut q = w.query::<(Entity, &AgentId, &Firm, &Startup, &Books)>();
        let mut ids = Vec::new();
        for (e, id, firm, s, b) in q.iter(&w) {
            assert!(id.0 >= first_new, "entrant id {} reuses an existing id", id.0);
            assert_eq!(
                w.resource::<Directory>().entities.get(id),
                Some(&e),
                "entrant {} must be registered in the directory",
                id.0
            );
            assert_eq!(
                (firm.kind, firm.founded, s.cohort),
                (FirmKind::Startup, 7, 7),
                "founded this month"
            );
            assert!(
                b.cash > 0.0 && b.cash == b.funding,
                "an entrant starts with its seed round"
            );
            assert!(
                !matches!(s.base, Base::Platform(2)),
                "the open-weights platform is not an API base"
            );
            ids.push(id.0);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len() as u32, entered, "one entity with a distinct id per entrant");
        assert_eq!(w.resource::<Directory>().next_id, first_new - 1 + u64::from(entered));
    }

    #[test]
    fn dear_compute_deters_entry() {
        let (cheap, dear) = (entrants(40.0, 2.4), entrants(40.0, 24.0));
        assert!(
            dear < cheap,
            "spot at 10× the reference must cut entry: {dear} vs {cheap}"
        );
        assert_eq!(entrants(0.0, 2.4), 0, "no entry rate, no entrants");
    }

    #[test]
    fn good_vibes_bring_more_entrants_and_entrants_join_their_cohort() {
        let with_sentiment = |level: f64| {
            let (mut w, _) = platform_world(40.0);
            w.resource_mut::<Clock>().month = 3;
            w.resource_mut::<Sentiment>().level = level;
            w.run_system_cached(enter_startups).unwrap();
            let n = w.resource::<MonthFlows>().entered;
            let cohorts = w.resource::<Cohorts>();
            assert_eq!(cohorts.0.len() as u32, n, "every entrant is registered in the cohorts");
            assert!(cohorts.0.values().all(|c| c.founded == 3 && c.exit.is_none()));
            n
        };
        let (bust, boom) = (with_sentiment(0.4), with_sentiment(2.5));
        assert!(
            boom > 2 * bust,
            "entry rises with sentiment (elasticity 1): {boom} in a boom vs {bust} in a bust"
        );
    }

    #[test]
    fn api_startups_pay_their_platform_a_fee_per_customer() {
        let (mut w, platforms) = platform_world(0.0);
        let on_alpha = [
            spawn_app(&mut w, Base::Platform(0), 1_000.0),
            spawn_app(&mut w, Base::Platform(0), 500.0),
        ];
        let on_beta = spawn_app(&mut w, Base::Platform(1), 200.0);
        let open = spawn_app(&mut w, Base::Open(AgentId(0)), 800.0);
        w.run_system_cached(serve_app_customers).unwrap();
        let st = testkit::small_scenario().startups;
        let customers = |e| w.get::<Startup>(e).unwrap().customers;
        for e in on_alpha.into_iter().chain([on_beta]) {
            let fee = customers(e) * st.api_fee_usd_per_customer;
            assert!(fee > 0.0, "an API startup with customers pays fees");
            assert!(
                close(books(&w, e).costs, fee),
                "startup paid {} != customers × fee {fee}",
                books(&w, e).costs
            );
        }
        assert_eq!(books(&w, open).costs, 0.0, "a startup on an open model pays no API fee");
        let alpha_fees: f64 = on_alpha.iter().map(|&e| customers(e)).sum::<f64>() * st.api_fee_usd_per_customer;
        assert!(
            close(books(&w, platforms[0]).revenue, alpha_fees),
            "Alpha must receive exactly its startups' fees: {} vs {alpha_fees}",
            books(&w, platforms[0]).revenue
        );
        assert!(
            close(
                books(&w, platforms[1]).revenue,
                customers(on_beta) * st.api_fee_usd_per_customer
            ),
            "Beta must receive its startup's fees"
        );
        assert_eq!(books(&w, platforms[2]).revenue, 0.0, "no startup builds on Gamma's API");
        for e in [on_beta, open] {
            let revenue = customers(e) * st.arpu_usd;
            assert!(
                close(books(&w, e).revenue, revenue),
                "app revenue = customers × arpu when served"
            );
        }
    }

    #[test]
    fn customers_churn_and_newcomers_go_to_the_more_attractive_app() {
        let mut sc = testkit::small_scenario();
        sc.startups.entry_rate_per_month = 0.0;
        sc.startups.stock_noise_sigma = 0.0;
        let mut w = testkit::world(sc);
        testkit::spawn_platforms(&mut w);
        let big = spawn_app(&mut w, Base::Open(AgentId(0)), 50_000.0);
        let small = spawn_app(&mut w, Base::Open(AgentId(0)), 0.0);
        w.run_system_cached(serve_app_customers).unwrap();
        let st = testkit::small_scenario().startups;
        let users = w.resource::<Users>();
        let people = users.people_by_option();
        let adopted: f64 = people[..people.len() - 1].iter().sum();
        let inflow = st.app_adoption_per_month * adopted * st.app_market_scale;
        let (kb, ks) = (
            w.get::<Startup>(big).unwrap().customers,
            w.get::<Startup>(small).unwrap().customers,
        );
        let kept = 50_000.0 * (1.0 - st.customer_churn_per_month);
        assert!(
            close(kb + ks, kept + inflow),
            "customers after churn and inflow: {} != {kept} kept + {inflow} new",
            kb + ks
        );
        assert!(
            kb - kept > ks,
            "preferential attachment: the big app should win more newcomers"
        );
    }

    #[test]
    fn larger_apps_grow_more_steadily() {
        let st = testkit::small_scenario().startups;
        let (tiny, big, huge) = (
            stock_sigma(&st, 0.0),
            stock_sigma(&st, 100.0 * st.attachment_scale),
            stock_sigma(&st, 10_000.0 * st.attachment_scale),
        );
        assert_eq!(tiny, st.stock_noise_sigma, "a new app bears the full shock");
        assert!(
            huge < big && big < tiny,
            "volatility falls with size: {tiny} > {big} > {huge}"
        );
        let expected = st.stock_noise_sigma * math::pow(101.0, -st.size_volatility_beta);
        assert!(
            close(big, expected),
            "sigma(K) = sigma_0 (1 + K/K0)^-beta: {big} vs {expected}"
        );
    }
}

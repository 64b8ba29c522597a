use super::*;
use crate::mechanisms::finance::exit_firms;
use crate::mechanisms::startups::serve_app_customers;
use crate::mechanisms::testkit::{self, books, close, fleet, id_of, spawn_firm};
use crate::params::NicheSpec;

/// The small scenario with two niches: a rich, generic one and a specific one.
fn scenario() -> Scenario {
    let mut sc = testkit::small_scenario();
    sc.niches = vec![
        NicheSpec {
            name: "generic".into(),
            demand_share: 0.5,
            specificity: 0.1,
        },
        NicheSpec {
            name: "specific".into(),
            demand_share: 0.5,
            specificity: 0.9,
        },
    ];
    sc
}

fn world(sc: Scenario) -> (World, Vec<Entity>) {
    let mut w = testkit::world(sc);
    let platforms = testkit::spawn_platforms(&mut w);
    (w, platforms)
}

/// Spawns a startup in `niche` on `base` with `customers`, quality 40 and `finetune_flop`.
fn spawn_app(w: &mut World, niche: u16, base: Base, customers: f64, finetune_flop: f64) -> Entity {
    let e = spawn_firm(w, FirmKind::Startup, 1e6, fleet(0.0, 0.0));
    w.entity_mut(e).insert((
        Startup {
            base,
            customers,
            team: 5.0,
            finetune_flop,
            quality: 40.0,
            cohort: 0,
        },
        AppNiche(niche),
    ));
    e
}

fn enter(w: &mut World, niche: usize, platform: Entity, slot: Slot) {
    let id = id_of(w, platform);
    w.resource_mut::<Niches>().niches[niche].entries.push(Entry {
        platform: id,
        slot,
        month: 0,
        customers: 0.0,
        ended: None,
    });
}

#[test]
fn entry_is_likelier_in_rich_generic_niches() {
    let sc = scenario();
    let p = |rev: f64, spec: f64| entry_probability(&sc, rev, 40.0, 40.0, spec);
    assert!(p(1e9, 0.1) > p(1e7, 0.1), "richer niches attract entry");
    assert!(p(1e9, 0.1) > p(1e9, 0.9), "specific niches deter entry");
    assert!(
        entry_probability(&sc, 1e8, 45.0, 40.0, 0.5) > entry_probability(&sc, 1e8, 35.0, 40.0, 0.5),
        "well-rated niches attract entry"
    );
    // Over many independent months, the two frontier labs enter the rich generic niche far
    // more often than the poor specific one; the open-weights lab never enters.
    let mut sc = scenario();
    sc.platform_entry.gamma0 = -2.0;
    let (mut w, platforms) = world(sc);
    let gamma = id_of(&w, platforms[2]);
    let mut counts = [0u32; 2];
    for month in 0..300 {
        w.resource_mut::<Clock>().month = month;
        let mut n = Niches::new(&w.resource::<Config>().0);
        n.niches[0].revenue = 1e9;
        n.niches[1].revenue = 1e7;
        w.insert_resource(n);
        w.run_system_cached(enter_app_niches).unwrap();
        let n = w.resource::<Niches>();
        for (count, niche) in counts.iter_mut().zip(&n.niches) {
            *count += niche.entries.len() as u32;
            assert!(niche.entries.iter().all(|e| e.platform != gamma && e.month == month));
        }
    }
    assert!(
        counts[0] > 5 * counts[1].max(1),
        "entries: rich generic {} vs poor specific {}",
        counts[0],
        counts[1]
    );
    assert_eq!(w.resource::<MonthFlows>().platform_entries, counts[0] + counts[1]);
}

#[test]
fn a_platform_enters_a_niche_once() {
    let mut sc = scenario();
    sc.platform_entry.gamma0 = 50.0;
    let (mut w, _) = world(sc);
    for month in 0..3 {
        w.resource_mut::<Clock>().month = month;
        w.resource_mut::<Niches>().niches[0].revenue = 1e8;
        w.resource_mut::<Niches>().niches[1].revenue = 1e8;
        w.run_system_cached(enter_app_niches).unwrap();
    }
    let n = w.resource::<Niches>();
    for k in 0..2 {
        assert_eq!(
            n.niches[k].entries.len(),
            2,
            "both frontier labs enter once, in month 0"
        );
        assert!(n.niches[k].entries.iter().all(|e| e.month == 0));
    }
}

/// Customers of the startups after one month of serving, with or without Alpha's entry.
fn served(entered: bool) -> (Vec<f64>, f64, f64) {
    let (mut w, platforms) = world(scenario());
    let apps = [
        spawn_app(&mut w, 0, Base::Platform(0), 10_000.0, 0.0), // wrapper on Alpha's API
        spawn_app(&mut w, 0, Base::Platform(1), 10_000.0, 0.0), // wrapper on Beta's API
        spawn_app(&mut w, 0, Base::Platform(1), 10_000.0, 1e26), // tuned, on Beta's API
        spawn_app(&mut w, 0, Base::Open(AgentId(0)), 10_000.0, 0.0), // on an open model
    ];
    if entered {
        enter(&mut w, 0, platforms[0], 0);
    }
    w.run_system_cached(serve_app_customers).unwrap();
    let k: Vec<f64> = apps.iter().map(|&e| w.get::<Startup>(e).unwrap().customers).collect();
    let own = w.resource::<Niches>().niches[0]
        .entries
        .first()
        .map_or(0.0, |e| e.customers);
    (k, own, books(&w, platforms[0]).revenue)
}

#[test]
fn after_entry_the_niches_startups_lose_demand_and_wrappers_most() {
    let sc = scenario();
    let (before, _, alpha_before) = served(false);
    let (after, own, alpha_after) = served(true);
    let loss: Vec<f64> = before.iter().zip(&after).map(|(b, a)| 1.0 - a / b).collect();
    assert!(
        loss.iter().all(|l| *l > 0.0),
        "every startup in the niche loses: {loss:?}"
    );
    assert!(
        loss[0] > loss[1] && loss[1] > loss[2] && loss[2] > loss[3],
        "the wrapper on the entrant's API loses most, then a wrapper on a rival's API, then a \
         tuned API startup, then an open-model startup: {loss:?}"
    );
    assert!(own > 0.0, "the platform's own app wins customers");
    let st = &sc.startups;
    let fees_lost = (before[0] - after[0]) * st.api_fee_usd_per_customer;
    assert!(
        close(alpha_after - alpha_before, own * st.arpu_usd - fees_lost),
        "the entrant earns its app's revenue (less the API fees of the customers it took): {} vs {}",
        alpha_after - alpha_before,
        own * st.arpu_usd - fees_lost
    );
}

#[test]
fn open_model_startups_are_immune_to_entry_by_owner() {
    let sc = scenario();
    let open = Startup {
        base: Base::Open(AgentId(0)),
        customers: 1e4,
        team: 5.0,
        finetune_flop: 0.0,
        quality: 40.0,
        cohort: 0,
    };
    let api = Startup {
        base: Base::Platform(0),
        ..open.clone()
    };
    assert_eq!(entry_churn(&sc, 1.0, &open, 0), 0.0, "no extra churn on an open model");
    let pe = &sc.platform_entry;
    assert!(
        close(
            entry_churn(&sc, 1.0, &api, 0),
            pe.entry_churn_per_month * pe.own_api_multiplier * pe.wrapper_multiplier
        ),
        "a wrapper on the entrant's API: churn × own-API × wrapper multipliers"
    );
    let mut niches = Niches::new(&sc);
    niches.niches[0].entries.push(Entry {
        platform: AgentId(1),
        slot: 0,
        month: 0,
        customers: 0.0,
        ended: None,
    });
    let market = Market::at_month_zero(&sc);
    let niche = Some(&AppNiche(0));
    assert_eq!(kill_zone_shift(&sc, &market, &niches, 5, &open, niche), 0.0);
    assert!(kill_zone_shift(&sc, &market, &niches, 5, &api, niche) < 0.0);
    assert_eq!(
        kill_zone_shift(&sc, &market, &niches, 5, &api, Some(&AppNiche(1))),
        0.0,
        "no penalty in a niche without a platform app"
    );
    // In a whole month, the open-model startup keeps its churned-down base and wins newcomers.
    let (after, _, _) = served(true);
    let kept = 10_000.0 * (1.0 - sc.startups.customer_churn_per_month);
    assert!(after[3] > kept, "no customer of the open-model startup is pulled away");
}

#[test]
fn a_rival_acquisition_can_cut_api_access() {
    let mut sc = scenario();
    sc.platform_entry.acquisition_probability = 1.0 - 1e-12;
    sc.platform_entry.cutoff_probability = 1.0;
    let (mut w, platforms) = world(sc.clone());
    // Alpha has no cash to spare: Beta is the only buyer.
    let alpha_cash = books(&w, platforms[0]).cash;
    w.get_mut::<Books>(platforms[0]).unwrap().spend(alpha_cash);
    let on_alpha = spawn_app(&mut w, 0, Base::Platform(0), 10_000.0, 1e24);
    let on_beta = spawn_app(&mut w, 1, Base::Platform(1), 10_000.0, 1e24);
    for e in [on_alpha, on_beta] {
        w.get_mut::<Books>(e).unwrap().earn(120_000.0);
    }
    w.run_system_cached(acquire_startups).unwrap();
    let beta = id_of(&w, platforms[1]);
    for e in [on_alpha, on_beta] {
        assert_eq!(w.get::<OwnedBy>(e).map(|o| o.0), Some(beta), "Beta buys both");
    }
    let s = w.get::<Startup>(on_alpha).unwrap();
    let pe = &sc.platform_entry;
    assert_eq!(
        s.base,
        Base::Platform(1),
        "cut off by Alpha, it rebases onto Beta's API"
    );
    assert!(close(s.customers, 10_000.0 * (1.0 - pe.cutoff_customer_loss)));
    assert!(close(s.finetune_flop, 1e24 * (1.0 - pe.cutoff_finetune_loss)));
    let s = w.get::<Startup>(on_beta).unwrap();
    assert_eq!(
        (s.base, s.customers),
        (Base::Platform(1), 10_000.0),
        "bought by its own base: no cut-off"
    );
    let f = w.resource::<MonthFlows>();
    assert_eq!((f.strategic_acquisitions, f.api_cutoffs), (2, 1));
    let price = pe.acquisition_revenue_multiple * 12.0 * 120_000.0;
    assert!(
        close(books(&w, platforms[1]).costs, 2.0 * price),
        "Beta pays both prices"
    );
    assert_eq!(
        books(&w, on_alpha).funding,
        0.0,
        "the price goes to shareholders, not the startup"
    );
    // Owned startups are not bought again.
    w.resource_mut::<Clock>().month = 1;
    w.run_system_cached(acquire_startups).unwrap();
    assert_eq!(w.resource::<MonthFlows>().strategic_acquisitions, 2);
}

#[test]
fn the_ban_stops_entry_defaults_and_cutoffs() {
    let mut sc = scenario();
    sc.platform_entry.ban_from_month = 0;
    sc.platform_entry.gamma0 = 50.0;
    sc.platform_entry.acquisition_probability = 1.0 - 1e-12;
    sc.platform_entry.cutoff_probability = 1.0;
    let (mut w, platforms) = world(sc.clone());
    w.resource_mut::<Niches>().niches[0].revenue = 1e9;
    assert!(!w.run_system_cached(entry_allowed).unwrap(), "the schedule skips entry");
    assert!(
        w.resource::<Niches>().niches[0].entries.is_empty(),
        "no entry under the ban"
    );
    // An app entered before the ban competes without default placement or pull.
    enter(&mut w, 0, platforms[0], 0);
    let wrapper = spawn_app(&mut w, 0, Base::Platform(0), 10_000.0, 0.0);
    w.run_system_cached(serve_app_customers).unwrap();
    let kept = 10_000.0 * (1.0 - sc.startups.customer_churn_per_month);
    assert!(
        w.get::<Startup>(wrapper).unwrap().customers > kept,
        "no customers pulled to the platform's app"
    );
    let alpha_cash = books(&w, platforms[0]).cash;
    w.get_mut::<Books>(platforms[0]).unwrap().spend(alpha_cash);
    w.get_mut::<Books>(wrapper).unwrap().earn(120_000.0);
    w.run_system_cached(acquire_startups).unwrap();
    assert!(w.get::<OwnedBy>(wrapper).is_some(), "acquisitions stay allowed");
    assert_eq!(
        w.get::<Startup>(wrapper).unwrap().base,
        Base::Platform(0),
        "but access is not cut"
    );
    assert_eq!(w.resource::<MonthFlows>().api_cutoffs, 0);
    let niches = w.resource::<Niches>().clone();
    let market = Market::at_month_zero(&sc);
    let s = w.get::<Startup>(wrapper).unwrap().clone();
    assert_eq!(kill_zone_shift(&sc, &market, &niches, 0, &s, Some(&AppNiche(0))), 0.0);
}

#[test]
fn an_exit_for_cash_soon_after_entry_is_attributed_to_platform_entry() {
    let sc = scenario();
    let (mut w, platforms) = world(sc.clone());
    w.resource_mut::<Clock>().month = 20;
    enter(&mut w, 0, platforms[0], 0);
    w.resource_mut::<Niches>().niches[0].entries[0].month = 20 - sc.platform_entry.attribution_months;
    let entered = spawn_app(&mut w, 0, Base::Platform(0), 0.0, 0.0);
    let other = spawn_app(&mut w, 1, Base::Platform(0), 0.0, 1e30);
    for e in [entered, other] {
        w.get_mut::<Books>(e).unwrap().spend(2e6);
    }
    w.run_system_cached(exit_firms).unwrap();
    let f = w.resource::<MonthFlows>();
    assert_eq!(
        (f.exits_for(ExitCause::PlatformEntry), f.exits_for(ExitCause::Cash)),
        (1, 1),
        "one exit attributed to entry, one for cash"
    );
    assert_eq!(
        (f.wrapper_exits, f.exposed_wrapper_exits, f.nonwrapper_exits),
        (1, 1, 1),
        "exits by class"
    );
}

#[test]
fn entries_of_a_platform_that_left_end_and_owners_that_left_are_forgotten() {
    let (mut w, platforms) = world(scenario());
    enter(&mut w, 0, platforms[0], 0);
    w.resource_mut::<Niches>().niches[0].entries[0].customers = 500.0;
    let app = spawn_app(&mut w, 0, Base::Open(AgentId(0)), 100.0, 0.0);
    let alpha = id_of(&w, platforms[0]);
    w.entity_mut(app).insert(OwnedBy(alpha));
    w.resource_mut::<Directory>().entities.remove(&alpha);
    w.resource_mut::<Clock>().month = 7;
    w.run_system_cached(review_app_niches).unwrap();
    let e = &w.resource::<Niches>().niches[0].entries[0];
    assert_eq!((e.ended, e.customers), (Some(7), 0.0));
    assert!(w.get::<OwnedBy>(app).is_none());
    assert_eq!(w.resource::<Niches>().niches[0].startups, 1);
}

#[test]
fn the_hazard_window_annualises_the_last_twelve_months() {
    let mut h = HazardWindow::default();
    assert!(h.annualised().is_nan());
    for _ in 0..20 {
        h.push(100, 1);
    }
    assert_eq!(h.months.len(), HAZARD_MONTHS);
    assert!(close(h.annualised(), 1.0 - math::pow(0.99, 12.0)));
    assert_eq!(h.last_at_risk(), 100);
}

#[test]
fn startups_draw_niches_by_demand_share() {
    let mut sc = scenario();
    sc.niches[0].demand_share = 0.9;
    sc.niches[1].demand_share = 0.1;
    let n = (1..=2000)
        .filter(|&i| draw_niche(&sc, AgentId(i), 3) == AppNiche(0))
        .count();
    assert!((1700..=1900).contains(&n), "{n} of 2000 in the 90% niche");
}

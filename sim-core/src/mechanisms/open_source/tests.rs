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
        downloads,
        ..OpenRelease::new(AgentId(maker), quality, month, Licence::Permissive, false, false)
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

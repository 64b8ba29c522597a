use super::*;
use crate::mechanisms::testkit::{self, close};

/// The small scenario (nations "Open" and "Closed"; platforms Alpha and Beta in Open, Gamma
/// in Closed) with every user on a platform and every user reconsidering this month, edited
/// by `edit`, with its platforms spawned.
fn users_world(edit: impl FnOnce(&mut Scenario)) -> World {
    let mut sc = testkit::small_scenario();
    sc.users.initial_adoption_consumer = 1.0;
    sc.users.initial_adoption_enterprise = 1.0;
    sc.users.reconsider_consumer = 1.0;
    sc.users.reconsider_enterprise = 1.0;
    edit(&mut sc);
    let mut w = testkit::world(sc);
    testkit::spawn_platforms(&mut w);
    w
}

/// Free switching: no switching, tenure or adoption cost.
fn free_switching(sc: &mut Scenario) {
    sc.users.switching_cost = 0.0;
    sc.users.tenure_kappa = 0.0;
    sc.users.adoption_cost = 0.0;
}

fn set_quality(w: &mut World, slot: usize, q: f64) {
    w.resource_mut::<PlatformTable>().slots[slot].quality = q;
}

/// Every agent's portfolio (primary first), without the empty places.
fn portfolios(u: &Users) -> Vec<Vec<Slot>> {
    (0..u.len())
        .map(|i| {
            let (p, n) = u.portfolio(i);
            p[..n].to_vec()
        })
        .collect()
}

fn assert_conserved(u: &Users, when: &str) {
    let population = testkit::population(u);
    let counted: f64 = u.counts.iter().sum();
    assert!(
        close(counted, population),
        "{when}: {counted} people counted, {population} exist"
    );
    for (i, (a, b)) in u.counts.iter().zip(u.recount()).enumerate() {
        assert!(close(*a, b), "{when}: count cell {i} is {a}, a recount gives {b}");
    }
}

#[test]
fn portfolio_shares_sum_to_one_and_decline() {
    let s = portfolio_shares(0.4);
    for (n, shares) in s.iter().enumerate() {
        let total: f64 = shares.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "portfolio of {} sums to {total}", n + 1);
    }
    assert!(s[2][0] > s[2][1] && s[2][1] > s[2][2]);
}

#[test]
fn sensitivity_classes_have_mean_one() {
    let mean: f64 = (0..16).map(|c| sensitivity(0.5, c)).sum::<f64>() / 16.0;
    assert!((mean - 1.0).abs() < 0.02, "mean sensitivity {mean}");
    assert!(sensitivity(0.5, 0) < sensitivity(0.5, 15));
}

#[test]
fn sampling_follows_weights_and_skips_zeros() {
    let w = [0.0, 1.0, 3.0];
    assert_eq!(rng::pick_weighted_from(&w, 4.0, 0.0).unwrap_or(0), 1);
    assert_eq!(rng::pick_weighted_from(&w, 4.0, 0.3).unwrap_or(0), 2);
    assert_eq!(rng::pick_weighted_from(&w, 4.0, 0.999_999).unwrap_or(0), 2);
}

#[test]
fn a_prohibitive_switching_cost_keeps_every_user_on_its_platform() {
    let mut w = users_world(|sc| sc.users.switching_cost = 50.0);
    // Beta is now clearly better (3 utils), but not 50 utils better.
    set_quality(&mut w, 1, 40.0);
    let before = w.resource::<Users>().platform.clone();
    w.run_system_cached(reconsider_platforms).unwrap();
    let after = &w.resource::<Users>().platform;
    let moved = before.iter().zip(after).filter(|(a, b)| a != b).count();
    assert_eq!(
        moved,
        0,
        "{moved} of {} users changed primary platform despite SC = 50",
        before.len()
    );
    assert_eq!(
        w.resource::<MonthFlows>().switched_people,
        0.0,
        "no switching may be counted"
    );
}

#[test]
fn a_prohibitive_switching_cost_also_freezes_enterprise_portfolios() {
    let mut w = users_world(|sc| {
        sc.users.switching_cost = 20.0;
        sc.users.tenure_kappa = 0.0;
    });
    let before = portfolios(w.resource::<Users>());
    w.run_system_cached(reconsider_platforms).unwrap();
    let u = w.resource::<Users>();
    let first = u.first_enterprise as usize;
    let after = portfolios(u);
    let changed = (first..u.len()).filter(|&i| after[i] != before[i]).count();
    assert_eq!(
        changed,
        0,
        "{changed} of {} enterprises changed portfolio at a switching cost of 20 utils (e^-20 = 2e-9)",
        u.len() - first
    );
}

#[test]
fn with_free_switching_users_flock_to_a_far_better_platform_they_may_use() {
    let mut w = users_world(free_switching);
    set_quality(&mut w, 1, 200.0); // Beta, in nation Open: +27 utils over the others
    let before = w.resource::<Users>().platform.clone();
    w.run_system_cached(reconsider_platforms).unwrap();
    let u = w.resource::<Users>();
    let (mut open, mut on_beta) = (0, 0);
    let mut switched = 0.0;
    let nations = testkit::small_scenario().nations;
    for g in &u.groups {
        let agents = g.start as usize..g.end as usize;
        for (&was, &now) in before[agents.clone()].iter().zip(&u.platform[agents]) {
            if nations[g.nation as usize].foreign_platforms {
                open += 1;
                on_beta += usize::from(now == 1);
            } else {
                assert!(
                    now == 2 || now == NO_PLATFORM,
                    "a citizen of the closed nation adopted foreign platform {now}"
                );
            }
            if now != was && now != NO_PLATFORM && was != NO_PLATFORM {
                switched += g.weight;
            }
        }
    }
    let share = on_beta as f64 / open as f64;
    assert!(
        share > 0.95,
        "only {:.1}% of reconsidering users who may use Beta moved to it",
        100.0 * share
    );
    let counted = w.resource::<MonthFlows>().switched_people;
    assert!(
        close(counted, switched),
        "switched people {counted} != people who changed platform {switched}"
    );
}

#[test]
fn users_are_conserved_month_after_month() {
    let mut w = users_world(|sc| {
        free_switching(sc);
        sc.users.reconsider_consumer = 0.3;
        sc.users.reconsider_enterprise = 0.3;
    });
    set_quality(&mut w, 2, 30.0);
    let population = testkit::population(w.resource::<Users>());
    assert_conserved(w.resource::<Users>(), "month 0");
    let mut moved = 0;
    for month in 0..6 {
        w.resource_mut::<Clock>().month = month;
        let before = w.resource::<Users>().platform.clone();
        w.run_system_cached(refresh_platform_table).unwrap();
        w.run_system_cached(reconsider_platforms).unwrap();
        w.run_system_cached(count_platform_users).unwrap();
        let u = w.resource::<Users>();
        moved += before.iter().zip(&u.platform).filter(|(a, b)| a != b).count();
        assert_conserved(u, &format!("after month {month}"));
        let none = u.people_by_option()[u.options - 1];
        let on_platforms: f64 = w.query::<&Platform>().iter(&w).map(|p| p.consumers + p.seats).sum();
        assert!(
            close(on_platforms + none, population),
            "month {month}: platforms count {on_platforms} + {none} on none != {population} people"
        );
    }
    assert!(moved > 1000, "the test needs users to move; only {moved} moves");
}

#[test]
fn an_enterprise_holds_a_portfolio_of_distinct_platforms() {
    let mut w = users_world(free_switching);
    // Three platforms of equal appeal: portfolios of two and three are common.
    for slot in 0..3 {
        set_quality(&mut w, slot, 60.0);
    }
    w.run_system_cached(reconsider_platforms).unwrap();
    let u = w.resource::<Users>();
    let size = testkit::small_scenario().users.portfolio_size as usize;
    let first = u.first_enterprise as usize;
    let mut multi = 0;
    for i in first..u.len() {
        let held: Vec<Slot> = std::iter::once(u.platform[i]).chain(u.extra[i - first]).collect();
        let port: Vec<Slot> = held.iter().copied().take_while(|&s| s != NO_PLATFORM).collect();
        assert!(
            held[port.len()..].iter().all(|&s| s == NO_PLATFORM),
            "enterprise {i} has a gap in its portfolio {held:?}"
        );
        let mut distinct = port.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            port.len(),
            "enterprise {i} holds a platform twice: {port:?}"
        );
        assert!(port.len() <= size, "enterprise {i} holds {} platforms", port.len());
        multi += usize::from(port.len() > 1);
    }
    assert!(multi > 50, "the test needs multi-homing enterprises; only {multi}");
}

/// A scenario of three nations: A and B open to foreign platforms, C closed.
fn three_nations() -> Scenario {
    let mut sc = testkit::small_scenario();
    let mut b = sc.nations[0].clone();
    b.name = "OpenB".into();
    sc.nations.insert(1, b);
    assert!(sc.nations[0].foreign_platforms && sc.nations[1].foreign_platforms);
    assert!(!sc.nations[2].foreign_platforms);
    sc
}

#[test]
fn a_chooser_counts_its_own_market_fully_and_foreign_open_markets_at_the_foreign_weight() {
    let mut sc = three_nations();
    sc.users.network_foreign_weight = 0.1;
    sc.users.network_closed_weight = 0.0;
    // One platform: 10 M users in A, 20 M in B, 100 M in the closed nation C.
    let by = [10.0e6, 20.0e6, 100.0e6];
    let n = market_people(&sc, &by, 1);
    assert!(close(n[0], 10.0e6 + 0.1 * 20.0e6), "A sees {}", n[0]);
    assert!(close(n[1], 20.0e6 + 0.1 * 10.0e6), "B sees {}", n[1]);
    assert!(
        close(n[2], 100.0e6),
        "the closed nation sees only its own users: {}",
        n[2]
    );
    // A closed weight of 1 and a foreign weight of 1 give the worldwide count everywhere.
    sc.users.network_foreign_weight = 1.0;
    sc.users.network_closed_weight = 1.0;
    for (i, x) in market_people(&sc, &by, 1).iter().enumerate() {
        assert!(close(*x, 130.0e6), "nation {i} sees {x}, not the world's 130 M");
    }
}

#[test]
fn a_closed_nations_captive_users_do_not_make_its_platform_attractive_abroad() {
    // Gamma is based in the closed nation; citizens of the open nation may use it.
    let mut w = users_world(|_| {});
    let sc = w.resource::<Config>().0.clone();
    let open_group = w
        .resource::<Users>()
        .groups
        .iter()
        .find(|g| g.nation == 0 && !g.enterprise)
        .cloned()
        .unwrap();
    let slots = w.resource::<PlatformTable>().slots.len();
    let utility_of_gamma = |w: &World| {
        utilities(
            &sc,
            w.resource::<PlatformTable>(),
            w.resource::<Partnerships>(),
            &open_group,
            8,
            0,
        )[2]
    };
    let before = utility_of_gamma(&w);
    // A billion captive users of Gamma at home.
    w.resource_mut::<PlatformTable>().people_by_nation[slots + 2] = 1e9;
    w.resource_mut::<PlatformTable>().slots[2].people += 1e9;
    let after = utility_of_gamma(&w);
    assert_eq!(before, after, "Gamma's utility abroad moved from {before} to {after}");
    // Its users in the open nation do count.
    w.resource_mut::<PlatformTable>().people_by_nation[2] += 1e9;
    assert!(
        utility_of_gamma(&w) > after + 1.0,
        "users in the chooser's own market raise the network term"
    );
}

#[test]
fn conversion_to_the_paid_tier_is_a_minority_and_falls_with_the_price() {
    let w = users_world(|_| {});
    let sc = w.resource::<Config>().0.clone();
    let u = w.resource::<Users>();
    let consumers_on = |slot: usize| -> f64 {
        u.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.enterprise)
            .map(|(g, _)| u.counts[u.cell(g, slot)])
            .sum()
    };
    let share = |price: f64| {
        let tier = paid_consumers(&sc, w.resource::<Partnerships>(), u, &[price, 0.0, 0.0], 0);
        assert_eq!(tier.paid[1], 0.0, "a free platform has no paying users");
        tier.paid[0] / consumers_on(0)
    };
    let (cheap, list, dear) = (share(10.0), share(20.0), share(40.0));
    assert!(
        0.0 < dear && dear < list && list < cheap && cheap < 0.5,
        "conversion {cheap} > {list} > {dear}"
    );
    assert_eq!(share(0.0), 0.0, "nobody pays a zero price");
    // Conversion is the logistic of the net value of the paid tier, averaged over classes.
    let expect: f64 = (0..16)
        .map(|c| {
            let s = sensitivity(sc.users.price_sensitivity_sigma, c) * u.groups[0].income_factor;
            math::logistic(sc.users.paid_tier_value - sc.users.theta_price_consumer * s * 20.0)
        })
        .sum::<f64>()
        / 16.0;
    assert!(
        (list - expect).abs() < 0.02,
        "conversion {list} vs the class mean {expect}"
    );
}

#[test]
fn the_price_term_of_a_free_tier_users_utility_is_the_paid_options_value() {
    let w = users_world(|_| {});
    let sc = w.resource::<Config>().0.clone();
    let group = w
        .resource::<Users>()
        .groups
        .iter()
        .find(|g| !g.enterprise)
        .cloned()
        .unwrap();
    let v_at = |price: f64| {
        let mut table = w.resource::<PlatformTable>().clone();
        table.slots[0].consumer_price = price;
        utilities(&sc, &table, w.resource::<Partnerships>(), &group, 8, 0)[0]
    };
    let drop = v_at(0.0) - v_at(20.0);
    let s = sensitivity(sc.users.price_sensitivity_sigma, 8) * group.income_factor;
    let old_linear = sc.users.theta_price_consumer * s * 20.0;
    assert!(
        drop > 0.0 && drop < 0.5 * old_linear,
        "a $20 paid tier costs a free user {drop} utils (a list price paid by all: {old_linear})"
    );
    assert!(close(
        drop,
        paid_option_value(conversion_value(&sc, s, 0.0)) - paid_option_value(conversion_value(&sc, s, 20.0))
    ));
}

#[test]
fn consumer_surplus_per_user_is_positive_bounded_and_rises_with_quality() {
    let mut w = users_world(|_| {});
    let sc = w.resource::<Config>().0.clone();
    let cs = |w: &World| {
        consumer_surplus(
            &sc,
            w.resource::<PlatformTable>(),
            w.resource::<Partnerships>(),
            w.resource::<Users>(),
            0,
        )
    };
    let low = cs(&w);
    assert!(low.per_user > 0.0 && low.total > 0.0, "{low:?}");
    for slot in 0..3 {
        set_quality(&mut w, slot, 200.0);
    }
    let high = cs(&w);
    assert!(
        high.per_user > low.per_user,
        "better platforms, more surplus: {low:?} -> {high:?}"
    );
    let population = testkit::population(w.resource::<Users>());
    assert!(
        high.total <= sc.users.surplus_max_usd * population,
        "surplus per person is bounded by W"
    );
    for slot in 0..3 {
        set_quality(&mut w, slot, 1e6);
    }
    let saturated = cs(&w);
    assert!(
        saturated.total <= sc.users.surplus_max_usd * population * (1.0 + 1e-12),
        "{saturated:?}"
    );
}

#[test]
fn class_counts_add_up_to_the_counts_and_follow_the_moves() {
    let mut w = users_world(|sc| {
        free_switching(sc);
        sc.users.reconsider_consumer = 0.5;
    });
    set_quality(&mut w, 1, 80.0);
    w.run_system_cached(reconsider_platforms).unwrap();
    let u = w.resource::<Users>();
    let fresh = u.recount_classes();
    for (i, (a, b)) in u.class_counts.iter().zip(&fresh).enumerate() {
        assert!(close(*a, *b), "class cell {i}: {a} vs a recount {b}");
    }
    for g in 0..u.groups.len() {
        for o in 0..u.options {
            let by_class: f64 = (0..16).map(|c| u.class_counts[u.class_cell(g, c, o)]).sum();
            assert!(close(by_class, u.counts[u.cell(g, o)]), "group {g} option {o}");
        }
    }
}

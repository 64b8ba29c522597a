//! Unit tests of the nation-state deals on hand-built worlds.

use super::*;
use crate::mechanisms::finance;
use crate::mechanisms::testkit::{self, books, close};
use crate::mechanisms::users;

/// The small scenario (Open: foreign platforms allowed; Closed: domestic only; frontier Alpha
/// and Beta in Open, open-weights Gamma in Closed) where both nations solicit every month,
/// edited by `edit`, with nations and platforms spawned. Returns the world and the platforms'
/// entities in slot order.
fn deals_world(edit: impl FnOnce(&mut Scenario)) -> (World, Vec<Entity>) {
    let mut sc = testkit::small_scenario();
    for n in &mut sc.nations {
        n.solicits_deals = true;
    }
    sc.deals.solicit_probability = 1.0;
    edit(&mut sc);
    let mut w = testkit::world(sc.clone());
    for (i, n) in sc.nations.iter().enumerate() {
        let id = w.resource_mut::<Directory>().allocate();
        w.spawn((id, Nation::from_spec(i as u16, n)));
    }
    let es = testkit::spawn_platforms(&mut w);
    (w, es)
}

fn deal(w: &World, nation: u16) -> Option<Deal> {
    w.resource::<Partnerships>().active(nation).cloned()
}

fn set_month(w: &mut World, m: u32) {
    w.resource_mut::<Clock>().month = m;
}

/// Open's consumers on `slot` and in total.
fn open_consumers(w: &World, slot: usize) -> (f64, f64) {
    let u = w.resource::<Users>();
    let (mut on, mut all) = (0.0, 0.0);
    for (g, grp) in u.groups.iter().enumerate() {
        if grp.nation == 0 && !grp.enterprise {
            on += u.counts[u.cell(g, slot)];
            all += (0..u.options).map(|o| u.counts[u.cell(g, o)]).sum::<f64>();
        }
    }
    (on, all)
}

#[test]
fn a_nation_without_a_deal_signs_with_the_best_offer() {
    let (mut w, es) = deals_world(|sc| {
        sc.firms[0].governance_score = 0.0;
        sc.firms[1].governance_score = 1.0;
        sc.deals.trust_weight = 60.0;
    });
    let cash = [books(&w, es[0]).cash, books(&w, es[1]).cash, books(&w, es[2]).cash];
    w.run_system_cached(tender_deals).unwrap();
    let d = deal(&w, 0).expect("Open signs a deal");
    assert_eq!(d.partners, vec![1], "Beta, far more trusted, wins Open's tender");
    assert!(d.exclusive && d.months_left == 24 && d.free_until == 12 && d.start == 0);
    assert!(
        deal(&w, 1).is_none(),
        "Closed admits only domestic platforms and has no domestic frontier lab"
    );
    let sc = w.resource::<Config>().0.clone();
    let bid = (bid_per_person(&sc, 20.0) * 10e6).min(sc.deals.max_cash_share * cash[1]);
    assert!(close(cash[1] - books(&w, es[1]).cash, bid), "Beta pays its investment");
    assert!(close(books(&w, es[1]).costs, bid), "through its books");
    assert_eq!(books(&w, es[0]).cash, cash[0], "the losers pay nothing");
    assert!(close(w.resource::<MonthFlows>().deal_investment, bid));
    let h = &w.resource::<Partnerships>().nations[0];
    assert_eq!(h.history, vec![(0, vec![1])]);
    assert_eq!(h.latest, vec![1]);
}

#[test]
fn a_nation_tenders_only_from_the_month_it_opens_talks() {
    let (mut w, _) = deals_world(|sc| sc.nations[0].solicits_deals_from_month = 5);
    for m in 0..5 {
        set_month(&mut w, m);
        w.run_system_cached(tender_deals).unwrap();
        assert!(deal(&w, 0).is_none(), "no tender before month 5 (month {m})");
    }
    set_month(&mut w, 5);
    w.run_system_cached(tender_deals).unwrap();
    assert_eq!(
        deal(&w, 0).map(|d| d.start),
        Some(5),
        "the first tender, at month 5, signs"
    );
}

#[test]
fn the_nation_weighs_the_offer_when_labs_are_otherwise_alike() {
    // Dearer Beta values a citizen more, so bids more (and quality, trust are equal): with a
    // large weight on the offer Beta wins, with none the cheaper Alpha does.
    let pick = |offer_weight: f64| {
        let (mut w, _) = deals_world(|sc| {
            sc.firms[1].consumer_price_usd = 40.0;
            sc.deals.offer_weight = offer_weight;
            sc.users.theta_price_consumer = 1.0;
            sc.firms[0].cash_usd = 1e13;
            sc.firms[1].cash_usd = 1e13;
        });
        w.run_system_cached(tender_deals).unwrap();
        deal(&w, 0).expect("a deal").partners[0]
    };
    assert_eq!(pick(200.0), 1, "the larger offer wins when money counts");
    assert_eq!(pick(0.0), 0, "the cheaper lab wins when only price counts");
}

#[test]
fn the_partner_is_the_default_during_the_deal() {
    let (mut w, _) = deals_world(|sc| sc.deals.trust_weight = 0.0);
    w.run_system_cached(tender_deals).unwrap();
    let partner = deal(&w, 0).expect("a deal").partners[0] as usize;
    let sc = w.resource::<Config>().0.clone();
    let table = w.resource::<PlatformTable>().clone();
    let u = w.resource::<Users>().clone();
    let none = Partnerships::new(2);
    let with = w.resource::<Partnerships>().clone();
    for grp in &u.groups {
        for month in [0, 11, 12, 23] {
            let a = users::utilities(&sc, &table, &with, grp, 8, month);
            let b = users::utilities(&sc, &table, &none, grp, 8, month);
            if b[partner] == f64::NEG_INFINITY {
                assert_eq!(a[partner], f64::NEG_INFINITY, "a deal never admits a barred platform");
                continue;
            }
            // The free months make the partner's paid tier free: its option value rises.
            let s = users::sensitivity(sc.users.price_sensitivity_sigma, 8) * grp.income_factor;
            let price = users::paid_option_value(users::conversion_value(&sc, s, 0.0))
                - users::paid_option_value(users::conversion_value(&sc, s, table.slots[partner].consumer_price));
            let expect = if grp.nation != 0 || grp.enterprise {
                0.0
            } else if month < 12 {
                sc.deals.default_utility + price
            } else {
                sc.deals.default_utility
            };
            let gain = a[partner] - b[partner];
            assert!(
                (gain - expect).abs() < 1e-9,
                "nation {} enterprise {} month {month}: the partner gains {gain}, expected {expect}",
                grp.nation,
                grp.enterprise
            );
            for o in (0..a.len()).filter(|&o| o != partner) {
                assert_eq!(a[o], b[o], "other options are unchanged");
            }
        }
    }
}

#[test]
fn seeded_adoption_moves_non_adopters_to_the_partner() {
    let (mut w, _) = deals_world(|sc| {
        sc.nations[0].literacy_course_takeup = 0.5;
        sc.users.initial_adoption_consumer = 0.3;
    });
    w.run_system_cached(tender_deals).unwrap();
    let partner = deal(&w, 0).expect("a deal").partners[0];
    let before = w.resource::<Users>().clone();
    let (on0, _) = open_consumers(&w, partner as usize);
    w.run_system_cached(seed_adoption).unwrap();
    let after = w.resource::<Users>();
    let (mut eligible, mut moved) = (0, 0);
    for grp in &before.groups {
        for i in grp.start as usize..grp.end as usize {
            let (was, now) = (before.platform[i], after.platform[i]);
            if grp.nation == 0 && !grp.enterprise && was == NO_PLATFORM {
                eligible += 1;
                if now != NO_PLATFORM {
                    assert_eq!(now, partner, "a seeded citizen adopts the partner");
                    assert_eq!(after.joined[i], 0, "and its tenure starts now");
                    moved += 1;
                }
            } else {
                assert_eq!(was, now, "only non-adopting citizens of the deal nation move");
            }
        }
    }
    let sc = w.resource::<Config>().0.clone();
    let h = 1.0 - 0.5 * (1.0 - sc.deals.bass_p_per_month * sc.deals.seeding_factor);
    let share = f64::from(moved) / f64::from(eligible);
    assert!(
        (share - h).abs() < 0.05,
        "{share:.3} of {eligible} non-adopters adopted; expected {h:.3}"
    );
    for (a, b) in after.counts.iter().zip(after.recount()) {
        assert!(close(*a, b), "counts stay consistent: {a} vs {b}");
    }
    let (on1, _) = open_consumers(&w, partner as usize);
    assert!(close(on1 - on0, w.resource::<MonthFlows>().deal_seeded_people));
    // After the free months no one is seeded.
    set_month(&mut w, 12);
    let before = w.resource::<Users>().platform.clone();
    w.run_system_cached(seed_adoption).unwrap();
    assert_eq!(
        before,
        w.resource::<Users>().platform,
        "no seeding after the free months"
    );
}

#[test]
fn free_months_mean_no_bill() {
    let (mut w, es) = deals_world(|_| {});
    w.run_system_cached(tender_deals).unwrap();
    let partner = deal(&w, 0).expect("a deal").partners[0] as usize;
    let bill = |w: &mut World, month: u32| {
        set_month(w, month);
        *w.resource_mut::<MonthFlows>() = MonthFlows::default();
        for &e in &es {
            let mut b = w.get_mut::<Books>(e).unwrap();
            b.revenue = 0.0;
        }
        w.run_system_cached(finance::bill_platform_users).unwrap();
        (books(w, es[partner]).revenue, w.resource::<MonthFlows>().deal_foregone)
    };
    let (free_rev, foregone) = bill(&mut w, 3);
    let (paid_rev, none) = bill(&mut w, 12);
    let sc = w.resource::<Config>().0.clone();
    let (citizens, _) = open_consumers(&w, partner);
    // The paid-tier revenue the citizens would have paid at the $20 list price: those who
    // would convert (the paid-tier decision of each sensitivity class).
    let u = w.resource::<Users>();
    let mut converts = 0.0;
    for (g, grp) in u.groups.iter().enumerate() {
        if grp.nation == 0 && !grp.enterprise {
            for c in 0..users::SENSITIVITY_CLASSES {
                let s = users::sensitivity(sc.users.price_sensitivity_sigma, c as u8) * grp.income_factor;
                converts += u.class_counts[u.class_cell(g, c, partner)]
                    * crate::math::logistic(users::conversion_value(&sc, s, 20.0));
            }
        }
    }
    assert!(converts > 0.0 && converts < 0.5 * citizens, "a minority converts");
    let expect = converts * 20.0;
    assert!(
        citizens > 0.0 && close(foregone, expect),
        "foregone {foregone}, expected {expect}"
    );
    assert!(
        close(paid_rev - free_rev, expect),
        "citizens are not billed in free months"
    );
    assert_eq!(none, 0.0, "nothing is foregone after the free months");
}

#[test]
fn a_banned_rule_signs_nothing() {
    let (mut w, _) = deals_world(|sc| {
        sc.deals.from_month = 0;
        sc.deals.rule = Rule::Banned;
    });
    for m in 0..12 {
        set_month(&mut w, m);
        w.run_system_cached(review_deals).unwrap();
        w.run_system_cached(tender_deals).unwrap();
    }
    assert_eq!(w.resource::<Partnerships>().active_count(), 0);
    assert!(
        w.resource::<Partnerships>()
            .nations
            .iter()
            .all(|n| n.history.is_empty())
    );
    // A deal signed before the ban runs to its term and is not renewed.
    let (mut w, _) = deals_world(|sc| {
        sc.deals.from_month = 3;
        sc.deals.rule = Rule::Banned;
        sc.deals.term_months = 6;
        sc.deals.free_months = 2;
        sc.deals.renewal_fee_usd_per_person = 0.0;
    });
    for m in 0..12 {
        set_month(&mut w, m);
        w.run_system_cached(review_deals).unwrap();
        w.run_system_cached(tender_deals).unwrap();
        assert_eq!(deal(&w, 0).is_some(), m < 6, "month {m}");
    }
}

#[test]
fn multi_vendor_deals_share_the_default() {
    let (mut w, es) = deals_world(|sc| {
        sc.deals.from_month = 0;
        sc.deals.rule = Rule::MultiVendor;
        sc.deals.max_partners = 2;
    });
    let cash: Vec<f64> = es.iter().map(|&e| books(&w, e).cash).collect();
    w.run_system_cached(tender_deals).unwrap();
    let d = deal(&w, 0).expect("a deal");
    let mut p = d.partners.clone();
    p.sort_unstable();
    assert_eq!(p, vec![0, 1], "both frontier labs are partners");
    assert!(!d.exclusive);
    for &e in &es[..2] {
        assert!(books(&w, e).costs > 0.0, "each partner pays its investment");
    }
    assert_eq!(books(&w, es[2]).cash, cash[2], "an open-weights lab never bids");
    let deals = w.resource::<Partnerships>();
    assert_eq!(deals.terms(0, 0, 0), (true, true));
    assert_eq!(deals.terms(0, 1, 0), (true, true));
    assert_eq!(deals.terms(0, 2, 0), (false, false));
}

#[test]
fn the_deal_ends_when_the_partner_dies() {
    let (mut w, _) = deals_world(|_| {});
    w.run_system_cached(tender_deals).unwrap();
    let partner = deal(&w, 0).expect("a deal").partners[0];
    set_month(&mut w, 5);
    w.run_system_cached(end_deals_of_dead_partners).unwrap();
    assert!(deal(&w, 0).is_some(), "alive partner, deal in force");
    w.resource_mut::<PlatformTable>().slots[partner as usize].alive = false;
    w.run_system_cached(end_deals_of_dead_partners).unwrap();
    let nd = &w.resource::<Partnerships>().nations[0];
    assert!(nd.current.is_none(), "the deal ends with its partner");
    assert_eq!((nd.ended, nd.next_tender), (Some(5), 6));
    assert_eq!(nd.latest, vec![partner], "history keeps the partner");
}

#[test]
fn a_deal_renews_only_when_the_renewal_price_is_below_the_partners_valuation() {
    let run = |fee: f64| {
        let (mut w, es) = deals_world(|sc| {
            sc.deals.term_months = 3;
            sc.deals.free_months = 1;
            sc.deals.renewal_fee_usd_per_person = fee;
            sc.deals.cooldown_months = 100;
        });
        for m in 0..4 {
            set_month(&mut w, m);
            w.run_system_cached(review_deals).unwrap();
            w.run_system_cached(tender_deals).unwrap();
        }
        let paid: f64 = es.iter().map(|&e| books(&w, e).costs).sum();
        (w.resource::<Partnerships>().nations[0].clone(), paid)
    };
    let sc = testkit::small_scenario();
    let valuation = bid_per_person(&sc, 20.0);
    let (cheap, paid) = run(valuation * 0.5);
    let d = cheap.current.expect("renewed");
    assert_eq!((d.renewals, d.signed, d.start, d.months_left), (1, 3, 0, 3));
    assert_eq!(d.free_until, 1, "a renewal brings no new free months");
    assert!(paid > 0.0);
    let (dear, _) = run(valuation * 2.0);
    assert!(
        dear.current.is_none(),
        "a renewal price above the valuation ends the deal"
    );
    assert_eq!((dear.ended, dear.next_tender), (Some(3), 103));
}

#[test]
fn the_lockin_share_counts_the_partner_in_deal_nations_against_no_deal_nations() {
    let (mut w, _) = deals_world(|sc| sc.nations[1].foreign_platforms = true);
    let sc = w.resource::<Config>().0.clone();
    let (u, table) = (w.resource::<Users>().clone(), w.resource::<PlatformTable>().clone());
    let (a, b) = lockin_shares(&sc, w.resource::<Partnerships>(), &u, &table);
    assert!(a.is_nan() && b.is_nan(), "no deal, no lock-in share");
    w.resource_mut::<Partnerships>().nations[0].latest = vec![0];
    let (a, b) = lockin_shares(&sc, w.resource::<Partnerships>(), &u, &table);
    let (on, all) = open_consumers(&w, 0);
    assert!(close(a, on / all), "lock-in {a} vs {}", on / all);
    let (mut on1, mut all1) = (0.0, 0.0);
    for (g, grp) in u.groups.iter().enumerate() {
        if grp.nation == 1 && !grp.enterprise {
            on1 += u.counts[u.cell(g, 0)];
            all1 += (0..u.options).map(|o| u.counts[u.cell(g, o)]).sum::<f64>();
        }
    }
    assert!(close(b, on1 / all1), "counterfactual {b} vs {}", on1 / all1);
}

/// Regression (issue 12): a deal's data-centre investment was paid and built nothing.
#[test]
fn a_deals_investment_is_installed_as_gpus_in_the_partners_fleet_after_the_build_lag() {
    let (mut w, es) = deals_world(|sc| {
        sc.firms[0].governance_score = 0.0;
        sc.firms[1].governance_score = 1.0;
        sc.deals.trust_weight = 60.0;
        sc.deals.build_months = 6;
    });
    w.resource_mut::<Market>().list_price = 25_000.0;
    let cash = books(&w, es[1]).cash;
    w.run_system_cached(tender_deals).unwrap();
    let bid = cash - books(&w, es[1]).cash;
    assert!(bid > 0.0, "Beta wins and pays");
    let due = bid / 25_000.0;
    let builds = w.resource::<Partnerships>().builds.clone();
    assert_eq!(builds.len(), 1, "one data centre queued");
    assert!(close(builds[0].gpus, due) && builds[0].ready == 6 && builds[0].nation == 0);
    let owned = testkit::fleet_of(&w, es[1]).owned;
    // Before the lag nothing is installed (and the price change does not matter any more).
    set_month(&mut w, 5);
    w.resource_mut::<Market>().capacity = 1e12;
    w.resource_mut::<Market>().list_price = 1.0;
    w.run_system_cached(build_data_centres).unwrap();
    assert_eq!(testkit::fleet_of(&w, es[1]).owned, owned, "still under construction");
    // At the lag, a short month's output installs part; the rest follows next month.
    set_month(&mut w, 6);
    w.resource_mut::<Market>().capacity = 0.25 * due;
    w.run_system_cached(build_data_centres).unwrap();
    assert!(
        close(testkit::fleet_of(&w, es[1]).owned - owned, 0.25 * due),
        "installed as output allows"
    );
    assert_eq!(w.resource::<Market>().capacity, 0.0, "taken from the vendor's output");
    set_month(&mut w, 7);
    w.resource_mut::<Market>().capacity = 1e12;
    w.run_system_cached(build_data_centres).unwrap();
    assert!(
        close(testkit::fleet_of(&w, es[1]).owned - owned, due),
        "all of the investment's GPUs are owned by the partner"
    );
    let p = w.resource::<Partnerships>();
    assert!(p.builds.is_empty(), "the build is done");
    let rate = 1.0 / (12.0 * w.resource::<Config>().0.supply.life_years);
    assert!(
        close(p.nations[0].hosted_gpus, 0.25 * due * (1.0 - rate) + 0.75 * due),
        "hosted in the partner nation, depreciating: {}",
        p.nations[0].hosted_gpus
    );
}

#[test]
fn a_data_centre_of_an_exited_partner_goes_to_the_public_pool() {
    let (mut w, _) = deals_world(|_| {});
    w.resource_mut::<Partnerships>().builds.push(DataCentreBuild {
        firm: AgentId(999_999),
        nation: 1,
        gpus: 40.0,
        ready: 0,
    });
    w.resource_mut::<Market>().capacity = 100.0;
    w.insert_resource(PublicPool::default());
    w.run_system_cached(build_data_centres).unwrap();
    assert!(close(w.resource::<PublicPool>().gpus, 40.0));
    assert!(close(w.resource::<Partnerships>().nations[1].hosted_gpus, 40.0));
    assert!(close(w.resource::<Market>().capacity, 60.0));
}

use super::*;

#[test]
fn the_visa_policy_replaces_the_targeted_nations_visa_cost_from_its_month() {
    use crate::params::{NationSpec, Scenario};
    let mut sc = Scenario::default();
    for name in ["A", "B"] {
        sc.nations.push(NationSpec {
            name: name.into(),
            visa_cost: 0.5,
            ..Default::default()
        });
    }
    sc.talent.visa_policy_from_month = 12;
    sc.talent.visa_policy_nation = "B".into();
    sc.talent.visa_policy_cost = 4.0;
    assert_eq!(visa_cost(&sc, 1, 11), 0.5, "before the policy");
    assert_eq!(visa_cost(&sc, 1, 12), 4.0, "the targeted nation from its month");
    assert_eq!(visa_cost(&sc, 0, 12), 0.5, "other nations unchanged");
    sc.talent.visa_policy_nation.clear();
    assert_eq!(visa_cost(&sc, 0, 12), 4.0, "an empty name targets every nation");
}
use crate::mechanisms::testkit::{self, books, close, fleet, id_of, spawn_firm};

/// `n` researchers of skill 1 and wage `wage` at each of `at` (employer, nation); citizens of
/// that nation.
fn researchers(at: &[(AgentId, u16)], n: usize, wage: f64) -> Researchers {
    let mut r = Researchers {
        weight: 1.0,
        superstar_skill: 100.0,
        ..Default::default()
    };
    for &(id, nation) in at {
        for _ in 0..n {
            r.skill.push(1.0);
            r.origin.push(nation);
            r.hub.push(nation);
            r.employer.push(id);
            r.wage.push(wage);
            r.joined.push(-1);
            r.status.push(if id == NO_EMPLOYER {
                Status::Outside
            } else {
                Status::Employed
            });
        }
    }
    r
}

fn world() -> World {
    let mut sc = testkit::small_scenario();
    sc.talent.reconsider_per_year = 1.0;
    sc.talent.leave_per_year = 0.0;
    sc.talent.stay_bonus = 0.0;
    testkit::world(sc)
}

fn set_talent(w: &mut World, f: impl FnOnce(&mut crate::params::Talent)) {
    let mut sc = (*w.resource::<Config>().0).clone();
    f(&mut sc.talent);
    w.insert_resource(Config(std::sync::Arc::new(sc)));
}

fn at(w: &World, id: AgentId) -> usize {
    let r = w.resource::<Researchers>();
    (0..r.len()).filter(|&i| r.employer[i] == id).count()
}

#[test]
fn initial_researchers_follow_research_headcount_and_conserve_agents() {
    let mut sc = testkit::small_scenario();
    sc.talent.researcher_agents = 1000;
    sc.talent.outside_share = 0.2;
    let employers = [
        InitialEmployer {
            id: AgentId(1),
            kind: FirmKind::Frontier,
            nation: 0,
            people: 600.0,
        },
        InitialEmployer {
            id: AgentId(2),
            kind: FirmKind::Startup,
            nation: 1,
            people: 200.0,
        },
    ];
    let r = initial_researchers(&sc, &employers);
    assert_eq!(r.len(), 1000, "every agent exists");
    assert!(
        close(r.weight, 1.0),
        "800 people in firms are 80% of 1000 people: weight {}",
        r.weight
    );
    let n = |id: u64| (0..r.len()).filter(|&i| r.employer[i] == AgentId(id)).count();
    assert_eq!(
        (n(1), n(2), n(0)),
        (600, 200, 200),
        "agents in proportion to headcount, rest outside"
    );
    assert_eq!(r.status_counts(), [800, 200, 0]);
    let foreign = (0..600).filter(|&i| r.origin[i] != 0).count() as f64 / 600.0;
    assert!(
        foreign > 0.05 && foreign < 0.4,
        "a share of foreign nationals: {foreign}"
    );
    let top = r.skill.iter().copied().fold(0.0, f64::max);
    assert!(
        top > 5.0,
        "heavy tail: the best of 1000 lognormal(sigma 0.9) skills is {top}"
    );
}

#[test]
fn richer_firms_post_higher_wages_and_lessors_employ_nobody() {
    let mut w = world();
    let poor = spawn_firm(&mut w, FirmKind::Frontier, 1e8, fleet(0.0, 0.0));
    let rich = spawn_firm(&mut w, FirmKind::Frontier, 1e10, fleet(0.0, 0.0));
    spawn_firm(&mut w, FirmKind::Neocloud, 1e10, fleet(0.0, 0.0));
    let (p, r) = (id_of(&w, poor), id_of(&w, rich));
    w.insert_resource(researchers(&[(p, 0), (r, 0)], 10, 30_000.0));
    w.insert_resource(Roster::default());
    w.run_system_cached(post_wages).unwrap();
    let roster = w.resource::<Roster>();
    assert_eq!(roster.employers.len(), 2, "labs employ, lessors do not");
    let (wp, wr) = (roster.employers[&p].posted_wage, roster.employers[&r].posted_wage);
    assert!(wr > wp, "the richer lab must post more: {wr} vs {wp}");
    assert!(close(roster.employers[&r].people, 10.0), "people counted");
}

#[test]
fn researchers_move_to_a_much_better_paying_employer() {
    let mut w = world();
    let a = spawn_firm(&mut w, FirmKind::Frontier, 1e6, fleet(100.0, 0.0));
    let b = spawn_firm(&mut w, FirmKind::Frontier, 1e12, fleet(100.0, 0.0));
    let (ia, ib) = (id_of(&w, a), id_of(&w, b));
    w.insert_resource(researchers(&[(ia, 0), (ib, 0)], 50, 10_000.0));
    w.insert_resource(Roster::default());
    w.run_system_cached(post_wages).unwrap();
    w.run_system_cached(reconsider_employers).unwrap();
    assert!(
        at(&w, ib) > 80,
        "with offers ~10x higher at B, most of A's researchers move: A {} B {}",
        at(&w, ia),
        at(&w, ib)
    );
    let roster = w.resource::<Roster>();
    assert!(
        roster.moves > 30.0 && roster.departures > 30.0,
        "moves counted: {}",
        roster.moves
    );
    let outside = at(&w, NO_EMPLOYER) as f64;
    assert!(
        close(roster.net_flow_frontier, -outside),
        "moves between frontier labs are no net flow; only the {outside} who left firms count: {}",
        roster.net_flow_frontier
    );
    assert!(
        close(roster.employers[&ib].people, at(&w, ib) as f64),
        "aggregates follow the moves"
    );
}

#[test]
fn a_high_visa_cost_keeps_foreign_researchers_out() {
    let run = |visa: f64| {
        let mut w = world();
        let mut sc = (*w.resource::<Config>().0).clone();
        sc.nations[1].visa_cost = visa;
        sc.talent.moving_cost = 0.0;
        w.insert_resource(Config(std::sync::Arc::new(sc)));
        let home = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(100.0, 0.0));
        let abroad = spawn_firm(&mut w, FirmKind::Frontier, 3e9, fleet(100.0, 0.0));
        w.get_mut::<Firm>(abroad).unwrap().nation = 1;
        let (ih, ia) = (id_of(&w, home), id_of(&w, abroad));
        w.insert_resource(researchers(&[(ih, 0), (ia, 1)], 100, 10_000.0));
        w.insert_resource(Roster::default());
        w.run_system_cached(post_wages).unwrap();
        w.run_system_cached(reconsider_employers).unwrap();
        let r = w.resource::<Researchers>();
        (0..100).filter(|&i| r.employer[i] == ia).count()
    };
    let (open, closed) = (run(0.0), run(20.0));
    assert!(open > 20, "without visa costs foreigners take the better offer: {open}");
    assert_eq!(closed, 0, "a prohibitive visa cost keeps them home");
}

#[test]
fn a_failed_firms_team_is_acquihired_or_laid_off() {
    for (p, acquired) in [(1.0, true), (0.0, false)] {
        let mut w = world();
        set_talent(&mut w, |t| t.acquihire_probability = p);
        let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e10, fleet(0.0, 0.0));
        let il = id_of(&w, lab);
        let gone = AgentId(999);
        w.insert_resource(researchers(&[(il, 0), (gone, 0)], 5, 20_000.0));
        w.insert_resource(Roster::default());
        w.run_system_cached(post_wages).unwrap();
        w.run_system_cached(rehome_researchers).unwrap();
        let r = w.resource::<Researchers>();
        let team: Vec<usize> = (5..10).collect();
        if acquired {
            assert!(
                team.iter().all(|&i| r.employer[i] == il),
                "p = 1: the lab takes the team"
            );
            assert!(close(w.resource::<Roster>().acquihired, 5.0), "acqui-hires counted");
        } else {
            assert!(
                team.iter()
                    .all(|&i| r.status[i] == Status::Outside && r.employer[i] == NO_EMPLOYER),
                "p = 0: the team is laid off"
            );
        }
        assert_eq!(r.status_counts().iter().sum::<u64>(), 10, "researchers conserved");
    }
}

#[test]
fn a_team_sold_on_the_acquihire_market_joins_its_buyer() {
    let mut w = world();
    set_talent(&mut w, |t| t.acquihire_probability = 1.0);
    let rich = spawn_firm(&mut w, FirmKind::Frontier, 1e12, fleet(0.0, 0.0));
    let buyer = spawn_firm(&mut w, FirmKind::Frontier, 1e6, fleet(0.0, 0.0));
    let (ir, ib) = (id_of(&w, rich), id_of(&w, buyer));
    let gone = AgentId(999);
    w.insert_resource(researchers(&[(ir, 0), (ib, 0), (gone, 0)], 5, 20_000.0));
    w.insert_resource(Roster::default());
    w.resource_mut::<TeamTransfers>().0.insert(gone, ib);
    w.run_system_cached(post_wages).unwrap();
    w.run_system_cached(rehome_researchers).unwrap();
    let r = w.resource::<Researchers>();
    assert!(
        (10..15).all(|i| r.employer[i] == ib),
        "the team joins the firm that bought it, not the richest lab"
    );
    assert!(w.resource::<TeamTransfers>().0.is_empty(), "transfers are consumed");
}

#[test]
fn employers_pay_the_wage_bill_and_lab_talent_follows_productivity() {
    let mut w = world();
    set_talent(&mut w, |t| {
        t.agglomeration_alpha = 0.0;
        t.talent_elasticity = 0.5;
    });
    let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
    w.entity_mut(lab).insert(Lab {
        talent: 1.0,
        ..Default::default()
    });
    let il = id_of(&w, lab);
    w.insert_resource(researchers(&[(il, 0)], 8, 25_000.0));
    let mut roster = Roster::default();
    roster.reference.insert(
        il,
        LabReference {
            talent: 1.5,
            productivity: 2.0,
            budget_share: 0.1,
        },
    );
    w.insert_resource(roster);
    w.run_system_cached(post_wages).unwrap();
    w.run_system_cached(tally_researchers).unwrap();
    w.run_system_cached(pay_researchers).unwrap();
    w.run_system_cached(set_lab_talent).unwrap();
    assert!(
        close(books(&w, lab).costs, 8.0 * 25_000.0),
        "wage bill paid: {}",
        books(&w, lab).costs
    );
    let talent = w.get::<Lab>(lab).unwrap().talent;
    assert!(
        close(talent, 1.5 * 2.0),
        "talent = talent_0 (P / P_0)^gamma = 1.5 x (8 / 2)^0.5 = 3, got {talent}"
    );
}

#[test]
fn hub_agglomeration_raises_productivity() {
    let mut w = world();
    set_talent(&mut w, |t| {
        t.agglomeration_alpha = 0.1;
        t.hub_reference_people = 1.0;
    });
    let big = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
    let small = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(0.0, 0.0));
    w.get_mut::<Firm>(small).unwrap().nation = 1;
    let (ib, is) = (id_of(&w, big), id_of(&w, small));
    let mut r = researchers(&[(ib, 0)], 100, 1.0);
    let s = researchers(&[(is, 1)], 1, 1.0);
    for i in 0..s.len() {
        r.skill.push(s.skill[i]);
        r.origin.push(s.origin[i]);
        r.hub.push(s.hub[i]);
        r.employer.push(s.employer[i]);
        r.wage.push(s.wage[i]);
        r.joined.push(s.joined[i]);
        r.status.push(s.status[i]);
    }
    w.insert_resource(r);
    w.insert_resource(Roster::default());
    w.run_system_cached(post_wages).unwrap();
    w.run_system_cached(tally_researchers).unwrap();
    let roster = w.resource::<Roster>();
    let per_head_big = roster.employers[&ib].productivity / 100.0;
    let per_head_small = roster.employers[&is].productivity;
    assert!(
        close(per_head_big / per_head_small, math::pow(100.0, 0.1)),
        "a researcher in a 100-person hub is 100^alpha times as productive: {per_head_big} vs {per_head_small}"
    );
}

// --- The researcher pipeline (graduates) ---------------------------------------------------------

#[test]
fn graduates_enter_by_cumulative_rounding_exactly_over_a_year() {
    // 10 people a year at 1 person per agent: 10 agents in months 1..=12, none at month 0.
    let total: usize = (1..=12).map(|m| graduates_this_month(10.0, 1.0, m)).sum();
    assert_eq!(total, 10, "a year's graduates are exact");
    assert_eq!(graduates_this_month(10.0, 1.0, 0), 0, "nobody graduates at month 0");
    // 120 people a year at 2 people per agent: 5 agents every month.
    assert!((1..=24).all(|m| graduates_this_month(120.0, 2.0, m) == 5));
    assert_eq!(graduates_this_month(0.0, 1.0, 7), 0, "no pipeline");
    assert_eq!(graduates_this_month(10.0, 0.0, 7), 0, "no pool, no agents");
}

#[test]
fn graduates_enter_outside_firms_in_their_nation_with_the_pools_skill_spread() {
    let mut w = world();
    let mut sc = (*w.resource::<Config>().0).clone();
    sc.nations[0].researcher_graduates_per_year = 12_000.0;
    sc.nations[1].researcher_graduates_per_year = 1_200.0;
    w.insert_resource(Config(std::sync::Arc::new(sc)));
    let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(100.0, 0.0));
    let il = id_of(&w, lab);
    w.insert_resource(researchers(&[(il, 0)], 10, 20_000.0));
    w.insert_resource(Roster::default());
    w.resource_mut::<Clock>().month = 3;
    w.run_system_cached(post_wages).unwrap();
    w.run_system_cached(graduate_researchers).unwrap();
    let r = w.resource::<Researchers>();
    let floor = w.resource::<Config>().0.talent.wage_floor_usd;
    assert_eq!(r.len(), 10 + 1000 + 100, "a month of both nations' graduates");
    assert_eq!(r.entered, 1100);
    assert_eq!(r.status_counts(), [10, 1100, 0], "graduates enter outside firms");
    let new = 10..r.len();
    assert!(
        new.clone()
            .all(|i| r.employer[i] == NO_EMPLOYER && r.wage[i] == floor && r.joined[i] == 3)
    );
    assert!(
        new.clone().all(|i| r.hub[i] == r.origin[i]),
        "citizens where they graduate"
    );
    assert_eq!(new.clone().filter(|&i| r.hub[i] == 1).count(), 100, "per-nation counts");
    let mean = new.clone().map(|i| r.skill[i]).sum::<f64>() / 1100.0;
    let top = new.map(|i| r.skill[i]).fold(0.0, f64::max);
    assert!(
        (0.85..1.15).contains(&mean),
        "skill has mean 1 like the month-0 pool: {mean}"
    );
    assert!(top > 4.0, "and the same heavy tail: best of 1100 is {top}");
    let roster = w.resource::<Roster>();
    assert!(close(roster.entered, 1100.0) && close(roster.entered_by_nation[1], 100.0));
    assert!(close(roster.outside_skill[0] + roster.outside_skill[1], 1100.0 * mean));
}

#[test]
fn the_pool_is_a_stock_with_inflow_and_outflow() {
    // Graduates in, leavers out: after a few years the pool has grown by inflow − outflow, and
    // employed + outside + left = agents throughout.
    let mut w = world();
    let mut sc = (*w.resource::<Config>().0).clone();
    sc.nations[0].researcher_graduates_per_year = 240.0;
    sc.talent.leave_per_year = 0.1;
    sc.talent.reconsider_per_year = 0.0;
    sc.talent.outside_search_per_month = 0.0;
    w.insert_resource(Config(std::sync::Arc::new(sc)));
    let lab = spawn_firm(&mut w, FirmKind::Frontier, 1e9, fleet(100.0, 0.0));
    let il = id_of(&w, lab);
    w.insert_resource(researchers(&[(il, 0)], 1000, 20_000.0));
    w.insert_resource(Roster::default());
    let (mut inflow, mut outflow) = (0.0, 0.0);
    for m in 1..=36 {
        w.resource_mut::<Clock>().month = m;
        w.run_system_cached(post_wages).unwrap();
        w.run_system_cached(graduate_researchers).unwrap();
        w.run_system_cached(reconsider_employers).unwrap();
        let roster = w.resource::<Roster>();
        inflow += roster.entered;
        outflow += roster.exited;
        let r = w.resource::<Researchers>();
        let [e, o, l] = r.status_counts();
        assert_eq!(e + o + l, r.len() as u64, "month {m}: agents conserved");
    }
    let r = w.resource::<Researchers>();
    let [e, o, _] = r.status_counts();
    assert_eq!(inflow, 720.0, "three years of 240 graduates");
    assert!(
        outflow > 150.0 && outflow < 450.0,
        "10%/yr of ~1,300 over three years: {outflow}"
    );
    assert!(
        close((e + o) as f64, 1000.0 + inflow - outflow),
        "stock = initial + inflow − outflow"
    );
}

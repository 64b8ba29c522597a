//! Security incidents and regulation (ODD §7.15–7.16) on whole runs at test scale: who
//! bears incident losses and compliance costs, and what the security standard does.

use goldrush_tests::{builtin, run};
use sim_core::Scenario;

/// Sum of a metric over the run.
fn total(sim: &sim_core::Sim, f: impl Fn(&sim_core::Metrics) -> f64) -> f64 {
    sim.metrics().iter().map(f).sum()
}

/// Mean of a metric over the months in which the group had revenue.
fn mean(sim: &sim_core::Sim, f: impl Fn(&sim_core::Metrics) -> f64) -> f64 {
    let v: Vec<f64> = sim.metrics().iter().skip(1).map(f).collect();
    v.iter().sum::<f64>() / v.len() as f64
}

/// The tiny scenario with every nation under one regime shaped by `shape`.
fn regulated(shape: impl Fn(&mut sim_core::params::RegimeSpec)) -> Scenario {
    let mut sc = builtin("tiny", &["run.months=24"]);
    for n in &mut sc.nations {
        n.regime = "eu".into();
    }
    let r = sc
        .regimes
        .iter_mut()
        .find(|r| r.name == "eu")
        .expect("the baseline defines eu");
    r.sme_relief_share = 0.0;
    r.sandbox_share = 0.0;
    r.systemic_usd_per_year = 0.0;
    shape(r);
    sc
}

#[test]
fn incidents_hit_small_firms_harder_relative_to_revenue() {
    let sim = run(builtin("tiny", &["security.incidents_per_year=0.6"]));
    let small = mean(&sim, |m| m.incident_loss_share_small);
    let large = mean(&sim, |m| m.incident_loss_share_large);
    assert!(
        total(&sim, |m| m.incidents_small) > 0.0 && total(&sim, |m| m.incidents_large) > 0.0,
        "both size classes should suffer incidents"
    );
    assert!(
        small > 5.0 * large,
        "incident losses / revenue should be far higher for small firms: small {small:.5}, large {large:.5}"
    );
}

#[test]
fn small_firms_buy_less_hygiene() {
    let sim = run(builtin("tiny", &["run.months=12"]));
    let (hs, hl) = (mean(&sim, |m| m.hygiene_small), mean(&sim, |m| m.hygiene_large));
    assert!(
        hs < hl,
        "the fixed cost of hygiene weighs on small firms: small {hs:.3}, large {hl:.3}"
    );
}

#[test]
fn a_fixed_cost_compliance_regime_is_regressive_and_a_proportional_one_is_not() {
    let fixed = run(regulated(|r| {
        r.fixed_usd_per_year = 100_000.0;
        r.proportional_share = 0.0;
    }));
    let (s, l) = (
        mean(&fixed, |m| m.compliance_cost_share_small),
        mean(&fixed, |m| m.compliance_cost_share_large),
    );
    assert!(
        s > 10.0 * l,
        "a fixed cost should weigh far more on small firms' revenue: small {s:.5}, large {l:.6}"
    );
    let prop = run(regulated(|r| {
        r.fixed_usd_per_year = 0.0;
        r.proportional_share = 0.01;
    }));
    let (s, l) = (
        mean(&prop, |m| m.compliance_cost_share_small),
        mean(&prop, |m| m.compliance_cost_share_large),
    );
    assert!(
        s <= 0.0101 && l <= 0.0101 && s > 0.005,
        "a proportional cost is at most v = 1% of revenue for every size: small {s:.5}, large {l:.5}"
    );
}

#[test]
fn compliance_costs_start_when_the_regime_is_switched_on() {
    let sim = run(regulated(|r| r.from_month = 12));
    let m = sim.metrics();
    assert!(
        m[..12]
            .iter()
            .all(|m| m.compliance_cost_share_small == 0.0 && m.compliance_cost_share_large == 0.0),
        "no compliance cost before the regime's month"
    );
    assert!(
        m[12..].iter().any(|m| m.compliance_cost_share_small > 0.0),
        "costs from month 12"
    );
}

#[test]
fn switching_on_the_security_standard_lowers_incidents() {
    // Same seeds with and without the standard; incidents are rare, so four seeds are pooled.
    let count = |standard: bool| {
        (1..=4)
            .map(|seed| {
                let mut sc = builtin("tiny", &["security.incidents_per_year=0.6"]);
                sc.run.seed = seed;
                if standard {
                    sc.security.standard_from_month = 0;
                }
                total(&run(sc), |m| m.incidents_small + m.incidents_large)
            })
            .sum::<f64>()
    };
    let (b, s) = (count(false), count(true));
    // Less than the factor 0.5 on λ0: firms facing a smaller threat buy less hygiene, and more
    // of them survive to be exposed.
    assert!(
        s < 0.9 * b,
        "mandatory scanning should cut incidents: {s} with the standard vs {b} without"
    );
}

#[test]
fn severe_incidents_force_incident_exits_and_fines() {
    let (mut exits, mut fines) = (0.0, 0.0);
    for seed in 1..=4 {
        let sim = run(goldrush_tests::seeded(
            "tiny",
            &[
                "security.incidents_per_year=4",
                "security.loss_sigma=2.5",
                "security.hygiene_max=0",
            ],
            seed,
        ));
        exits += total(&sim, |m| m.exits_incident);
        fines += total(&sim, |m| m.fines_usd);
    }
    assert!(
        exits > 0.0,
        "heavy-tailed losses without hygiene should push some firms out (over four seeds)"
    );
    assert!(fines > 0.0, "incidents in the EU are fined");
}

/// Regression (issue 12): regimes applied by a firm's home nation, so a lab based outside the
/// regime escaped it. With every lab based in the United States, the EU regime (on the EU
/// nations only) still charges the large labs, because they sell there.
#[test]
fn a_lab_based_outside_a_regime_pays_for_the_market_it_sells_in() {
    let mut sc = builtin("tiny", &["run.months=12"]);
    for f in &mut sc.firms {
        f.nation = "United States".into();
    }
    assert!(
        sc.nations
            .iter()
            .any(|n| n.name == "United States" && n.regime.is_empty()),
        "the United States are unregulated in the baseline"
    );
    let sim = run(sc);
    let large = mean(&sim, |m| m.compliance_cost_share_large);
    assert!(
        large > 0.0,
        "US-based labs selling in the EU pay the EU regime: compliance share of large firms {large}"
    );
}

/// Regression (issue 12): every enforced fine was at the statutory cap. Paired runs with every
/// incident enforced: fines at the default severity (a tenth of the cap on average) total far
/// less than fines forced to the cap.
#[test]
fn fines_are_drawn_below_the_statutory_cap() {
    let fines = |at_cap: bool| {
        let mut sc = regulated(|r| {
            r.enforcement_probability = 1.0;
            r.fine_hygiene_mitigation = 0.0;
            if at_cap {
                r.fine_cap_share_mean = 1.0;
                r.fine_cap_share_sigma = 0.0;
            }
        });
        sc.security.incidents_per_year = 0.6;
        total(&run(sc), |m| m.fines_usd)
    };
    let (drawn, capped) = (fines(false), fines(true));
    assert!(capped > 0.0, "with every incident enforced there are fines");
    assert!(
        drawn < 0.5 * capped,
        "drawn fines should be a fraction of the cap: {drawn:.3e} vs {capped:.3e} at the cap"
    );
}

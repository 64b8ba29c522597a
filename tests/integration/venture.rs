//! Venture finance and sentiment, acqui-hires and survival by cohort, on whole runs at test
//! scale: the claims of `sim-core/src/mechanisms/venture.rs`.

use goldrush_tests::{builtin, run};

const SMALL: &[&str] = &[
    "users.consumer_agents=4000",
    "users.enterprise_agents=200",
    "startups.initial_count=60",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = SMALL.to_vec();
    v.extend_from_slice(extra);
    v
}

fn total(sim: &sim_core::Sim, metric: &str) -> f64 {
    sim.metrics().iter().map(|m| m.get(metric).unwrap()).sum()
}

#[test]
fn sentiment_moves_and_stays_within_its_bounds() {
    let sim = run(builtin("classroom", &[]));
    let s: Vec<f64> = sim.metrics().iter().map(|m| m.sentiment).collect();
    let sc = sim.scenario();
    assert!(
        s.iter()
            .all(|x| *x >= sc.venture.sentiment_min && *x <= sc.venture.sentiment_max),
        "sentiment left its clamp: {s:?}"
    );
    let (lo, hi) = s
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    assert!(
        hi - lo > 0.2,
        "over ten years sentiment should swing, got {lo:.2}..{hi:.2}"
    );
}

#[test]
fn good_vibes_bring_more_entry_and_more_venture_money() {
    // Sentiment pinned high (no reversion, no shocks, no momentum) vs pinned low.
    let pinned = |level: &'static str| {
        let mut o = with(&[
            "run.months=48",
            "venture.reversion_per_month=0",
            "venture.noise_sigma=0",
            "venture.momentum_weight=0",
        ]);
        o.push(level);
        run(builtin("baseline", &o))
    };
    let boom = pinned("venture.initial_sentiment=2.5");
    let bust = pinned("venture.initial_sentiment=0.4");
    let (eb, el) = (total(&boom, "startups_entered"), total(&bust, "startups_entered"));
    assert!(
        eb > 2.0 * el,
        "entry in a boom ({eb}) should far exceed entry in a bust ({el})"
    );
    let (fb, fl) = (total(&boom, "venture_funding_usd"), total(&bust, "venture_funding_usd"));
    assert!(
        fb > fl,
        "venture funding in a boom ({fb:.3e}) should exceed a bust's ({fl:.3e})"
    );
    let (sb, sl) = (
        boom.metrics().last().unwrap().startups_alive,
        bust.metrics().last().unwrap().startups_alive,
    );
    assert!(
        sb > sl,
        "more startups alive after a boom ({sb}) than after a bust ({sl})"
    );
}

#[test]
fn exits_by_cause_add_up_and_acquihires_happen_only_when_enabled() {
    let sim = run(builtin("classroom", &[]));
    for m in sim.metrics() {
        assert_eq!(
            m.startups_exited,
            m.exits_acqui_hire + m.startup_exits_cash + m.startup_exits_incident + m.exits_platform_entry,
            "month {}: every startup exit has a cause (cash, incident, platform entry or acqui-hire)",
            m.month
        );
    }
    assert!(
        total(&sim, "exits_acqui_hire") > 0.0,
        "some startups in distress are acqui-hired"
    );
    let none = run(builtin("classroom", &["venture.acquihire_probability=0"]));
    assert_eq!(total(&none, "exits_acqui_hire"), 0.0, "no acqui-hires when disabled");
}

#[test]
fn startups_churn_toward_the_calibration_targets() {
    // EVIDENCE.md §1.8: ~80% survive a year, ~50% five years. Pooled over seeds at baseline
    // scale the model gives ~0.77-0.80 and ~0.55-0.75 (documented in docs/ODD.md).
    let mut s12 = Vec::new();
    let mut s60 = Vec::new();
    for seed in ["run.seed=1", "run.seed=2", "run.seed=3"] {
        let sim = run(builtin(
            "baseline",
            &["users.consumer_agents=8000", "users.enterprise_agents=400", seed],
        ));
        let last = sim.metrics().last().unwrap();
        s12.push(last.survival_12m);
        s60.push(last.survival_60m);
        assert!(
            sim.metrics()[..12].iter().all(|m| m.survival_12m.is_nan()),
            "no 12-month survival before a cohort is 12 months old"
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (a, b) = (mean(&s12), mean(&s60));
    assert!((0.65..=0.92).contains(&a), "12-month survival {a:.2} (seeds {s12:?})");
    assert!((0.4..=0.8).contains(&b), "60-month survival {b:.2} (seeds {s60:?})");
    assert!(b < a, "survival falls with age");
}

//! Model claims checked on whole runs at test scale, one or a few seeds each. The stylized facts
//! over many seeds, and every lever against the baseline with a paired-seed confidence interval
//! (including allocation priority and public compute), are in `facts.rs`.

use goldrush_tests::{builtin, run};

const SMALL: &[&str] = &[
    "users.consumer_agents=4000",
    "users.enterprise_agents=200",
    "startups.initial_count=30",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = SMALL.to_vec();
    v.extend_from_slice(extra);
    v
}

#[test]
fn a_supply_shock_spikes_the_spot_price() {
    let o = with(&["run.months=24"]);
    let base = run(builtin("baseline", &o));
    let shock = run(builtin("supply-shock", &o));
    let peak = |s: &sim_core::Sim| s.metrics()[12..21].iter().map(|m| m.spot_price_usd).fold(0.0, f64::max);
    let (b, s) = (peak(&base), peak(&shock));
    assert!(
        s >= 1.5 * b,
        "spot peak during the shock {s:.2} should be well above the baseline's {b:.2}"
    );
    let ship = |s: &sim_core::Sim| s.metrics()[15].shipments_gpus;
    assert!(ship(&shock) < ship(&base), "the shock cuts shipments");
}

#[test]
fn without_reconsideration_nobody_switches() {
    let sim = run(builtin(
        "tiny",
        &[
            "users.reconsider_consumer=0",
            "users.reconsider_enterprise=0",
            "run.months=12",
            // National deals seed adoption without reconsideration (see deals.rs).
            "deals.from_month=0",
            "deals.rule=banned",
        ],
    ));
    assert!(sim.metrics().iter().all(|m| m.switching_rate == 0.0));
    // Nobody adopts either: adoption can only fall, when a platform exits and its users are left
    // without one.
    for w in sim.metrics().windows(2) {
        assert!(
            w[1].adoption_rate <= w[0].adoption_rate + 1e-12,
            "adoption rose without reconsideration"
        );
    }
}

#[test]
fn startups_enter_and_exit() {
    let sim = run(builtin("classroom", &[]));
    let entered: f64 = sim.metrics().iter().map(|m| m.startups_entered).sum();
    let exited: f64 = sim.metrics().iter().map(|m| m.startups_exited).sum();
    assert!(entered > 0.0 && exited > 0.0, "entered {entered}, exited {exited}");
}

/// Two platforms in one nation: an early leader with 90% of users and a better late-comer
/// (30% more research talent, so higher quality every month).
pub(crate) fn two_platforms(theta_network: f64, seed: u64) -> sim_core::Scenario {
    use sim_core::params::{FirmKind, FirmSpec, NationSpec};
    let mut sc = sim_core::Scenario {
        name: "two-platforms".into(),
        ..Default::default()
    };
    sc.run.seed = seed;
    sc.run.months = 36;
    sc.users.consumer_agents = 5000;
    sc.users.enterprise_agents = 0;
    sc.users.reconsider_consumer = 0.05;
    sc.users.theta_network = theta_network;
    sc.users.initial_adoption_consumer = 0.8;
    sc.startups.initial_count = 0;
    sc.startups.entry_rate_per_month = 0.0;
    sc.nations.push(NationSpec {
        name: "Land".into(),
        internet_users_millions: 1000.0,
        enterprise_seats_millions: 0.0,
        gdp_per_capita_usd: 60_000.0,
        ..Default::default()
    });
    for (name, share, talent) in [("Early", 0.9, 1.0), ("Better", 0.1, 1.3)] {
        sc.firms.push(FirmSpec {
            name: name.into(),
            kind: FirmKind::Frontier,
            nation: "Land".into(),
            cash_usd: 5e10,
            owned_gpus: 1e6,
            cumulative_flop: 1e27,
            talent,
            initial_consumer_share: share,
            need_ratio: 1.0,
            ..Default::default()
        });
    }
    sc
}

fn share_of(sim: &sim_core::Sim, name: &str) -> f64 {
    sim.platforms()
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.share)
        .unwrap()
}

#[test]
fn strong_network_effects_lock_in_an_inferior_early_leader() {
    for seed in [1, 2, 3] {
        let locked = run(two_platforms(2.0, seed));
        let open = run(two_platforms(0.0, seed));
        let (early_locked, better_open) = (share_of(&locked, "Early"), share_of(&open, "Better"));
        assert!(
            early_locked > 0.8,
            "seed {seed}: with theta_N = 2 the inferior early leader should keep the market, has {early_locked:.2}"
        );
        assert!(
            better_open > 0.3,
            "seed {seed}: without network effects the better platform should grow from 10%, has {better_open:.2}"
        );
    }
}

#[test]
fn export_controls_shrink_the_embargoed_nations_share_of_compute() {
    let o = with(&["run.months=36"]);
    let controlled = run(builtin("baseline", &o));
    let mut lifted_o = o.clone();
    lifted_o.push("export_controls.from_month=1200");
    let lifted = run(builtin("baseline", &lifted_o));
    let share = |s: &sim_core::Sim| s.metrics().last().unwrap().compute_share_tier3;
    let (c, l) = (share(&controlled), share(&lifted));
    assert!(
        c < l,
        "tier-3 share of compute with controls {c:.3} should be below the share without {l:.3}"
    );
    let substitutes: f64 = controlled.metrics().iter().map(|m| m.substitute_shipments_gpus).sum();
    assert!(substitutes > 0.0, "embargoed labs buy substitute chips");
    assert!(
        lifted.metrics().iter().all(|m| m.export_blocked_gpus == 0.0),
        "nothing is blocked once controls are lifted"
    );
}

#[test]
fn an_interoperability_mandate_raises_switching() {
    let o = with(&["run.months=36"]);
    let base = run(builtin("baseline", &o));
    let mandate = run(builtin("interop-mandate", &o));
    let avg = |s: &sim_core::Sim| s.metrics()[12..].iter().map(|m| m.switching_rate).sum::<f64>() / 24.0;
    let (b, m) = (avg(&base), avg(&mandate));
    assert!(
        m > 1.5 * b,
        "switching under the mandate {m:.4}/month should be well above the baseline's {b:.4}"
    );
    let bits = |m: &sim_core::Metrics| m.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&base.metrics()[11]),
        bits(&mandate.metrics()[11]),
        "nothing differs before the mandate starts"
    );
}

#[test]
fn non_discriminatory_allocation_slows_compute_concentration() {
    let o = with(&["run.months=48"]);
    let base = run(builtin("baseline", &o)).metrics().last().unwrap().compute_cr5;
    let remedy = run(builtin("compute-antitrust", &o))
        .metrics()
        .last()
        .unwrap()
        .compute_cr5;
    assert!(
        remedy < base,
        "compute CR5 with the remedy {remedy:.3} should be below the baseline's {base:.3}"
    );
}

#[test]
fn a_visa_fee_in_the_leading_hub_shifts_talent_away_from_it() {
    let o = [
        "users.consumer_agents=4000",
        "users.enterprise_agents=200",
        "run.months=48",
    ];
    let base = run(builtin("baseline", &o));
    let visas = run(builtin("talent-visas", &o));
    let hub = |s: &sim_core::Sim| s.metrics().last().unwrap().talent_top_hub_share;
    let (b, v) = (hub(&base), hub(&visas));
    assert!(
        v < b,
        "the leading hub's talent share with the visa fee {v:.3} should be below the baseline's {b:.3}"
    );
}

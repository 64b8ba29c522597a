//! Model claims checked on whole runs at test scale (the stylized-fact suite over many seeds
//! comes with the economy issue).

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
fn stronger_size_priority_concentrates_compute() {
    let o = with(&["run.months=36", "allocation.priority_theta=0"]);
    let flat = run(builtin("baseline", &o)).metrics().last().unwrap().compute_hhi;
    let o = with(&["run.months=36", "allocation.priority_theta=2"]);
    let steep = run(builtin("baseline", &o)).metrics().last().unwrap().compute_hhi;
    assert!(
        steep >= flat,
        "compute HHI with theta=2 ({steep:.0}) should be at least theta=0's ({flat:.0})"
    );
}

#[test]
fn without_reconsideration_nobody_switches() {
    let sim = run(builtin(
        "tiny",
        &[
            "users.reconsider_consumer=0",
            "users.reconsider_enterprise=0",
            "run.months=12",
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

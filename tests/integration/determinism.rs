//! Determinism: the same scenario and seed give the same state hash at every month; golden
//! hashes pin every shipped scenario; a different seed gives a different run.

use goldrush_tests::{builtin, hex, run};
use sim_core::Sim;

/// Golden state hashes after the full horizon of each shipped scenario (seed 42). If a change
/// to the model is intended, update these and say so in the commit message.
const GOLDEN: &[(&str, u64)] = &[
    ("tiny", 0x1f4c_a979_8b84_c580),
    ("classroom", 0x673b_ef4d_53db_9a71),
    ("supply-shock", 0xaeaf_4383_83e3_6b98),
    ("baseline", 0x213c_c5ca_905b_d45b),
    ("compute-antitrust", 0x33d9_a770_b49d_1d08),
    ("interop-mandate", 0x0212_50b2_ecb2_c120),
    ("proportional-compliance", 0x79cd_e47a_bba6_4c28),
    ("security-standards", 0x522d_4bb5_4b81_5f6a),
    ("talent-visas", 0x1a07_1030_62ec_e2d2),
    ("public-compute", 0x3180_7138_8293_9859),
    ("no-export-controls", 0x754f_15ac_323a_e3e0),
];

#[test]
fn same_seed_gives_the_same_hash_at_every_month() {
    let mut a = Sim::new(builtin("tiny", &[])).unwrap();
    let mut b = Sim::new(builtin("tiny", &[])).unwrap();
    assert_eq!(a.state_hash(), b.state_hash(), "month 0 differs");
    for _ in 0..a.horizon() {
        a.step();
        b.step();
        let (ha, hb) = (a.state_hash(), b.state_hash());
        assert_eq!(ha, hb, "month {}: got {} vs {}", a.month(), hex(ha), hex(hb));
    }
    // Bit patterns, not `==`: a metric that is not yet defined (survival before a cohort is old
    // enough) is NaN, and NaN != NaN.
    let bits = |s: &Sim| -> Vec<Vec<u64>> {
        s.metrics()
            .iter()
            .map(|m| m.values().iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    assert_eq!(bits(&a), bits(&b), "metrics differ between identical runs");
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let a = run(builtin("tiny", &["run.seed=1"])).state_hash();
    let b = run(builtin("tiny", &["run.seed=2"])).state_hash();
    assert_ne!(a, b);
}

#[test]
fn golden_hashes_of_every_shipped_scenario() {
    let mut failures = Vec::new();
    for (name, _) in sim_core::scenario::BUILTIN {
        if !GOLDEN.iter().any(|g| g.0 == *name) {
            failures.push(format!("{name}: no golden hash pinned"));
        }
    }
    for &(name, golden) in GOLDEN {
        let got = run(builtin(name, &[])).state_hash();
        if got != golden {
            failures.push(format!("{name}: got {}, expected {}", hex(got), hex(golden)));
        }
    }
    assert!(failures.is_empty(), "golden hashes changed:\n{}", failures.join("\n"));
}

#[test]
fn the_schedule_has_no_ambiguous_system_order() {
    // Sim::new builds the schedule with ambiguity detection set to Error.
    Sim::new(builtin("tiny", &[])).expect("schedule builds without ambiguities");
}

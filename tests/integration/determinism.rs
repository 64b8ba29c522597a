//! Determinism: the same scenario and seed give the same state hash at every month; golden
//! hashes pin every shipped scenario; a different seed gives a different run.

use goldrush_tests::{builtin, hex, run};
use sim_core::Sim;

/// Golden state hashes after the full horizon of each shipped scenario (seed 42). If a change
/// to the model is intended, update these and say so in the commit message.
const GOLDEN: &[(&str, u64)] = &[
    ("tiny", 0xd6d5_2df7_60a7_ef3a),
    ("classroom", 0xc118_dc7e_01cc_e5b3),
    ("supply-shock", 0xa44f_b5df_b213_0f85),
    ("baseline", 0xa1fd_1530_6d37_4173),
    ("compute-antitrust", 0xb49a_751f_b2ab_4c3a),
    ("interop-mandate", 0xdb89_bf06_30f6_5e4a),
    ("proportional-compliance", 0xff46_c89a_af73_4ba3),
    ("security-standards", 0xa245_3aa4_483c_b85d),
    ("talent-visas", 0x74c2_0bb6_45b5_5d17),
    ("public-compute", 0x11e9_5aa5_9646_43c2),
    ("no-export-controls", 0xc401_ca64_8ef7_d03c),
    ("self-preferencing-ban", 0x4914_c7fd_caf7_c7e6),
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

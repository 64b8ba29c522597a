//! Determinism: the same scenario and seed give the same state hash at every month; golden
//! hashes pin every shipped scenario; a different seed gives a different run.

use goldrush_tests::{builtin, hex, run};
use sim_core::Sim;

/// Golden state hashes after the full horizon of each shipped scenario (seed 42). If a change
/// to the model is intended, update these and say so in the commit message.
const GOLDEN: &[(&str, u64)] = &[
    ("tiny", 0x2574_60fe_c027_e299),
    ("classroom", 0xfc76_5ae0_29e9_f11c),
    ("supply-shock", 0x7b24_5b58_a3b7_4e10),
    ("baseline", 0x3a70_fdcc_ef5b_733a),
    ("compute-antitrust", 0xee71_04eb_fbf6_fb6e),
    ("interop-mandate", 0x900d_3d4a_0c45_bcfd),
    ("public-compute", 0x4ca2_20e2_7710_5f7a),
    ("no-export-controls", 0x748a_99aa_6c4e_a328),
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
    assert_eq!(a.metrics(), b.metrics());
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

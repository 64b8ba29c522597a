//! Determinism: the same scenario and seed give the same state hash at every month; golden
//! hashes pin every shipped scenario; a different seed gives a different run.

use goldrush_tests::{builtin, hex, run};
use sim_core::Sim;

/// Golden state hashes after the full horizon of each shipped scenario (seed 42). If a change
/// to the model is intended, update these and say so in the commit message.
const GOLDEN: &[(&str, u64)] = &[
    ("tiny", 0xf567_8acd_0983_4a68),
    ("classroom", 0x3483_7795_de1c_332a),
    ("supply-shock", 0x2c57_a91c_50b1_7434),
    ("baseline", 0x0dbc_6fb7_afcc_fff7),
    ("compute-antitrust", 0xa9da_9e79_a267_b6b4),
    ("interop-mandate", 0x85a7_821b_3499_f91b),
    ("proportional-compliance", 0xb125_30af_c1fb_e61b),
    ("security-standards", 0x528f_3417_8642_8982),
    ("public-compute", 0x0a51_6ba7_a6e7_8a83),
    ("no-export-controls", 0x17ae_b448_a1b6_d0f4),
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

//! Determinism: the same scenario and seed give the same state hash at every month; golden
//! hashes pin every shipped scenario; a different seed gives a different run.

use goldrush_tests::{builtin, hex, run};
use sim_core::Sim;

/// Golden state hashes after the full horizon of each shipped scenario (seed 42). If a change
/// to the model is intended, update these and say so in the commit message.
const GOLDEN: &[(&str, u64)] = &[
    ("tiny", 0x1df7_0675_fc33_ebe5),
    ("classroom", 0x77e0_004b_f1ce_7611),
    ("supply-shock", 0xfa01_09c0_e9f9_376e),
    ("baseline", 0xe225_8f46_cc50_dfb7),
    ("compute-antitrust", 0xdaf1_4074_93a7_7b05),
    ("interop-mandate", 0x6ce2_544a_2030_4862),
    ("proportional-compliance", 0xb4c6_433b_2524_4866),
    ("security-standards", 0x68b6_e1a5_a281_8bf0),
    ("talent-visas", 0x69a0_1e00_f08b_ea57),
    ("public-compute", 0xcaac_7ce9_5654_c06c),
    ("nation-deal-rules", 0xfd70_d5f3_f2a3_8e4f),
    ("no-export-controls", 0xb06c_57b9_eb83_eb80),
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

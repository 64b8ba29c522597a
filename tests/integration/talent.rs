//! The talent market on whole runs: talent concentrates at frontier labs and in the leading
//! hub, attrition is in the calibrated band, and a destination's visa cost shifts talent away.

use goldrush_tests::{builtin, run};

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

#[test]
fn talent_concentrates_at_frontier_labs_and_in_the_leading_hub() {
    let sim = run(builtin("tiny", &[]));
    let m = sim.metrics();
    let (first, last) = (&m[0], m.last().unwrap());
    assert!(
        last.talent_frontier_share > 0.6,
        "frontier labs hold most employed talent: {:.3}",
        last.talent_frontier_share
    );
    assert!(
        last.talent_top_hub_share > first.talent_top_hub_share,
        "the leading hub gains talent: {:.3} -> {:.3}",
        first.talent_top_hub_share,
        last.talent_top_hub_share
    );
    assert!(
        last.talent_top_hub_share > 0.5,
        "the leading hub holds most talent: {:.3}",
        last.talent_top_hub_share
    );
    assert!(
        last.talent_gini_firms > 0.8 && last.talent_gini_nations > 0.5,
        "talent is unequal across firms ({:.3}) and nations ({:.3})",
        last.talent_gini_firms,
        last.talent_gini_nations
    );
    assert!(last.researchers_employed > 0.0 && last.mean_researcher_wage_usd > 0.0);
}

#[test]
fn annual_attrition_is_in_the_calibrated_band() {
    let sim = run(builtin("tiny", &[]));
    // Skip the first months' reallocation from the month-0 allocation.
    let annual = 12.0 * mean(sim.metrics()[6..].iter().map(|m| m.researcher_attrition));
    assert!(
        (0.06..=0.25).contains(&annual),
        "annual attrition {annual:.3} should be near the 10-20% of EVIDENCE.md §1.7"
    );
}

#[test]
fn a_higher_visa_cost_in_the_leading_hub_lowers_its_talent_share() {
    let base = run(builtin("tiny", &[]));
    let closed = run(builtin("tiny", &["nations[0].visa_cost=6"]));
    let share = |s: &sim_core::Sim| mean(s.metrics()[24..].iter().map(|m| m.talent_top_hub_share));
    let (b, c) = (share(&base), share(&closed));
    assert!(
        c < b,
        "a prohibitive visa cost in the leading hub lowers its talent share: {c:.3} vs {b:.3}"
    );
    let frontier = |s: &sim_core::Sim| s.metrics().last().unwrap().talent_frontier_share;
    assert!(frontier(&closed) > 0.0 && frontier(&base) > 0.0);
}

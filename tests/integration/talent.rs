//! The talent market on whole runs: talent concentrates at frontier labs and in the leading
//! hub, attrition is in the calibrated band, and a destination's visa cost shifts talent away;
//! the researcher pipeline makes the pool a stock that graduates refill, and a larger inflow
//! lowers researchers' wages (paired seeds).

use goldrush_tests::{builtin, paired, run, seeded};

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

/// The baseline's graduates per year scaled by `x` (every nation of the `tiny` scenario).
fn inflow_times(x: f64, seed: u64) -> sim_core::Scenario {
    let mut sc = seeded("tiny", &[], seed);
    for n in &mut sc.nations {
        n.researcher_graduates_per_year *= x;
    }
    sc
}

#[test]
fn graduates_refill_the_pool_and_leavers_drain_it() {
    let with = run(builtin("tiny", &[]));
    let without = run(inflow_times(0.0, 42));
    let (w, wo) = (with.metrics(), without.metrics());
    let inflow: f64 = w.iter().map(|m| m.researcher_inflow).sum();
    let outflow: f64 = w.iter().map(|m| m.researcher_outflow).sum();
    assert!(
        (2000.0..2200.0).contains(&inflow),
        "three years of ~700 graduates a year: {inflow:.0}"
    );
    assert!(outflow > 0.0, "researchers leave the market");
    let pool = |m: &[sim_core::Metrics]| m.last().unwrap().researcher_pool;
    assert!(
        pool(wo) < wo[0].researcher_pool,
        "without graduates the pool only shrinks: {:.0} -> {:.0}",
        wo[0].researcher_pool,
        pool(wo)
    );
    assert!(
        (pool(w) - pool(wo) - inflow).abs() < 0.15 * inflow,
        "graduates add to the stock: {:.0} vs {:.0} (+{inflow:.0} graduates)",
        pool(w),
        pool(wo)
    );
    let top = w.last().unwrap().researcher_inflow_top_nation_share;
    assert!((0.4..0.6).contains(&top), "China graduates the most (~47%): {top:.3}");
    assert!(wo.last().unwrap().researcher_inflow_top_nation_share.is_nan());
}

#[test]
fn a_larger_inflow_of_graduates_raises_employment_and_barely_moves_wages() {
    // Four times the graduates vs none, seeds 1-6 paired. The claim tested: graduates are hired
    // (employment rises). The textbook claim that more supply lowers wages does NOT hold here:
    // research budgets grow with the firms' cash and current employees keep their wage (the
    // employer matches the market, §7.10), so the extra graduates fill vacancies and the mean
    // wage moves by a few percent, upwards when first measured (+1,310 USD/month, 95% CI
    // 416..2,203, on ~50k); the reason for the sign is not established (ODD §7.10).
    let employed = |s: &sim_core::Sim| s.metrics().last().unwrap().researchers_employed;
    let q = paired(
        1..7,
        |seed| inflow_times(0.0, seed),
        |seed| inflow_times(4.0, seed),
        employed,
    );
    eprintln!("researchers employed at month 36, 4x graduates vs none: {q}");
    assert!(q.above_zero(), "a larger inflow must raise employment: {q}");
    let wage = |s: &sim_core::Sim| mean(s.metrics()[12..].iter().map(|m| m.mean_researcher_wage_usd));
    let base = mean((1..7).map(|seed| wage(&run(inflow_times(0.0, seed)))));
    let p = paired(
        1..7,
        |seed| inflow_times(0.0, seed),
        |seed| inflow_times(4.0, seed),
        wage,
    );
    eprintln!("mean researcher wage, months 12-35, 4x graduates vs none: {p} (base {base:.0})");
    assert!(
        p.lo > -0.05 * base && p.hi < 0.05 * base,
        "with slack budgets wages move by less than 5% either way: {p} on {base:.0}"
    );
}

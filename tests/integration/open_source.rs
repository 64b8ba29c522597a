//! The open-weights ecosystem on whole runs at test scale (stylized fact 5 of ODD §9 and the
//! open-source funding lever): open models trail the frontier by months, not years, and public
//! funding of open-weights makers moves what it targets, against the baseline with paired seeds
//! and a 95% confidence interval of the mean paired difference.

use goldrush_tests::{Paired, builtin, run};

const SEEDS: u64 = 12;

/// The tiny scenario over `months` months with `seed` and extra overrides.
fn tiny(seed: u64, months: u32, extra: &[&str]) -> sim_core::Sim {
    let seed = format!("run.seed={seed}");
    let months = format!("run.months={months}");
    let mut o = vec![seed.as_str(), months.as_str()];
    o.extend_from_slice(extra);
    run(builtin("tiny", &o))
}

/// Mean of a metric over months `from..`.
fn mean_from(sim: &sim_core::Sim, from: usize, f: impl Fn(&sim_core::Metrics) -> f64) -> f64 {
    let v: Vec<f64> = sim.metrics()[from..].iter().map(f).collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn open_models_trail_the_frontier_by_months_not_years() {
    for seed in 1..=4 {
        let sim = tiny(seed, 48, &[]);
        let gaps: Vec<f64> = sim.metrics()[6..].iter().map(|m| m.frontier_gap_months).collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let max = gaps.iter().copied().fold(0.0, f64::max);
        assert!(
            (1.0..=12.0).contains(&mean) && max <= 12.0,
            "seed {seed}: the best open release should trail the frontier by 1-12 months, mean {mean:.1}, max {max}"
        );
        assert!(
            sim.metrics().iter().map(|m| m.open_releases_published).sum::<f64>() >= 9.0,
            "three makers release every four months"
        );
    }
}

#[test]
fn open_source_funding_shortens_the_frontier_gap() {
    let from = "open_source.funding_from_month=12";
    let pairs: Vec<(f64, f64)> = (1..=SEEDS)
        .map(|seed| {
            let base = mean_from(&tiny(seed, 36, &[]), 12, |m| m.frontier_gap_months);
            let funded = mean_from(&tiny(seed, 36, &[from]), 12, |m| m.frontier_gap_months);
            (base, funded)
        })
        .collect();
    let p = Paired::from_diffs(pairs.iter().map(|(b, f)| f - b).collect());
    let base = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len() as f64;
    eprintln!("frontier gap (months 12-35): baseline {base:.2}, funded - baseline {p} (months)");
    assert!(
        p.below_zero(),
        "funding (faster releases, shorter lag) should shorten the frontier gap: {p} (months)"
    );
}

#[test]
fn funded_audits_cut_live_backdoors() {
    // Backdoors are rare; a higher base rate and 20 seeds make the difference measurable.
    let common = ["open_source.backdoor_probability=0.3"];
    let funded = [
        "open_source.backdoor_probability=0.3",
        "open_source.funding_from_month=0",
    ];
    let pairs: Vec<(f64, f64)> = (1..=20)
        .map(|seed| {
            let b = mean_from(&tiny(seed, 36, &common), 0, |m| m.open_backdoors_live);
            let f = mean_from(&tiny(seed, 36, &funded), 0, |m| m.open_backdoors_live);
            (b, f)
        })
        .collect();
    let p = Paired::from_diffs(pairs.iter().map(|(b, f)| f - b).collect());
    let base = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len() as f64;
    eprintln!("live backdoors (months 0-35): baseline {base:.3}, funded - baseline {p}");
    assert!(
        p.below_zero(),
        "audited releases are backdoored less often and caught sooner: {p} (live backdoors)"
    );
}

#[test]
fn funding_reaches_makers_as_grants_and_nothing_differs_before_it_starts() {
    let base = tiny(3, 24, &[]);
    let funded = tiny(3, 24, &["open_source.funding_from_month=12"]);
    let bits = |m: &sim_core::Metrics| m.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&base.metrics()[11]),
        bits(&funded.metrics()[11]),
        "nothing differs before the lever starts"
    );
    let releases = |s: &sim_core::Sim| s.metrics()[12..].iter().map(|m| m.open_releases_published).sum::<f64>();
    assert!(
        releases(&funded) > 1.5 * releases(&base),
        "funded makers release about twice as often: {} vs {}",
        releases(&funded),
        releases(&base)
    );
}

#[test]
fn an_open_tier_closing_the_gap_lowers_frontier_subscription_prices() {
    // ODD §7.19: funded makers release sooner and closer to the frontier; frontier platforms'
    // markups fall with the open tier's closeness. Paired seeds, the mean over months 12-35.
    let from = "open_source.funding_from_month=12";
    let price = |m: &sim_core::Metrics| m.consumer_price_usd;
    let pairs: Vec<(f64, f64)> = (1..=SEEDS)
        .map(|seed| {
            let base = tiny(seed, 36, &[]);
            for m in base.metrics() {
                assert!(
                    m.consumer_price_usd.is_finite() && m.consumer_price_usd > 0.0 && m.platform_markup < 1.0,
                    "seed {seed} month {}: frontier prices are set and above cost",
                    m.month
                );
            }
            (
                mean_from(&base, 12, price),
                mean_from(&tiny(seed, 36, &[from]), 12, price),
            )
        })
        .collect();
    let p = Paired::from_diffs(pairs.iter().map(|(b, f)| f - b).collect());
    let base = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len() as f64;
    eprintln!("frontier consumer price (months 12-35): baseline {base:.2}, funded - baseline {p} (USD/month)");
    assert!(
        p.below_zero(),
        "an open tier closer to the frontier should lower frontier subscription prices: {p} (USD/month)"
    );
}

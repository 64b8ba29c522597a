//! Users on whole runs at small scale: the claims of `sim-core/src/mechanisms/users/mod.rs`
//! (ODD §7.11) — network effects count the users a chooser can interact with, so a closed
//! nation's captive users do not make its assistant attractive abroad; conversion to the paid
//! tier emerges near the data and falls with the price; consumer surplus per user is bounded.

use goldrush_tests::{Paired, builtin, run};

/// Seeds of the paired comparisons.
const SEEDS: u64 = 8;

fn baseline(seed: u64, extra: &[&str]) -> sim_core::Sim {
    let mut o = vec![
        format!("run.seed={seed}"),
        "run.months=36".to_string(),
        "users.consumer_agents=4000".to_string(),
        "users.enterprise_agents=200".to_string(),
    ];
    o.extend(extra.iter().map(|s| s.to_string()));
    let o: Vec<&str> = o.iter().map(String::as_str).collect();
    run(builtin("baseline", &o))
}

/// Share of a nation's consumers on the named platform at the end of the run.
fn share(sim: &sim_core::Sim, nation: &str, platform: &str) -> f64 {
    sim.consumer_shares(nation)
        .into_iter()
        .find(|(n, _)| n == platform)
        .map_or(0.0, |(_, s)| s)
}

#[test]
fn a_closed_nations_captive_users_do_not_make_its_assistant_attractive_abroad() {
    // Paired seeds: China's users weigh nothing abroad (the default) or as much as a foreigner's
    // own (network_closed_weight = 1, the old worldwide count). Lotus is China's free assistant.
    let mut diffs = Vec::new();
    for seed in 1..=SEEDS {
        let by_market = baseline(seed, &[]);
        let worldwide = baseline(
            seed,
            &["users.network_closed_weight=1", "users.network_foreign_weight=1"],
        );
        let abroad = |s: &sim_core::Sim| share(s, "United States", "Lotus") + share(s, "India", "Lotus");
        diffs.push(abroad(&worldwide) - abroad(&by_market));
    }
    let p = Paired::from_diffs(diffs);
    eprintln!("Lotus's consumer share in the US + India, worldwide minus by-market network: {p}");
    assert!(
        p.above_zero(),
        "counting China's captive users abroad must raise Lotus's share there: {p} (per seed {:?})",
        p.diffs
    );
}

#[test]
fn paid_conversion_is_a_minority_near_the_data_and_falls_with_the_price() {
    // Paired seeds: the baseline and a doubled price coefficient θ_P, which scales the paid
    // decision's price term θ_P s g P exactly as doubling every consumer price would.
    let mut diffs = Vec::new();
    for seed in 1..=SEEDS {
        let base = baseline(seed, &[]);
        let last = base.metrics().last().unwrap();
        assert!(
            (0.01..0.15).contains(&last.paid_conversion),
            "seed {seed}: paid conversion {} (data: ~5.5%)",
            last.paid_conversion
        );
        assert!(
            last.consumer_surplus_per_user_usd > 0.0
                && last.consumer_surplus_per_user_usd <= base.scenario().users.surplus_max_usd,
            "seed {seed}: surplus per user {} outside (0, W]",
            last.consumer_surplus_per_user_usd
        );
        let dearer = baseline(seed, &["users.theta_price_consumer=0.1"]);
        let conv = |s: &sim_core::Sim| s.metrics().iter().map(|m| m.paid_conversion).sum::<f64>();
        diffs.push(conv(&base) - conv(&dearer));
    }
    let p = Paired::from_diffs(diffs);
    eprintln!("paid conversion (summed over months), base minus doubled price term: {p}");
    assert!(
        p.above_zero(),
        "a dearer paid tier converts fewer: {p} (per seed {:?})",
        p.diffs
    );
}

//! The stylized facts of ODD §9 checked over many seeds, and every policy lever moving its
//! target metric against the baseline with a paired-seed 95% confidence interval (Student's t
//! over per-seed differences) that excludes zero.
//!
//! Scale: the baseline economy (14 nations, 13 incumbents) with 4,000 consumer agents, 200
//! enterprise agents and 30 initial startups — a run of 60 months takes well under a second in
//! release mode, so a claim over 12–20 seeds costs seconds. Each test prints its figures
//! (`cargo test --release -p goldrush-tests --test integration facts -- --nocapture`).
//! Claims the model does not reproduce are documented in docs/ODD.md ("Stylized facts") rather
//! than bent into passing tests.

use goldrush_tests::{Paired, paired, run, seeded};
use sim_core::{Sim, math};

/// The test scale.
const SMALL: &[&str] = &[
    "users.consumer_agents=4000",
    "users.enterprise_agents=200",
    "startups.initial_count=30",
];

/// The test scale plus `extra` overrides.
fn small(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = SMALL.to_vec();
    v.extend_from_slice(extra);
    v
}

/// A built-in at test scale with `extra` overrides, for a seed.
fn at(name: &'static str, extra: &'static [&'static str]) -> impl Fn(u64) -> sim_core::Scenario {
    move |seed| seeded(name, &small(extra), seed)
}

fn last(sim: &Sim, metric: &str) -> f64 {
    sim.metrics().last().unwrap().get(metric).unwrap()
}

/// Mean of a metric over months `from..` (NaN months skipped).
fn mean_from(sim: &Sim, metric: &str, from: usize) -> f64 {
    let xs: Vec<f64> = sim.metrics()[from..]
        .iter()
        .map(|m| m.get(metric).unwrap())
        .filter(|x| x.is_finite())
        .collect();
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn report(claim: &str, p: &Paired) {
    eprintln!("{claim}: {p}");
}

// ---- Stylized facts -------------------------------------------------------------------------

/// Fact 1: concentration of compute ownership stays high and rises with the allocation priority.
#[test]
fn fact1_compute_ownership_is_concentrated_and_rises_with_allocation_priority() {
    for seed in 1..=4 {
        let sim = run(seeded("baseline", &small(&["run.months=36"]), seed));
        for m in sim.metrics() {
            assert!(
                m.compute_cr5 >= 0.6,
                "seed {seed} month {}: top-5 share of compute {:.3} should stay high",
                m.month,
                m.compute_cr5
            );
        }
    }
    let p = paired(
        1..13,
        at("baseline", &["run.months=36", "allocation.priority_theta=0"]),
        at("baseline", &["run.months=36", "allocation.priority_theta=2"]),
        |s| last(s, "compute_cr5"),
    );
    report("compute CR5, priority theta 2 vs 0", &p);
    assert!(p.above_zero(), "a steeper size priority must raise compute CR5: {p}");
}

/// Two identical platforms splitting one nation's users; `theta_network` sets the increasing
/// returns.
fn twins(theta_network: f64, seed: u64) -> sim_core::Scenario {
    let mut sc = seeded("tiny", &[], seed);
    sc.run.months = 60;
    sc.users.theta_network = theta_network;
    sc.users.reconsider_consumer = 0.05;
    sc.nations.truncate(1);
    sc.nations[0].foreign_platforms = true;
    let nation = sc.nations[0].name.clone();
    let template = sc
        .firms
        .iter()
        .find(|f| f.kind == sim_core::params::FirmKind::Frontier)
        .cloned()
        .unwrap();
    sc.firms.retain(|f| f.kind == sim_core::params::FirmKind::Neocloud);
    for name in ["Left", "Right"] {
        let mut f = template.clone();
        f.name = name.to_string();
        f.nation = nation.clone();
        f.initial_consumer_share = 0.5;
        f.initial_enterprise_share = 0.5;
        f.cash_usd = 1e12;
        sc.firms.push(f);
    }
    for f in &mut sc.firms {
        f.nation = nation.clone();
    }
    sc
}

/// Fact 2: with strong network effects the user market tips — the final split of two identical
/// platforms spreads across seeds (path dependence) far more than with weak network effects.
#[test]
fn fact2_strong_network_effects_make_the_final_split_path_dependent() {
    let spread = |theta: f64| {
        let shares: Vec<f64> = (1..13)
            .map(|seed| {
                let sim = run(twins(theta, seed));
                let p = sim.platforms();
                let left = p.iter().find(|x| x.name == "Left").unwrap().users;
                let right = p.iter().find(|x| x.name == "Right").unwrap().users;
                left / (left + right)
            })
            .collect();
        let mean = shares.iter().sum::<f64>() / shares.len() as f64;
        let sd = (shares.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / (shares.len() - 1) as f64).sqrt();
        eprintln!("theta_N {theta}: final shares {shares:.3?}, sd {sd:.4}");
        sd
    };
    let (weak, strong) = (spread(0.0), spread(6.0));
    assert!(
        strong > 3.0 * weak,
        "strong network effects should spread the final split across seeds: sd {strong:.4} vs {weak:.4}"
    );
}

/// Fact 3: a supply shock (output cut to 40% for nine months) raises the spot price sharply;
/// spot and contract curves move apart.
#[test]
fn fact3_a_supply_shock_spikes_spot_and_spot_parts_from_contract() {
    let o = small(&["run.months=24"]);
    let window = |s: &Sim| s.metrics()[12..21].iter().map(|m| m.spot_price_usd).sum::<f64>() / 9.0;
    let p = paired(
        1..13,
        |seed| seeded("baseline", &o, seed),
        |seed| seeded("supply-shock", &o, seed),
        |s| math::ln(window(s)),
    );
    report(
        "log of the mean spot price in the shock window, supply shock vs baseline",
        &p,
    );
    assert!(
        p.lo > math::ln(1.5),
        "the shock should raise the spot price by well over half (CI of the log ratio above ln 1.5): {p}"
    );
    for seed in 1..=6 {
        let sim = run(seeded("supply-shock", &o, seed));
        let ratios: Vec<f64> = sim
            .metrics()
            .iter()
            .map(|m| m.spot_price_usd / m.contract_price_usd)
            .collect();
        let (lo, hi) = ratios
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(a, b), &r| (a.min(r), b.max(r)));
        assert!(
            lo < 0.8 && hi > 1.2,
            "seed {seed}: spot should sometimes trade well below and well above the contract index ({lo:.2}..{hi:.2})"
        );
    }
}

/// Survival at 12 and 60 months in the last month of 84-month baseline runs, seeds 1-12.
fn survival_at_one_and_five_years() -> (Vec<f64>, Vec<f64>) {
    let (mut s12, mut s60) = (Vec::new(), Vec::new());
    for seed in 1..=12 {
        let sim = run(seeded("baseline", &small(&["run.months=84"]), seed));
        s12.push(last(&sim, "survival_12m"));
        s60.push(last(&sim, "survival_60m"));
    }
    eprintln!("survival at 12 months {s12:.3?}, at 60 months {s60:.3?}");
    (s12, s60)
}

/// Fact 4: startups churn — about 80% survive a year.
#[test]
fn fact4_startup_survival_is_near_80_percent_at_one_year() {
    let (s12, _) = survival_at_one_and_five_years();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        (0.7..=0.92).contains(&mean(&s12)),
        "one-year survival {:.3} should be near 0.8",
        mean(&s12)
    );
}

/// Fact 4, five years: about half survive. Not reproduced since issue 12 (0.69 on the baseline,
/// seeds 1-12, where it was ≈ 0.53: ≈ 0.60 with the merged mechanisms alone, 0.69 once Apex and
/// Cortex rent); ODD §9 explains it. Run it with `--ignored`.
#[test]
#[ignore = "not reproduced since issue 12: five-year survival 0.69 on the baseline (ODD §9)"]
fn fact4_startup_survival_is_near_half_at_five_years() {
    let (_, s60) = survival_at_one_and_five_years();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        (0.35..=0.65).contains(&mean(&s60)),
        "five-year survival {:.3} should be near 0.5",
        mean(&s60)
    );
}

/// Fact 5 (part one): open models trail the frontier by months, not years.
#[test]
fn fact5_open_models_trail_the_frontier_by_months() {
    for seed in 1..=4 {
        let sim = run(seeded("baseline", &small(&["run.months=60"]), seed));
        let gap = mean_from(&sim, "frontier_gap_months", 12);
        eprintln!("seed {seed}: mean frontier gap {gap:.1} months");
        assert!(
            (0.5..=12.0).contains(&gap),
            "seed {seed}: the open tier should trail by months, not years: {gap:.1}"
        );
    }
}

/// Fact 5 (part two): open models cap prices at the trailing tier — platforms' API fees sit
/// below their list price, and funding the open tier (a shorter lag) pushes them down further.
#[test]
fn fact5_open_models_cap_api_prices_at_the_trailing_tier() {
    let list = seeded("baseline", SMALL, 1).startups.api_fee_usd_per_customer;
    for seed in 1..=3 {
        let sim = run(seeded("baseline", &small(&["run.months=48"]), seed));
        let fee = mean_from(&sim, "api_fee_usd", 12);
        eprintln!("seed {seed}: mean API fee {fee:.2} vs list {list:.2}");
        assert!(
            fee < list,
            "seed {seed}: the open tier should cap API fees below the list price"
        );
    }
    let p = paired(
        1..13,
        at("baseline", &["run.months=48"]),
        at("open-source-funding", &["run.months=48"]),
        |s| mean_from(s, "api_fee_usd", 12),
    );
    report("mean API fee after month 12, open-source funding vs baseline", &p);
    assert!(p.below_zero(), "a closer open tier must lower API fees: {p}");
}

/// Fact 6: talent concentrates in hubs and at the frontier firms; a visa cost shifts it.
#[test]
fn fact6_talent_concentrates_at_frontier_firms_and_in_hubs_and_visas_shift_it() {
    for seed in 1..=3 {
        let sim = run(seeded("baseline", &small(&["run.months=36"]), seed));
        let m = sim.metrics().last().unwrap();
        assert!(
            m.talent_frontier_share > 0.5,
            "seed {seed}: frontier labs hold most talent"
        );
        assert!(
            m.talent_top_hub_share > 0.5,
            "seed {seed}: the top hub holds most talent"
        );
    }
    let p = paired(
        1..13,
        at("baseline", &["run.months=48"]),
        at("talent-visas", &["run.months=48"]),
        |s| last(s, "talent_top_hub_share"),
    );
    report("top hub talent share, talent-visas vs baseline", &p);
    assert!(
        p.below_zero(),
        "a visa fee in the leading hub must lower its talent share: {p}"
    );
}

/// Fact 8: firm sizes are heavy-tailed; annual growth rates are tent-shaped (fat-tailed around
/// a peak) with volatility falling with size (Stanley et al. 1996). Size is an app's customer
/// base; growth is ln(K_{t+12} / K_t) of startups at least two years old.
#[test]
fn fact8_firm_sizes_are_heavy_tailed_and_growth_volatility_falls_with_size() {
    let (mut growth, mut sizes_end) = (Vec::new(), Vec::new());
    for seed in 1..=4 {
        let mut sim = Sim::new(seeded("baseline", &small(&["run.months=60"]), seed)).unwrap();
        let mut customers: std::collections::BTreeMap<u64, Vec<(u32, f64, i32)>> = Default::default();
        for _ in 0..60 {
            sim.step();
            for r in sim.panel() {
                if r.kind == "startup" && r.alive {
                    customers.entry(r.id).or_default().push((r.month, r.users, r.founded));
                }
            }
        }
        for series in customers.values() {
            for w in series.windows(13).step_by(12) {
                let age = w[0].0 as i32 - w[0].2;
                if w[12].0 - w[0].0 == 12 && age >= 24 && w[0].1 > 0.0 && w[12].1 > 0.0 {
                    growth.push((w[0].1, math::ln(w[12].1 / w[0].1)));
                }
            }
        }
        sizes_end.extend(
            sim.panel()
                .iter()
                .filter(|r| r.kind == "startup" && r.alive && r.users > 0.0)
                .map(|r| r.users),
        );
    }
    // Heavy tail: the top decile of startups has most of the customers.
    sizes_end.sort_by(|a, b| b.total_cmp(a));
    let top = sizes_end.len().div_ceil(10);
    let share = sizes_end[..top].iter().sum::<f64>() / sizes_end.iter().sum::<f64>();
    eprintln!("{} startups; top decile's customer share {share:.3}", sizes_end.len());
    assert!(
        share > 0.4,
        "firm sizes should be heavy-tailed: top decile holds {share:.3}"
    );
    // Tent shape: growth rates have excess kurtosis (a Laplace has 3, a normal 0).
    let g: Vec<f64> = growth.iter().map(|x| x.1).collect();
    let n = g.len() as f64;
    let mean = g.iter().sum::<f64>() / n;
    let var = g.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    let kurt = g
        .iter()
        .map(|x| {
            let d2 = (x - mean) * (x - mean);
            d2 * d2
        })
        .sum::<f64>()
        / n
        / (var * var)
        - 3.0;
    eprintln!("{} growth observations; excess kurtosis {kurt:.2}", g.len());
    assert!(
        kurt > 1.0,
        "growth rates should be tent-shaped (excess kurtosis {kurt:.2})"
    );
    // Volatility falls with size: the growth of the larger half is less dispersed.
    growth.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = growth.len() / 2;
    let sd = |xs: &[(f64, f64)]| {
        let m = xs.iter().map(|x| x.1).sum::<f64>() / xs.len() as f64;
        (xs.iter().map(|x| (x.1 - m) * (x.1 - m)).sum::<f64>() / xs.len() as f64).sqrt()
    };
    let (sd_small, sd_large) = (sd(&growth[..half]), sd(&growth[half..]));
    eprintln!("growth sd: smaller half {sd_small:.3}, larger half {sd_large:.3}");
    assert!(sd_large < sd_small, "growth volatility should fall with size");
}

// ---- Every lever moves its target -----------------------------------------------------------

#[test]
fn lever_public_compute_raises_startup_survival() {
    let p = paired(
        1..13,
        at("baseline", &["run.months=60"]),
        at("public-compute", &["run.months=60"]),
        |s| last(s, "startups_alive"),
    );
    report("startups alive at 60 months, public-compute vs baseline", &p);
    assert!(p.above_zero(), "public compute must keep more startups alive: {p}");
}

#[test]
fn lever_interop_mandate_raises_switching() {
    let p = paired(
        1..21,
        at("baseline", &["run.months=48"]),
        at("interop-mandate", &["run.months=48"]),
        |s| mean_from(s, "switching_rate", 12),
    );
    report("switching rate, interop-mandate vs baseline", &p);
    assert!(p.above_zero(), "the mandate must raise switching: {p}");
}

/// In the baseline the user leader is also the quality leader, so a mandate that makes switching
/// cheaper speeds the flow toward the best platform and *raises* user HHI, although it weakens
/// network effects. The original specification expected the opposite; docs/ODD.md ("Stylized facts and policy
/// claims") explains the result and the test below shows when the mandate does deconcentrate.
///
/// Not reproduced since issue 12: with network effects by market, freemium and the calibrated
/// θ_N the leader's position rests on its network and lock-in, and the mandate's effect on user
/// HHI in the baseline is no longer significant (−132, 95% CI −431..167, 20 seeds): ODD §9.
#[test]
#[ignore = "not reproduced since issue 12: user HHI -132 (CI -431..167) in the baseline (ODD §9)"]
fn lever_interop_mandate_concentrates_users_on_the_best_platform_in_the_baseline() {
    let p = paired(
        1..21,
        at("baseline", &["run.months=72"]),
        at("interop-mandate", &["run.months=72"]),
        |s| last(s, "users_hhi"),
    );
    report("user HHI at 72 months, interop-mandate vs baseline", &p);
    assert!(
        p.above_zero(),
        "in the baseline the mandate moves users toward the best platform: {p}"
    );
}

/// Where the market is locked in on an inferior early leader (strong network effects, 90% of
/// users), the mandate frees users to move to the better platform and lowers user HHI.
#[test]
fn lever_interop_mandate_unlocks_an_inferior_leader_and_lowers_user_hhi() {
    let locked = |seed| crate::mechanisms::two_platforms(2.0, seed);
    let mandated = |seed| {
        let mut sc = crate::mechanisms::two_platforms(2.0, seed);
        sc.interop.from_month = 0;
        sc
    };
    let p = paired(1..21, locked, mandated, |s| last(s, "users_hhi"));
    report("user HHI, interop mandate vs lock-in on an inferior leader", &p);
    assert!(
        p.below_zero(),
        "the mandate must loosen lock-in on an inferior leader: {p}"
    );
}

#[test]
fn lever_export_controls_keep_compute_from_the_embargoed() {
    let p = paired(
        1..13,
        at("no-export-controls", &["run.months=36"]),
        at("baseline", &["run.months=36"]),
        |s| last(s, "compute_share_tier3"),
    );
    report("tier-3 compute share, controls vs lifted", &p);
    assert!(
        p.below_zero(),
        "export controls must lower the embargoed nations' compute share: {p}"
    );
}

/// The compliance-regime lever: a proportional instead of a fixed fee. Both arms switch the EU
/// regime's systemic-risk tier off: that tier is the same in both, but a small EU lab above the
/// compute threshold pays it, and its swings across seeds swamp the fixed fee of the small firms.
#[test]
fn lever_proportional_compliance_lightens_small_firms_burden() {
    const NO_SYSTEMIC: &[&str] = &["run.months=36", "regimes[0].systemic_usd_per_year=0"];
    let p = paired(
        1..13,
        at("baseline", NO_SYSTEMIC),
        at("proportional-compliance", NO_SYSTEMIC),
        |s| mean_from(s, "compliance_cost_share_small", 1),
    );
    report("small firms' compliance cost / revenue, proportional vs fixed", &p);
    assert!(
        p.below_zero(),
        "a proportional regime must lower small firms' compliance share: {p}"
    );
}

#[test]
fn lever_compute_antitrust_lowers_compute_concentration() {
    let p = paired(
        1..13,
        at("baseline", &["run.months=48"]),
        at("compute-antitrust", &["run.months=48"]),
        |s| last(s, "compute_cr5"),
    );
    report("compute CR5 at 48 months, antitrust vs baseline", &p);
    assert!(p.below_zero(), "the allocation remedy must lower compute CR5: {p}");
}

#[test]
fn lever_security_standards_lower_incidents() {
    let incidents = |s: &Sim| {
        s.metrics()[12..]
            .iter()
            .map(|m| m.incidents_small + m.incidents_large)
            .sum::<f64>()
    };
    let p = paired(
        1..13,
        at("baseline", &["run.months=48"]),
        at("security-standards", &["run.months=48"]),
        incidents,
    );
    report("incidents after month 12, security-standards vs baseline", &p);
    assert!(p.below_zero(), "the security standard must lower incidents: {p}");
}

//! Nation-state partnerships (ODD §7.12) on whole runs: stylized fact 7, national deals
//! raise the partner's national share long after the deal ends.

use goldrush_tests::{Paired, run};

/// Seeds of the paired comparison.
const SEEDS: u64 = 10;
/// Horizon (months): the deals are signed early (see `solicit`), end after `deals.term_months`
/// (24) and are measured at least 24 months later; a lapsed deal's cool-off (36 months) keeps
/// the nation from tendering again within the horizon.
const MONTHS: u32 = 60;

/// Overrides of both arms: classroom scale, and tenders likely in the first months, so that the
/// deals end well before the horizon (the lock-in mechanism itself is the baseline's).
fn overrides(seed: u64, banned: bool) -> Vec<String> {
    let mut o = vec![
        format!("run.seed={seed}"),
        format!("run.months={MONTHS}"),
        "deals.solicit_probability=0.5".to_string(),
    ];
    if banned {
        o.push("deals.from_month=0".into());
        o.push("deals.rule=banned".into());
    }
    o
}

#[test]
fn national_deals_raise_the_partners_national_share_long_after_the_deal_ends() {
    let mut diffs = Vec::new();
    let mut within = Vec::new();
    for seed in 1..=SEEDS {
        let deals = run(sim_core::scenario::load_builtin("classroom", &overrides(seed, false)).unwrap());
        let banned = run(sim_core::scenario::load_builtin("classroom", &overrides(seed, true)).unwrap());
        assert!(
            banned.deal_history().is_empty(),
            "seed {seed}: the ban must prevent every deal"
        );
        let term = deals.scenario().deals.term_months;
        let history = deals.deal_history();
        // People-weighted paired difference over the nations whose (single) deal ended at
        // least 24 months before the horizon.
        let (mut num, mut den) = (0.0, 0.0);
        for d in &history {
            let later = history.iter().filter(|e| e.nation == d.nation).count();
            if later != 1 || d.month + term + 24 > MONTHS {
                continue;
            }
            let people = deals
                .scenario()
                .nations
                .iter()
                .find(|n| n.name == d.nation)
                .map_or(0.0, |n| n.internet_users_millions);
            let share = |sim: &sim_core::Sim| -> f64 {
                sim.consumer_shares(&d.nation)
                    .iter()
                    .filter(|(name, _)| d.partners.contains(name))
                    .map(|(_, s)| s)
                    .sum()
            };
            let (with, without) = (share(&deals), share(&banned));
            println!(
                "seed {seed}: {} signed with {:?} in month {}: partner share at month {MONTHS} {with:.3} with deals, \
                 {without:.3} with deals banned",
                d.nation, d.partners, d.month
            );
            num += people * (with - without);
            den += people;
        }
        assert!(
            den > 0.0,
            "seed {seed}: no deal ended 24 months before the horizon: {history:?}"
        );
        diffs.push(num / den);
        let last = deals.metrics().last().expect("metrics");
        within.push(last.deal_lockin_share - last.deal_lockin_counterfactual);
    }
    let share = Paired::from_diffs(diffs);
    println!("partner's national share, deals - banned: {share}");
    assert!(
        share.above_zero(),
        "national deals should raise the partner's share 24+ months after the deal ends: {share}, per seed {:?}",
        share.diffs
    );
    // The within-run lock-in metric against its counterfactual (deal_lockin_share −
    // deal_lockin_counterfactual) is reported, not asserted: since issue 12 it is no longer
    // significant (+0.007, 95% CI −0.13..0.14, seeds 1–10) although the paired comparison with
    // deals banned above is (+0.11, CI 0.03..0.20); ODD §9 explains why.
    let lockin = Paired::from_diffs(within);
    println!("within-run lock-in minus counterfactual at month {MONTHS}: {lockin}");
}

/// Regression (issue 12): a deal's data-centre investment was paid and built nothing. Over
/// paired classroom seeds, deals now leave GPUs installed in the partner nations (owned by the
/// partners, counted in installed capacity); with deals banned there are none.
#[test]
fn a_deals_investment_builds_gpus_in_the_partner_nation() {
    let months = 36;
    for seed in 1..=3 {
        let o = |banned: bool| {
            let mut o = overrides(seed, banned);
            o.push(format!("run.months={months}"));
            o.push("deals.build_months=6".into());
            o
        };
        let deals = run(sim_core::scenario::load_builtin("classroom", &o(false)).unwrap());
        let banned = run(sim_core::scenario::load_builtin("classroom", &o(true)).unwrap());
        let built = deals.metrics().last().unwrap().deal_data_centre_gpus;
        let invested: f64 = deals.metrics().iter().map(|m| m.deal_spending_usd).sum();
        if deals.deal_history().is_empty() {
            continue;
        }
        assert!(
            built > 0.0,
            "seed {seed}: deals signed (spending {invested:.3e} USD) must leave GPUs in the partner nations"
        );
        assert_eq!(
            banned.metrics().last().unwrap().deal_data_centre_gpus,
            0.0,
            "seed {seed}: no deals, no deal data centres"
        );
    }
}

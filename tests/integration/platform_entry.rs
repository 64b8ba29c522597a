//! Platform entry into app niches and the self-preferencing ban on whole runs at classroom
//! scale: the claims of `sim-core/src/mechanisms/platform_entry.rs` and the second half of
//! stylized fact 4 (ODD §9: wrappers exposed to platform entry fail more).

use goldrush_tests::{Paired, builtin, run};

/// Seeds of the paired comparisons.
const SEEDS: u64 = 12;

fn total(sim: &sim_core::Sim, metric: &str) -> f64 {
    sim.metrics().iter().map(|m| m.get(metric).unwrap()).sum()
}

fn classroom(seed: u64, extra: &[&str]) -> sim_core::Sim {
    let mut o = vec![format!("run.seed={seed}")];
    o.extend(extra.iter().map(|s| s.to_string()));
    let o: Vec<&str> = o.iter().map(String::as_str).collect();
    run(builtin("classroom", &o))
}

#[test]
fn wrappers_exposed_to_platform_entry_fail_more_than_other_startups() {
    // Per seed: the monthly exit hazard of wrappers in a niche where a platform's own app
    // competes, pooled over the run, minus that of all other startups.
    let mut diffs = Vec::new();
    for seed in 1..=SEEDS {
        let sim = classroom(seed, &[]);
        let (ew, ewr) = (
            total(&sim, "exposed_wrapper_exits"),
            total(&sim, "exposed_wrappers_at_risk"),
        );
        let all_exits = total(&sim, "wrapper_exits") + total(&sim, "nonwrapper_exits");
        let all_risk = total(&sim, "wrappers_at_risk") + total(&sim, "nonwrappers_at_risk");
        assert_eq!(
            all_exits,
            total(&sim, "startups_exited"),
            "seed {seed}: every exit is a wrapper's or a non-wrapper's"
        );
        assert!(ewr > 0.0, "seed {seed}: some wrappers face a platform's app");
        diffs.push(ew / ewr - (all_exits - ew) / (all_risk - ewr));
    }
    let p = Paired::from_diffs(diffs);
    eprintln!("exposed wrappers' monthly exit hazard minus the others': {p}");
    assert!(
        p.above_zero(),
        "exposed wrappers' monthly hazard minus the others': {p} (per seed {:?})",
        p.diffs
    );
}

#[test]
fn platforms_enter_a_handful_of_niches_a_year_and_take_customers() {
    let sim = classroom(1, &[]);
    let entries = total(&sim, "platform_entries");
    assert!(
        (10.0..=40.0).contains(&entries),
        "a handful of entries a year over ten years, got {entries}"
    );
    let last = sim.metrics().last().unwrap();
    assert!(last.niches_entered >= 1.0 && last.platform_app_share > 0.0);
    assert!(total(&sim, "strategic_acquisitions") > 0.0, "labs buy startups");
    assert!(
        total(&sim, "api_cutoffs") > 0.0,
        "some rival acquisitions end in a cut-off"
    );
    for m in sim.metrics() {
        assert!((0.0..=1.0).contains(&m.platform_app_share));
        assert!((0.0..=10_000.0 + 1e-6).contains(&m.app_niche_hhi));
        assert_eq!(
            m.startups_exited,
            m.exits_acqui_hire + m.startup_exits_cash + m.startup_exits_incident + m.exits_platform_entry,
            "month {}: every startup exit has one cause",
            m.month
        );
    }
}

#[test]
fn the_self_preferencing_ban_cuts_startup_exits_and_platform_apps() {
    // Paired seeds: the baseline (classroom) and the ban from month 12.
    let (mut exits, mut entry_exits, mut share, mut cutoffs) = (Vec::new(), Vec::new(), Vec::new(), 0.0);
    for seed in 1..=SEEDS {
        let base = classroom(seed, &[]);
        let ban = classroom(seed, &["platform_entry.ban_from_month=12"]);
        exits.push(total(&base, "startups_exited") - total(&ban, "startups_exited"));
        entry_exits.push(total(&base, "exits_platform_entry") - total(&ban, "exits_platform_entry"));
        let last_share = |s: &sim_core::Sim| s.metrics().last().unwrap().platform_app_share;
        share.push(last_share(&base) - last_share(&ban));
        cutoffs += ban.metrics()[12..].iter().map(|m| m.api_cutoffs).sum::<f64>();
        assert_eq!(
            ban.metrics()[12..].iter().map(|m| m.platform_entries).sum::<f64>(),
            0.0,
            "seed {seed}: no entry once the ban is in force"
        );
    }
    assert_eq!(cutoffs, 0.0, "no cut-off once the ban is in force");
    for (name, d) in [
        ("startup exits", exits),
        ("exits by platform entry", entry_exits),
        ("platform apps' share", share),
    ] {
        let p = Paired::from_diffs(d);
        eprintln!("{name}: baseline minus ban {p}");
        assert!(
            p.above_zero(),
            "{name}: baseline minus ban {p} must lie above zero (per seed {:?})",
            p.diffs
        );
    }
}

#[test]
fn the_self_preferencing_ban_scenario_switches_the_ban_on() {
    let sc = builtin("self-preferencing-ban", &[]);
    assert_eq!(sc.platform_entry.ban_from_month, 12);
    assert_eq!(
        sc.niches.len(),
        builtin("baseline", &[]).niches.len(),
        "the baseline's niches"
    );
}

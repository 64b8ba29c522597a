//! Every scenario in `scenarios/` validates, and the small ones run to their horizon.

use goldrush_tests::{builtin, run};
use sim_core::scenario::BUILTIN;

#[test]
fn every_file_in_scenarios_is_a_builtin_and_validates() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    for f in &files {
        let name = f.trim_end_matches(".toml");
        assert!(
            BUILTIN.iter().any(|b| b.0 == name),
            "scenarios/{f} is not embedded in sim_core::scenario::BUILTIN"
        );
        let text = std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
        sim_core::scenario::load(&text, f, &mut sim_core::scenario::builtin_resolver, &[])
            .unwrap_or_else(|e| panic!("scenarios/{f} does not validate: {e}"));
    }
    assert_eq!(files.len(), BUILTIN.len(), "every built-in has a file");
}

#[test]
fn every_scenario_runs_a_year_at_test_scale() {
    for (name, _) in BUILTIN {
        let sc = builtin(
            name,
            &[
                "run.months=12",
                "users.consumer_agents=3000",
                "users.enterprise_agents=200",
                "startups.initial_count=15",
            ],
        );
        let sim = run(sc);
        assert_eq!(sim.metrics().len(), 12, "{name}: one metrics row per month");
        let last = sim.metrics().last().unwrap();
        // Lock-in shares are NaN before the first national deal (history has no soliciting nation).
        let no_deal = sim.metrics().iter().all(|m| m.deals_signed == 0.0);
        for (spec, v) in sim_core::METRICS.iter().zip(last.values()) {
            assert!(
                v.is_finite()
                    || spec.name.ends_with("quality")
                    || spec.name.starts_with("survival_")
                    || (no_deal && spec.name.starts_with("deal_lockin")),
                "{name}: metric {} is {v}",
                spec.name
            );
        }
    }
}

#[test]
fn classroom_runs_its_full_horizon() {
    let sim = run(builtin("classroom", &[]));
    assert_eq!(sim.metrics().len(), 120);
}

#[test]
fn history_runs_in_calendar_time_from_january_2023() {
    let sc = builtin("history", &["run.months=3"]);
    assert_eq!(sc.run.start.to_string(), "2023-01", "history starts in January 2023");
    let sim = run(sc);
    assert_eq!(
        (sim.date(0).to_string(), sim.date(2).to_string()),
        ("2023-01".into(), "2023-03".into()),
        "month m is 2023-01 + m"
    );
    let csv = sim_core::key_metrics::to_csv(sim.metrics(), sim.scenario().run.start);
    let dates: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(dates, ["2023-01", "2023-02", "2023-03"], "metrics.csv dates");
    // The full scenario runs six years, to December 2028.
    let full = builtin("history", &[]);
    assert_eq!(full.run.start.label_of(full.run.months - 1).to_string(), "2028-12");
}

#[test]
fn history_starts_with_an_early_leader_and_scarce_compute() {
    let sim = run(builtin("history", &["run.months=1"]));
    let m = &sim.metrics()[0];
    assert!(
        m.users_cr1 > 0.6,
        "the early leader holds most users in 2023-01: CR1 {}",
        m.users_cr1
    );
    assert!(
        m.adoption_rate < 0.1,
        "few people use AI assistants in 2023-01: {}",
        m.adoption_rate
    );
    assert!(
        m.installed_gpus < 1e6,
        "well under a million H100e installed at the start of 2023: {}",
        m.installed_gpus
    );
    let leader = sim
        .platforms()
        .into_iter()
        .max_by(|a, b| a.share.total_cmp(&b.share))
        .unwrap();
    assert_eq!(leader.name, "Apex", "Apex (the ChatGPT archetype) leads in 2023-01");
}

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
        for (spec, v) in sim_core::METRICS.iter().zip(last.values()) {
            assert!(
                v.is_finite() || spec.name.ends_with("quality") || spec.name.starts_with("survival_"),
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

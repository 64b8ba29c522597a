//! The open-source funding lever against the baseline with paired seeds (a calibration aid):
//! for each seed, runs NAME with and without `open_source.funding_from_month=12` and prints,
//! per metric, the baseline mean over months 12.. and the mean paired difference ± the half-width
//! of its 95% Student-t interval (`sim_core::stats::Paired`).
//! `cargo run --release -p sim-core --example open_lever -- classroom 8 60`
//! (NAME, seeds 1..=SEEDS, MONTHS; extra `key=value` arguments apply to both arms).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().cloned().unwrap_or_else(|| "tiny".into());
    let seeds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(6);
    let months: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(36);
    let extra: Vec<String> = args.iter().skip(3).filter(|a| a.contains('=')).cloned().collect();
    let cols = [
        "frontier_gap_months",
        "open_quality",
        "startups_open_share",
        "open_backdoors_live",
        "open_downloads_hhi",
        "open_top_release_share",
        "open_releases_published",
        "open_exposed_deployments",
        "startups_alive",
        "incidents_small",
        "survival_12m",
    ];
    let mut diffs = vec![Vec::new(); cols.len()];
    let mut bases = vec![Vec::new(); cols.len()];
    for seed in 1..=seeds {
        let arm = |funded: bool| {
            let mut sets = vec![format!("run.seed={seed}"), format!("run.months={months}")];
            sets.extend(extra.iter().cloned());
            if funded {
                sets.push("open_source.funding_from_month=12".into());
            }
            let sc = sim_core::scenario::load_builtin(&name, &sets).unwrap_or_else(|e| panic!("{e}"));
            let mut sim = sim_core::Sim::new(sc).unwrap_or_else(|e| panic!("{e}"));
            sim.run(months);
            cols.iter()
                .map(|c| {
                    let v: Vec<f64> = sim.metrics()[12..]
                        .iter()
                        .filter_map(|m| m.get(c))
                        .filter(|x| x.is_finite())
                        .collect();
                    v.iter().sum::<f64>() / v.len().max(1) as f64
                })
                .collect::<Vec<f64>>()
        };
        let (b, f) = (arm(false), arm(true));
        for i in 0..cols.len() {
            diffs[i].push(f[i] - b[i]);
            bases[i].push(b[i]);
        }
    }
    println!(
        "{name}, seeds 1-{seeds}, months 12-{}: baseline mean, funded - baseline (95% CI)",
        months - 1
    );
    for (i, c) in cols.iter().enumerate() {
        let b = sim_core::stats::mean(&bases[i]);
        let p = sim_core::stats::Paired::from_diffs(diffs[i].clone());
        println!("{c:28} {b:12.4}  {:+12.4} ± {:.4}", p.mean, (p.hi - p.lo) / 2.0);
    }
}

//! Prints a few metrics of a built-in scenario every 12 months (a calibration aid).
//! `cargo run --release -p sim-core --example peek -- tiny [--set k=v]...`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let name = args.first().cloned().unwrap_or_else(|| "tiny".into());
    let sets: Vec<String> = args.iter().skip(1).filter(|a| a.contains('=')).cloned().collect();
    let sc = sim_core::scenario::load_builtin(&name, &sets).unwrap_or_else(|e| panic!("{e}"));
    let t0 = std::time::Instant::now();
    let mut sim = sim_core::Sim::new(sc).unwrap_or_else(|e| panic!("{e}"));
    let setup = t0.elapsed();
    let cols = [
        "month",
        "adoption_rate",
        "users_cr1",
        "users_hhi",
        "switching_rate",
        "compute_cr5",
        "compute_gini",
        "spot_price_usd",
        "contract_price_usd",
        "spot_volume_gpus",
        "rationing_large",
        "rationing_small",
        "installed_gpus",
        "shipments_gpus",
        "startups_alive",
        "startups_entered",
        "startups_exited",
        "neoclouds_alive",
        "frontier_quality",
        "talent_frontier_share",
        "talent_top3_share",
        "talent_top_hub_share",
        "researcher_moves",
        "researchers_employed",
        "researcher_attrition",
        "mean_researcher_wage_usd",
        "open_quality",
        "platform_revenue_usd",
        "startup_revenue_usd",
        "consumer_surplus_usd",
        "sentiment",
        "exits_acqui_hire",
        "survival_12m",
        "survival_60m",
        "startup_hazard_year1",
        "deals_active",
        "deal_lockin_share",
        "deal_lockin_counterfactual",
        "deal_spending_usd",
    ];
    println!("{}", cols.join("\t"));
    let t1 = std::time::Instant::now();
    let months = sim.horizon();
    // Survival of startups founded during the run: id -> (founded, last month seen).
    let mut seen: std::collections::BTreeMap<u64, (i32, u32)> = std::collections::BTreeMap::new();
    for m in 0..months {
        sim.step();
        let panel = sim.panel();
        for f in panel
            .iter()
            .filter(|f| f.alive && f.kind == "startup" && f.founded >= 0)
        {
            seen.entry(f.id).or_insert((f.founded, m)).1 = m;
        }
        if let Err(e) = sim.check_invariants() {
            println!("INVARIANT month {m}: {:?}", &e[..e.len().min(3)]);
        }
        if std::env::var("PEEK_FIRMS").is_ok() && m % 12 == 11 {
            for f in panel.iter().filter(|f| f.alive && f.kind != "startup") {
                println!(
                    "  m{m} {:>4} {:12} cash {:>10.2e} rev {:>9.2e} compute {:>9.0} users {:>9.2e} talent {:.2} q {:.1}",
                    f.id, f.kind, f.cash, f.revenue, f.compute, f.users, f.talent, f.quality
                );
            }
        }
        if m % 6 == 5 || m == 0 {
            let last = sim.metrics().last().unwrap();
            let row: Vec<String> = cols.iter().map(|c| format!("{:.4}", last.get(c).unwrap())).collect();
            println!("{}", row.join("\t"));
        }
    }
    let stepping = t1.elapsed();
    for horizon in [12u32, 24, 60] {
        let eligible: Vec<_> = seen.values().filter(|(f, _)| (*f as u32) + horizon < months).collect();
        let alive = eligible.iter().filter(|(f, last)| *last >= *f as u32 + horizon).count();
        println!(
            "survival {horizon} months: {alive}/{} = {:.2}",
            eligible.len(),
            alive as f64 / eligible.len().max(1) as f64
        );
    }
    for d in sim.deal_history() {
        println!("deal: {} signed month {} with {:?}", d.nation, d.month, d.partners);
    }
    for d in sim.deal_history() {
        let shares = sim.consumer_shares(&d.nation);
        let on: f64 = shares.iter().filter(|s| d.partners.contains(&s.0)).map(|s| s.1).sum();
        println!("  {} consumers on {:?} at the end: {on:.3}", d.nation, d.partners);
    }
    for p in sim.platforms() {
        println!(
            "{:10} {:12} alive={} q={:.1} share={:.3}",
            p.name, p.kind, p.alive, p.quality, p.share
        );
    }
    println!(
        "hash {:#018x} setup {:?} stepping {:?}",
        sim.state_hash(),
        setup,
        stepping
    );
}

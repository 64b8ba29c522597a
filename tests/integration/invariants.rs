//! Accounting identities hold every month: GPUs shipped ≤ capacity, users conserved, every
//! firm's cash change = revenue − costs + funding, spot and contract books balance.

use goldrush_tests::builtin;
use sim_core::Sim;

fn check_every_month(name: &str, overrides: &[&str]) {
    let mut sim = Sim::new(builtin(name, overrides)).unwrap();
    let months = sim.horizon();
    for _ in 0..months {
        sim.step();
        if let Err(errs) = sim.check_invariants() {
            panic!(
                "{name}: invariants broken after month {}:\n{}",
                sim.month(),
                errs.join("\n")
            );
        }
    }
}

#[test]
fn invariants_hold_every_month_in_tiny() {
    check_every_month("tiny", &[]);
}

#[test]
fn invariants_hold_through_a_supply_shock_and_firm_exits() {
    check_every_month(
        "supply-shock",
        &[
            "run.months=48",
            "users.consumer_agents=3000",
            "users.enterprise_agents=200",
            "startups.initial_count=30",
        ],
    );
}

#[test]
fn invariants_hold_with_a_buyer_cap_and_strong_network_effects() {
    check_every_month(
        "tiny",
        &[
            "allocation.buyer_share_cap=0.2",
            "users.theta_network=1.5",
            "run.seed=7",
        ],
    );
}

#[test]
fn invariants_hold_in_a_busy_open_ecosystem_with_backdoors() {
    // Many startups on open releases, many backdoors found and migrations, the lever on.
    check_every_month(
        "tiny",
        &[
            "startups.base_open_bonus=3",
            "open_source.backdoor_probability=0.5",
            "open_source.discovery_hazard_per_month=0.4",
            "open_source.migrate_probability_per_month=0.3",
            "open_source.funding_from_month=6",
            "run.seed=5",
        ],
    );
}

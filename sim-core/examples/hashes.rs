//! Prints the state hash of built-in scenarios at every month (seed 42 unless `--set
//! run.seed=…`): `name month hash`, one line a month, month 0 being the state before the first
//! step. scripts/identical.sh diffs these lines between two builds to show that a refactor
//! changed no result.
//!
//! `cargo run --release -p sim-core --example hashes -- [tiny classroom ...]`
fn main() {
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        names = sim_core::scenario::BUILTIN.iter().map(|b| b.0.to_string()).collect();
    }
    for name in names {
        let scenario = sim_core::scenario::load_builtin(&name, &[]).unwrap_or_else(|e| panic!("scenario {name}: {e}"));
        let mut sim = sim_core::Sim::new(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        println!("{name} {} {:#018x}", sim.month(), sim.state_hash());
        for _ in 0..sim.horizon() {
            sim.step();
            println!("{name} {} {:#018x}", sim.month(), sim.state_hash());
        }
    }
}

//! Native side of the native-vs-WebAssembly parity check (scripts/test.sh): runs built-in
//! scenarios (all of them, in built-in order, unless names are given) to their horizon with
//! sim-core directly and prints `name hash`, the same lines tests/wasm/parity.cjs prints from
//! the WebAssembly module under node.
//!
//! `cargo run --release -p sim-web --example native_hashes -- [tiny classroom ...]`
fn main() {
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        names = sim_core::scenario::BUILTIN.iter().map(|b| b.0.to_string()).collect();
    }
    for name in names {
        let scenario = sim_core::scenario::load_builtin(&name, &[]).unwrap_or_else(|e| panic!("scenario {name}: {e}"));
        let mut sim = sim_core::Sim::new(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run(sim.horizon());
        println!("{name} {:#018x}", sim.state_hash());
    }
}

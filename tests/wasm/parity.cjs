// Runs built-in scenarios to their horizon in WebAssembly under node and prints `name hash`
// (every built-in, in built-in order, unless names are given).
// Usage: node tests/wasm/parity.cjs <dir with wasm-bindgen --target nodejs output> [name...]
// scripts/test.sh compares these lines with sim-web/examples/native_hashes.rs (native).
"use strict";
const path = require("path");

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node parity.cjs <pkg-dir> [scenario...]");
  process.exit(2);
}
const wasm = require(path.resolve(dir, "sim_web.js"));

const builtins = JSON.parse(wasm.builtin_scenarios());
const names = process.argv.length > 3 ? process.argv.slice(3) : builtins;
for (const name of names) {
  if (!builtins.includes(name)) {
    console.error(`no built-in scenario ${name} (built-ins: ${builtins.join(", ")})`);
    process.exit(1);
  }
  const t0 = process.hrtime.bigint();
  const sim = new wasm.WebSim(name, "[]");
  sim.run(sim.horizon());
  const hash = sim.state_hash_hex();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (sim.month() !== sim.horizon()) {
    console.error(`${name}: month ${sim.month()} != horizon ${sim.horizon()}`);
    process.exit(1);
  }
  // metrics.csv (the same text as `goldrush run` writes): the date right after the month.
  const csv = sim.metrics_csv().split("\n");
  if (!csv[0].startsWith("month,date,") || csv.length !== sim.horizon() + 2 || !/^0,\d{4}-\d{2},/.test(csv[1])) {
    console.error(`${name}: metrics_csv has no dated rows (header ${csv[0].slice(0, 30)}, ${csv.length} lines)`);
    process.exit(1);
  }
  sim.free();
  console.log(`${name} ${hash}`);
  console.error(`  (${name}: ${ms.toFixed(0)} ms in wasm)`);
}

//! goldrush integration tests, one binary. Modules:
//! - `scenarios`: every shipped scenario validates and runs;
//! - `determinism`: same seed → same hash at every month, golden hashes, different seeds differ;
//! - `invariants`: accounting identities hold every month;
//! - `mechanisms`: model claims checked on whole runs (supply shock, rationing, lock-in);
//! - `talent`: the talent market (concentration, attrition, visa costs).
//! - `venture`: sentiment, venture rounds and entry, acqui-hires, survival by cohort.
//! - `security`: incidents and compliance costs by firm size, the security standard.
//! - `open_source`: open models trail the frontier by months; the open-source funding lever.

mod cli;
mod determinism;
mod invariants;
mod mechanisms;
mod open_source;
mod scenarios;
mod security;
mod talent;
mod venture;

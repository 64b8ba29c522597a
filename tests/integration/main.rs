//! goldrush integration tests, one binary. Modules:
//! - `scenarios`: every shipped scenario validates and runs;
//! - `determinism`: same seed → same hash at every month, golden hashes, different seeds differ;
//! - `invariants`: accounting identities hold every month;
//! - `mechanisms`: model claims checked on whole runs (supply shock, rationing, lock-in);
//! - `talent`: the talent market (concentration, attrition, visa costs).
//! - `users`: network effects by market (a closed nation's captive users do not help its
//!   assistant abroad), freemium conversion near the data and falling with the price.
//! - `venture`: sentiment, venture rounds and entry, acqui-hires, survival by cohort.
//! - `security`: incidents and compliance costs by firm size, the security standard.
//! - `facts`: the stylized facts of ODD §9 over many seeds; every lever against the baseline with
//!   a paired-seed confidence interval (`sim_core::stats::Paired`, as every paired test uses).
//! - `deals`: nation-state partnerships and national lock-in (stylized fact 7).
//! - `platform_entry`: platform entry into app niches, wrappers' exits, the self-preferencing ban.
//! - `backtest`: `goldrush backtest` end to end (every target written, job counts, a targets
//!   file on disk, bad targets files, charts, docs/VALIDATION.md up to date).
//! - `compute`: ownership vs use of compute (renting labs, build-to-suit lessors; issue 12).
//! - `compare`: `goldrush compare` end to end (paired seeds, verdicts, job counts, bad input, plots).
//! - `open_source`: open models trail the frontier by months; the open-source funding lever.
//! - `plot`: `goldrush run --plots`, `compare --plots` and `goldrush plot` (charts from run,
//!   comparison and sweep folders; same bytes from memory and from files; bad input).
//! - `sweep`: `goldrush sweep`/`merge`: identical bytes across job counts, resumes and shards;
//!   bad specs; Parquet read by pyarrow.
//! - `calibrate`: `goldrush calibrate` (SMM and ABC-SMC) end to end: recovery of known parameters
//!   from synthetic data, an unidentified parameter flagged, identical bytes across job counts,
//!   resumes and shards; bad specs.
//! - `sensitivity`: `goldrush sensitivity` (Saltelli/Sobol and Morris) end to end; the indices it
//!   writes equal those recomputed from the sweep's own per-run outputs.

mod backtest;
mod calibrate;
mod cli;
mod compare;
mod compute;
mod deals;
mod determinism;
mod facts;
mod invariants;
mod mechanisms;
mod open_source;
mod platform_entry;
mod plot;
mod scenarios;
mod security;
mod sensitivity;
mod sweep;
mod talent;
mod users;
mod venture;

//! # sim-core: the goldrush model
//!
//! A deterministic agent-based model of the AI economy: who gets the GPUs, the users and the
//! money, and why the industry splits into haves and have-nots. The model is specified
//! and documented in `docs/ODD.md`; this crate is its only implementation.
//!
//! The crate does no I/O. Front ends build a [`Scenario`] (from TOML with [`scenario`]), then use
//! the [`Sim`] facade: `Sim::new(scenario)`, `step()`, `run(n)`, `metrics()`, `state_hash()`.
//!
//! Determinism: every random draw comes from a stream keyed by (seed, mechanism, agent, month)
//! ([`rng`]); transcendental maths goes through [`math`] (libm); every order-dependent loop sorts
//! by [`state::AgentId`]; the schedule is a single-threaded, totally ordered chain of phases
//! ([`schedule::Phase`]). The same scenario and seed give the same [`Sim::state_hash`] natively and
//! in WebAssembly.

// bevy systems take queries of component tuples; naming each would hide what a system reads.
#![allow(clippy::type_complexity)]

pub mod calibration;
pub mod hash;
pub mod kernel;
pub mod key_metrics;
pub mod math;
pub mod mechanism;
pub mod mechanisms;
pub mod metrics;
pub mod params;
pub mod registry;
pub mod rng;
pub mod scenario;
pub mod schedule;
pub mod sensitivity;
pub mod sim;
pub mod state;
pub mod stats;

pub use kernel::calendar::YearMonth;
pub use metrics::{METRICS, MetricSpec, Metrics};
pub use params::Scenario;
pub use sim::{DealRecord, Sim, SimError};

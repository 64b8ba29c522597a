//! Calibration maths: the estimators behind `goldrush calibrate`. Pure functions and plain serde
//! structs, no I/O, no clock; the CLI maps unit coordinates to parameters, runs the model through
//! the sweep engine, and stores the state below as JSON between stages (f64 values round-trip
//! exactly: sim-core enables serde_json's `float_roundtrip`, and every stored number is finite).
//!
//! Every estimator works in the unit cube of the priors ([`prior`]): `u ∈ [0, 1]^d`, linear or
//! logarithmic in each parameter.
//!
//! - [`sobol`]: a digitally shifted Joe–Kuo Sobol design for the space-filling first stage.
//! - [`smm`]: the simulated-method-of-moments objective with common random numbers and weights
//!   from the data intervals and the seeds' variance.
//! - [`nelder_mead`]: derivative-free local refinement, ask/tell and resumable.
//! - [`jacobian`]: finite-difference moment Jacobian at the optimum, which parameters each moment
//!   pins down, local standard errors and identification.
//! - [`abc`]: ABC-SMC in fixed batches (deterministic for any thread count, shardable).
//! - [`posterior`]: effective sample size, weighted quantiles, marginals with 90% credible
//!   intervals, weighted correlations, the identification verdict.
//!
//! Randomness: only [`crate::rng`] streams keyed by (seed, [`crate::rng::Stream::Calibration`]
//! or [`crate::rng::Stream::CalibrationDesign`], index, generation); transcendental maths through
//! [`crate::math`]; every sum in a fixed order. Same inputs ⇒ same bits, natively and in wasm.

pub mod abc;
pub mod jacobian;
pub mod linalg;
pub mod nelder_mead;
pub mod posterior;
pub mod prior;
pub mod smm;
pub mod sobol;

pub use abc::{AbcConfig, AbcStop, Population, abc_done, abc_propose, abc_stop, abc_update};
pub use jacobian::{
    DifferencePoints, LocalSensitivity, difference_points, jacobian, jacobian_steps, local_sensitivity,
};
pub use nelder_mead::NelderMead;
pub use posterior::{
    Marginal, Pairwise, ess, identified, marginals, pairwise, weighted_correlation, weighted_mean_cov,
    weighted_quantile,
};
pub use prior::{Prior, Scale, from_unit_point, to_unit_point};
pub use smm::{MomentData, Objective, smm_objective};
pub use sobol::{sobol, try_sobol};

#[cfg(test)]
mod tests;

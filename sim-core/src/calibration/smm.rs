//! The simulated-method-of-moments (SMM) objective (McFadden 1989, Econometrica 57:995–1026;
//! Pakes & Pollard 1989, Econometrica 57:1027–1057).
//!
//! A candidate θ is run over the same `S` seeds as every other candidate (common random numbers:
//! the objective is then a deterministic function of θ, and differences between candidates are
//! not swamped by seed noise). For each target moment `k` with data value `d_k`, data 90%
//! interval `[lower_k, upper_k]` and weight `w_k`:
//!
//! - `m_k` = the mean of the simulated moment over the seeds where it is finite (`S_k` of them),
//!   summed in seed order; `v_k` = its sample variance (divisor `S_k − 1`, 0 when `S_k = 1`);
//! - `sd_data_k = (upper_k − lower_k) / (2 · 1.645)`, the standard deviation of a normal whose
//!   central 90% interval is the data interval, floored at [`SD_FLOOR_REL`]`·|d_k|` (a point
//!   estimate with no interval still gets a scale) and at [`SD_FLOOR_ABS`];
//! - the variance of `m_k − d_k` is `V_k = sd_data_k² + v_k / S_k`: data uncertainty plus the
//!   simulation noise of a mean over `S_k` seeds. If the data were one draw of the model
//!   (`sd_data_k² = v_k`) this is `v_k (1 + 1/S)`, the factor by which SMM's asymptotic variance
//!   exceeds that of the method of moments with exact model moments (McFadden 1989; Pakes &
//!   Pollard 1989; Gouriéroux & Monfort 1996, Simulation-Based Econometric Methods, OUP);
//! - `z_k = (m_k − d_k) / √V_k` and the contribution `c_k = w_k z_k²`; the objective is
//!   `J(θ) = Σ_k c_k`, summed in moment order. With unit weights and a model that fits, each `c_k`
//!   is about χ²(1), so `J` is about the number of moments.
//!
//! Diagonal weighting (`W = diag(w_k / V_k)`) rather than the inverse of a full covariance: the
//! data intervals come from different sources with unknown correlations, and a diagonal weight is
//! robust where an estimated full matrix would be noisy (Altonji & Segal 1996, J. Bus. Econ.
//! Stat. 14:353–366). [`super::jacobian::local_sensitivity`] uses the sandwich formula that this
//! choice requires for standard errors.
//!
//! A moment that is NaN in every seed (a statistic the run could not produce, e.g. the share of a
//! firm that failed) gets `z_k = ` [`NAN_Z`] and so the large finite contribution `w_k · NAN_Z²`:
//! the objective never becomes NaN and an optimiser moves away from such candidates.

use serde::{Deserialize, Serialize};

use crate::math;

/// `sd_data_k` is at least this fraction of `|d_k|`.
pub const SD_FLOOR_REL: f64 = 0.01;

/// `sd_data_k` is at least this (so a zero moment with a zero-width interval is still finite).
pub const SD_FLOOR_ABS: f64 = 1e-12;

/// The z-score given to a moment that is NaN in every seed (contribution `w_k · 10⁸`).
pub const NAN_Z: f64 = 1e4;

/// z of the 95th percentile of the standard normal: a central 90% interval is ±1.645 sd.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// One target moment from data: value, 90% interval and weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MomentData {
    pub value: f64,
    /// Lower end of the data's 90% interval.
    pub lower: f64,
    /// Upper end of the data's 90% interval.
    pub upper: f64,
    /// The moment's weight `w_k` (>= 0; 0 reports the moment without fitting it).
    pub weight: f64,
}

impl MomentData {
    /// `sd_data_k`: half the 90% interval over 1.645, floored (module docs).
    pub fn sd(&self) -> f64 {
        let sd = (self.upper - self.lower).abs() / (2.0 * Z90);
        let sd = if sd.is_finite() { sd } else { 0.0 };
        sd.max(SD_FLOOR_REL * self.value.abs()).max(SD_FLOOR_ABS)
    }
}

/// The objective at one candidate, with each moment's part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// `J(θ) = Σ_k c_k`, always finite.
    pub value: f64,
    /// `c_k = w_k z_k²` per moment.
    pub contributions: Vec<f64>,
    /// `z_k = (m_k − d_k)/√V_k` per moment ([`NAN_Z`] for a moment NaN in every seed).
    pub z: Vec<f64>,
    /// `m_k`, the simulated mean over finite seeds (the data value for a moment NaN everywhere,
    /// so that the struct stays JSON-serialisable; see `missing`).
    pub mean: Vec<f64>,
    /// `V_k = sd_data_k² + v_k/S_k`, the variance of `m_k − d_k`.
    pub variance: Vec<f64>,
    /// Seeds in which the moment was NaN or infinite (all of them: `mean` is not a model value).
    pub missing: Vec<u32>,
    /// The effective weight `W_k = w_k / V_k`, so that `c_k = W_k (m_k − d_k)²`.
    pub weights: Vec<f64>,
}

/// The SMM objective of simulated moments `sim[seed][moment]` against `data` (module docs).
/// Rows shorter than `data` count as NaN for the missing moments.
pub fn smm_objective(sim: &[Vec<f64>], data: &[MomentData]) -> Objective {
    let k = data.len();
    let mut out = Objective {
        value: 0.0,
        contributions: Vec::with_capacity(k),
        z: Vec::with_capacity(k),
        mean: Vec::with_capacity(k),
        variance: Vec::with_capacity(k),
        missing: Vec::with_capacity(k),
        weights: Vec::with_capacity(k),
    };
    for (j, d) in data.iter().enumerate() {
        let vals: Vec<f64> = sim
            .iter()
            .map(|row| row.get(j).copied().unwrap_or(f64::NAN))
            .filter(|x| x.is_finite())
            .collect();
        let missing = (sim.len() - vals.len()) as u32;
        let sd = d.sd();
        let w = if d.weight.is_finite() { d.weight.max(0.0) } else { 0.0 };
        let (mean, var, z) = if vals.is_empty() || !d.value.is_finite() {
            (if d.value.is_finite() { d.value } else { 0.0 }, sd * sd, NAN_Z)
        } else {
            let s = vals.len() as f64;
            let m = vals.iter().sum::<f64>() / s;
            let v = if vals.len() > 1 {
                vals.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (s - 1.0)
            } else {
                0.0
            };
            let var = sd * sd + v / s;
            let z = (m - d.value) / math::sqrt(var);
            (m, var, if z.is_finite() { z } else { NAN_Z })
        };
        let c = w * z * z;
        out.value += c;
        out.contributions.push(c);
        out.z.push(z);
        out.mean.push(mean);
        out.variance.push(var);
        out.missing.push(missing);
        out.weights.push(w / var);
    }
    out
}

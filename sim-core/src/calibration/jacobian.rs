//! Local sensitivity and identification at the SMM optimum.
//!
//! Jacobian: `J_kj = ∂m_k/∂u_j`, the change of simulated moment `k` per unit-space step of
//! parameter `j` (one unit = the whole prior range, in log space for a log prior), by central
//! differences `(m(u + h⁺e_j) − m(u − h⁻e_j)) / (h⁺ + h⁻)`, or one-sided where the cube's edge
//! leaves no room ([`difference_points`] builds the points with the steps clamped to the cube).
//! The moments are means over the same `S` seeds as the objective (common random numbers keep
//! the differences smooth).
//!
//! Normalised sensitivity: `s_kj = |J_kj| / √V_k` with `V_k` the variance of moment `k`'s misfit
//! ([`super::smm::Objective::variance`]): how many standard deviations the moment moves when the
//! parameter sweeps its whole prior range (linearised), i.e. `|∂m_k/∂θ_j| · range_j / sd_k`. A
//! moment *pins down* the parameters with `s_kj >= 1` ([`LocalSensitivity::pinned_by`]).
//!
//! Identification: a local Gaussian (Laplace) approximation of the posterior in unit space,
//! `Σ = (JᵀWJ + 12 I)⁻¹` with `W = diag(w_k / V_k)`: the moments' information (the inverse of the
//! minimum-distance estimator's variance `(JᵀΩ⁻¹J)⁻¹` for unit weights, Newey & McFadden 1994,
//! Handbook of Econometrics 4, §3; weights other than 1 act as powers of each moment's
//! likelihood) plus the precision 12 of the uniform prior on [0, 1] (variance 1/12). The variance
//! of a simulated mean over `S` seeds is already in `V_k` (the `(1 + 1/S)` factor of SMM; see
//! [`super::smm`]). `se_j = √Σ_jj`; a parameter is identified if its local 90% interval
//! `2 · 1.645 · se_j` is at most `frac` of its prior range ([`super::identified`], the verdict the
//! ABC marginals get). The prior term keeps the matrix invertible and gives the honest answer
//! for a parameter that no moment moves, or that moves the moments only in combination with
//! another (collinear columns): its `se` stays near the prior's `1/√12 ≈ 0.29`, a 90% width of
//! about 0.95 of the range — not identified, as a flat ABC marginal would say. (A sandwich
//! variance without the prior term would instead report such a parameter as perfectly pinned,
//! since its direction carries zero variance as well as zero information.)

use serde::{Deserialize, Serialize};

use super::linalg;
use super::posterior::identified;
use super::smm::{MomentData, Objective, Z90};
use crate::math;

/// The points at which to evaluate the moments for a finite-difference Jacobian at `x`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DifferencePoints {
    /// `x + h⁺_j e_j` per parameter `j` (just `x` when `h⁺_j = 0`).
    pub plus: Vec<Vec<f64>>,
    /// `x − h⁻_j e_j` per parameter `j` (just `x` when `h⁻_j = 0`).
    pub minus: Vec<Vec<f64>>,
    /// `h⁺_j = min(h, 1 − x_j)`.
    pub h_plus: Vec<f64>,
    /// `h⁻_j = min(h, x_j)`.
    pub h_minus: Vec<f64>,
}

/// The `2 n` points of a central-difference Jacobian at unit point `x` with step `h`, each step
/// shortened so that the point stays in the cube.
pub fn difference_points(x: &[f64], h: f64) -> DifferencePoints {
    let n = x.len();
    let mut d = DifferencePoints {
        plus: Vec::with_capacity(n),
        minus: Vec::with_capacity(n),
        h_plus: Vec::with_capacity(n),
        h_minus: Vec::with_capacity(n),
    };
    for j in 0..n {
        let hp = h.min(1.0 - x[j]).max(0.0);
        let hm = h.min(x[j]).max(0.0);
        let mut p = x.to_vec();
        p[j] += hp;
        let mut m = x.to_vec();
        m[j] -= hm;
        d.plus.push(p);
        d.minus.push(m);
        d.h_plus.push(hp);
        d.h_minus.push(hm);
    }
    d
}

/// `J[k][j] = ∂m_k/∂u_j` (moment-major) from the moments `f0` at the point, `f_plus[j]` at
/// `u + h e_j` and `f_minus[j]` at `u − h e_j`: central differences, or forward differences
/// `(f_plus − f0)/h` for a parameter whose `f_minus[j]` is empty (or all of them if `f_minus` is
/// empty). A NaN moment gives a NaN entry.
pub fn jacobian(f0: &[f64], f_plus: &[Vec<f64>], f_minus: &[Vec<f64>], h: f64) -> Vec<Vec<f64>> {
    let n = f_plus.len();
    let hm: Vec<f64> = (0..n)
        .map(|j| {
            if f_minus.get(j).is_some_and(|m| !m.is_empty()) {
                h
            } else {
                0.0
            }
        })
        .collect();
    jacobian_steps(f0, f_plus, f_minus, &vec![h; n], &hm)
}

/// [`jacobian`] with a step per side and parameter (those of [`difference_points`]): central
/// `(f⁺ − f⁻)/(h⁺ + h⁻)` when both steps are positive, one-sided otherwise, 0 when both are 0.
pub fn jacobian_steps(
    f0: &[f64],
    f_plus: &[Vec<f64>],
    f_minus: &[Vec<f64>],
    h_plus: &[f64],
    h_minus: &[f64],
) -> Vec<Vec<f64>> {
    let n = f_plus.len();
    (0..f0.len())
        .map(|k| {
            (0..n)
                .map(|j| {
                    let hp = h_plus.get(j).copied().unwrap_or(0.0);
                    let hm = h_minus.get(j).copied().unwrap_or(0.0);
                    let fp = f_plus[j].get(k).copied().unwrap_or(f64::NAN);
                    let fm = f_minus.get(j).and_then(|m| m.get(k)).copied().unwrap_or(f64::NAN);
                    match (hp > 0.0, hm > 0.0) {
                        (true, true) => (fp - fm) / (hp + hm),
                        (true, false) => (fp - f0[k]) / hp,
                        (false, true) => (f0[k] - fm) / hm,
                        (false, false) => 0.0,
                    }
                })
                .collect()
        })
        .collect()
}

/// The precision of a uniform prior on [0, 1] (its variance is 1/12).
pub const PRIOR_PRECISION: f64 = 12.0;

/// What the moments say about each parameter near the optimum (module docs). NaN Jacobian
/// entries count as 0 (the moment says nothing about the parameter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalSensitivity {
    /// `J[k][j] = ∂m_k/∂u_j`, NaN replaced by 0.
    pub jacobian: Vec<Vec<f64>>,
    /// `s[k][j] = |J_kj| / √V_k`: standard deviations of moment `k` per whole prior range of `j`.
    pub normalised: Vec<Vec<f64>>,
    /// Local posterior standard deviation of each parameter in unit space (Laplace
    /// approximation, module docs); about `1/√12 ≈ 0.29` when the moments say nothing.
    pub se_unit: Vec<f64>,
    /// Per parameter: its local 90% interval is at most `frac` of the prior range.
    pub identified: Vec<bool>,
}

impl LocalSensitivity {
    /// The parameters moment `k` pins down (`s_kj >= threshold`; 1 in the reports), strongest
    /// first (ties by parameter index).
    pub fn pinned_by(&self, k: usize, threshold: f64) -> Vec<usize> {
        let row = &self.normalised[k];
        let mut js: Vec<usize> = (0..row.len()).filter(|&j| row[j] >= threshold).collect();
        js.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        js
    }

    /// The moments that pin down parameter `j` (`s_kj >= threshold`), strongest first.
    pub fn pins(&self, j: usize, threshold: f64) -> Vec<usize> {
        let s = &self.normalised;
        let mut ks: Vec<usize> = (0..s.len()).filter(|&k| s[k][j] >= threshold).collect();
        ks.sort_by(|&a, &b| s[b][j].total_cmp(&s[a][j]).then(a.cmp(&b)));
        ks
    }
}

/// The local sensitivity and identification of the parameters (module docs) from the Jacobian
/// `jac[k][j]`, the objective at the optimum (for `V_k`) and the moments' weights; `frac` is the
/// identification threshold of [`identified`].
pub fn local_sensitivity(jac: &[Vec<f64>], obj: &Objective, data: &[MomentData], frac: f64) -> LocalSensitivity {
    let k_n = jac.len();
    let n = jac.first().map_or(0, Vec::len);
    let j: Vec<Vec<f64>> = jac
        .iter()
        .map(|row| row.iter().map(|&x| if x.is_finite() { x } else { 0.0 }).collect())
        .collect();
    let v: Vec<f64> = (0..k_n)
        .map(|k| {
            obj.variance
                .get(k)
                .copied()
                .filter(|x| *x > 0.0 && x.is_finite())
                .unwrap_or(1.0)
        })
        .collect();
    let w: Vec<f64> = (0..k_n)
        .map(|k| data.get(k).map_or(1.0, |d| d.weight).max(0.0))
        .map(|x| if x.is_finite() { x } else { 0.0 })
        .collect();
    let normalised: Vec<Vec<f64>> = (0..k_n)
        .map(|k| j[k].iter().map(|x| x.abs() / math::sqrt(v[k])).collect())
        .collect();
    // Σ = (JᵀWJ + 12 I)⁻¹ with W = diag(w/V).
    let mut a = vec![vec![0.0; n]; n];
    for (p, row) in a.iter_mut().enumerate() {
        row[p] = PRIOR_PRECISION;
    }
    for k in 0..k_n {
        let wk = w[k] / v[k];
        for p in 0..n {
            for q in 0..n {
                a[p][q] += j[k][p] * wk * j[k][q];
            }
        }
    }
    let cov = linalg::spd_inverse(&a);
    let se_unit: Vec<f64> = (0..n)
        .map(|p| {
            let s = math::sqrt(cov[p][p].abs());
            if s.is_finite() { s } else { f64::MAX }
        })
        .collect();
    let identified = se_unit.iter().map(|&s| identified(2.0 * Z90 * s, frac)).collect();
    LocalSensitivity {
        jacobian: j,
        normalised,
        se_unit,
        identified,
    }
}

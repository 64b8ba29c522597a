//! Summaries of a weighted sample (an ABC population): effective sample size, weighted
//! quantiles, marginals with 90% credible intervals, weighted covariance and correlation, and the
//! identification verdict.
//!
//! - Effective sample size (Kish 1965, Survey Sampling; Liu 1996, Stat. Comput. 6:113–119):
//!   `ESS = (Σ w_i)² / Σ w_i²`, between 1 (one particle carries all the weight) and `n`.
//! - Weighted quantile: sort the points with positive weight by value (ties by input order), give
//!   point `i` the plotting position `p_i = (C_i − w_i/2) / W` (`C_i` the cumulative weight up to
//!   and including it, `W` the total), interpolate linearly in `p`, and return the smallest or
//!   largest value outside `[p_1, p_n]`. With equal weights this is Hazen's rule (Hyndman & Fan
//!   1996, Am. Stat. 50:361–365, type 5); the median of `1, 2, 3, 4` is 2.5.
//! - Marginals: quantiles in unit space mapped through the prior's monotone `from_unit` (so a log
//!   prior's interval is exact in parameter units), mean and standard deviation in parameter
//!   units; the 90% credible interval is `[q05, q95]`.
//! - Covariance: `Σ_i w_i (x_i − x̄)(x_i − x̄)ᵀ / Σ w_i` in unit space (a log prior's coordinate is
//!   the log of the parameter), correlation from it; sums in particle order.

use serde::{Deserialize, Serialize};

use super::abc::Population;
use super::prior::Prior;
use crate::math;

/// Effective sample size `(Σ w)² / Σ w²` (0 for no positive weight).
pub fn ess(weights: &[f64]) -> f64 {
    let (mut s, mut s2) = (0.0, 0.0);
    for &w in weights {
        if w > 0.0 && w.is_finite() {
            s += w;
            s2 += w * w;
        }
    }
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// The weighted quantile `q` (in [0, 1]) of `xs` with weights `ws` (module docs); points with a
/// NaN value or a weight that is not positive and finite are skipped; NaN if none is left.
pub fn weighted_quantile(xs: &[f64], ws: &[f64], q: f64) -> f64 {
    let mut pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(ws)
        .filter(|(x, w)| !x.is_nan() && **w > 0.0 && w.is_finite())
        .map(|(&x, &w)| (x, w))
        .collect();
    if pts.is_empty() {
        return f64::NAN;
    }
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let mut c = 0.0;
    let pos: Vec<f64> = pts
        .iter()
        .map(|&(_, w)| {
            c += w;
            (c - 0.5 * w) / total
        })
        .collect();
    let q = if q.is_nan() { 0.5 } else { q.clamp(0.0, 1.0) };
    if q <= pos[0] {
        return pts[0].0;
    }
    let last = pts.len() - 1;
    if q >= pos[last] {
        return pts[last].0;
    }
    let i = pos.partition_point(|&p| p <= q) - 1;
    let (x0, x1) = (pts[i].0, pts[i + 1].0);
    let t = (q - pos[i]) / (pos[i + 1] - pos[i]);
    x0 + t * (x1 - x0)
}

/// The weighted mean and covariance (divisor `Σ w`) of points `xs[i]` (all of one dimension).
pub fn weighted_mean_cov(xs: &[Vec<f64>], ws: &[f64]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let d = xs.first().map_or(0, Vec::len);
    let mut mean = vec![0.0; d];
    let mut total = 0.0;
    for (x, &w) in xs.iter().zip(ws) {
        for (m, xi) in mean.iter_mut().zip(x) {
            *m += w * xi;
        }
        total += w;
    }
    let mut cov = vec![vec![0.0; d]; d];
    if total > 0.0 {
        for m in &mut mean {
            *m /= total;
        }
        for (x, &w) in xs.iter().zip(ws) {
            for p in 0..d {
                let dp = x[p] - mean[p];
                for q in 0..d {
                    cov[p][q] += w * dp * (x[q] - mean[q]);
                }
            }
        }
        for row in &mut cov {
            for c in row {
                *c /= total;
            }
        }
    }
    (mean, cov)
}

/// The weighted correlation matrix of the population in unit space (0 off the diagonal for a
/// coordinate with no spread; 1 on the diagonal).
pub fn weighted_correlation(pop: &Population) -> Vec<Vec<f64>> {
    let (_, cov) = weighted_mean_cov(&pop.particles, &pop.weights);
    let d = cov.len();
    (0..d)
        .map(|p| {
            (0..d)
                .map(|q| {
                    if p == q {
                        return 1.0;
                    }
                    let den = math::sqrt(cov[p][p] * cov[q][q]);
                    if den > 0.0 {
                        (cov[p][q] / den).clamp(-1.0, 1.0)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Pairwise summary of a population for the pair plots: the weighted correlation of every two
/// parameters (in unit space, i.e. of log values for log priors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairwise {
    /// Parameter paths, in prior order.
    pub paths: Vec<String>,
    /// `correlation[i][j]`, symmetric, 1 on the diagonal.
    pub correlation: Vec<Vec<f64>>,
}

/// The [`Pairwise`] summary of `pop`.
pub fn pairwise(priors: &[Prior], pop: &Population) -> Pairwise {
    Pairwise {
        paths: priors.iter().map(|p| p.path.clone()).collect(),
        correlation: weighted_correlation(pop),
    }
}

/// One parameter's posterior marginal, in parameter units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marginal {
    pub path: String,
    /// Weighted mean.
    pub mean: f64,
    /// Weighted standard deviation (divisor `Σ w`).
    pub sd: f64,
    /// 5% quantile: the lower end of the 90% credible interval.
    pub q05: f64,
    /// Median.
    pub q50: f64,
    /// 95% quantile: the upper end of the 90% credible interval.
    pub q95: f64,
    /// `q95 − q05` in unit space: the interval's share of the prior range (for [`identified`]).
    pub unit_width: f64,
}

/// Each parameter's marginal (module docs), in prior order. Needs a non-empty population with
/// positive total weight (the values are NaN otherwise).
pub fn marginals(priors: &[Prior], pop: &Population) -> Vec<Marginal> {
    priors
        .iter()
        .enumerate()
        .map(|(j, prior)| {
            let u: Vec<f64> = pop.particles.iter().map(|p| p[j]).collect();
            let x: Vec<f64> = u.iter().map(|&ui| prior.from_unit(ui)).collect();
            let (mut s, mut sw) = (0.0, 0.0);
            for (&xi, &w) in x.iter().zip(&pop.weights) {
                s += w * xi;
                sw += w;
            }
            let mean = s / sw;
            let mut v = 0.0;
            for (&xi, &w) in x.iter().zip(&pop.weights) {
                v += w * (xi - mean) * (xi - mean);
            }
            let uq = |q| weighted_quantile(&u, &pop.weights, q);
            let (u05, u50, u95) = (uq(0.05), uq(0.5), uq(0.95));
            Marginal {
                path: prior.path.clone(),
                mean,
                sd: math::sqrt(v / sw),
                q05: prior.from_unit(u05),
                q50: prior.from_unit(u50),
                q95: prior.from_unit(u95),
                unit_width: u95 - u05,
            }
        })
        .collect()
}

/// Identification verdict: a 90% interval (posterior, or local from
/// [`super::jacobian::local_sensitivity`]) covering more than `frac` of the prior range in unit
/// space means the data do not identify the parameter. A NaN width is not identified.
pub fn identified(m_unit_width: f64, frac: f64) -> bool {
    m_unit_width <= frac
}

//! Small dense linear algebra for the estimators (dimension = number of parameters, <= 64):
//! Cholesky factorisation with deterministic jitter, triangular solves, inverse of a symmetric
//! positive-definite matrix. Row-major `Vec<Vec<f64>>`, every sum in index order.

// Matrix algorithms read as their textbook index loops.
#![allow(clippy::needless_range_loop)]

use crate::math;

/// The lower-triangular `L` with `L Lᵀ = a`, or `None` if `a` is not (numerically) positive
/// definite.
pub fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || s.is_infinite() {
                    return None;
                }
                l[i][i] = math::sqrt(s);
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

/// [`cholesky`] of `a + λ I`, with `λ = 0` first and then `10⁻¹²·s, 10⁻¹¹·s, ...` (`s` the
/// mean absolute diagonal, at least 10⁻³⁰⁰) until the factorisation succeeds; the identity
/// scaled by `√s` if it never does. Deterministic: the same `a` gives the same `L`.
pub fn cholesky_jittered(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    if let Some(l) = cholesky(a) {
        return l;
    }
    let n = a.len();
    let diag: f64 = (0..n).map(|i| a[i][i].abs()).filter(|x| x.is_finite()).sum::<f64>();
    let s = (diag / n.max(1) as f64).max(1e-300);
    let mut lambda = 1e-12 * s;
    for _ in 0..16 {
        let b: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        let v = if a[i][j].is_finite() { a[i][j] } else { 0.0 };
                        if i == j { v + lambda } else { v }
                    })
                    .collect()
            })
            .collect();
        if let Some(l) = cholesky(&b) {
            return l;
        }
        lambda *= 10.0;
    }
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { math::sqrt(s) } else { 0.0 }).collect())
        .collect()
}

/// Solves `L y = b` for lower-triangular `L` (forward substitution).
pub fn solve_lower(l: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = l.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i][k] * y[k];
        }
        y[i] = s / l[i][i];
    }
    y
}

/// Solves `Lᵀ x = y` for lower-triangular `L` (back substitution).
pub fn solve_upper_t(l: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let n = l.len();
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
    }
    x
}

/// The inverse of a symmetric positive-definite `a` through [`cholesky_jittered`] (so a
/// singular `a` gives a finite inverse with huge entries along its null space).
pub fn spd_inverse(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len();
    let l = cholesky_jittered(a);
    let mut inv = vec![vec![0.0; n]; n];
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let x = solve_upper_t(&l, &solve_lower(&l, &e));
        for i in 0..n {
            inv[i][j] = x[i];
        }
    }
    inv
}

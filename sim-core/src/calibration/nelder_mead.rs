//! Nelder–Mead local refinement on the unit cube, as an ask/tell state machine.
//!
//! The simplex method of Nelder & Mead (1965), Computer Journal 7:308–313, in the formulation of
//! Lagarias, Reeds, Wright & Wright (1998), SIAM J. Optim. 9:112–147, with the standard
//! coefficients: reflection α = 1, expansion γ = 2, contraction ρ = 0.5, shrink σ = 0.5. With the
//! `n + 1` vertices ordered `f(x_1) <= ... <= f(x_{n+1})` (a stable sort: ties keep their
//! order) and `c` the centroid of the best `n`:
//! - reflect `x_r = c + α (c − x_{n+1})`; if `f_1 <= f_r < f_n` accept `x_r`;
//! - if `f_r < f_1` expand `x_e = c + γ (x_r − c)` and accept the better of `x_e`, `x_r`;
//! - if `f_n <= f_r < f_{n+1}` contract outside `x_c = c + ρ (x_r − c)`, accept if
//!   `f_c <= f_r`; if `f_r >= f_{n+1}` contract inside `x_cc = c + ρ (x_{n+1} − c)`, accept if
//!   `f_cc < f_{n+1}`; otherwise
//! - shrink every vertex towards the best, `x_i ← x_1 + σ (x_i − x_1)`.
//!
//! Adaptive coefficients (optional, [`NelderMead::adaptive`]): Gao & Han (2012), "Implementing
//! the Nelder–Mead simplex algorithm with adaptive parameters", Comput. Optim. Appl.
//! 51:259–277: α = 1, γ = 1 + 2/n, ρ = 0.75 − 1/(2n), σ = 1 − 1/n for `n` parameters, which keep
//! the simplex from degenerating when `n` is large (identical to the standard ones for n = 2).
//!
//! Bounds: every point asked for is clamped to [0, 1] coordinate by coordinate (projection onto
//! the cube), so the model only ever runs inside the priors' support. The initial simplex is
//! `x_0` and `x_0 ± step · e_i` (minus where plus would leave the cube).
//!
//! Ask/tell: [`NelderMead::ask`] returns the points that need an objective now (the `n + 1`
//! initial vertices, then one point per step, or `n` after a shrink); the caller evaluates them
//! (in parallel: each point is `S` seeds of the model) and passes the values to
//! [`NelderMead::tell`]. The whole state is plain serde data, so the CLI saves it between batches;
//! a run that is saved, restored and continued gives the same bits as one that was not. A
//! non-finite objective counts as `f64::MAX` (worse than anything).
//!
//! Stopping: after [`NelderMead::new`]'s `max_evals` evaluations (a step in progress finishes, so
//! up to `n` more), or when the simplex has collapsed: every vertex within `tol` of the best in
//! every unit coordinate. The objective's spread is not a criterion: on a plateau (common with
//! a discrete agent-based model) the simplex keeps shrinking until it is small.

use serde::{Deserialize, Serialize};

/// Reflection coefficient α.
pub const ALPHA: f64 = 1.0;
/// Expansion coefficient γ.
pub const GAMMA: f64 = 2.0;
/// Contraction coefficient ρ.
pub const RHO: f64 = 0.5;
/// Shrink coefficient σ.
pub const SIGMA: f64 = 0.5;

/// Where the method is in its step (what the pending points are).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Phase {
    /// Evaluating the initial simplex.
    Init,
    /// Evaluating the reflected point.
    Reflect,
    /// Evaluating the expansion; the reflected point and its value are kept.
    Expand { xr: Vec<f64>, fr: f64 },
    /// Evaluating the outside contraction; `fr` is the reflected value.
    ContractOutside { fr: f64 },
    /// Evaluating the inside contraction.
    ContractInside,
    /// Evaluating the shrunk vertices 2..n+1.
    Shrink,
    /// Finished.
    Done,
}

/// Nelder–Mead state (module docs). Plain serde data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NelderMead {
    /// Vertices, ordered by value once the initial simplex is evaluated.
    simplex: Vec<Vec<f64>>,
    /// Their objective values.
    values: Vec<f64>,
    phase: Phase,
    /// The points of the current ask.
    pending: Vec<Vec<f64>>,
    evals: u64,
    max_evals: u64,
    tol: f64,
    iterations: u64,
    best_x: Vec<f64>,
    best_f: f64,
    /// Reflection, expansion, contraction and shrink coefficients (α, γ, ρ, σ).
    coefficients: [f64; 4],
}

fn clamp_unit(x: &mut [f64]) {
    for v in x {
        *v = if v.is_nan() { 0.5 } else { v.clamp(0.0, 1.0) };
    }
}

fn finite_or_max(f: f64) -> f64 {
    if f.is_finite() { f } else { f64::MAX }
}

/// `a + t (b − a)`, clamped to the cube.
fn along(a: &[f64], b: &[f64], t: f64) -> Vec<f64> {
    let mut x: Vec<f64> = a.iter().zip(b).map(|(ai, bi)| ai + t * (bi - ai)).collect();
    clamp_unit(&mut x);
    x
}

impl NelderMead {
    /// A run from `x0` (unit coordinates, clamped to the cube) with initial edge `step` (clamped
    /// to [1e-6, 0.5]), stopping after `max_evals` evaluations or when the simplex is within
    /// `tol` of its best vertex (module docs). An empty `x0` gives a run that is already done.
    pub fn new(x0: Vec<f64>, step: f64, max_evals: usize, tol: f64) -> Self {
        let mut x0 = x0;
        clamp_unit(&mut x0);
        let step = if step.is_finite() { step.clamp(1e-6, 0.5) } else { 0.1 };
        let mut simplex = vec![x0.clone()];
        for i in 0..x0.len() {
            let mut v = x0.clone();
            v[i] = if v[i] + step <= 1.0 { v[i] + step } else { v[i] - step };
            simplex.push(v);
        }
        let done = x0.is_empty() || max_evals == 0;
        NelderMead {
            pending: if done { Vec::new() } else { simplex.clone() },
            values: vec![f64::MAX; simplex.len()],
            simplex,
            phase: if done { Phase::Done } else { Phase::Init },
            evals: 0,
            max_evals: max_evals as u64,
            tol: if tol.is_finite() { tol.max(0.0) } else { 0.0 },
            iterations: 0,
            best_f: f64::MAX,
            best_x: x0,
            coefficients: [ALPHA, GAMMA, RHO, SIGMA],
        }
    }

    /// The same run with the adaptive coefficients of Gao & Han (2012) (module docs).
    pub fn adaptive(mut self) -> Self {
        let n = self.simplex.len().saturating_sub(1).max(1) as f64;
        self.coefficients = [1.0, 1.0 + 2.0 / n, 0.75 - 1.0 / (2.0 * n), 1.0 - 1.0 / n];
        self
    }

    /// The coefficients in use: (α, γ, ρ, σ).
    pub fn coefficients(&self) -> [f64; 4] {
        self.coefficients
    }

    /// The points that need an objective now (at least one unless [`NelderMead::done`]; empty
    /// when done). Asking again without telling returns the same points.
    pub fn ask(&self) -> Vec<Vec<f64>> {
        self.pending.clone()
    }

    /// The objective of exactly the points of the last [`NelderMead::ask`], in order.
    ///
    /// # Panics
    /// If `values` does not have one value per asked point (a caller's bug).
    pub fn tell(&mut self, values: &[f64]) {
        assert_eq!(
            values.len(),
            self.pending.len(),
            "NelderMead::tell: {} values for {} asked points",
            values.len(),
            self.pending.len()
        );
        if self.phase == Phase::Done {
            return;
        }
        let fs: Vec<f64> = values.iter().map(|&f| finite_or_max(f)).collect();
        let pts = std::mem::take(&mut self.pending);
        self.evals += fs.len() as u64;
        for (x, &f) in pts.iter().zip(&fs) {
            if f < self.best_f {
                self.best_f = f;
                self.best_x = x.clone();
            }
        }
        let n = self.simplex.len() - 1;
        let [_, gamma, rho, _] = self.coefficients;
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        match phase {
            Phase::Init => {
                self.values = fs;
                self.finish_step(false);
            }
            Phase::Reflect => {
                let (xr, fr) = (pts[0].clone(), fs[0]);
                if fr < self.values[0] {
                    let c = self.centroid();
                    self.ask_one(Phase::Expand { xr: xr.clone(), fr }, along(&c, &xr, gamma));
                } else if fr < self.values[n - 1] {
                    self.replace_worst(xr, fr);
                } else if fr < self.values[n] {
                    let c = self.centroid();
                    self.ask_one(Phase::ContractOutside { fr }, along(&c, &xr, rho));
                } else {
                    let c = self.centroid();
                    let xc = along(&c, &self.simplex[n], rho);
                    self.ask_one(Phase::ContractInside, xc);
                }
            }
            Phase::Expand { xr, fr } => {
                if fs[0] < fr {
                    self.replace_worst(pts[0].clone(), fs[0]);
                } else {
                    self.replace_worst(xr, fr);
                }
            }
            Phase::ContractOutside { fr } => {
                if fs[0] <= fr {
                    self.replace_worst(pts[0].clone(), fs[0]);
                } else {
                    self.ask_shrink();
                }
            }
            Phase::ContractInside => {
                if fs[0] < self.values[n] {
                    self.replace_worst(pts[0].clone(), fs[0]);
                } else {
                    self.ask_shrink();
                }
            }
            Phase::Shrink => {
                for (i, (x, f)) in pts.into_iter().zip(fs).enumerate() {
                    self.simplex[i + 1] = x;
                    self.values[i + 1] = f;
                }
                self.finish_step(true);
            }
            Phase::Done => {}
        }
    }

    /// The best point evaluated so far and its objective (`x_0` and `f64::MAX` before any).
    pub fn best(&self) -> (Vec<f64>, f64) {
        (self.best_x.clone(), self.best_f)
    }

    /// Whether the run has stopped (module docs).
    pub fn done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Objective evaluations so far.
    pub fn evals(&self) -> u64 {
        self.evals
    }

    /// Completed steps (after the initial simplex).
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// The current simplex's vertices and values (ordered best first once evaluated).
    pub fn simplex(&self) -> (&[Vec<f64>], &[f64]) {
        (&self.simplex, &self.values)
    }

    /// The simplex's size: the largest distance of a vertex from the best, in any coordinate.
    pub fn size(&self) -> f64 {
        let x1 = &self.simplex[0];
        let mut s = 0.0f64;
        for v in &self.simplex[1..] {
            for (a, b) in v.iter().zip(x1) {
                s = s.max((a - b).abs());
            }
        }
        s
    }

    /// The centroid of all vertices but the worst, summed in vertex order.
    fn centroid(&self) -> Vec<f64> {
        let n = self.simplex.len() - 1;
        let mut c = vec![0.0; self.simplex[0].len()];
        for v in &self.simplex[..n] {
            for (ci, vi) in c.iter_mut().zip(v) {
                *ci += vi;
            }
        }
        for ci in &mut c {
            *ci /= n as f64;
        }
        c
    }

    fn ask_one(&mut self, phase: Phase, x: Vec<f64>) {
        self.phase = phase;
        self.pending = vec![x];
    }

    fn ask_shrink(&mut self) {
        let x1 = self.simplex[0].clone();
        let sigma = self.coefficients[3];
        self.pending = self.simplex[1..].iter().map(|v| along(&x1, v, sigma)).collect();
        self.phase = Phase::Shrink;
    }

    fn replace_worst(&mut self, x: Vec<f64>, f: f64) {
        let n = self.simplex.len() - 1;
        self.simplex[n] = x;
        self.values[n] = f;
        self.finish_step(true);
    }

    /// Orders the simplex, counts the step, and either stops or asks for the next reflection.
    fn finish_step(&mut self, stepped: bool) {
        let mut order: Vec<usize> = (0..self.simplex.len()).collect();
        order.sort_by(|&a, &b| self.values[a].total_cmp(&self.values[b]));
        self.simplex = order.iter().map(|&i| self.simplex[i].clone()).collect();
        self.values = order.iter().map(|&i| self.values[i]).collect();
        if stepped {
            self.iterations += 1;
        }
        if self.evals >= self.max_evals || self.size() <= self.tol {
            self.phase = Phase::Done;
            self.pending.clear();
            return;
        }
        let n = self.simplex.len() - 1;
        let c = self.centroid();
        let xr = along(&self.simplex[n], &c, 1.0 + self.coefficients[0]);
        self.ask_one(Phase::Reflect, xr);
    }
}

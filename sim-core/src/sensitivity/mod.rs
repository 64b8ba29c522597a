//! Global sensitivity analysis: the designs (which points of the unit hypercube to run) and the
//! estimators (how much each input drives an output). Pure maths, no I/O; the CLI maps unit
//! coordinates to parameter ranges, runs the model and hands the outputs back here.
//!
//! # Sobol sequence
//! [`sobol_points`] is the Sobol low-discrepancy sequence in the Gray-code construction of
//! Antonov & Saleev (1979) with the direction numbers of Joe & Kuo (2008), file
//! `new-joe-kuo-6.21201`. For dimension `d` with primitive polynomial of degree `s` and
//! coefficients `a`, and initial odd numbers `m_1..m_s` (`m_j < 2^j`), the direction numbers are
//! `v_j = m_j / 2^j` for `j <= s` and, beyond,
//! `v_j = v_{j-s} ⊕ (v_{j-s} / 2^s) ⊕ ⨁_{k=1}^{s-1} a_k v_{j-k}` (bitwise XOR on 32-bit
//! fractions). The first dimension has every `m_j = 1` (van der Corput). Point `i + 1` is point
//! `i` XOR `v_c`, where `c` is the position (1-based) of the lowest zero bit of `i`; point 0 is
//! all zeros. Every dimension's first `2^m` points put exactly one point in each interval
//! `[l/2^m, (l+1)/2^m)`. Up to [`MAX_SOBOL_DIMS`] dimensions and `2^32` points.
//!
//! # Saltelli design and Sobol indices
//! For `k` inputs, [`saltelli_points`] takes points `1..=N` of the `2k`-dimensional sequence
//! (point 0, all zeros, is skipped as SALib does: there `A_0 = B_0` and the base sample would
//! carry no information): the first `k` coordinates form row `j` of matrix `A`, the last `k`
//! row `j` of `B`; `AB_i` is `A` with column `i` taken from `B` (Saltelli et al. 2010). The
//! points are ordered base sample by base sample, `k + 2` each, as SALib orders them:
//! `A_j, AB_1j, ..., AB_kj, B_j`. So `N (k + 2)` model runs.
//!
//! [`sobol_indices`] estimates, with `V` the variance (divisor `2N`) of all `f(A)` and `f(B)`
//! values,
//! - first order (Saltelli et al. 2010, eq. (b) of table 2):
//!   `S_i = (1/N) Σ_j (f(B)_j − m) (f(AB_i)_j − f(A)_j) / V`, where `m` is the mean of the
//!   same `f(A)` and `f(B)` values. Subtracting `m` leaves the expectation unchanged (the
//!   differences `f(AB_i) − f(A)` have mean zero) but removes the estimator's dependence on the
//!   output's offset: without it, an output like a firm count, whose mean is large next to its
//!   spread, gives first-order estimates with a much larger variance.
//! - total effect (Jansen 1999): `ST_i = (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V`.
//!
//! `S_i` is the share of the output variance explained by input `i` alone; `ST_i` the share
//! that would remain if every other input were fixed (its own effect plus all interactions).
//! `ST_i − S_i` measures interactions; `Σ S_i = 1` for an additive model. 95% confidence
//! intervals are percentile intervals of a bootstrap over base samples (resampling `j` with
//! replacement, recomputing `V`, `S_i` and `ST_i`), with a SplitMix64 stream keyed by the
//! seed, so they are deterministic. A base sample with any NaN among its `k + 2` outputs is
//! skipped and counted.
//!
//! # Morris elementary effects
//! [`morris_design`] builds `r` trajectories on a `p`-level grid `{0, 1/(p−1), ..., 1}` (Morris
//! 1991) with jump `Δ = p / (2(p − 1))` (`p/2` grid steps, `p` even). Each trajectory starts at
//! a grid point whose every coordinate is a uniform level; then, in a random order, each factor
//! moves once by `+Δ` (if it started in the lower half of the levels) or `−Δ` (upper half), so
//! the start level and the sign are uniform as in Morris' construction. `k + 1` points per
//! trajectory, `r (k + 1)` in all, trajectory by trajectory.
//!
//! [`morris_indices`] computes each elementary effect in unit-hypercube scaling,
//! `EE_i = (f(x + Δ e_i) − f(x)) / Δ` with `Δ` signed: the change of the output per whole
//! parameter range (divide by `max − min` for the change per parameter unit). Per factor:
//! `μ` (mean EE; signed effects may cancel), `μ*` (mean |EE|, Campolongo et al. 2007: the
//! importance ranking) and `σ` (standard deviation with divisor `r − 1`: non-linearity or
//! interactions), with a bootstrap 95% percentile interval for `μ*` over the trajectories.
//! An effect whose either output is NaN is skipped and counted.
//!
//! References: Sobol' (1993, 2001); Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola
//! (2010), Comput. Phys. Commun. 181:259–270; Jansen (1999), Comput. Phys. Commun.
//! 117:35–43; Morris (1991), Technometrics 33:161–174; Campolongo, Cariboni & Saltelli (2007),
//! Environ. Model. Softw. 22:1509–1518; Joe & Kuo (2008), SIAM J. Sci. Comput. 30:2635–2654.

use crate::rng::SplitMix64;
use crate::stats::quantile;

/// Dimensions [`sobol_points`] supports: a Saltelli design of `k` inputs needs `2k`, so at most
/// [`MAX_SALTELLI_INPUTS`] inputs.
pub const MAX_SOBOL_DIMS: usize = 64;

/// The most inputs a Saltelli design may have.
pub const MAX_SALTELLI_INPUTS: usize = MAX_SOBOL_DIMS / 2;

/// What each run contributes to a sensitivity analysis: one number per output (a spec's
/// `[sensitivity] statistic`, spelled `final` or `mean`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Statistic {
    /// The value in the last month.
    Final,
    /// The mean over the months (NaN months skipped).
    Mean,
}

impl Statistic {
    /// The spelling in a spec and in the reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Final => "final",
            Statistic::Mean => "mean",
        }
    }

    /// The statistic spelled `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "final" => Some(Statistic::Final),
            "mean" => Some(Statistic::Mean),
            _ => None,
        }
    }
}

/// A design that cannot be built (bad sizes); the message says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignError(pub String);

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DesignError {}

/// Joe & Kuo (2008) direction numbers, file `new-joe-kuo-6.21201`, dimensions 2 to 64: per
/// dimension `(a, [m_1, ..., m_s])`, `s` the degree of the primitive polynomial. Copied from
/// SALib's `src/SALib/sample/directions.py` (repository SALib/SALib, commit 57827cd4), which
/// holds the same file's rows as `(a, m_1, ..., m_s)`; the tests check each row's form (odd
/// `m_j < 2^j`, `a < 2^(s−1)`) and the stratification it implies.
const DIRECTIONS: [(u32, &[u32]); MAX_SOBOL_DIMS - 1] = [
    (0, &[1]),
    (1, &[1, 3]),
    (1, &[1, 3, 1]),
    (2, &[1, 1, 1]),
    (1, &[1, 1, 3, 3]),
    (4, &[1, 3, 5, 13]),
    (2, &[1, 1, 5, 5, 17]),
    (4, &[1, 1, 5, 5, 5]),
    (7, &[1, 1, 7, 11, 19]),
    (11, &[1, 1, 5, 1, 1]),
    (13, &[1, 1, 1, 3, 11]),
    (14, &[1, 3, 5, 5, 31]),
    (1, &[1, 3, 3, 9, 7, 49]),
    (13, &[1, 1, 1, 15, 21, 21]),
    (16, &[1, 3, 1, 13, 27, 49]),
    (19, &[1, 1, 1, 15, 7, 5]),
    (22, &[1, 3, 1, 15, 13, 25]),
    (25, &[1, 1, 5, 5, 19, 61]),
    (1, &[1, 3, 7, 11, 23, 15, 103]),
    (4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, &[1, 1, 3, 13, 7, 35, 63]),
    (8, &[1, 3, 5, 9, 1, 25, 53]),
    (14, &[1, 3, 1, 13, 9, 35, 107]),
    (19, &[1, 3, 1, 5, 27, 61, 31]),
    (21, &[1, 1, 5, 11, 19, 41, 61]),
    (28, &[1, 3, 5, 3, 3, 13, 69]),
    (31, &[1, 1, 7, 13, 1, 19, 1]),
    (32, &[1, 3, 7, 5, 13, 19, 59]),
    (37, &[1, 1, 3, 9, 25, 29, 41]),
    (41, &[1, 3, 5, 13, 23, 1, 55]),
    (42, &[1, 3, 7, 3, 13, 59, 17]),
    (50, &[1, 3, 1, 3, 5, 53, 69]),
    (55, &[1, 1, 5, 5, 23, 33, 13]),
    (56, &[1, 1, 7, 7, 1, 61, 123]),
    (59, &[1, 1, 7, 9, 13, 61, 49]),
    (62, &[1, 3, 3, 5, 3, 55, 33]),
    (14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (38, &[1, 3, 1, 11, 27, 43, 71, 9]),
    (47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (49, &[1, 3, 7, 3, 25, 31, 65, 79]),
    (50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (52, &[1, 1, 5, 9, 19, 21, 29, 157]),
    (56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (67, &[1, 3, 3, 3, 15, 9, 79, 71]),
    (70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (84, &[1, 1, 3, 1, 11, 31, 97, 225]),
    (97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (103, &[1, 3, 7, 7, 17, 17, 37, 71]),
    (115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (122, &[1, 1, 3, 5, 11, 43, 53, 133]),
    (8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]),
    (16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]),
    (25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]),
    (47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]),
    (55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]),
    (62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
];

/// Bits of each coordinate.
const BITS: usize = 32;

/// The 32 direction numbers of dimension `d` (0-based), as 32-bit binary fractions.
fn direction_numbers(d: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if d == 0 {
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = 1 << (BITS - 1 - j);
        }
        return v;
    }
    let (a, m) = DIRECTIONS[d - 1];
    let s = m.len();
    for j in 0..BITS {
        v[j] = if j < s {
            m[j] << (BITS - 1 - j)
        } else {
            let mut x = v[j - s] ^ (v[j - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    x ^= v[j - k];
                }
            }
            x
        };
    }
    v
}

/// The first `n` points (point 0 is all zeros) of the `dims`-dimensional Sobol sequence, each
/// coordinate in [0, 1). See the module docs.
pub fn sobol_points(n: usize, dims: usize) -> Result<Vec<Vec<f64>>, DesignError> {
    if dims == 0 || dims > MAX_SOBOL_DIMS {
        return Err(DesignError(format!(
            "a Sobol sequence here has 1 to {MAX_SOBOL_DIMS} dimensions, not {dims}"
        )));
    }
    if n as u64 > 1u64 << BITS {
        return Err(DesignError(format!(
            "a Sobol sequence here has at most 2^{BITS} points"
        )));
    }
    let v: Vec<[u32; BITS]> = (0..dims).map(direction_numbers).collect();
    let mut x = vec![0u32; dims];
    let scale = 1.0 / (1u64 << BITS) as f64;
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        points.push(x.iter().map(|&xi| xi as f64 * scale).collect());
        // Gray code: the next point flips the direction number of i's lowest zero bit.
        let c = (!(i as u64)).trailing_zeros() as usize;
        if c < BITS {
            for (xd, vd) in x.iter_mut().zip(&v) {
                *xd ^= vd[c];
            }
        }
    }
    Ok(points)
}

/// The Saltelli design for `k` inputs and `n` base samples: `n (k + 2)` points of the unit
/// hypercube, ordered `A_j, AB_1j, ..., AB_kj, B_j` for each base sample `j` (module docs).
pub fn saltelli_points(k: usize, n: usize) -> Result<Vec<Vec<f64>>, DesignError> {
    if k == 0 || k > MAX_SALTELLI_INPUTS {
        return Err(DesignError(format!(
            "a Saltelli design takes 1 to {MAX_SALTELLI_INPUTS} inputs (it needs a Sobol \
             sequence of twice as many dimensions), not {k}"
        )));
    }
    if n == 0 {
        return Err(DesignError("a Saltelli design needs at least 1 base sample".into()));
    }
    let base = sobol_points(n + 1, 2 * k)?;
    let mut points = Vec::with_capacity(n * (k + 2));
    for row in &base[1..] {
        let (a, b) = row.split_at(k);
        points.push(a.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            points.push(ab);
        }
        points.push(b.to_vec());
    }
    Ok(points)
}

/// A uniform integer in `0..n` (n >= 1); the modulo bias is below 2^-40 for the sizes used here.
fn below(state: &mut SplitMix64, n: usize) -> usize {
    (state.next_u64() % n as u64) as usize
}

/// A 95% percentile interval of bootstrap replicates; NaN when there are none.
fn percentile_ci(reps: &[f64]) -> (f64, f64) {
    (
        quantile(reps, 0.025).unwrap_or(f64::NAN),
        quantile(reps, 0.975).unwrap_or(f64::NAN),
    )
}

/// One input's Sobol indices with 95% bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    pub s1: f64,
    pub s1_lo: f64,
    pub s1_hi: f64,
    pub st: f64,
    pub st_lo: f64,
    pub st_hi: f64,
}

/// Sobol indices of one output.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolResult {
    /// Per input, in input order.
    pub indices: Vec<SobolIndex>,
    /// Output variance over all `f(A)` and `f(B)` values used.
    pub variance: f64,
    /// Base samples used.
    pub used: usize,
    /// Base samples skipped because an output was NaN.
    pub skipped: usize,
}

/// `(V, S_i for each i, ST_i for each i)` over the base samples `rows` (indices into `blocks`).
fn sobol_estimate(blocks: &[&[f64]], rows: &[usize], k: usize) -> (f64, Vec<f64>, Vec<f64>) {
    let n = rows.len() as f64;
    let mut sum = 0.0;
    for &j in rows {
        sum += blocks[j][0] + blocks[j][k + 1];
    }
    let mean = sum / (2.0 * n);
    let mut ss = 0.0;
    for &j in rows {
        let (a, b) = (blocks[j][0] - mean, blocks[j][k + 1] - mean);
        ss += a * a + b * b;
    }
    let var = ss / (2.0 * n);
    let mut s1 = Vec::with_capacity(k);
    let mut st = Vec::with_capacity(k);
    for i in 0..k {
        let (mut first, mut total) = (0.0, 0.0);
        for &j in rows {
            let y = blocks[j];
            let (fa, fab, fb) = (y[0], y[1 + i], y[k + 1]);
            first += (fb - mean) * (fab - fa);
            total += (fa - fab) * (fa - fab);
        }
        s1.push(first / n / var);
        st.push(total / (2.0 * n) / var);
    }
    (var, s1, st)
}

/// Sobol first-order and total indices from the outputs `y` of a Saltelli design of `k` inputs
/// (in [`saltelli_points`] order), with `bootstrap` resamples for the intervals (0: no
/// intervals, NaN bounds) drawn from a stream keyed by `seed`. Indices are NaN when fewer than
/// two base samples are usable or the output does not vary.
pub fn sobol_indices(k: usize, y: &[f64], bootstrap: usize, seed: u64) -> Result<SobolResult, DesignError> {
    if k == 0 || !y.len().is_multiple_of(k + 2) {
        return Err(DesignError(format!(
            "{} outputs do not fill whole Saltelli blocks of k + 2 = {}",
            y.len(),
            k + 2
        )));
    }
    let all: Vec<&[f64]> = y.chunks(k + 2).collect();
    let blocks: Vec<&[f64]> = all.iter().copied().filter(|b| b.iter().all(|v| !v.is_nan())).collect();
    let skipped = all.len() - blocks.len();
    let nan = SobolIndex {
        s1: f64::NAN,
        s1_lo: f64::NAN,
        s1_hi: f64::NAN,
        st: f64::NAN,
        st_lo: f64::NAN,
        st_hi: f64::NAN,
    };
    let rows: Vec<usize> = (0..blocks.len()).collect();
    if blocks.len() < 2 {
        return Ok(SobolResult {
            indices: vec![nan; k],
            variance: f64::NAN,
            used: blocks.len(),
            skipped,
        });
    }
    let (var, s1, st) = sobol_estimate(&blocks, &rows, k);
    if var <= 0.0 || !var.is_finite() {
        return Ok(SobolResult {
            indices: vec![nan; k],
            variance: var,
            used: blocks.len(),
            skipped,
        });
    }
    let mut boot_s1 = vec![Vec::with_capacity(bootstrap); k];
    let mut boot_st = vec![Vec::with_capacity(bootstrap); k];
    let mut state = SplitMix64::keyed(seed, 0x0073_6F62_6F6C);
    let mut sample = vec![0usize; blocks.len()];
    for _ in 0..bootstrap {
        for s in sample.iter_mut() {
            *s = below(&mut state, blocks.len());
        }
        let (v, b1, bt) = sobol_estimate(&blocks, &sample, k);
        // A resample where the output happens not to vary has no indices; leave it out.
        if v > 0.0 {
            for i in 0..k {
                boot_s1[i].push(b1[i]);
                boot_st[i].push(bt[i]);
            }
        }
    }
    let indices = (0..k)
        .map(|i| {
            let (s1_lo, s1_hi) = percentile_ci(&boot_s1[i]);
            let (st_lo, st_hi) = percentile_ci(&boot_st[i]);
            SobolIndex {
                s1: s1[i],
                s1_lo,
                s1_hi,
                st: st[i],
                st_lo,
                st_hi,
            }
        })
        .collect();
    Ok(SobolResult {
        indices,
        variance: var,
        used: blocks.len(),
        skipped,
    })
}

/// A Morris trajectory design (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    pub inputs: usize,
    pub trajectories: usize,
    pub levels: usize,
    /// `trajectories (inputs + 1)` points of the unit hypercube, trajectory by trajectory.
    pub points: Vec<Vec<f64>>,
    /// Per trajectory, per step `1..=inputs`: the factor that moved to reach that point.
    pub moved: Vec<Vec<usize>>,
}

/// Builds `r` Morris trajectories of `k` inputs on a `p`-level grid, drawn from a SplitMix64
/// stream keyed by `seed`.
pub fn morris_design(k: usize, r: usize, p: usize, seed: u64) -> Result<MorrisDesign, DesignError> {
    if k == 0 {
        return Err(DesignError("a Morris design needs at least 1 input".into()));
    }
    if r == 0 {
        return Err(DesignError("a Morris design needs at least 1 trajectory".into()));
    }
    if p < 2 || !p.is_multiple_of(2) {
        return Err(DesignError(format!(
            "Morris levels must be even and at least 2 (so the jump Δ = p/(2(p−1)) lands on the grid), not {p}"
        )));
    }
    let half = p / 2;
    let level = |l: usize| l as f64 / (p - 1) as f64;
    let mut state = SplitMix64::keyed(seed, 0x6D6F_7272_6973);
    let mut points = Vec::with_capacity(r * (k + 1));
    let mut moved = Vec::with_capacity(r);
    for _ in 0..r {
        let mut lv: Vec<usize> = (0..k).map(|_| below(&mut state, p)).collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            let j = below(&mut state, i + 1);
            order.swap(i, j);
        }
        points.push(lv.iter().map(|&l| level(l)).collect());
        for &f in &order {
            lv[f] = if lv[f] < half { lv[f] + half } else { lv[f] - half };
            points.push(lv.iter().map(|&l| level(l)).collect());
        }
        moved.push(order);
    }
    Ok(MorrisDesign {
        inputs: k,
        trajectories: r,
        levels: p,
        points,
        moved,
    })
}

/// One input's Morris statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// 95% bootstrap interval of `mu_star`.
    pub mu_star_lo: f64,
    pub mu_star_hi: f64,
    /// Standard deviation of the effects (divisor `effects − 1`; NaN for one effect).
    pub sigma: f64,
    /// Effects used (trajectories minus those skipped for NaN).
    pub effects: usize,
}

/// Morris statistics of one output.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisResult {
    pub indices: Vec<MorrisIndex>,
    /// Elementary effects skipped because an output was NaN (over all inputs).
    pub skipped: usize,
}

/// The elementary effects of each input, from the outputs `y` of `design`'s points (in order).
pub fn elementary_effects(design: &MorrisDesign, y: &[f64]) -> Result<(Vec<Vec<f64>>, usize), DesignError> {
    let k = design.inputs;
    if y.len() != design.points.len() {
        return Err(DesignError(format!(
            "{} outputs for a Morris design of {} points",
            y.len(),
            design.points.len()
        )));
    }
    let mut effects = vec![Vec::with_capacity(design.trajectories); k];
    let mut skipped = 0;
    for (t, order) in design.moved.iter().enumerate() {
        let base = t * (k + 1);
        for (step, &f) in order.iter().enumerate() {
            let (before, after) = (base + step, base + step + 1);
            let delta = design.points[after][f] - design.points[before][f];
            let ee = (y[after] - y[before]) / delta;
            if ee.is_nan() {
                skipped += 1;
            } else {
                effects[f].push(ee);
            }
        }
    }
    Ok((effects, skipped))
}

/// `(mu, mu_star, sigma)` of a list of effects.
fn morris_moments(ee: &[f64]) -> (f64, f64, f64) {
    let n = ee.len() as f64;
    let mu = ee.iter().sum::<f64>() / n;
    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n;
    let sigma = if ee.len() > 1 {
        (ee.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        f64::NAN
    };
    (mu, mu_star, sigma)
}

/// Morris `μ`, `μ*` (with a `bootstrap`-resample 95% interval from a stream keyed by `seed`)
/// and `σ` per input, from the outputs `y` of `design`'s points.
pub fn morris_indices(
    design: &MorrisDesign,
    y: &[f64],
    bootstrap: usize,
    seed: u64,
) -> Result<MorrisResult, DesignError> {
    let (effects, skipped) = elementary_effects(design, y)?;
    let indices = effects
        .iter()
        .enumerate()
        .map(|(f, ee)| {
            if ee.is_empty() {
                return MorrisIndex {
                    mu: f64::NAN,
                    mu_star: f64::NAN,
                    mu_star_lo: f64::NAN,
                    mu_star_hi: f64::NAN,
                    sigma: f64::NAN,
                    effects: 0,
                };
            }
            let (mu, mu_star, sigma) = morris_moments(ee);
            let mut state = SplitMix64::keyed(seed, 0x6D75_0000 + f as u64);
            let reps: Vec<f64> = (0..bootstrap)
                .map(|_| {
                    (0..ee.len())
                        .map(|_| ee[below(&mut state, ee.len())].abs())
                        .sum::<f64>()
                        / ee.len() as f64
                })
                .collect();
            let (mu_star_lo, mu_star_hi) = percentile_ci(&reps);
            MorrisIndex {
                mu,
                mu_star,
                mu_star_lo,
                mu_star_hi,
                sigma,
                effects: ee.len(),
            }
        })
        .collect();
    Ok(MorrisResult { indices, skipped })
}

#[cfg(test)]
mod tests;

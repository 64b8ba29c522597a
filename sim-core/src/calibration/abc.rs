//! ABC-SMC: approximate Bayesian computation by sequential Monte Carlo, in fixed-size batches.
//!
//! The method is the population Monte Carlo ABC of Beaumont, Cornuet, Marin & Robert (2009),
//! "Adaptive approximate Bayesian computation", Biometrika 96:983–990, also Toni, Welch,
//! Strelkowa, Ipsen & Stumpf (2009), "Approximate Bayesian computation scheme for parameter
//! inference and model selection in dynamical systems", J. R. Soc. Interface 6:187–202. Everything
//! is in the unit cube of the priors ([`super::prior`]), where the prior density is 1.
//!
//! - Generation 0 draws `B` proposals from the prior (uniform on the cube).
//! - Generation `t > 0` draws `B` proposals from `q_t(θ) = Σ_j W_j^{t−1} K(θ − θ_j^{t−1})`: pick
//!   a particle of generation `t − 1` with probability its weight, add a Gaussian perturbation
//!   with covariance `Σ_t = 2 × the weighted covariance of generation t − 1` (Beaumont et al. 2009,
//!   §3; the variance floored at [`KERNEL_VAR_FLOOR`] per coordinate).
//! - **Outside the support**: a proposal that leaves the cube is *redrawn* — a new particle and a
//!   new perturbation, from the same keyed stream — up to [`MAX_ATTEMPTS`] times (after which the
//!   last draw is clamped onto the cube; with `Σ_t` from particles inside the cube this does not
//!   happen in practice). Redrawing the pair, not only the perturbation, makes the proposal
//!   density exactly `q_t` restricted to the cube up to one global constant, which cancels when
//!   the weights are normalised; so the weights below are exact.
//! - The caller runs the model at every proposal and computes each proposal's distance to the
//!   data (NaN for a run that could not produce a moment: never accepted).
//! - **Selection, the "N best of B" batch tolerance**: of the proposals whose distance is at most
//!   `ε_{t−1}` (every finite one in generation 0), the `N` closest (ties by proposal index) form
//!   population `t`, and `ε_t` is the largest distance among them. If fewer than `N` are within
//!   `ε_{t−1}`, all of them form the population and `ε_t = ε_{t−1}` — they are then exactly the
//!   ABC sample at tolerance `ε_{t−1}`. So `ε_t <= ε_{t−1}` always.
//! - Weights `w_i ∝ π(θ_i) / q_t(θ_i)` (uniform in generation 0), normalised to sum 1; computed
//!   in log space (log-sum-exp over the previous particles) so that no kernel underflows.
//! - The acceptance rate is the share of the batch within `ε_{t−1}`; the run stops after
//!   `generations` generations or when the acceptance falls below `min_acceptance`
//!   ([`abc_done`]): the tolerance then shrinks only by paying ever more runs per particle.
//!
//! Why a batch variant. The textbook sampler draws proposals one at a time until `N` are
//! accepted at a tolerance fixed in advance (Toni et al. 2009) or set to a quantile of the last
//! generation's distances (Beaumont et al. 2009; Del Moral, Doucet & Jasra 2012, Stat. Comput.
//! 22:1009–1020). How many runs that takes is random and the result depends on the order in
//! which runs finish: with parallel runs, the sample would depend on the thread count and on
//! timing. Here each generation is a fixed batch of `B` proposals, a pure function of
//! (seed, generation, index) and the previous population, which the CLI runs as one sweep stage
//! (parallel, shardable, resumable), and the tolerance adapts to the batch: keeping the `N` best
//! of `B` sets `ε_t` to the `N/B` quantile of the batch's distances, as in the adaptive ABC of
//! Lenormand, Jabot & Deffuant (2013), Comput. Stat. 28:2777–2796. The population is then the
//! same for any `--jobs`, shard layout or restart.
//!
//! Randomness: proposal `i` of generation `t` draws only from
//! `rng::fast_stream(seed, Stream::Calibration, i, t)`.

use serde::{Deserialize, Serialize};

use super::linalg;
use super::posterior::{ess, weighted_mean_cov};
use super::prior::Prior;
use crate::math;
use crate::rng::{self, Source as _, Stream};

/// Redraws of a proposal that left the cube before it is clamped.
pub const MAX_ATTEMPTS: u32 = 100_000;

/// The smallest kernel variance per unit coordinate (a standard deviation of 10⁻⁶ of the range).
pub const KERNEL_VAR_FLOOR: f64 = 1e-12;

/// The settings of an ABC-SMC run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbcConfig {
    /// `N`: particles kept per generation (>= 2).
    pub particles: usize,
    /// `B`: proposals run per generation (>= `N`); `N/B` is the quantile the tolerance moves to.
    pub batch: usize,
    /// The most generations, generation 0 included (>= 1).
    pub generations: usize,
    /// Stop when the share of a batch within the previous tolerance falls below this ([0, 1]).
    pub min_acceptance: f64,
    /// Seed of the proposal streams.
    pub seed: u64,
}

impl AbcConfig {
    /// `Err` naming the first setting out of range.
    pub fn validate(&self) -> Result<(), String> {
        if self.particles < 2 {
            return Err(format!("abc: particles must be at least 2, not {}", self.particles));
        }
        if self.batch < self.particles {
            return Err(format!(
                "abc: batch ({}) must be at least particles ({})",
                self.batch, self.particles
            ));
        }
        if self.generations < 1 {
            return Err("abc: generations must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.min_acceptance) {
            return Err(format!(
                "abc: min_acceptance must be in [0, 1], not {}",
                self.min_acceptance
            ));
        }
        Ok(())
    }
}

/// One generation's weighted sample of the ABC posterior at tolerance `epsilon`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Population {
    pub generation: usize,
    /// Particles in unit space, closest first.
    pub particles: Vec<Vec<f64>>,
    /// Normalised importance weights (sum 1).
    pub weights: Vec<f64>,
    /// Each particle's distance to the data.
    pub distances: Vec<f64>,
    /// The tolerance `ε_t` (`f64::MAX` when nothing was accepted in generation 0).
    pub epsilon: f64,
    /// Effective sample size of the weights.
    pub ess: f64,
    /// Share of the batch within the previous tolerance.
    pub acceptance: f64,
    /// Each particle's index in its generation's batch of proposals.
    pub source: Vec<u64>,
}

/// The proposal kernel of generation `t`, built from population `t − 1`: the lower Cholesky
/// factor of `Σ_t` and the cumulative weights for picking a particle.
struct Kernel {
    l: Vec<Vec<f64>>,
    cumulative: Vec<f64>,
}

fn kernel(prev: &Population) -> Kernel {
    let (_, cov) = weighted_mean_cov(&prev.particles, &prev.weights);
    let sigma: Vec<Vec<f64>> = cov
        .iter()
        .enumerate()
        .map(|(p, row)| {
            row.iter()
                .enumerate()
                .map(|(q, &c)| {
                    if p == q {
                        (2.0 * c).max(KERNEL_VAR_FLOOR)
                    } else {
                        2.0 * c
                    }
                })
                .collect()
        })
        .collect();
    let mut acc = 0.0;
    let cumulative = prev
        .weights
        .iter()
        .map(|&w| {
            acc += w.max(0.0);
            acc
        })
        .collect();
    Kernel {
        l: linalg::cholesky_jittered(&sigma),
        cumulative,
    }
}

fn inside(x: &[f64]) -> bool {
    x.iter().all(|&v| (0.0..=1.0).contains(&v))
}

/// The `B` unit-space proposals of `generation` (module docs): from the prior when `prev` is
/// `None` (or empty), else from the kernel mixture around `prev`.
pub fn abc_propose(cfg: &AbcConfig, priors: &[Prior], prev: Option<&Population>, generation: usize) -> Vec<Vec<f64>> {
    let d = priors.len();
    let prev = prev.filter(|p| !p.particles.is_empty());
    let k = prev.map(kernel);
    (0..cfg.batch)
        .map(|i| {
            let mut s = rng::fast_stream(cfg.seed, Stream::Calibration, i as u64, generation as u32);
            let (Some(prev), Some(k)) = (prev, &k) else {
                return (0..d).map(|_| s.uniform()).collect();
            };
            let mut x = Vec::new();
            for _ in 0..MAX_ATTEMPTS {
                let j = rng::pick_cumulative(&k.cumulative, s.uniform()).unwrap_or(0);
                let z: Vec<f64> = (0..d).map(|_| s.normal()).collect();
                let c = &prev.particles[j];
                x = (0..d)
                    .map(|p| {
                        let mut v = c[p];
                        for (q, zq) in z.iter().enumerate().take(p + 1) {
                            v += k.l[p][q] * zq;
                        }
                        v
                    })
                    .collect();
                if inside(&x) {
                    return x;
                }
            }
            x.iter().map(|v| v.clamp(0.0, 1.0)).collect()
        })
        .collect()
}

/// Population `generation` from its batch of `proposals` and their `distances` to the data
/// (module docs). `prev` is population `generation − 1` (`None` for generation 0).
/// `distances[i]` belongs to `proposals[i]`; extra entries of the longer slice are ignored.
pub fn abc_update(
    cfg: &AbcConfig,
    priors: &[Prior],
    prev: Option<&Population>,
    generation: usize,
    proposals: &[Vec<f64>],
    distances: &[f64],
) -> Population {
    let _ = priors; // the prior is uniform on the unit cube (module docs)
    let prev = prev.filter(|p| !p.particles.is_empty());
    let eps_prev = prev.map_or(f64::MAX, |p| p.epsilon);
    let b = proposals.len().min(distances.len());
    let mut within: Vec<usize> = (0..b)
        .filter(|&i| distances[i].is_finite() && distances[i] <= eps_prev)
        .collect();
    within.sort_by(|&a, &c| distances[a].total_cmp(&distances[c]).then(a.cmp(&c)));
    let acceptance = if b > 0 { within.len() as f64 / b as f64 } else { 0.0 };
    let full = within.len() >= cfg.particles;
    within.truncate(cfg.particles);
    let epsilon = match (full, prev) {
        (true, _) | (false, None) => within.last().map_or(eps_prev, |&i| distances[i]),
        (false, Some(_)) => eps_prev,
    };
    let particles: Vec<Vec<f64>> = within.iter().map(|&i| proposals[i].clone()).collect();
    let weights = match prev {
        None => vec![1.0 / particles.len().max(1) as f64; particles.len()],
        Some(prev) => importance_weights(prev, &particles),
    };
    Population {
        generation,
        ess: ess(&weights),
        weights,
        distances: within.iter().map(|&i| distances[i]).collect(),
        epsilon,
        acceptance,
        source: within.iter().map(|&i| i as u64).collect(),
        particles,
    }
}

/// `w_i ∝ π(θ_i) / q(θ_i)` normalised to sum 1, with `q` the kernel mixture around `prev`.
fn importance_weights(prev: &Population, particles: &[Vec<f64>]) -> Vec<f64> {
    let k = kernel(prev);
    let log_w_prev: Vec<f64> = prev
        .weights
        .iter()
        .map(|&w| if w > 0.0 { math::ln(w) } else { f64::NEG_INFINITY })
        .collect();
    // log π − log q, up to a constant shared by every particle.
    let log_w: Vec<f64> = particles
        .iter()
        .map(|x| {
            if !inside(x) {
                return f64::NEG_INFINITY;
            }
            let terms: Vec<f64> = prev
                .particles
                .iter()
                .zip(&log_w_prev)
                .map(|(c, &lw)| {
                    if lw == f64::NEG_INFINITY {
                        return lw;
                    }
                    let diff: Vec<f64> = x.iter().zip(c).map(|(a, b)| a - b).collect();
                    let y = linalg::solve_lower(&k.l, &diff);
                    lw - 0.5 * y.iter().map(|v| v * v).sum::<f64>()
                })
                .collect();
            -log_sum_exp(&terms)
        })
        .collect();
    let max = log_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return vec![1.0 / particles.len().max(1) as f64; particles.len()];
    }
    let w: Vec<f64> = log_w.iter().map(|&l| math::exp(l - max)).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

/// `ln Σ exp(x_i)`, stable; `-∞` for no finite term.
fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return f64::NEG_INFINITY;
    }
    max + math::ln(xs.iter().map(|&x| math::exp(x - max)).sum::<f64>())
}

/// Why an ABC-SMC run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbcStop {
    /// The last generation allowed by [`AbcConfig::generations`] is done.
    Generations,
    /// The share of the batch within the previous tolerance fell below
    /// [`AbcConfig::min_acceptance`].
    Acceptance,
    /// No proposal had a finite distance within the previous tolerance.
    Empty,
}

impl AbcStop {
    /// A short description for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AbcStop::Generations => "generations",
            AbcStop::Acceptance => "acceptance below the floor",
            AbcStop::Empty => "no proposal accepted",
        }
    }
}

/// Why the run stops after population `pop`, or `None` if it goes on (module docs); the first
/// of: nothing accepted, acceptance below the floor, last generation.
pub fn abc_stop(cfg: &AbcConfig, pop: &Population) -> Option<AbcStop> {
    if pop.particles.is_empty() {
        Some(AbcStop::Empty)
    } else if pop.acceptance < cfg.min_acceptance {
        Some(AbcStop::Acceptance)
    } else if pop.generation + 1 >= cfg.generations {
        Some(AbcStop::Generations)
    } else {
        None
    }
}

/// Whether the run stops after population `pop` (module docs): the last generation is done, the
/// acceptance fell below the floor, or nothing was accepted.
pub fn abc_done(cfg: &AbcConfig, pop: &Population) -> bool {
    abc_stop(cfg, pop).is_some()
}

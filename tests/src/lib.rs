//! Shared helpers of the goldrush integration tests.

use sim_core::{Scenario, Sim};

/// Loads a built-in scenario with overrides, panicking with the loader's message.
pub fn builtin(name: &str, overrides: &[&str]) -> Scenario {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    sim_core::scenario::load_builtin(name, &o).unwrap_or_else(|e| panic!("built-in {name}: {e}"))
}

/// Runs a scenario to its horizon and returns the simulation.
pub fn run(scenario: Scenario) -> Sim {
    let mut sim = Sim::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    let months = sim.horizon();
    sim.run(months);
    sim
}

/// Formats a hash as the CLI prints it.
pub fn hex(h: u64) -> String {
    format!("{h:#018x}")
}

/// Two-sided 95% quantile of Student's t with `df` degrees of freedom (df ≥ 1).
pub fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        31..=60 => 2.000,
        _ => 1.96,
    }
}

/// A paired comparison over seeds: per-seed differences (policy − baseline), their mean and the
/// 95% confidence interval of the mean (Student's t).
#[derive(Debug, Clone)]
pub struct Paired {
    pub diffs: Vec<f64>,
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Paired {
    /// From per-seed differences.
    pub fn from_diffs(diffs: Vec<f64>) -> Self {
        let n = diffs.len();
        assert!(n >= 2, "a paired CI needs at least two seeds");
        let mean = diffs.iter().sum::<f64>() / n as f64;
        let var = diffs.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (n - 1) as f64;
        let half = t975(n - 1) * (var / n as f64).sqrt();
        Self {
            diffs,
            mean,
            lo: mean - half,
            hi: mean + half,
        }
    }

    /// Whether the interval lies entirely above zero.
    pub fn above_zero(&self) -> bool {
        self.lo > 0.0
    }

    /// Whether the interval lies entirely below zero.
    pub fn below_zero(&self) -> bool {
        self.hi < 0.0
    }
}

impl std::fmt::Display for Paired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "mean paired difference {:.4} (95% CI {:.4} .. {:.4}, {} seeds)",
            self.mean,
            self.lo,
            self.hi,
            self.diffs.len()
        )
    }
}

/// Runs `base` and `policy` (scenario builders taking a seed) for every seed and compares
/// `metric` (policy − baseline) seed by seed.
pub fn paired(
    seeds: std::ops::Range<u64>,
    base: impl Fn(u64) -> Scenario,
    policy: impl Fn(u64) -> Scenario,
    metric: impl Fn(&Sim) -> f64,
) -> Paired {
    let diffs = seeds
        .map(|seed| metric(&run(policy(seed))) - metric(&run(base(seed))))
        .collect();
    Paired::from_diffs(diffs)
}

/// A built-in scenario with overrides and `run.seed = seed`.
pub fn seeded(name: &str, overrides: &[&str], seed: u64) -> Scenario {
    let mut o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    o.push(format!("run.seed={seed}"));
    sim_core::scenario::load_builtin(name, &o).unwrap_or_else(|e| panic!("built-in {name}: {e}"))
}

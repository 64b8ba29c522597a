//! Statistics for paired-seed comparisons: the mean of per-seed differences (policy − base) and
//! its 95% confidence interval (Student's t), plus the empirical quantile used for bands across
//! seeds. Pure functions of their inputs, summed in the order given, so a result is the same
//! bits for the same inputs on every platform. Used by `goldrush compare` and by the
//! stylized-fact tests, so there is one implementation.

/// Two-sided 95% quantile of Student's t with `df` degrees of freedom: exact to three decimals
/// up to 30, then 2.000 (31–60) and the normal 1.96. `df = 0` gives infinity (one observation
/// says nothing about spread).
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

/// A paired comparison over seeds: per-seed differences (policy − base), their mean and the
/// 95% confidence interval of the mean (Student's t).
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub diffs: Vec<f64>,
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// What a paired interval says about the sign of the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The interval lies entirely above zero.
    Higher,
    /// The interval lies entirely below zero.
    Lower,
    /// The interval contains zero (or there are fewer than two seeds).
    NoClearDifference,
}

impl Verdict {
    /// `higher`, `lower` or `no clear difference`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Higher => "higher",
            Self::Lower => "lower",
            Self::NoClearDifference => "no clear difference",
        }
    }
}

impl Paired {
    /// From per-seed differences. With no difference the mean and interval are NaN; with one,
    /// the interval is unbounded.
    pub fn from_diffs(diffs: Vec<f64>) -> Self {
        let n = diffs.len();
        if n == 0 {
            return Self {
                diffs,
                mean: f64::NAN,
                lo: f64::NAN,
                hi: f64::NAN,
            };
        }
        let mean = mean(&diffs);
        if n == 1 {
            return Self {
                diffs,
                mean,
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            };
        }
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

    /// Higher, lower, or no clear difference.
    pub fn verdict(&self) -> Verdict {
        if self.above_zero() {
            Verdict::Higher
        } else if self.below_zero() {
            Verdict::Lower
        } else {
            Verdict::NoClearDifference
        }
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

/// Arithmetic mean, summed in order; NaN for an empty slice.
pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Mean of the values that are not NaN (a month where a metric is undefined is skipped); `None`
/// if every value is NaN.
pub fn mean_skip_nan(xs: &[f64]) -> Option<f64> {
    let kept: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if kept.is_empty() { None } else { Some(mean(&kept)) }
}

/// Empirical quantile `q` in [0, 1] of the non-NaN values, linear between order statistics
/// (type 7, as R's and numpy's default); `None` if every value is NaN.
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let i = h.floor() as usize;
    let j = (i + 1).min(v.len() - 1);
    Some(v[i] + (h - i as f64) * (v[j] - v[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_runs_give_zero_and_no_clear_difference() {
        let p = Paired::from_diffs(vec![0.0; 5]);
        assert_eq!((p.mean, p.lo, p.hi), (0.0, 0.0, 0.0), "zero differences: {p}");
        assert_eq!(p.verdict(), Verdict::NoClearDifference);
    }

    #[test]
    fn interval_matches_a_hand_computation() {
        // diffs 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(2) = 4.303.
        let p = Paired::from_diffs(vec![1.0, 2.0, 3.0]);
        let half = 4.303 / 3f64.sqrt();
        assert_eq!(p.mean, 2.0);
        assert!(
            (p.lo - (2.0 - half)).abs() < 1e-12 && (p.hi - (2.0 + half)).abs() < 1e-12,
            "{p}"
        );
        assert_eq!(p.verdict(), Verdict::NoClearDifference, "2 ± 2.48 contains zero");
        let clear = Paired::from_diffs(vec![-1.0, -1.1, -0.9, -1.0]);
        assert_eq!(clear.verdict(), Verdict::Lower, "{clear}");
        assert_eq!(Paired::from_diffs(vec![1.0, 1.1, 0.9]).verdict(), Verdict::Higher);
    }

    #[test]
    fn too_few_seeds_never_give_a_verdict() {
        assert!(Paired::from_diffs(vec![]).mean.is_nan());
        let one = Paired::from_diffs(vec![5.0]);
        assert_eq!(one.verdict(), Verdict::NoClearDifference, "{one}");
    }

    #[test]
    fn t_quantiles_fall_towards_the_normal() {
        assert_eq!(t975(0), f64::INFINITY);
        assert_eq!(t975(1), 12.706);
        assert_eq!(t975(19), 2.093);
        assert_eq!(t975(1000), 1.96);
        assert!(
            (1..100).all(|d| t975(d) >= t975(d + 1)),
            "t quantiles must not increase with df"
        );
    }

    #[test]
    fn nan_months_are_skipped() {
        assert_eq!(mean_skip_nan(&[f64::NAN, 1.0, 3.0]), Some(2.0));
        assert_eq!(mean_skip_nan(&[f64::NAN, f64::NAN]), None);
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let xs = [4.0, 1.0, 3.0, 2.0, f64::NAN];
        assert_eq!(quantile(&xs, 0.0), Some(1.0));
        assert_eq!(quantile(&xs, 1.0), Some(4.0));
        assert_eq!(quantile(&xs, 0.5), Some(2.5));
        assert!((quantile(&xs, 0.1).unwrap() - 1.3).abs() < 1e-12);
        assert_eq!(quantile(&[f64::NAN], 0.5), None);
    }
}

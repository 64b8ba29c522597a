//! Statistics for paired-seed comparisons: the mean of per-seed differences (policy − base) and
//! its 95% confidence interval (Student's t), plus the empirical quantile used for bands across
//! seeds. Pure functions of their inputs, summed in the order given, so a result is the same
//! bits for the same inputs on every platform. Used by `goldrush compare` and by the
//! stylized-fact tests, so there is one implementation.

use crate::math;

/// The standard normal 0.975 quantile, the limit of [`t975`] as the degrees of freedom grow.
pub const Z975: f64 = 1.959_963_984_540_054_3;

/// The 0.975 quantile of Student's t with `df` degrees of freedom (the multiplier of a two-sided
/// 95% interval), exact to about 1e-12 for every `df`; `df = 0` gives infinity (one observation
/// says nothing about spread).
///
/// Below [`T975_SERIES_FROM`] degrees of freedom: Hill's (1970) approximation (CACM Algorithm
/// 396, as R's `qt` starts from it), refined by Newton steps on the exact upper tail
/// `P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2` (the regularized incomplete beta function by its
/// continued fraction). From there on: the Cornish–Fisher expansion in `1/df` (Abramowitz &
/// Stegun 26.7.5, four terms), whose first omitted term is below 1e-14 there. Pure arithmetic
/// and `libm`, so the same bits on every platform.
pub fn t975(df: usize) -> f64 {
    match df {
        0 => f64::INFINITY,
        d if d >= T975_SERIES_FROM => t975_series(d as f64),
        d => t975_newton(d as f64),
    }
}

/// From this many degrees of freedom [`t975`] uses the series in `1/df`.
const T975_SERIES_FROM: usize = 1000;

/// Abramowitz & Stegun 26.7.5: `t = z + g1/ν + g2/ν² + g3/ν³ + g4/ν⁴`.
fn t975_series(nu: f64) -> f64 {
    let z = Z975;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
}

/// Hill's start refined by Newton steps (with R's second-order correction) on the upper tail.
fn t975_newton(nu: f64) -> f64 {
    // Hill (1970), two-sided tail probability p = 0.05.
    let p = 0.05;
    let a = 1.0 / (nu - 0.5);
    let b = 48.0 / (a * a);
    let mut c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36;
    let d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math::sqrt(a * std::f64::consts::FRAC_PI_2) * nu;
    let mut y = math::pow(d * p, 2.0 / nu);
    let mut q = if y > 0.05 + a {
        // Asymptotic inverse expansion about the normal.
        let x = -Z975;
        y = x * x;
        if nu < 5.0 {
            c += 0.3 * (nu - 4.5) * (x + 0.6);
        }
        c += (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b;
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x;
        math::sqrt(nu * libm::expm1(a * y * y))
    } else {
        y = ((1.0 / (((nu + 6.0) / (nu * y) - 0.089 * d - 0.822) * (nu + 2.0) * 3.0) + 0.5 / (nu + 4.0)) * y - 1.0)
            * (nu + 1.0)
            / (nu + 2.0)
            + 1.0 / y;
        math::sqrt(nu * y)
    };
    // ln of the density's constant 1 / (√ν B(ν/2, 1/2)).
    let ln_k = -(ln_beta(nu / 2.0, 0.5) + 0.5 * math::ln(nu));
    for _ in 0..20 {
        let density = math::exp(ln_k - (nu + 1.0) / 2.0 * math::ln_1p(q * q / nu));
        let step = (t_upper_tail(q, nu) - p / 2.0) / density;
        if !step.is_finite() {
            break;
        }
        q += step * (1.0 + step * q * (nu + 1.0) / (2.0 * (q * q + nu)));
        if step.abs() <= 1e-15 * q {
            break;
        }
    }
    q
}

/// `P(T > t)` for Student's t with `nu` degrees of freedom and `t >= 0`.
fn t_upper_tail(t: f64, nu: f64) -> f64 {
    let t2 = t * t;
    // x = ν/(ν+t²) and 1 − x computed apart, so neither loses digits to cancellation.
    0.5 * beta_regularized(nu / (nu + t2), t2 / (nu + t2), nu / 2.0, 0.5)
}

/// ln B(a, b).
fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// The regularized incomplete beta function `I_x(a, b)`, with `y = 1 − x` given separately:
/// the continued fraction of Numerical Recipes §6.4 (modified Lentz), on whichever of `x` or
/// `y` it converges fast for.
fn beta_regularized(x: f64, y: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let front = math::exp(a * math::ln(x) + b * math::ln(y) - ln_beta(a, b));
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_continued_fraction(y, b, a) / b
    }
}

/// The continued fraction of `I_x(a, b)` (Numerical Recipes `betacf`).
fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let clamp = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    h
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
        // diffs 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(2) = 4.302653.
        let p = Paired::from_diffs(vec![1.0, 2.0, 3.0]);
        let half = 4.302_652_729_749_464 / 3f64.sqrt();
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

    /// `qt(0.975, df)`, computed to 18 digits with mpmath (`findroot` on `betainc`).
    const T975_TABLE: [(usize, f64); 18] = [
        (1, 12.706_204_736_174_705),
        (2, 4.302_652_729_749_464),
        (3, 3.182_446_305_283_709_5),
        (4, 2.776_445_105_197_794_3),
        (5, 2.570_581_835_636_315_5),
        (10, 2.228_138_851_986_275),
        (19, 2.093_024_054_408_309_6),
        (29, 2.045_229_642_132_704_3),
        (30, 2.042_272_456_301_238),
        (31, 2.039_513_446_396_408_6),
        (45, 2.014_103_388_880_846_6),
        (59, 2.000_995_378_088_268),
        (60, 2.000_297_822_014_260_4),
        (61, 1.999_623_584_994_939_8),
        (120, 1.979_930_405_082_441),
        (1000, 1.962_339_080_826_408_5),
        (10_000, 1.960_201_239_890_626_3),
        (100_000, 1.959_987_707_534_609_7),
    ];

    #[test]
    fn t_quantiles_match_the_tabulated_values() {
        assert_eq!(t975(0), f64::INFINITY);
        for (df, want) in T975_TABLE {
            let got = t975(df);
            assert!(
                (got - want).abs() <= 1e-6,
                "t975({df}) = {got:.15}, tabulated {want:.15}"
            );
            assert!(
                (got - want).abs() <= 1e-11 * want,
                "t975({df}) = {got:.15} is not exact: tabulated {want:.15}, off by {:e}",
                got - want
            );
        }
        assert!(
            (t975(usize::MAX) - Z975).abs() <= 1e-12,
            "the limit is the normal quantile 1.959964: {}",
            t975(usize::MAX)
        );
        assert!((Z975 - 1.959_963_984_540_054).abs() < 1e-15, "Z975 = {Z975}");
    }

    #[test]
    fn t_quantiles_fall_towards_the_normal_without_steps() {
        // Strictly decreasing through the switch from Newton steps to the series at 1000.
        let mut previous = t975(1);
        for df in 2..3000 {
            let t = t975(df);
            assert!(
                t < previous && t > Z975,
                "t975({df}) = {t} must lie in ({Z975}, t975({}) = {previous})",
                df - 1
            );
            previous = t;
        }
        for df in [10_000, 1_000_000, 1 << 40] {
            assert!(t975(df) < t975(df / 10) && t975(df) > Z975, "t975({df}) = {}", t975(df));
        }
    }

    #[test]
    fn the_t_tail_is_the_exact_cdf_where_it_has_a_closed_form() {
        // ν = 1: Cauchy, P(T > t) = 1/2 − atan(t)/π; ν = 2: P(T > t) = (1 − t/√(2 + t²)) / 2.
        for t in [0.0, 0.5, 1.0, 2.0, 12.7, 100.0] {
            let cauchy = 0.5 - libm::atan(t) / std::f64::consts::PI;
            assert!((t_upper_tail(t, 1.0) - cauchy).abs() < 1e-15, "ν = 1, t = {t}");
            let two = 0.5 * (1.0 - t / (2.0 + t * t).sqrt());
            assert!((t_upper_tail(t, 2.0) - two).abs() < 1e-15, "ν = 2, t = {t}");
        }
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

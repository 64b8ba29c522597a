//! Reporters: pure functions of state that the recorder combines into [`Metrics`](super::Metrics).

/// Concentration of a set of sizes: (HHI on 0–10000, CR1, CR3, CR5).
pub fn concentration(sizes: &[f64]) -> (f64, f64, f64, f64) {
    let total: f64 = sizes.iter().filter(|&&x| x > 0.0).sum();
    if total <= 0.0 {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let mut shares: Vec<f64> = sizes.iter().filter(|&&x| x > 0.0).map(|x| x / total).collect();
    shares.sort_by(|a, b| b.total_cmp(a));
    let hhi = shares.iter().map(|s| (100.0 * s) * (100.0 * s)).sum();
    let cr = |k: usize| shares.iter().take(k).sum::<f64>();
    (hhi, cr(1), cr(3), cr(5))
}

/// Gini coefficient of non-negative values (0 equal, → 1 all held by one).
pub fn gini(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().map(|x| x.max(0.0)).collect();
    let n = v.len();
    let total: f64 = v.iter().sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let weighted: f64 = v
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * x)
        .sum();
    weighted / (n as f64 * total)
}

/// 1 − obtained / requested (0 when nothing was requested).
pub fn rationing(requested: f64, obtained: f64) -> f64 {
    if requested <= 0.0 {
        0.0
    } else {
        (1.0 - obtained / requested).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monopoly_has_hhi_10000_and_equal_shares_have_low_gini() {
        assert_eq!(concentration(&[5.0]), (10000.0, 1.0, 1.0, 1.0));
        let (hhi, cr1, cr3, _) = concentration(&[1.0, 1.0, 1.0, 1.0]);
        assert!((hhi - 2500.0).abs() < 1e-9 && (cr1 - 0.25).abs() < 1e-12 && (cr3 - 0.75).abs() < 1e-12);
        assert!(gini(&[1.0, 1.0, 1.0]).abs() < 1e-12);
        assert!((gini(&[0.0, 0.0, 0.0, 1.0]) - 0.75).abs() < 1e-12);
        assert_eq!(rationing(10.0, 4.0), 0.6);
    }
}

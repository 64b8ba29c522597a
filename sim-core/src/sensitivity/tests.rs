//! Tests of the sensitivity designs and estimators (Ishigami, linear Morris, Sobol points).

use super::*;
use std::f64::consts::PI;

#[test]
fn direction_number_rows_have_the_joe_kuo_form() {
    for (d, (a, m)) in DIRECTIONS.iter().enumerate() {
        let s = m.len();
        assert!(*a < 1 << (s - 1), "dimension {}: a = {a}", d + 2);
        for (j, &mj) in m.iter().enumerate() {
            assert!(
                mj % 2 == 1 && mj < 1 << (j + 1),
                "dimension {}: m_{} = {mj}",
                d + 2,
                j + 1
            );
        }
    }
    // Degrees are non-decreasing, with as many rows per degree as there are primitive
    // polynomials of that degree (1, 1, 2, 2, 6, 6, 18, 16, then 48 of degree 9).
    let degrees: Vec<usize> = DIRECTIONS.iter().map(|(_, m)| m.len()).collect();
    let count = |s: usize| degrees.iter().filter(|&&d| d == s).count();
    assert_eq!((1..=8).map(count).collect::<Vec<_>>(), vec![1, 1, 2, 2, 6, 6, 18, 16]);
    assert!(degrees.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn sobol_sequence_starts_with_the_known_points() {
    let p = sobol_points(8, 3).unwrap();
    let col = |d: usize| p.iter().map(|x| x[d]).collect::<Vec<_>>();
    assert_eq!(col(0), vec![0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]);
    assert_eq!(col(1), vec![0.0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625]);
    assert_eq!(col(2), vec![0.0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375]);
}

#[test]
fn every_dimension_puts_one_point_per_dyadic_interval() {
    let dims = MAX_SOBOL_DIMS;
    let p = sobol_points(1 << 10, dims).unwrap();
    for m in [1usize, 4, 7, 10] {
        let n = 1usize << m;
        for d in 0..dims {
            let mut strata: Vec<usize> = p[..n].iter().map(|x| (x[d] * n as f64) as usize).collect();
            strata.sort_unstable();
            assert_eq!(
                strata,
                (0..n).collect::<Vec<_>>(),
                "dimension {} at 2^{m} points",
                d + 1
            );
        }
    }
}

#[test]
fn too_many_dimensions_is_an_error_not_a_panic() {
    assert!(sobol_points(4, MAX_SOBOL_DIMS + 1).is_err());
    let e = saltelli_points(MAX_SALTELLI_INPUTS + 1, 8).unwrap_err();
    assert!(e.0.contains("1 to 32 inputs"), "{e}");
    assert!(saltelli_points(20, 4).is_ok(), "k = 20 needs 40 dimensions");
}

#[test]
fn saltelli_blocks_are_a_ab_b_in_order() {
    let k = 3;
    let p = saltelli_points(k, 4).unwrap();
    assert_eq!(p.len(), 4 * (k + 2));
    let seq = sobol_points(5, 2 * k).unwrap();
    for j in 0..4 {
        let block = &p[j * (k + 2)..(j + 1) * (k + 2)];
        let (a, b) = seq[j + 1].split_at(k);
        assert_eq!(block[0], a, "A_{j}");
        assert_eq!(block[k + 1], b, "B_{j}");
        for i in 0..k {
            for c in 0..k {
                assert_eq!(block[1 + i][c], if c == i { b[c] } else { a[c] }, "AB_{i} at {j}");
            }
        }
    }
}

const A: f64 = 7.0;
const B: f64 = 0.1;

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
    libm::sin(x[0]) + A * libm::sin(x[1]) * libm::sin(x[1]) + B * x[2] * x[2] * x[2] * x[2] * libm::sin(x[0])
}

/// The analytic Ishigami indices (Ishigami & Homma 1990; Sobol' & Levitan 1999):
/// V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸(1/18 − 1/50), V = V1 + V2 + V13.
fn ishigami_indices() -> ([f64; 3], [f64; 3]) {
    let pi4 = PI * PI * PI * PI;
    let v1 = (1.0 + B * pi4 / 5.0) * (1.0 + B * pi4 / 5.0) / 2.0;
    let v2 = A * A / 8.0;
    let v13 = B * B * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    // The same V written as the brief's closed form: a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
    let v_closed = A * A / 8.0 + B * pi4 / 5.0 + B * B * pi4 * pi4 / 18.0 + 0.5;
    assert!((v - v_closed).abs() < 1e-12, "{v} vs {v_closed}");
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[test]
fn analytic_ishigami_indices_match_the_published_values() {
    let (s, st) = ishigami_indices();
    let published_s = [0.3139, 0.4424, 0.0];
    let published_st = [0.5576, 0.4424, 0.2437];
    for i in 0..3 {
        assert!((s[i] - published_s[i]).abs() < 1e-4, "S{} = {}", i + 1, s[i]);
        assert!((st[i] - published_st[i]).abs() < 1e-4, "ST{} = {}", i + 1, st[i]);
    }
}

/// With 2^13 base samples (40 960 evaluations) the Saltelli/Jansen estimators of the
/// Ishigami indices are within 0.02 of the truth. The 95% bootstrap half-widths at this N
/// are about 0.03 for S and 0.01–0.03 for ST; quasi-random points do better than the
/// i.i.d. bootstrap assumes (measured errors are below 0.002), so 0.02 is a tolerance the
/// estimator must meet by a wide margin, yet tight enough to catch a wrong formula (a
/// missing 1/2 or the wrong matrix doubles or zeroes an index). Each interval covers the
/// analytic value.
#[test]
fn saltelli_recovers_the_ishigami_indices() {
    let (k, n) = (3, 1 << 13);
    let y: Vec<f64> = saltelli_points(k, n).unwrap().iter().map(|u| ishigami(u)).collect();
    let r = sobol_indices(k, &y, 200, 42).unwrap();
    let (s, st) = ishigami_indices();
    assert_eq!((r.used, r.skipped), (n, 0));
    for i in 0..k {
        let x = r.indices[i];
        assert!((x.s1 - s[i]).abs() < 0.02, "S{}: {} vs {}", i + 1, x.s1, s[i]);
        assert!((x.st - st[i]).abs() < 0.02, "ST{}: {} vs {}", i + 1, x.st, st[i]);
        assert!(
            x.s1_lo <= s[i] && s[i] <= x.s1_hi,
            "S{} CI {:?}",
            i + 1,
            (x.s1_lo, x.s1_hi)
        );
        assert!(
            x.st_lo <= st[i] && st[i] <= x.st_hi,
            "ST{} CI {:?}",
            i + 1,
            (x.st_lo, x.st_hi)
        );
    }
    assert_eq!(r, sobol_indices(k, &y, 200, 42).unwrap(), "deterministic");
}

#[test]
fn nan_outputs_skip_their_base_sample() {
    let (k, n) = (3, 256);
    let mut y: Vec<f64> = saltelli_points(k, n).unwrap().iter().map(|u| ishigami(u)).collect();
    y[2 * (k + 2) + 1] = f64::NAN;
    y[7 * (k + 2) + k + 1] = f64::NAN;
    let r = sobol_indices(k, &y, 10, 1).unwrap();
    assert_eq!((r.used, r.skipped), (n - 2, 2));
    assert!(r.indices.iter().all(|x| x.s1.is_finite() && x.st.is_finite()));
    let all_nan = sobol_indices(k, &vec![f64::NAN; 5 * (k + 2)], 10, 1).unwrap();
    assert!(all_nan.indices[0].s1.is_nan() && all_nan.skipped == 5);
}

#[test]
fn a_constant_output_has_no_indices_rather_than_infinite_ones() {
    let r = sobol_indices(2, &[3.0; 40], 10, 1).unwrap();
    assert!(r.indices.iter().all(|x| x.s1.is_nan() && x.st.is_nan()));
    assert_eq!(r.variance, 0.0);
}

#[test]
fn morris_trajectories_move_each_factor_once_by_delta() {
    let (k, r, p) = (4, 10, 4);
    let d = morris_design(k, r, p, 9).unwrap();
    assert_eq!(d.points.len(), r * (k + 1));
    let delta = p as f64 / (2.0 * (p - 1) as f64);
    for t in 0..r {
        let mut order = d.moved[t].clone();
        order.sort_unstable();
        assert_eq!(order, (0..k).collect::<Vec<_>>());
        for step in 0..k {
            let (x0, x1) = (&d.points[t * (k + 1) + step], &d.points[t * (k + 1) + step + 1]);
            for f in 0..k {
                let change = (x1[f] - x0[f]).abs();
                if f == d.moved[t][step] {
                    assert!((change - delta).abs() < 1e-12);
                } else {
                    assert_eq!(change, 0.0);
                }
                assert!((0.0..=1.0).contains(&x1[f]));
            }
        }
    }
    assert_eq!(d, morris_design(k, r, p, 9).unwrap());
    assert_ne!(d, morris_design(k, r, p, 10).unwrap());
    assert!(morris_design(k, r, 3, 9).is_err() && morris_design(k, 0, 4, 9).is_err());
}

/// For f = Σ c_i x_i over ranges [lo_i, hi_i], every elementary effect of x_i in unit
/// scaling is c_i (hi_i − lo_i): μ = c_i (hi_i − lo_i), μ* = |μ|, σ = 0.
#[test]
fn morris_on_a_linear_function_gives_coefficient_times_range() {
    let c = [2.0, -3.0, 0.5, 0.0];
    let ranges = [(0.0, 1.0), (10.0, 20.0), (-1.0, 1.0), (0.0, 5.0)];
    let d = morris_design(4, 20, 6, 3).unwrap();
    let y: Vec<f64> = d
        .points
        .iter()
        .map(|u| {
            (0..4)
                .map(|i| c[i] * (ranges[i].0 + u[i] * (ranges[i].1 - ranges[i].0)))
                .sum()
        })
        .collect();
    let r = morris_indices(&d, &y, 100, 5).unwrap();
    for i in 0..4 {
        let want = c[i] * (ranges[i].1 - ranges[i].0);
        let x = r.indices[i];
        assert!((x.mu - want).abs() < 1e-9, "μ{i} = {} vs {want}", x.mu);
        assert!((x.mu_star - want.abs()).abs() < 1e-9, "μ*{i}");
        assert!(x.sigma.abs() < 1e-9, "σ{i} = {}", x.sigma);
        assert!((x.mu_star_lo - want.abs()).abs() < 1e-9 && (x.mu_star_hi - want.abs()).abs() < 1e-9);
        assert_eq!(x.effects, 20);
    }
}

/// On Ishigami with 4 levels (x ∈ {−π, −π/3, π/3, π}, jumps of two levels): sin x1 rises
/// on both jumps (0 → √3/2 and −√3/2 → 0) and 1 + b x3⁴ > 0, so every effect of x1 is
/// positive and μ1 = μ*1. x3 acts only through b x3⁴ sin x1, whose sign follows sin x1,
/// so its effects cancel (|μ3| small next to μ*3) and spread (σ3 > μ*3 / 2). x2 enters as
/// a sin² x2, even in x2: rising and falling jumps cancel too, while μ*2 is exactly
/// a (3/4) / (2/3) = 7.875.
#[test]
fn morris_on_ishigami_tells_monotone_from_interacting_inputs() {
    let d = morris_design(3, 200, 4, 11).unwrap();
    let y: Vec<f64> = d.points.iter().map(|u| ishigami(u)).collect();
    let r = morris_indices(&d, &y, 300, 2).unwrap();
    let [x1, x2, x3] = [r.indices[0], r.indices[1], r.indices[2]];
    assert!(x1.mu > 0.0 && (x1.mu - x1.mu_star).abs() < 1e-12, "{x1:?}");
    assert!(x3.mu.abs() < 0.25 * x3.mu_star && x3.sigma > 0.5 * x3.mu_star, "{x3:?}");
    assert!((x2.mu_star - A * 0.75 / (2.0 / 3.0)).abs() < 1e-9, "{x2:?}");
    assert!(x2.mu.abs() < 0.25 * x2.mu_star, "{x2:?}");
    for x in [x1, x2, x3] {
        assert!(x.mu_star_lo <= x.mu_star && x.mu_star <= x.mu_star_hi);
    }
}

#[test]
fn morris_skips_nan_effects() {
    let d = morris_design(2, 5, 4, 1).unwrap();
    let mut y: Vec<f64> = d.points.iter().map(|u| u[0] + u[1]).collect();
    y[0] = f64::NAN;
    let r = morris_indices(&d, &y, 10, 1).unwrap();
    assert_eq!(r.skipped, 1);
    assert_eq!(r.indices[0].effects + r.indices[1].effects, 9);
}

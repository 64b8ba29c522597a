//! Space-filling first stage: a Sobol sequence with a random digital shift keyed by the seed.
//!
//! The sequence itself is [`crate::sensitivity::sobol_points`]: the Gray-code construction of
//! Antonov & Saleev (1979) with the direction numbers of S. Joe & F. Y. Kuo, "Constructing Sobol
//! sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008)
//! 2635–2654 (file `new-joe-kuo-6.21201`), up to [`MAX_DIMS`] dimensions, each coordinate a
//! 32-bit binary fraction.
//!
//! Randomisation: a *digital shift* (L'Ecuyer & Lemieux 2002, "Recent advances in randomized
//! quasi-Monte Carlo methods", in Modeling Uncertainty, Kluwer, §6; Dick & Pillichshammer 2010,
//! Digital Nets and Sequences, CUP, ch. 4): every coordinate of dimension `j` is XORed, as a
//! 32-bit fraction, with one uniform 32-bit word `s_j` drawn from
//! `rng::fast_stream(seed, Stream::CalibrationDesign, j, 0)`. Unlike a Cranley–Patterson shift
//! modulo 1, XOR maps every dyadic interval `[l/2^m, (l+1)/2^m)` onto another one, so the digital
//! net property survives: among the first `2^m` points each dimension still has exactly one point
//! per such interval, and each point is uniform on the cube (so estimates averaged over seeds are
//! unbiased). Point 0 (all zeros unshifted) becomes the shift itself. Different seeds give
//! different designs; the same seed the same bits everywhere.

use crate::rng::{self, Source as _, Stream};
use crate::sensitivity::{self, DesignError};

/// Dimensions a design may have.
pub const MAX_DIMS: usize = sensitivity::MAX_SOBOL_DIMS;

/// The 32-bit digital shift of dimension `j` for `seed`.
pub fn digital_shift(seed: u64, j: usize) -> u32 {
    (rng::fast_stream(seed, Stream::CalibrationDesign, j as u64, 0).next_u64() >> 32) as u32
}

/// The first `n` points of the digitally shifted `dim`-dimensional Sobol sequence, in [0, 1)^dim.
/// `Err` unless `1 <= dim <=` [`MAX_DIMS`] and `n <= 2^32`.
pub fn try_sobol(n: usize, dim: usize, seed: u64) -> Result<Vec<Vec<f64>>, DesignError> {
    let raw = sensitivity::sobol_points(n, dim)?;
    let shifts: Vec<u32> = (0..dim).map(|j| digital_shift(seed, j)).collect();
    let two32 = (1u64 << 32) as f64;
    Ok(raw
        .into_iter()
        .map(|p| {
            p.iter()
                .zip(&shifts)
                // Exact: the raw coordinate is a 32-bit binary fraction.
                .map(|(&x, &s)| ((x * two32) as u32 ^ s) as f64 / two32)
                .collect()
        })
        .collect())
}

/// [`try_sobol`] for sizes the caller has validated.
///
/// # Panics
/// If `dim` is 0 or above [`MAX_DIMS`], or `n > 2^32` (a caller's bug: the CLI checks a spec's
/// parameter count against [`MAX_DIMS`] first).
pub fn sobol(n: usize, dim: usize, seed: u64) -> Vec<Vec<f64>> {
    try_sobol(n, dim, seed).unwrap_or_else(|e| panic!("sobol({n}, {dim}): {e}"))
}

//! Portable arithmetic: every transcendental function the model uses goes through here.
//!
//! The standard library's `f64::exp`, `ln` and `powf` call the platform's maths library, which
//! rounds differently on different targets (measured: up to 10% of inputs differ by one ULP
//! between x86_64 and wasm32). The `libm` crate is a pure-Rust port that gives the same bits
//! everywhere, so results are identical natively, in WebAssembly and across operating systems.
//! `clippy.toml` forbids the std methods everywhere else; `sqrt` and the four basic operations are
//! IEEE correctly rounded and need no replacement.

/// e^x.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate near zero.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// Base-10 logarithm.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// x^y.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// Cosine (Box–Muller).
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// Square root (IEEE correctly rounded; routed here only for uniformity).
#[inline]
pub fn sqrt(x: f64) -> f64 {
    x.sqrt()
}

/// The logistic function 1 / (1 + e^-x).
#[inline]
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + exp(-x))
}

/// A monthly rate from an annual growth factor: `g^(1/12)`.
#[inline]
pub fn monthly_factor(annual: f64) -> f64 {
    pow(annual, 1.0 / 12.0)
}

/// Canonical zero: turns -0.0 into +0.0 so that hashes of equal states are equal.
#[inline]
pub fn canon(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libm_routes_agree_with_textbook_values() {
        assert!((exp(1.0) - std::f64::consts::E).abs() < 1e-15);
        assert!((ln(std::f64::consts::E) - 1.0).abs() < 1e-15);
        assert!((log10(1000.0) - 3.0).abs() < 1e-15);
        assert!((monthly_factor(1.8) - 1.050_202).abs() < 1e-5);
        assert!((logistic(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn canonical_zero_has_one_bit_pattern() {
        assert_eq!(canon(-0.0).to_bits(), 0.0f64.to_bits());
    }
}

//! Priors: a parameter's plausible range, uniform in its own units ([`Scale::Linear`]) or in its
//! logarithm ([`Scale::Log`], for rates and sizes spanning orders of magnitude).
//!
//! Every estimator works in the *unit cube*: `u = (x − lo)/(hi − lo)` for a linear prior and
//! `u = (ln x − ln lo)/(ln hi − ln lo)` for a log prior. Both priors are then uniform on [0, 1]
//! in `u`, so the prior density in unit space is 1 inside the cube and 0 outside; ABC weights
//! computed in unit space (prior over proposal, both in `u`) equal those in parameter units
//! because the Jacobian of the map cancels. [`Prior::density`] is the density in parameter
//! units, for reports and plots.

use serde::{Deserialize, Serialize};

use crate::math;

/// How a prior spreads its mass over [lo, hi].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Uniform on [lo, hi].
    Linear,
    /// Uniform in ln x on [ln lo, ln hi] (log-uniform, lo > 0).
    Log,
}

/// One calibrated parameter: its scenario path and prior.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    /// The parameter's path in the scenario (e.g. `users.theta_network`).
    pub path: String,
    /// Lower bound, in parameter units.
    pub lo: f64,
    /// Upper bound, in parameter units (> lo).
    pub hi: f64,
    /// Linear or log-uniform.
    pub scale: Scale,
}

impl Prior {
    /// A prior; see [`Prior::validate`] for what is allowed.
    pub fn new(path: impl Into<String>, lo: f64, hi: f64, scale: Scale) -> Self {
        Prior {
            path: path.into(),
            lo,
            hi,
            scale,
        }
    }

    /// `Err` with a message naming the problem unless `lo < hi`, both finite, and `lo > 0` for a
    /// log prior. The other methods assume a valid prior.
    pub fn validate(&self) -> Result<(), String> {
        if !self.lo.is_finite() || !self.hi.is_finite() {
            return Err(format!("prior of {}: bounds must be finite numbers", self.path));
        }
        if self.lo >= self.hi {
            return Err(format!(
                "prior of {}: empty range [{}, {}] (lo must be below hi)",
                self.path, self.lo, self.hi
            ));
        }
        if self.scale == Scale::Log && self.lo <= 0.0 {
            return Err(format!(
                "prior of {}: a log prior needs lo > 0, not {}",
                self.path, self.lo
            ));
        }
        Ok(())
    }

    /// [lo, hi] → [0, 1] (in log space for a log prior); values outside map outside [0, 1].
    pub fn to_unit(&self, x: f64) -> f64 {
        match self.scale {
            Scale::Linear => (x - self.lo) / (self.hi - self.lo),
            Scale::Log => (math::ln(x) - math::ln(self.lo)) / (math::ln(self.hi) - math::ln(self.lo)),
        }
    }

    /// [0, 1] → [lo, hi], the inverse of [`Prior::to_unit`]. `u` outside [0, 1] is clamped, so
    /// the value is always inside the prior's support; 0 gives `lo` and 1 gives `hi` exactly.
    pub fn from_unit(&self, u: f64) -> f64 {
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        if u == 0.0 {
            return self.lo;
        }
        if u == 1.0 {
            return self.hi;
        }
        let x = match self.scale {
            Scale::Linear => self.lo + u * (self.hi - self.lo),
            Scale::Log => {
                let (a, b) = (math::ln(self.lo), math::ln(self.hi));
                math::exp(a + u * (b - a))
            }
        };
        x.clamp(self.lo, self.hi)
    }

    /// The prior density at `x` in parameter units (0 outside [lo, hi]).
    pub fn density(&self, x: f64) -> f64 {
        if !(x >= self.lo && x <= self.hi) {
            return 0.0;
        }
        match self.scale {
            Scale::Linear => 1.0 / (self.hi - self.lo),
            Scale::Log => 1.0 / (x * (math::ln(self.hi) - math::ln(self.lo))),
        }
    }
}

/// Unit-space coordinates of a point given in parameter units.
pub fn to_unit_point(priors: &[Prior], x: &[f64]) -> Vec<f64> {
    priors.iter().zip(x).map(|(p, &xi)| p.to_unit(xi)).collect()
}

/// Parameter values of a unit-space point.
pub fn from_unit_point(priors: &[Prior], u: &[f64]) -> Vec<f64> {
    priors.iter().zip(u).map(|(p, &ui)| p.from_unit(ui)).collect()
}

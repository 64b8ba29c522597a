//! One invalid parameter ([`ParamError`]) and how key paths and bounds are written in messages.
//! A leaf module: the mechanisms' sections import it without importing the scenario that
//! assembles them.

use super::spec::FieldSpec;

/// Joins a key path: `join_path("users", "theta_price")` → `users.theta_price`.
pub fn join_path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// One invalid parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    /// Key path, e.g. `users.reconsider_consumer` or `firms[2].cash_usd`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// The allowed range and unit, when the field has one.
    pub allowed: Option<String>,
}

impl ParamError {
    pub(crate) fn new(path: &str, message: String, spec: &FieldSpec) -> Self {
        Self {
            path: path.to_string(),
            message,
            allowed: Some(format_range(spec)),
        }
    }

    pub(crate) fn rule(path: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            message: message.into(),
            allowed: None,
        }
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(a) = &self.allowed {
            write!(f, " (allowed: {a})")?;
        }
        Ok(())
    }
}

fn format_range(spec: &FieldSpec) -> String {
    let unit = if spec.unit == "1" {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    format!("{} to {}{}", fmt_num(spec.min), fmt_num(spec.max), unit)
}

/// Formats a bound compactly: integers plainly, large or tiny numbers in exponent form.
pub fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e9 {
        format!("{}", x as i64)
    } else if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

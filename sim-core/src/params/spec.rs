//! Parameter metadata and range validation shared by every scenario section.
//!
//! Each section struct is declared with the [`section!`](crate::section) macro, which generates
//! the serde struct (`deny_unknown_fields`), its `Default`, and a table of [`FieldSpec`]s giving
//! every field's unit, allowed range, source and documentation. The same table drives
//! validation, `goldrush params`, `docs/PARAMETERS.md` and the browser's slider tooltips, so a
//! parameter cannot exist without its documentation.

use serde::Serialize;

use crate::params::error::ParamError;

/// The documentation and allowed range of one scenario field.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FieldSpec {
    /// Field name as written in TOML.
    pub name: &'static str,
    /// Unit of measure (`"1"` for dimensionless).
    pub unit: &'static str,
    /// Smallest allowed value (numeric fields).
    pub min: f64,
    /// Largest allowed value (numeric fields).
    pub max: f64,
    /// Where the default comes from.
    pub source: &'static str,
    /// What the parameter means.
    pub doc: &'static str,
}

/// A value that can be range-checked.
pub trait Checkable {
    /// The value as a number, if it is numeric.
    fn numeric(&self) -> Option<f64>;
}

impl Checkable for f64 {
    fn numeric(&self) -> Option<f64> {
        Some(*self)
    }
}
impl Checkable for u32 {
    fn numeric(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}
impl Checkable for u64 {
    fn numeric(&self) -> Option<f64> {
        Some(*self as f64)
    }
}
impl Checkable for bool {
    fn numeric(&self) -> Option<f64> {
        None
    }
}
impl Checkable for String {
    fn numeric(&self) -> Option<f64> {
        None
    }
}
impl Checkable for Vec<f64> {
    fn numeric(&self) -> Option<f64> {
        None
    }
}

/// Checks one field against its spec, pushing an error naming the path and allowed range.
pub fn check_field<T: Checkable>(value: &T, path: &str, spec: &FieldSpec, errs: &mut Vec<ParamError>) {
    if let Some(v) = value.numeric() {
        if !v.is_finite() {
            errs.push(ParamError::new(path, format!("must be a finite number, got {v}"), spec));
        } else if v < spec.min || v > spec.max {
            errs.push(ParamError::new(path, format!("{v} is out of range"), spec));
        }
    }
}

/// Declares a scenario section: struct, serde, defaults and field specs in one place.
#[macro_export]
macro_rules! section {
    (
        $(#[$smeta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty = $default:expr ;
                    unit $unit:literal, range [$lo:expr, $hi:expr], source $src:literal ;
            )*
        }
    ) => {
        $(#[$smeta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $name {
            /// Documentation and range of every field, in declaration order.
            pub const FIELDS: &'static [$crate::params::spec::FieldSpec] = &[
                $( $crate::params::spec::FieldSpec {
                    name: stringify!($field),
                    unit: $unit,
                    min: $lo as f64,
                    max: $hi as f64,
                    source: $src,
                    doc: concat!($($doc),+),
                }, )*
            ];

            /// Range-checks every field, naming each as `prefix.field`.
            pub fn check_ranges(&self, prefix: &str, errs: &mut Vec<$crate::params::error::ParamError>) {
                let mut _i = 0;
                $(
                    $crate::params::spec::check_field(
                        &self.$field,
                        &$crate::params::error::join_path(prefix, stringify!($field)),
                        &Self::FIELDS[_i],
                        errs,
                    );
                    _i += 1;
                )*
            }
        }
    };
}

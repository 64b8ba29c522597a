//! What the binary is: its version and the commit it was built from (recorded in every output
//! that says which goldrush made it).

/// The version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Commit the binary was built from (12 hex digits), or `unknown`.
pub const GIT_COMMIT: &str = env!("GOLDRUSH_GIT_COMMIT");
/// Version and build commit, e.g. `0.1.0 (git 1a2b3c4d5e6f)` (`goldrush --version`).
pub const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (git ", env!("GOLDRUSH_GIT_COMMIT"), ")");

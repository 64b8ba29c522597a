//! Charts of `goldrush backtest --plots` (work in progress: none yet).

use super::backtest::Backtest;

/// The charts of a backtest as (file name, bytes).
pub fn charts(_b: &Backtest) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    Ok(Vec::new())
}

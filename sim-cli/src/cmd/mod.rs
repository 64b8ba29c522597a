//! The commands of `goldrush`, one module each (tiny ones grouped): each owns its clap
//! arguments (`...Args`, derived) and the function `main.rs` dispatches to.
//!
//! Commands may use each other's engines in one direction only: `sensitivity` and `bench --sweep`
//! run sweeps through [`sweep`]; nothing here imports `sensitivity` or `bench`.

pub mod backtest;
pub mod backtest_plots;
pub mod bench;
pub mod calibrate;
pub mod compare;
pub mod docs;
pub mod plot;
pub mod run;
pub mod scenario;
pub mod sensitivity;
pub mod sweep;

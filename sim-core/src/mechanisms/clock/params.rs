//! This mechanism's scenario parameters: the `[run]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// How long and with which seed to run.
    pub struct Run {
        /// Master seed of every random stream.
        seed: u64 = 42;
            unit "1", range [0, 9.223_372_036_854_776e18], source "user choice (TOML integers stop at 2^63 - 1)";
        /// Months to simulate (one tick = one month).
        months: u32 = 120;
            unit "months", range [1, 1200], source "ODD §2: default horizon 120 months";
        /// Calendar month of month 0, `YYYY-MM` (labels only: dates in outputs, charts and
        /// target moments; no rule reads it).
        start: crate::kernel::calendar::YearMonth = crate::kernel::calendar::YearMonth { year: 2026, month: 1 };
            unit "YYYY-MM", range [1900, 3000], source "ODD §2: the baseline starts in January 2026";
    }
}

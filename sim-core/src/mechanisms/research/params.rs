//! This mechanism's scenario parameters: the `[research]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Research: effective compute, algorithmic progress and model quality.
    pub struct Research {
        /// Effective training FLOP one H100e delivers in a month (1e15 FLOP/s x 40% MFU x 730 h).
        flop_per_gpu_month: f64 = 1.05e21;
            unit "FLOP/H100e-month", range [1e15, 1e25], source "EVIDENCE.md §2.8; H100 dense BF16 ~1e15 FLOP/s";
        /// Annual growth of algorithmic efficiency A_t.
        algo_growth_per_year: f64 = 3.0;
            unit "x/yr", range [1, 20], source "EVIDENCE.md §1.3: Ho et al. 2024, ~3x/yr";
        /// Quality points per decade (x10) of cumulative effective compute: Q = b talent (log10 E - offset).
        quality_per_decade: f64 = 10.0;
            unit "points/decade", range [0.01, 1000], source "EVIDENCE.md §2.8: log-linear capability (ECI-like index)";
        /// log10 of cumulative effective FLOP at which quality is zero.
        quality_offset_log10: f64 = 24.0;
            unit "log10 FLOP", range [0, 40], source "normalisation";
        /// Annual growth of frontier labs' training compute targets.
        training_growth_per_year: f64 = 1.6;
            unit "x/yr", range [0.5, 20], source "EVIDENCE.md §1.3: frontier runs grow 4-5x/yr, but fleet-level training compute grows with capacity (~2x/yr)";
        /// Quality points a startup adds per decade of its own fine-tuning FLOP.
        finetune_quality_per_decade: f64 = 1.0;
            unit "points/decade", range [0, 100], source "assumption: fine-tuning adds a small increment";
    }
}

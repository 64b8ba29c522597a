//! This mechanism's scenario parameters: the `[supply]` and `[[shocks]]` tables of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Chip supply: the dominant vendor's production capacity and the fleets' depreciation.
    pub struct Supply {
        /// Vendor production capacity at month 0.
        capacity_gpus_per_month: f64 = 700_000.0;
            unit "H100e/month", range [0, 1e9], source "EVIDENCE.md §1.2-1.3: ~21M H100e installed by Apr 2026, 2.5x/yr cluster growth; backs out ~8-12M H100e/yr shipped in 2026; 0.7M/month leaves the market roughly balanced at month 0";
        /// Annual growth factor of capacity at month 0 (g_0; with no decay Cap_t = Cap_0 g^(t/12)).
        capacity_growth_per_year: f64 = 1.6;
            unit "x/yr", range [0.2, 10], source "EVIDENCE.md §7 (x1.8/yr); EVIDENCE.md §1.3: hyperscaler capex +40-80%/yr; 1.6 keeps chips scarce but not rationed away";
        /// Yearly factor on the log growth rate of capacity: ln g_t = ln g_0 · d^(t/12), so
        /// growth slows (d < 1) as the industry matures; 1 = constant growth.
        capacity_growth_decay_per_year: f64 = 1.0;
            unit "x/yr", range [0.05, 2], source "baseline: assumption (constant growth from 2026); history: chip_sales_quarterly.csv, all-vendor H100e shipped x3.76 (2024/2023) then x2.68 (2025/2024): d = ln 2.68 / ln 3.76 = 0.745 (data/README.md)";
        /// Economic life of a GPU; fleets depreciate at 1/(12 life) per month.
        life_years: f64 = 5.0;
            unit "years", range [0.5, 20], source "EVIDENCE.md §2.7: 4-6 year life";
        /// Vendor list price per H100e at month 0.
        list_price_usd: f64 = 30_000.0;
            unit "USD/H100e", range [100, 1e7], source "EVIDENCE.md §1.1: H100 ~$25-40k";
        /// Annual factor on the list price per H100e (newer generations give more per dollar).
        price_factor_per_year: f64 = 0.8;
            unit "x/yr", range [0.05, 5], source "assumption: price per H100e falls ~20%/yr with new generations (EVIDENCE.md §1.3 hardware trends)";
    }
}

crate::section! {
    /// A scheduled supply shock: capacity is multiplied by `factor` for `months` months.
    pub struct SupplyShock {
        /// First month of the shock.
        start_month: u32 = 0;
            unit "month", range [0, 1200], source "scenario";
        /// Duration.
        months: u32 = 6;
            unit "months", range [1, 1200], source "scenario";
        /// Capacity multiplier during the shock.
        factor: f64 = 0.5;
            unit "x", range [0, 10], source "EVIDENCE.md §1.2: CoWoS met ~80% of demand (2023)";
    }
}

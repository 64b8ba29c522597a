//! This mechanism's scenario parameters: the `[allocation]` and `[export_controls]` tables of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Vendor allocation of scarce chips.
    pub struct Allocation {
        /// Priority exponent: weight w_b = size_b^theta (size = fleet in H100e). 0 is pro rata to orders.
        priority_theta: f64 = 0.3;
            unit "1", range [0, 4], source "ODD §7.4; EVIDENCE.md §1.2 (top-2 customers 39% of vendor revenue)";
        /// Largest share of a month's shipments any one buyer may receive (1 = no cap).
        buyer_share_cap: f64 = 1.0;
            unit "share", range [0.01, 1], source "policy lever: compute-allocation antitrust cap";
        /// Month from which the buyer share cap applies.
        cap_from_month: u32 = 0;
            unit "month", range [0, 1200], source "policy clock";
        /// Month from which the vendor must allocate without size priority (theta = 0), an
        /// antitrust remedy; at or beyond the horizon: never.
        nondiscriminatory_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "EVIDENCE.md §2.13: non-discrimination (w = 1 in rationing)";
        /// Months over which a firm spreads the order that closes its projected compute gap.
        order_smoothing_months: f64 = 3.0;
            unit "months", range [1, 60], source "EVIDENCE.md §1.2: lead times 8-52 weeks";
        /// Months ahead a firm projects its training need when ordering.
        order_horizon_months: f64 = 6.0;
            unit "months", range [0, 60], source "EVIDENCE.md §1.2: lead times 36-52 weeks at peak";
        /// Largest share of cash a firm spends on chips in one month.
        capex_cash_share: f64 = 0.08;
            unit "share/month", range [0, 1], source "assumption: capex is paced by cash";
    }
}

crate::section! {
    /// Export controls on the dominant vendor's chips, by nation tier (a policy lever).
    pub struct ExportControls {
        /// First month the controls apply (0: in force from the start, as in 2026).
        from_month: u32 = 0;
            unit "month", range [0, 1200], source "EVIDENCE.md §1.11: controls in force since 2022-25";
        /// First month the controls no longer apply (set below the horizon to lift them).
        until_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock";
        /// Chips a tier-2 nation's buyers may receive together in a month.
        tier2_cap_gpus_per_month: f64 = 2_000.0;
            unit "H100e/month", range [0, 1e9], source "EVIDENCE.md §1.11: AI Diffusion Rule ~50,000 H100 per country for 2025-27";
        /// Orders up to this size are licence-exempt (not counted against the tier-2 cap).
        licence_exemption_gpus: f64 = 1_700.0;
            unit "H100e/month", range [0, 1e9], source "EVIDENCE.md §1.11: exemption for orders <= 1,700 GPUs";
        /// Share of a tier-3 buyer's order the vendor may fill (0 = embargo).
        tier3_share: f64 = 0.0;
            unit "share", range [0, 1], source "EVIDENCE.md §1.11: tier 3 embargoed; H20 licence requirement (2025)";
        /// Share of its compute shortfall a tier-3 firm may rent abroad (contracts and spot) while
        /// controls apply: remote access through foreign clouds.
        tier3_cloud_access: f64 = 0.2;
            unit "share", range [0, 1], source "assumption: remote-access loophole only partly closed (EVIDENCE.md §1.11)";
        /// Substitute-chip capacity available to tier-3 buyers at month 0.
        substitute_capacity_gpus_per_month: f64 = 40_000.0;
            unit "H100e/month", range [0, 1e9], source "EVIDENCE.md §1.11: Huawei Ascend now China's leading compute source; Chinese firms ~5% of world compute";
        /// Annual growth factor of substitute capacity.
        substitute_growth_per_year: f64 = 1.5;
            unit "x/yr", range [0.1, 10], source "assumption";
        /// H100e a dollar buys in substitute chips relative to the vendor's (price = list / this).
        substitute_efficiency: f64 = 0.5;
            unit "share", range [0.01, 1], source "EVIDENCE.md §6: substitute chips 0.3-0.6 of H100e per $ (verify)";
    }
}

//! This mechanism's scenario parameters: the `[public_compute]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// A public compute pool for startups (a policy lever).
    pub struct PublicCompute {
        /// First month the pool buys chips (at or beyond the horizon: never).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (NAIRR-style pools, EU AI gigafactories)";
        /// Share of the vendor's monthly output the pool buys.
        supply_share: f64 = 0.03;
            unit "share", range [0, 1], source "EVIDENCE.md §6: public pools of a few percent of supply (sovereign AI ~$20-30B of ~$600B capex)";
        /// Price discount against the spot price for eligible borrowers.
        subsidy: f64 = 0.5;
            unit "share", range [0, 1], source "EVIDENCE.md §6: p_pub = (1 - s) p_market";
        /// Whether open-weights labs (academia-like open research) may borrow too.
        open_weights_eligible: bool = false;
            unit "1", range [0, 1], source "eligibility rule (scenario choice)";
    }
}

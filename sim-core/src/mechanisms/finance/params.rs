//! This mechanism's scenario parameters: the `[finance]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Finance of labs and clouds: wages and strategic funding.
    pub struct Finance {
        /// Fully loaded monthly cost of a lab or cloud employee.
        lab_wage_usd_per_month: f64 = 35_000.0;
            unit "USD/person-month", range [0, 1e8], source "EVIDENCE.md §1.3: staff 29-49% of frontier cost";
        /// Runway (months of burn) below which a lab or cloud seeks strategic funding.
        strategic_runway_months: f64 = 12.0;
            unit "months", range [0, 240], source "assumption";
        /// Monthly probability of closing a strategic round while seeking, for the quality leader.
        strategic_round_probability: f64 = 0.5;
            unit "1/month", range [0, 1], source "assumption; scaled by quality rank";
        /// Months of burn a strategic round funds.
        strategic_round_months: f64 = 24.0;
            unit "months", range [0, 240], source "assumption";
        /// Largest strategic round as a multiple of annualised revenue (investors price on revenue).
        strategic_revenue_multiple: f64 = 3.0;
            unit "x annual revenue", range [0, 1000], source "EVIDENCE.md §1.5: ~$40B raised on ~$13B revenue (2025)";
        /// Smallest cap on a strategic round, whatever the revenue.
        strategic_round_floor_usd: f64 = 2.0e9;
            unit "USD", range [0, 1e13], source "assumption: pre-revenue labs still raise billions";
        /// Decay of a lab's strategic-round probability with its quality rank r (0 = best):
        /// the probability is `strategic_round_probability / (1 + strategic_rank_decay · r)`.
        strategic_rank_decay: f64 = 0.25;
            unit "1/rank", range [0, 100], source "assumption: investors back the leaders first (the fourth-ranked lab raises at half the leader's rate)";
        /// Factor on a GPU lessor's strategic-round probability while its realised price is below
        /// break-even (1 at or above it).
        strategic_lessor_distress_factor: f64 = 0.3;
            unit "x", range [0, 1], source "assumption: a lessor renting below cost raises less easily";
    }
}

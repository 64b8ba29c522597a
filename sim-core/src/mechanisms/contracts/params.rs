//! This mechanism's scenario parameters: the `[contracts]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use crate::params::error::ParamError;

crate::section! {
    /// Reserved (take-or-pay) contracts between neoclouds and compute buyers.
    pub struct Contracts {
        /// Shortest contract term.
        term_min_months: u32 = 12;
            unit "months", range [1, 240], source "EVIDENCE.md §2.7c: 12-36 months";
        /// Longest contract term.
        term_max_months: u32 = 36;
            unit "months", range [1, 240], source "EVIDENCE.md §2.7c: 12-36 months";
        /// Share of a frontier or open-weights lab's compute shortfall it seeks to reserve.
        reserve_share_lab: f64 = 0.7;
            unit "share", range [0, 1], source "EVIDENCE.md §1.1: 96% of neocloud revenue is take-or-pay";
        /// Share of a startup's compute need it seeks to reserve.
        reserve_share_startup: f64 = 0.3;
            unit "share", range [0, 1], source "assumption: startups mostly rent on demand";
        /// Smallest new contract as a share of the buyer's compute need (contracting has a fixed cost).
        min_contract_share: f64 = 0.05;
            unit "share", range [0, 1], source "assumption: contracts are lumpy; avoids monthly top-ups";
        /// Lessors' markup over break-even in their contract asks.
        lessor_margin: f64 = 0.15;
            unit "share", range [0, 5], source "EVIDENCE.md §1.1: ~20% EBIT margin at 87% utilisation";
        /// Premium over expected spot that buyers pay for certainty.
        certainty_premium: f64 = 0.25;
            unit "share", range [0, 5], source "EVIDENCE.md §1.1: 1-yr contracts rose while spot fell (Jun 2026)";
        /// Span (months) of the exponential average of spot prices buyers use as expectation.
        expectation_months: f64 = 6.0;
            unit "months", range [1, 120], source "assumption: adaptive expectations";
        /// Contract price index at month 0.
        initial_price_usd: f64 = 2.2;
            unit "USD/GPU-h", range [0.01, 100], source "EVIDENCE.md §7: H100 contract ~$2.2/h early 2025";
    }
}

impl Contracts {
    /// Rules within `[contracts]`: the shortest term is not longer than the longest.
    pub(crate) fn check_rules(&self, errs: &mut Vec<ParamError>) {
        if self.term_min_months > self.term_max_months {
            errs.push(ParamError::rule(
                "contracts.term_min_months",
                format!(
                    "must not exceed contracts.term_max_months ({} > {})",
                    self.term_min_months, self.term_max_months
                ),
            ));
        }
    }
}

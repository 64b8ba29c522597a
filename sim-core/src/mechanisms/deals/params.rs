//! This mechanism's scenario parameters: the `[deals]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use serde::{Deserialize, Serialize};

use crate::params::error::ParamError;
use crate::params::spec::Checkable;

/// The nation-deal rule in force (`deals.rule` in a scenario file, in snake case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// One partner per nation.
    Exclusive,
    /// Up to `max_partners` partners share the default; no exclusivity.
    MultiVendor,
    /// No new deals and no renewals.
    Banned,
}

impl Checkable for Rule {
    fn numeric(&self) -> Option<f64> {
        None
    }
}

crate::section! {
    /// Nation-state partnerships (ODD §7.12) and the nation-deal rules lever: before
    /// `from_month` deals are allowed and exclusive; from it, `rule` applies.
    pub struct Deals {
        /// First month the nation-deal rule `rule` applies (at or beyond the horizon: never;
        /// until then deals are allowed and exclusive).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock";
        /// The rule from `from_month`: "exclusive" (one partner), "multi_vendor" (up to
        /// `max_partners` share the default; no exclusivity) or "banned" (no new deals or renewals).
        rule: Rule = Rule::MultiVendor;
            unit "1", range [0, 0], source "EVIDENCE.md §6: procurement exclusivity flag; multi-vendor requirement";
        /// Most partners a nation takes under the multi-vendor rule (k).
        max_partners: u32 = 3;
            unit "firms", range [1, 64], source "assumption: a handful of vendors";
        /// Monthly probability that a soliciting nation without a deal runs a tender.
        solicit_probability: f64 = 0.15;
            unit "1/month", range [0, 1], source "EVIDENCE.md §1.11: OpenAI for Countries targeted 10 partnerships within its first year; assumption";
        /// Length of a deal (and of a renewal): months the partner is the national default.
        term_months: u32 = 24;
            unit "months", range [1, 600], source "assumption: a two-year partnership (EVIDENCE.md §1.11)";
        /// Months of free subscriptions for citizens from the signing (T).
        free_months: u32 = 12;
            unit "months", range [0, 600], source "EVIDENCE.md §1.11: ChatGPT Plus free for 1 year (Malta)";
        /// Utility of the national default for citizens during a deal (delta_default).
        default_utility: f64 = 1.0;
            unit "utils", range [0, 100], source "EVIDENCE.md §2.5: defaults from OS, search, suites or government deals; of the order of SC_0";
        /// Monthly Bass innovation coefficient p of the nation's non-adopters.
        bass_p_per_month: f64 = 0.004;
            unit "1/month", range [0, 1], source "EVIDENCE.md §2.4: p ~0.03/yr for durables; generative AI diffused faster";
        /// Factor on p during the free months of a deal (government seeding).
        seeding_factor: f64 = 5.0;
            unit "x", range [0, 1000], source "EVIDENCE.md §2.4: multiply p_country by a seeding factor during the free period; assumption";
        /// Months of a new subscriber's revenue a bidder puts on a citizen (its valuation of the
        /// nation's lock-in).
        value_months: f64 = 24.0;
            unit "months", range [0, 1200], source "EVIDENCE.md §2.5 (Klemperer): future rents of locked-in customers are competed away up front";
        /// Share of its valuation a bidder offers as local data-centre investment (installed as
        /// GPUs after build_months).
        bid_share: f64 = 0.5;
            unit "share", range [0, 1], source "assumption";
        /// Months from signing until a deal's data-centre investment is installed as GPUs
        /// (bought at the signing month's list price, owned by the partner, in the nation).
        build_months: u32 = 18;
            unit "months", range [0, 600], source "assumption: Stargate UAE (announced May 2025) planned its first 200 MW for 2026; large data centres take 1-2 years to build";
        /// Largest share of its cash a firm commits to one bid (or renewal fee).
        max_cash_share: f64 = 0.05;
            unit "share", range [0, 1], source "assumption: deals are paced by cash";
        /// Nation's utility per unit of governance score.
        trust_weight: f64 = 2.0;
            unit "utils", range [0, 100], source "ODD §7.12; assumption";
        /// Nation's utility per unit of ln(1 + investment per citizen in USD).
        offer_weight: f64 = 0.5;
            unit "utils", range [0, 100], source "assumption";
        /// Fee per internet user the partner pays the nation to renew a deal for another term
        /// (the renewal price). The partner renews if the fee is at most its valuation
        /// (value_months x paid_conversion x price x bid_share per citizen) and fits its cash.
        renewal_fee_usd_per_person: f64 = 20.0;
            unit "USD/person", range [0, 1e6], source "EVIDENCE.md §6: renewal price; assumption ($20 = a month of the list price)";
        /// Months after a deal lapses before the nation solicits again.
        cooldown_months: u32 = 36;
            unit "months", range [0, 1200], source "assumption: a procurement cycle";
    }
}

impl Deals {
    /// Rules within `[deals]`: the free months fit in the term.
    pub(crate) fn check_rules(&self, errs: &mut Vec<ParamError>) {
        if self.free_months > self.term_months {
            errs.push(ParamError::rule(
                "deals.free_months",
                format!(
                    "must not exceed deals.term_months ({} > {})",
                    self.free_months, self.term_months
                ),
            ));
        }
    }
}

//! This mechanism's scenario parameters: the `[[regimes]]` array of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use crate::params::error::ParamError;

crate::section! {
    /// A regulation regime (ODD §7.16): compliance cost by nation and fines on incidents.
    /// Nations name their regime in `regime`; defaults are EU AI Act-like.
    pub struct RegimeSpec {
        /// Name that nations refer to.
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Month from which the regime applies (policy lever).
        from_month: u32 = 0;
            unit "month", range [0, 1200], source "policy lever: compliance regime";
        /// Fixed yearly compliance cost of a firm in scope (F).
        fixed_usd_per_year: f64 = 60_000.0;
            unit "USD/yr", range [0, 1e10], source "EVIDENCE.md §1.10: EUR 32-96k one-off + EUR 12-38k/yr per high-risk system (practitioners), amortised over 3 years";
        /// Proportional compliance cost (v) as a share of revenue.
        proportional_share: f64 = 0.0;
            unit "share of revenue", range [0, 1], source "EVIDENCE.md §2.12: the EU AI Act is fixed-cost dominated";
        /// Yearly cost of the systemic-risk tier (F_sys: evaluations, red-teaming, reporting).
        systemic_usd_per_year: f64 = 2.0e7;
            unit "USD/yr", range [0, 1e12], source "assumption (EVIDENCE.md §1.10: GPAI systemic-risk obligations)";
        /// Cumulative training compute above which a firm is in the systemic tier.
        systemic_flop: f64 = 1.0e25;
            unit "FLOP", range [0, 1e40], source "EVIDENCE.md §1.10: GPAI systemic-risk threshold 1e25 FLOP";
        /// Annual revenue below which a firm is an SME and gets relief.
        sme_revenue_usd: f64 = 5.4e7;
            unit "USD/yr", range [0, 1e13], source "EU SME definition: turnover up to EUR 50M";
        /// Share of the fixed cost an SME is relieved of.
        sme_relief_share: f64 = 0.5;
            unit "share", range [0, 1], source "assumption: AI Act Art. 62 (reduced fees, simplified QMS for SMEs)";
        /// Share of young startups admitted to a regulatory sandbox (exempt from compliance costs).
        sandbox_share: f64 = 0.1;
            unit "share", range [0, 1], source "assumption: AI Act Art. 57 (at least one sandbox per member state)";
        /// Age below which a sandboxed startup is exempt.
        sandbox_months: u32 = 24;
            unit "months", range [0, 600], source "assumption: sandboxes are time-limited";
        /// Fine cap in money.
        fine_max_usd: f64 = 1.6e7;
            unit "USD", range [0, 1e12], source "EVIDENCE.md §1.10: EUR 15M / 3% for GPAI providers (up to EUR 35M / 7% for prohibited practices)";
        /// Fine cap as a share of annual revenue (large firms: the higher cap; SMEs: the lower).
        fine_revenue_share: f64 = 0.03;
            unit "share of annual revenue", range [0, 1], source "EVIDENCE.md §1.10; AI Act Art. 99(6), 101";
        /// Probability that an incident leads to a fine when all of the firm's market is in the
        /// regime (scaled by the firm's exposure e_r, its share of users in the regime's nations).
        enforcement_probability: f64 = 0.1;
            unit "share", range [0, 1], source "assumption";
        /// Mean severity of an enforced fine as a share of its cap (lognormal, capped at 1).
        fine_cap_share_mean: f64 = 0.1;
            unit "share of the cap", range [0, 1], source "CMS GDPR Enforcement Tracker Report 2023 (https://cms.law/en/int/publication/gdpr-enforcement-tracker-report): 1,576 fines 2018-2023 totalling EUR 2.77bn, average EUR 1.76M = 9% of the EUR 20M money cap; the largest (Amazon EUR 746M, 2021) about 5% of its 4%-of-turnover cap";
        /// Log-scale spread of the severity (most fines small, a fat tail of large ones).
        fine_cap_share_sigma: f64 = 1.5;
            unit "1", range [0, 5], source "assumption, shaped by the DLA Piper GDPR Fines and Data Breach Survey (January 2025, https://www.dlapiper.com/en/insights/publications/2025/01/dla-piper-gdpr-fines-and-data-breach-survey-january-2025): EUR 1.2bn of fines in 2024, a third less than 2023 for want of one record fine (Meta, EUR 1.2bn) — totals driven by a few large fines among many small ones";
        /// Reduction of a fine per unit of the firm's hygiene (technical and organisational
        /// measures and cooperation are mitigating factors).
        fine_hygiene_mitigation: f64 = 0.5;
            unit "share per unit hygiene", range [0, 1], source "AI Act Art. 99(7)(c)-(d) (mitigating actions, technical and organisational measures); size an assumption";
    }
}

/// The rules of the `[[regimes]]` array: names present and unique.
pub(crate) fn check_regimes(regimes: &[RegimeSpec], errs: &mut Vec<ParamError>) {
    for (i, r) in regimes.iter().enumerate() {
        if r.name.trim().is_empty() {
            errs.push(ParamError::rule(&format!("regimes[{i}].name"), "must not be empty"));
        }
        if regimes[..i].iter().any(|q| q.name == r.name) {
            errs.push(ParamError::rule(
                &format!("regimes[{i}].name"),
                format!("duplicate regime name {:?}", r.name),
            ));
        }
    }
}

//! This mechanism's scenario parameters: the `[platform_entry]` and `[[niches]]` tables of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use crate::params::error::ParamError;

crate::section! {
    /// Platform entry into app niches, strategic acquisitions and API cut-offs (ODD
    /// §7.14), and the platform self-preferencing ban (a policy lever).
    pub struct PlatformEntry {
        /// Intercept gamma_0 of the monthly entry logit of a frontier platform into an app niche
        /// it is not in, at the reference revenue, equal quality and zero specificity.
        gamma0: f64 = -4.5;
            unit "logit", range [-50, 50], source "calibrated: a handful of entries a year in the baseline (about 3/yr, ~30 of the 40 platform-niche pairs entered in ten years, seeds 1-4); Zhu & Liu 2018 (EVIDENCE.md §1.8, §2.6)";
        /// Weight gamma_1 of ln(niche revenue / reference revenue) on the entry logit.
        gamma_revenue: f64 = 0.6;
            unit "logit/ln USD", range [0, 100], source "EVIDENCE.md §2.6 (Zhu & Liu 2018): owners enter successful (popular) product spaces; sign +, size assumption";
        /// Weight gamma_2 of the niche's app quality relative to the platform's model (quality
        /// points) on the entry logit.
        gamma_quality: f64 = 0.1;
            unit "logit/point", range [-100, 100], source "EVIDENCE.md §2.6 (Zhu & Liu 2018): owners enter highly rated spaces; sign +, size assumption";
        /// Weight gamma_3 of the niche's specificity (complementor-specific investment, 0-1) on
        /// the entry logit (entered with a minus sign).
        gamma_specificity: f64 = 3.0;
            unit "logit", range [0, 100], source "EVIDENCE.md §2.6 (Zhu & Liu 2018): owners avoid spaces needing seller-specific investment; sign -, size assumption";
        /// Monthly world app revenue of a niche at which the revenue term of the entry logit is
        /// zero (the niche's revenue is divided by startups.app_market_scale, so the logit does
        /// not depend on the scale of the run).
        revenue_reference_usd: f64 = 2.0e8;
            unit "USD/month", range [1, 1e13], source "normalisation: about the baseline's mean niche revenue at month 0";
        /// Quality points a platform's own app has above the platform's served model.
        own_app_quality_points: f64 = 0.0;
            unit "points", range [-100, 100], source "assumption: the own app is the platform's model without a fine-tuning edge";
        /// Default-placement bonus (delta_default) of a platform's own app among the platform's
        /// own users, in the app-acquisition logit (0 under the self-preferencing ban).
        default_bonus: f64 = 1.5;
            unit "utils", range [0, 100], source "EVIDENCE.md §2.13: default placement of own models and apps (delta_default); assumption";
        /// Extra monthly churn of an API-based startup's customers to the platform's own app in
        /// a niche the platform entered (default placement pulling customers over; 0 under the ban).
        entry_churn_per_month: f64 = 0.01;
            unit "share/month", range [0, 1], source "EVIDENCE.md §2.6: after entry the complementor's demand falls by delta_entry; assumption";
        /// Multiplier of that extra churn for a startup built on the entrant's own API (entry by
        /// the owner of its base).
        own_api_multiplier: f64 = 3.0;
            unit "x", range [1, 100], source "assumption: the owner sees the usage data and sells its model directly to the startup's customers (ODD §7.14)";
        /// Multiplier of that extra churn for a wrapper (an API-based startup whose fine-tuning
        /// is below wrapper_tuning_gpu_months).
        wrapper_multiplier: f64 = 2.0;
            unit "x", range [1, 100], source "EVIDENCE.md §7: wrapper hazard multiplier 1.2-2.0; §1.8: wrappers over-represented in AI shutdowns";
        /// Logit shift (negative) of the venture-round probability of an exposed startup per unit
        /// of exposure (the "kill zone": investors shun a niche where the platform's own app is
        /// placed by default; 0 under the ban).
        kill_zone_round_penalty: f64 = 0.3;
            unit "logit", range [0, 100], source "EVIDENCE.md §6: a ban on platform entry raises complementor survival and investment (Zhu & Liu's discouragement effect removed); Kamepalli, Rajan & Zingales 2020 (kill zones); size assumption";
        /// An API-based startup is a wrapper when its fine-tuning could be replicated today with
        /// fewer than this many GPU-months: finetune_flop / (flop_per_gpu_month x A_t) below it
        /// (A_t the algorithmic efficiency; older tuning is cheaper to replicate).
        wrapper_tuning_gpu_months: f64 = 40.0;
            unit "H100e-months", range [0, 1e9], source "assumption: a few months of a founding team's GPUs (startups.gpus_per_employee); a thin layer on someone else's model (EVIDENCE.md §1.8: wrappers without moats)";
        /// Months after a platform entered a startup's niche within which the startup's exit for
        /// lack of cash is attributed to platform entry.
        attribution_months: u32 = 12;
            unit "months", range [0, 1200], source "assumption: a year (Zhu & Liu: affected sellers reduce growth effort after entry)";
        /// Monthly probability that a frontier lab buys a healthy startup with the reference
        /// revenue and no traction (a strategic acquisition; the startup keeps operating).
        acquisition_probability: f64 = 0.0015;
            unit "1/month", range [0, 1], source "EVIDENCE.md §1.5: Windsurf (~$3B, >$100M ARR) and the CMA's >90 big-tech partnerships; calibrated to about ten strategic acquisitions a year in the baseline (seeds 1-4), of which three or four end in a cut-off";
        /// Logit weight of traction (6-month revenue growth, as for venture rounds) on the
        /// acquisition probability.
        acquisition_traction_weight: f64 = 1.0;
            unit "1", range [0, 100], source "ODD §7.14: labs buy successful startups; assumption";
        /// Logit weight of ln(revenue / acquisition_revenue_reference_usd) on the acquisition
        /// probability.
        acquisition_size_weight: f64 = 0.7;
            unit "1", range [0, 100], source "assumption: the bigger the app, the likelier a lab wants it";
        /// Monthly revenue of the acquisition probability's reference startup.
        acquisition_revenue_reference_usd: f64 = 1.0e6;
            unit "USD/month", range [1, 1e12], source "assumption: ~$12M ARR";
        /// Price of a strategic acquisition as a multiple of annualised revenue (paid by the
        /// acquirer to the startup's shareholders, outside the model).
        acquisition_revenue_multiple: f64 = 25.0;
            unit "x annual revenue", range [0, 1000], source "EVIDENCE.md §1.5: Windsurf ~$3B on >$100M ARR (~30x)";
        /// Probability that the platform whose API a startup uses cuts its access when a rival
        /// lab acquires the startup.
        cutoff_probability: f64 = 0.5;
            unit "1", range [0, 1], source "EVIDENCE.md §1.5: Anthropic cut Windsurf's first-party access with <5 days' notice after reports of OpenAI acquiring it (one case; assumption)";
        /// Share of customers a cut-off startup loses while it rebases onto its acquirer's API.
        cutoff_customer_loss: f64 = 0.3;
            unit "share", range [0, 1], source "assumption: Windsurf moved to BYOK and another model";
        /// Share of its fine-tuning (cumulative FLOP) a cut-off startup loses (tuned on the old model).
        cutoff_finetune_loss: f64 = 0.8;
            unit "share", range [0, 1], source "assumption: fine-tunes do not transfer across base models";
        /// First month of the self-preferencing ban: no new entry into app niches, no default
        /// placement of own apps (bonus and extra churn 0), no API cut-offs (at or beyond the
        /// horizon: never).
        ban_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock; EVIDENCE.md §2.6, §2.13 (DMA-style self-preferencing ban)";
    }
}

crate::section! {
    /// An app niche (vertical) where startups and platforms' own apps compete.
    pub struct NicheSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Share of the month's new app customers who want an app in this niche (shares are
        /// normalised over the niches).
        demand_share: f64 = 1.0;
            unit "share", range [0, 1], source "scenario";
        /// Complementor-specific investment the niche needs (domain data, regulation,
        /// integrations), 0-1: lowers the odds of platform entry.
        specificity: f64 = 0.5;
            unit "1", range [0, 1], source "EVIDENCE.md §2.6 (Zhu & Liu 2018: seller-specific investment)";
    }
}

/// The rules of the `[[niches]]` array: names present and unique, demand shares not all zero, at
/// most 250 niches.
pub(crate) fn check_niches(niches: &[NicheSpec], errs: &mut Vec<ParamError>) {
    for (i, n) in niches.iter().enumerate() {
        if n.name.trim().is_empty() {
            errs.push(ParamError::rule(&format!("niches[{i}].name"), "must not be empty"));
        }
        if niches[..i].iter().any(|m| m.name == n.name) {
            errs.push(ParamError::rule(
                &format!("niches[{i}].name"),
                format!("duplicate niche name {:?}", n.name),
            ));
        }
    }
    if !niches.is_empty() && niches.iter().map(|n| n.demand_share).sum::<f64>() <= 0.0 {
        errs.push(ParamError::rule("niches", "demand shares must not all be zero"));
    }
    if niches.len() > 250 {
        errs.push(ParamError::rule("niches", "at most 250 niches are supported"));
    }
}

//! The world every mechanism acts on: the `[[nations]]` and `[[firms]]` arrays of a scenario
//! file and the kinds of firm. They belong to no single mechanism, so they live here rather than
//! in a mechanism's `params.rs`.

use serde::{Deserialize, Serialize};

use super::ParamError;
use super::spec::Checkable;

/// The four kinds of firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmKind {
    /// Integrated lab + cloud + consumer/enterprise platform.
    Frontier,
    /// Lab releasing open weights, funded by an orthogonal business; runs a free assistant.
    OpenWeights,
    /// GPU lessor: owns GPUs, sells reserved contracts and spot capacity.
    Neocloud,
    /// App or agent builder on a platform's API or an open model.
    Startup,
}

impl FirmKind {
    /// Lower-case name as in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            FirmKind::Frontier => "frontier",
            FirmKind::OpenWeights => "open_weights",
            FirmKind::Neocloud => "neocloud",
            FirmKind::Startup => "startup",
        }
    }

    /// Stable integer code (hashing and outputs).
    pub fn code(self) -> u64 {
        match self {
            FirmKind::Frontier => 0,
            FirmKind::OpenWeights => 1,
            FirmKind::Neocloud => 2,
            FirmKind::Startup => 3,
        }
    }
}

impl Checkable for FirmKind {
    fn numeric(&self) -> Option<f64> {
        None
    }
}

crate::section! {
    /// A nation: the home of users and firms.
    pub struct NationSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Population.
        population_millions: f64 = 1.0;
            unit "M people", range [0, 1e5], source "UN population data (rounded)";
        /// Internet users: the potential consumers of AI platforms.
        internet_users_millions: f64 = 1.0;
            unit "M people", range [0, 1e5], source "ITU (rounded)";
        /// Knowledge-work seats: the potential enterprise users.
        enterprise_seats_millions: f64 = 0.1;
            unit "M seats", range [0, 1e5], source "assumption: ~10-15% of workforce";
        /// GDP per capita.
        gdp_per_capita_usd: f64 = 20_000.0;
            unit "USD/person/yr", range [100, 1e6], source "IMF (rounded)";
        /// Export-control tier: 1 open, 2 capped, 3 embargoed (see [export_controls]).
        tier: u32 = 1;
            unit "tier", range [1, 3], source "EVIDENCE.md §1.11: AI Diffusion Rule tiers";
        /// Whether citizens may use foreign platforms.
        foreign_platforms: bool = true;
            unit "1", range [0, 1], source "scenario (false: only domestic platforms, as in China)";
        /// Utility cost a foreign researcher bears to work here (fees, quotas, delay); the
        /// talent-visa lever. Citizens bear none.
        visa_cost: f64 = 0.5;
            unit "utils", range [0, 100], source "EVIDENCE.md §6 (talent visas): H-1B $100k fee; assumption";
        /// New AI researchers graduating from the nation's universities each year and entering the
        /// talent market here (outside firms, at the wage floor); 0: no pipeline.
        researcher_graduates_per_year: f64 = 0.0;
            unit "people/yr", range [0, 1e6], source "data/README.md (researcher pipeline): MacroPolo Global AI Talent Tracker 2.0, AI Index; scaled to the model's pool";
        /// Regulation regime of this market: the name of a [[regimes]] entry ("" = unregulated). It
        /// binds every firm that sells here (has users here; firms without users: those based here).
        regime: String = String::new();
            unit "1", range [0, 0], source "scenario; EVIDENCE.md §1.10 (EU AI Act in EU members)";
        /// Whether the nation solicits partnership offers from frontier labs while it has no deal
        /// (the Malta and UAE deals; see [deals]).
        solicits_deals: bool = false;
            unit "1", range [0, 1], source "EVIDENCE.md §1.11: OpenAI-Malta 'AI for All', OpenAI for Countries / Stargate UAE";
        /// First month in which a soliciting nation runs tenders (0: from the start); the month
        /// it opened talks, e.g. the UAE in May 2025 and Malta in May 2026 in the history scenario.
        solicits_deals_from_month: u32 = 0;
            unit "month", range [0, 100000], source "scenario; data/national_deals.csv (announcement dates)";
        /// Share of the nation's non-adopting citizens who complete the AI-literacy course when a
        /// deal is signed and so adopt the partner at once (raises F(0) of the Bass curve).
        literacy_course_takeup: f64 = 0.0;
            unit "share", range [0, 1], source "EVIDENCE.md §2.4: course completion raises F(0); take-up is an assumption";
    }
}

crate::section! {
    /// A named incumbent firm.
    pub struct FirmSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Kind: frontier, open_weights or neocloud (startups are generated).
        kind: FirmKind = FirmKind::Frontier;
            unit "1", range [0, 0], source "scenario";
        /// Home nation (a name from [[nations]]).
        nation: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Cash at month 0.
        cash_usd: f64 = 1.0e10;
            unit "USD", range [0, 1e14], source "company filings (rounded, stylised)";
        /// GPUs owned at month 0.
        owned_gpus: f64 = 100_000.0;
            unit "H100e", range [0, 1e9], source "EVIDENCE.md §1.3: Epoch AI chip owners (Apr 2026)";
        /// Cumulative effective training FLOP at month 0 (sets initial quality).
        cumulative_flop: f64 = 1.0e26;
            unit "FLOP", range [1, 1e40], source "EVIDENCE.md §1.3: >30 models above 1e25 FLOP by mid-2025";
        /// Research talent factor multiplying quality gains (endogenous with the talent market).
        talent: f64 = 1.0;
            unit "1", range [0.01, 10], source "assumption";
        /// Employees.
        staff: u32 = 1000;
            unit "people", range [0, 10_000_000], source "company reports (rounded)";
        /// Consumer subscription (paid-tier) price at month 0; a frontier platform then sets it
        /// ([pricing]); an open-weights assistant keeps it.
        consumer_price_usd: f64 = 20.0;
            unit "USD/month", range [0, 10_000], source "EVIDENCE.md §1.11: $20/month list; §1.3: subscription list prices";
        /// Enterprise seat price at month 0 (set by a frontier platform afterwards, as the consumer price).
        enterprise_price_usd: f64 = 30.0;
            unit "USD/seat-month", range [0, 100_000], source "assumption: $25-60/seat";
        /// Consumer market share (of adopters) at month 0.
        initial_consumer_share: f64 = 0.0;
            unit "share", range [0, 1], source "EVIDENCE.md §1.5: Similarweb consumer shares";
        /// Enterprise market share (of adopters) at month 0.
        initial_enterprise_share: f64 = 0.0;
            unit "share", range [0, 1], source "EVIDENCE.md §1.5: Menlo enterprise API shares";
        /// Compute need at month 0 as a multiple of owned GPUs; above 1 the lab rents the rest.
        /// Training need = this × owned − serving need (then grows with training_growth_per_year).
        need_ratio: f64 = 1.2;
            unit "x", range [0, 100], source "EVIDENCE.md §1.3: labs own few chips and rent from clouds (Epoch tracks ownership, not use)";
        /// Share of its compute need beyond what its contracts cover that a lab buys from the
        /// vendor; it rents the rest (contracts, spot). 1 = buys its whole gap (an owner such as
        /// Google or Meta); near 0 = a renter (OpenAI and Anthropic rented from Microsoft, Amazon
        /// and Google in 2023-25). Ignored for lessors.
        buy_share: f64 = 1.0;
            unit "share", range [0, 1], source "EVIDENCE.md §1.3: labs own few chips and rent from clouds; history: data/lab_compute_yearend.csv vs compute_owners_quarterly.csv (OpenAI used ~0.1M H100e at end-2023 and owned almost none)";
        /// Monthly funding from a parent's orthogonal business (ads, cloud, devices).
        parent_funding_usd_per_month: f64 = 0.0;
            unit "USD/month", range [0, 1e13], source "EVIDENCE.md §2.10: commoditise your complement";
        /// Months an open-weights maker's releases trail the best frontier model.
        open_lag_months: u32 = 6;
            unit "months", range [0, 120], source "EVIDENCE.md §1.6: 3-10 months";
        /// Trust and governance score a nation weighs when it picks a partner (0 distrusted, 1
        /// fully trusted).
        governance_score: f64 = 0.5;
            unit "1", range [0, 1], source "ODD §7.12: the nation picks on trust (governance score); assumption";
    }
}

/// The rules of the `[[nations]]` array on its own: at least one nation, at most 250, total
/// internet users positive, names present and unique.
pub(super) fn check_nations(nations: &[NationSpec], errs: &mut Vec<ParamError>) {
    if nations.is_empty() {
        errs.push(ParamError::rule(
            "nations",
            "at least one [[nations]] entry is required",
        ));
    }
    if nations.len() > 250 {
        errs.push(ParamError::rule("nations", "at most 250 nations are supported"));
    }
    let total_internet: f64 = nations.iter().map(|n| n.internet_users_millions).sum();
    if !nations.is_empty() && total_internet <= 0.0 {
        errs.push(ParamError::rule("nations", "total internet users must be positive"));
    }
    for (i, n) in nations.iter().enumerate() {
        if n.name.trim().is_empty() {
            errs.push(ParamError::rule(&format!("nations[{i}].name"), "must not be empty"));
        }
        if nations[..i].iter().any(|m| m.name == n.name) {
            errs.push(ParamError::rule(
                &format!("nations[{i}].name"),
                format!("duplicate nation name {:?}", n.name),
            ));
        }
    }
}

/// The rules of the `[[firms]]` array: names present and unique, home nations that exist, no
/// listed startups, neoclouds without users, 1 to 64 platforms, initial shares summing to at
/// most 1.
pub(super) fn check_firms(firms: &[FirmSpec], nations: &[NationSpec], errs: &mut Vec<ParamError>) {
    let mut platforms = 0;
    let (mut cs, mut es) = (0.0, 0.0);
    for (i, f) in firms.iter().enumerate() {
        let p = format!("firms[{i}]");
        if f.name.trim().is_empty() {
            errs.push(ParamError::rule(&format!("{p}.name"), "must not be empty"));
        }
        if firms[..i].iter().any(|g| g.name == f.name) {
            errs.push(ParamError::rule(
                &format!("{p}.name"),
                format!("duplicate firm name {:?}", f.name),
            ));
        }
        if !nations.iter().any(|n| n.name == f.nation) {
            let names: Vec<&str> = nations.iter().map(|n| n.name.as_str()).collect();
            errs.push(ParamError::rule(
                &format!("{p}.nation"),
                format!("unknown nation {:?}; expected one of {:?}", f.nation, names),
            ));
        }
        match f.kind {
            FirmKind::Startup => errs.push(ParamError::rule(
                &format!("{p}.kind"),
                "startups are generated from [startups]; list only frontier, open_weights or neocloud firms",
            )),
            FirmKind::Frontier | FirmKind::OpenWeights => platforms += 1,
            FirmKind::Neocloud => {
                if f.initial_consumer_share > 0.0 || f.initial_enterprise_share > 0.0 {
                    errs.push(ParamError::rule(
                        &format!("{p}.initial_consumer_share"),
                        "a neocloud has no users",
                    ));
                }
            }
        }
        cs += f.initial_consumer_share;
        es += f.initial_enterprise_share;
    }
    if platforms == 0 {
        errs.push(ParamError::rule(
            "firms",
            "at least one frontier or open_weights firm (a platform) is required",
        ));
    }
    if platforms > 64 {
        errs.push(ParamError::rule(
            "firms",
            "at most 64 platforms (frontier + open_weights) are supported",
        ));
    }
    if cs > 1.0 + 1e-9 {
        errs.push(ParamError::rule(
            "firms",
            format!("initial_consumer_share sums to {cs}, more than 1"),
        ));
    }
    if es > 1.0 + 1e-9 {
        errs.push(ParamError::rule(
            "firms",
            format!("initial_enterprise_share sums to {es}, more than 1"),
        ));
    }
}

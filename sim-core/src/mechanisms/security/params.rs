//! This mechanism's scenario parameters: the `[security]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Security incidents (ODD §7.15): Poisson arrivals scaled by exposure and hygiene,
    /// lognormal losses, user churn, and the security-standards lever.
    pub struct Security {
        /// Incidents per firm-year at unit exposure and no hygiene (lambda_0).
        incidents_per_year: f64 = 0.15;
            unit "1/yr", range [0, 100], source "assumption: IBM/Ponemon (EVIDENCE.md §1.9) counts breaches per firm in the low tens of percent a year";
        /// Exposure multiplier of a startup built on an unvetted open model (Base::Open(release)).
        open_base_exposure: f64 = 2.0;
            unit "x", range [1, 100], source "EVIDENCE.md §1.9, §2.11: malicious artefacts and unsafe formats in open-model hubs; supply chain is the 2nd breach vector (15%)";
        /// Annual revenue at which activity doubles exposure's base (x = (1 + R / R_ref)^e).
        activity_reference_usd: f64 = 1.0e7;
            unit "USD/yr", range [1, 1e13], source "assumption: a larger attack surface with more users and customers";
        /// Elasticity of exposure to activity (revenue).
        activity_elasticity: f64 = 0.2;
            unit "1", range [0, 2], source "assumption: incidents grow less than proportionally with size";
        /// Highest hygiene a firm can buy (share of incidents prevented).
        hygiene_max: f64 = 0.9;
            unit "share", range [0, 1], source "assumption: no firm is immune";
        /// Fixed yearly cost of full hygiene (scanning, safetensors-only pipelines, sandboxing, staff).
        hygiene_fixed_usd_per_year: f64 = 150_000.0;
            unit "USD/yr", range [0, 1e10], source "EVIDENCE.md §2.11: security is fixed-cost heavy (one security engineer and tooling)";
        /// Variable yearly cost of full hygiene as a share of revenue.
        hygiene_variable_share: f64 = 0.0002;
            unit "share of revenue", range [0, 1], source "assumption: tooling that scales with activity; security is fixed-cost heavy (EVIDENCE.md §2.11)";
        /// Mean loss of an incident at a large firm (the cap of the size-scaled mean).
        loss_mean_usd: f64 = 4.44e6;
            unit "USD", range [0, 1e12], source "EVIDENCE.md §1.9: IBM/Ponemon 2025 global average breach cost $4.44M";
        /// Mean loss of an incident at a firm without revenue.
        loss_floor_usd: f64 = 50_000.0;
            unit "USD", range [0, 1e12], source "assumption: incident response and remediation for a small team";
        /// Mean loss per incident as a share of annual revenue, added to the floor (up to the cap).
        sme_loss_share_revenue: f64 = 0.05;
            unit "share of annual revenue", range [0, 10], source "EVIDENCE.md §1.9: SME losses up to ~5% of annual revenue (IBM 2019)";
        /// Log-scale spread of a loss (fat tail).
        loss_sigma: f64 = 1.5;
            unit "1", range [0, 5], source "EVIDENCE.md §2.11: lognormal losses with a fat tail that kills a share of SMEs";
        /// Exposure multiplier of a startup whose open release carries an undiscovered backdoor
        /// (the backdoors themselves are drawn per release in [open_source]).
        backdoor_exposure_factor: f64 = 3.0;
            unit "x", range [1, 1000], source "assumption";
        /// Weight of the published base rate (open_source.backdoor_probability) in firms' belief
        /// that an open release is backdoored, in releases: belief = (D + k p_0) / (N + k) with D
        /// disclosed backdoors among N releases (the hygiene choice never reads the hidden flag).
        belief_prior_releases: f64 = 20.0;
            unit "releases", range [0, 1e6], source "assumption: a prior worth a year or two of releases";
        /// Share of a platform's users who leave it (to no platform) per incident.
        user_churn_per_incident: f64 = 0.02;
            unit "share", range [0, 1], source "assumption: post-breach customer loss is a large part of breach cost (IBM/Ponemon)";
        /// Share of a startup's app customers who leave per incident.
        customer_churn_per_incident: f64 = 0.1;
            unit "share", range [0, 1], source "assumption";
        /// Annual revenue from which a firm counts as large in the size-split metrics.
        large_revenue_usd: f64 = 5.4e7;
            unit "USD/yr", range [0, 1e13], source "EU SME definition: turnover up to EUR 50M";
        /// Month from which the security standard applies (policy lever; 1200 = never).
        standard_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy lever: security standards";
        /// Factor on lambda_0 under the standard (mandatory model scanning).
        mandatory_scanning_factor: f64 = 0.5;
            unit "x", range [0, 1], source "EVIDENCE.md §1.9: scanners flag ~3.7% of repos; assumption that scanning halves arrivals";
        /// Factor on the fixed hygiene cost under the standard (public shared scanning).
        public_scanning_factor: f64 = 0.5;
            unit "x", range [0, 1], source "EVIDENCE.md §2.11: public scanning (HF x Protect AI) lowers F_h for everyone";
    }
}

//! This mechanism's scenario parameters: the `[open_source]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// The open-weights ecosystem (ODD §7.9; mechanisms::open_source): releases,
    /// downloads by preferential attachment, startups' choice of an open base, backdoors per
    /// release, and the open-source funding lever.
    pub struct OpenSource {
        /// Months between an open-weights maker's releases.
        release_interval_months: u32 = 4;
            unit "months", range [1, 120], source "EVIDENCE.md §1.6: Qwen ~400 models, frequent flagship releases; a flagship every few months";
        /// Share of releases under a permissive (Apache/MIT-style) licence; the rest are restricted-use.
        permissive_share: f64 = 0.7;
            unit "share", range [0, 1], source "EVIDENCE.md §1.6, §2.2: Qwen, DeepSeek, gpt-oss permissive; Llama custom licence (assumption on the share)";
        /// Attractiveness of a restricted-use release to derivative makers and startups, relative to a permissive one.
        restricted_factor: f64 = 0.5;
            unit "x", range [0, 1], source "EVIDENCE.md §2.2: fine-tuners choose a base by licence (Qwen 113-180k derivatives vs Llama ~27k)";
        /// Downloads of open models per person on an AI platform per month (scales total downloads with adoption).
        downloads_per_adopted_person: f64 = 0.06;
            unit "downloads/person-month", range [0, 1000], source "EVIDENCE.md §1.6: Qwen ~700M and Llama >1B cumulative over ~3 yr (~50-100M/month for the leading families) over ~1.6B adopted people";
        /// Fitness weight of quality relative to the best release: eta = e^(theta (q - q_best)).
        download_theta_quality: f64 = 0.5;
            unit "1/point", range [0, 100], source "EVIDENCE.md §2.2: Bianconi-Barabasi fitness (assumption on the weight)";
        /// Preferential-attachment exponent of downloads: (1 + D / D0)^alpha.
        download_alpha: f64 = 1.0;
            unit "1", range [0, 3], source "EVIDENCE.md §2.2, §7: Polya alpha 0.8-1.5; top 1% of models take 99% of downloads";
        /// Download scale D0 of the attachment term.
        download_scale: f64 = 1.0e6;
            unit "downloads", range [1, 1e12], source "normalisation: a popular release has millions of downloads a month (EVIDENCE.md §1.6)";
        /// Monthly decay of a release's attraction with age (decay^age).
        download_decay_per_month: f64 = 0.85;
            unit "1/month", range [0, 1], source "EVIDENCE.md §2.2: recency decay exp(-(t - t_i)/tau); HF counts are rolling 30-day windows; tau ~6 months (assumption)";
        /// Derivative models per download of a permissive release.
        derivatives_per_download: f64 = 2.5e-4;
            unit "1/download", range [0, 1], source "EVIDENCE.md §1.6: Qwen ~180k derivatives on ~700M downloads";
        /// Share of downloads that become production deployments (phi << 1).
        deployments_per_download: f64 = 0.001;
            unit "1/download", range [0, 1], source "EVIDENCE.md §2.10: deployments = phi downloads, phi << 1 (HF counts include CI and re-downloads)";
        /// Utility of a release's share of last month's downloads when a startup picks an open base.
        base_theta_popularity: f64 = 2.0;
            unit "utils/share", range [0, 100], source "EVIDENCE.md §2.2: base choice is a Polya-type process (assumption on the weight)";
        /// Monthly probability that a startup on an open release reconsiders its base (migrates to a release at least as good).
        migrate_probability_per_month: f64 = 0.04;
            unit "1/month", range [0, 1], source "assumption: products re-base on a new open model about every two years";
        /// Probability that a new unaudited release carries a hidden backdoor.
        backdoor_probability: f64 = 0.03;
            unit "1/release", range [0, 1], source "EVIDENCE.md §1.9: ~1e-4 malicious artefacts per repo, 3.7% flagged; flagship releases rarely but sometimes poisoned (assumption; ~2% a month with ~0.75 releases a month)";
        /// Monthly hazard that a live backdoor is discovered (mean undiscovered time = 1 / hazard).
        discovery_hazard_per_month: f64 = 0.15;
            unit "1/month", range [0, 1], source "EVIDENCE.md §1.9: 258 days to identify and contain a breach; ~6-7 months";
        /// Share of releases that get a security audit without public funding.
        audit_share: f64 = 0.0;
            unit "share", range [0, 1], source "assumption: flagship releases are rarely audited independently";
        /// Factor on the backdoor probability of an audited release.
        audit_backdoor_factor: f64 = 0.2;
            unit "x", range [0, 1], source "EVIDENCE.md §1.9: scanners flag unsafe artefacts (HF x Protect AI); assumption that an audit catches 80%";
        /// Factor on the discovery hazard of an audited release.
        audit_discovery_factor: f64 = 3.0;
            unit "x", range [1, 100], source "assumption: audited weights are examined by more eyes";
        /// First month of the open-source funding lever (at or beyond the horizon: never).
        funding_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy lever: open-source funding (EVIDENCE.md §6)";
        /// Grants to open-weights makers per month under the lever, split equally among those alive.
        grant_usd_per_month: f64 = 1.0e8;
            unit "USD/month", range [0, 1e12], source "EVIDENCE.md §6: grants and public-interest labs (assumption on the size: ~$1.2B/yr)";
        /// Factor on the release interval of funded makers (faster releases).
        funded_interval_factor: f64 = 0.5;
            unit "x", range [0.05, 1], source "EVIDENCE.md §6: release rate rises with funding";
        /// Months cut from funded makers' lag behind the frontier.
        funded_lag_reduction_months: u32 = 2;
            unit "months", range [0, 120], source "EVIDENCE.md §6: quality lag L falls with funding";
        /// Share of funded makers' releases that get a funded security audit.
        funded_audit_share: f64 = 1.0;
            unit "share", range [0, 1], source "EVIDENCE.md §6: security-audit budget for open artefacts";
        /// Price premium per quality point a platform's API can charge over the trailing open tier:
        /// API fee = min(startups.api_fee_usd_per_customer, open-tier cost + this x quality lead).
        price_premium_usd_per_point: f64 = 0.5;
            unit "USD/customer-month/point", range [0, 1e6], source "EVIDENCE.md §2.10 (price effect: open quality at the lagged frontier caps closed prices at the trailing tier) and §6; size assumed: a 4-point (about 5-month) lead is worth about the $2.5 list fee";
    }
}

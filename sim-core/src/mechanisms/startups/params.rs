//! This mechanism's scenario parameters: the `[startups]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use crate::params::error::ParamError;

crate::section! {
    /// Startups: the app market, entry, venture rounds and exit.
    pub struct Startups {
        /// Startups alive at month 0.
        initial_count: u32 = 300;
            unit "firms", range [0, 1_000_000], source "scale choice (hundreds of startups)";
        /// Longest age (drawn uniformly) of month-0 startups.
        initial_age_max_months: u32 = 36;
            unit "months", range [0, 600], source "assumption";
        /// Expected entrants per month at the reference spot price.
        entry_rate_per_month: f64 = 8.0;
            unit "firms/month", range [0, 1e6], source "EVIDENCE.md §1.8: AI in 44% of VC deals";
        /// Elasticity of entry to the spot price: lambda = lambda_0 (p_ref / p_spot)^e.
        entry_price_elasticity: f64 = 1.0;
            unit "1", range [0, 10], source "ODD §7.13: entry falls with the cost of compute";
        /// Reference spot price of the entry rate.
        entry_reference_price_usd: f64 = 2.4;
            unit "USD/GPU-h", range [0.01, 100], source "EVIDENCE.md §1.1";
        /// Mean seed round of a new startup (lognormal).
        seed_cash_usd: f64 = 1.5e6;
            unit "USD", range [0, 1e12], source "assumption: seed rounds $1-5M";
        /// Log-scale spread of the seed round.
        seed_cash_sigma: f64 = 1.3;
            unit "1", range [0, 5], source "calibrated with every mechanism on toward 80% 1-yr and 50% 5-yr survival (EVIDENCE.md §1.8): seed rounds span pre-seed ~$0.1M to ~$10M; 0.9 left 1-yr survival at ~0.9";
        /// Smallest founding team.
        team_min: u32 = 3;
            unit "people", range [1, 10_000], source "assumption";
        /// Largest founding team.
        team_max: u32 = 12;
            unit "people", range [1, 10_000], source "assumption";
        /// Fully loaded monthly cost of a startup employee.
        wage_usd_per_month: f64 = 18_000.0;
            unit "USD/person-month", range [0, 1e7], source "assumption: ~$200k/yr loaded";
        /// Revenue per employee at which a startup hires (team = max(founders, revenue / this)).
        revenue_per_employee_usd: f64 = 25_000.0;
            unit "USD/person-month", range [1, 1e9], source "assumption: ~$300k ARR per employee";
        /// Share of the world's app market that this scenario's startups stand for (scale the
        /// initial count and entry rate by the same factor to keep per-startup economics).
        app_market_scale: f64 = 1.0;
            unit "share", range [0, 1], source "scale choice";
        /// Share of adopted platform users who start using some app each month.
        app_adoption_per_month: f64 = 0.004;
            unit "share/month", range [0, 1], source "assumption";
        /// Share of an app's customers lost each month.
        customer_churn_per_month: f64 = 0.05;
            unit "share/month", range [0, 1], source "assumption: consumer apps churn 3-8%/month";
        /// Revenue per app customer per month.
        arpu_usd: f64 = 12.0;
            unit "USD/customer-month", range [0, 1e6], source "assumption";
        /// Preferential-attachment exponent of app acquisition (A = e^(theta q) (1 + K/K0)^alpha).
        attachment_alpha: f64 = 0.8;
            unit "1", range [0, 3], source "EVIDENCE.md §2.2-2.3: Simon/Yule growth, Zipf sizes";
        /// Customer scale K0 of the attachment term.
        attachment_scale: f64 = 5_000.0;
            unit "customers", range [1, 1e9], source "normalisation";
        /// Utility per quality point in app acquisition.
        theta_app_quality: f64 = 0.1;
            unit "utils/point", range [0, 100], source "pattern-oriented calibration: 0.1 gives Laplace growth rates whose volatility falls with size (EVIDENCE.md §2.3; tests/integration/facts.rs); 0.3 made app growth a quality tournament";
        /// Log-scale noise of a small app's monthly acquisitions (scaled by (1 + K/K0)^(-beta) like
        /// the stock shock).
        acquisition_noise_sigma: f64 = 0.5;
            unit "1", range [0, 5], source "EVIDENCE.md §2.3: tent-shaped growth rates";
        /// Log-scale noise sigma_0 of a small app's monthly customer-base growth (Gibrat shocks on
        /// the stock: word of mouth, outages, viral moments), before the size scaling.
        stock_noise_sigma: f64 = 0.12;
            unit "1/month", range [0, 5], source "EVIDENCE.md §2.3: Stanley et al. 1996, annual growth sd ~0.4-0.5 for small firms";
        /// Size elasticity beta of growth volatility: sigma(K) = sigma_0 (1 + K / K0)^(-beta), so
        /// large apps (many independent customers) grow more steadily.
        size_volatility_beta: f64 = 0.2;
            unit "1", range [0, 1], source "EVIDENCE.md §2.3: Stanley et al. 1996, Amaral et al. 1997, beta ~0.15-0.20";
        /// Serving compute per thousand app customers.
        gpus_per_thousand_customers: f64 = 0.4;
            unit "H100e/k customers", range [0, 1e6], source "assumption";
        /// Fine-tuning compute per employee.
        gpus_per_employee: f64 = 1.0;
            unit "H100e/person", range [0, 1e6], source "assumption";
        /// API fee paid to the base platform per app customer per month.
        api_fee_usd_per_customer: f64 = 2.5;
            unit "USD/customer-month", range [0, 1e6], source "assumption: inference cost passed through";
        /// Extra serving compute of a startup that hosts an open model (x the API-based need).
        open_hosting_factor: f64 = 1.5;
            unit "x", range [1, 100], source "ODD §7.14: open-model startups pay hosting compute";
        /// Utility per quality point when a new startup picks its base model.
        base_theta_quality: f64 = 0.4;
            unit "utils/point", range [0, 100], source "assumption";
        /// Utility advantage of an open base (no fee, no platform dependence), before quality.
        base_open_bonus: f64 = 0.0;
            unit "utils", range [-100, 100], source "assumption";
        /// Runway (months of burn) below which a startup seeks a round.
        runway_trigger_months: f64 = 6.0;
            unit "months", range [0, 120], source "assumption";
        /// Monthly probability of closing a round while seeking, at zero traction.
        round_probability: f64 = 0.26;
            unit "1/month", range [0, 1], source "calibrated with all mechanisms on (platform entry and the open-tier API price cap included) toward 80% 1-yr and 50% 5-yr survival (EVIDENCE.md §1.8), together with seed_cash_sigma: baseline at 8k users, seeds 1-6, give 0.78 and 0.53";
        /// Logit weight of traction (6-month revenue growth) on round probability.
        round_traction_weight: f64 = 2.0;
            unit "1", range [0, 100], source "ODD §7.17";
        /// Revenue added to both ends of the traction ratio, so that tiny revenues do not read as
        /// explosive growth: traction = ln((R_now + R0) / (R_6 months ago + R0)).
        traction_reference_usd: f64 = 100_000.0;
            unit "USD/month", range [1, 1e12], source "assumption: investors look at absolute as well as relative growth";
        /// Months of burn a round funds.
        round_months_of_burn: f64 = 18.0;
            unit "months", range [0, 240], source "assumption: 18-24 month runway per round";
    }
}

impl Startups {
    /// Rules within `[startups]`: the smallest team is not larger than the largest.
    pub(crate) fn check_rules(&self, errs: &mut Vec<ParamError>) {
        if self.team_min > self.team_max {
            errs.push(ParamError::rule(
                "startups.team_min",
                format!(
                    "must not exceed startups.team_max ({} > {})",
                    self.team_min, self.team_max
                ),
            ));
        }
    }
}

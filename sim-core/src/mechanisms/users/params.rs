//! This mechanism's scenario parameters: the `[users]` and `[interop]` tables of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Users: platform choice under switching costs and network effects.
    pub struct Users {
        /// Consumer agents (each stands for internet users / agents people of its nation).
        consumer_agents: u32 = 950_000;
            unit "agents", range [1, 100_000_000], source "scale choice";
        /// Enterprise agents (each stands for a cohort of enterprise seats).
        enterprise_agents: u32 = 50_000;
            unit "agents", range [0, 100_000_000], source "scale choice";
        /// Share of consumers who reconsider their platform each month (rho).
        reconsider_consumer: f64 = 0.03;
            unit "share/month", range [0, 1], source "EVIDENCE.md §2.5: 2-5%/month";
        /// Share of enterprises who reconsider their portfolio each month.
        reconsider_enterprise: f64 = 0.012;
            unit "share/month", range [0, 1], source "EVIDENCE.md §1.5: ~11%/yr switch primary vendor";
        /// Utility per quality point (theta_Q).
        theta_quality: f64 = 0.15;
            unit "utils/point", range [0, 100], source "calibration: one year of frontier progress ~1.5 utils";
        /// Consumers' utility per dollar of the paid tier's monthly price (theta_P), before individual
        /// sensitivity: the price coefficient of the free-to-paid conversion decision, and the
        /// dollar value of a util in consumer surplus.
        theta_price_consumer: f64 = 0.05;
            unit "utils/USD", range [0, 100], source "calibration (Lerner): a seller of near-zero marginal cost prices where demand is unit-elastic, so at the $20 list price and ~5% conversion theta_P = 1 / ((1 - 0.055) x 20) ~ 0.05";
        /// Enterprises' utility per dollar of monthly seat price.
        theta_price_enterprise: f64 = 0.01;
            unit "utils/USD", range [0, 100], source "calibration: enterprises less price-sensitive per seat";
        /// Network-effect strength theta_N on ln(1 + users a chooser can interact with, in millions).
        theta_network: f64 = 1.632;
            unit "utils", range [0, 20], source "calibration: scenarios/calibrations/history-smm.toml (SMM, 16 moments of data/targets.toml on the history scenario 2023-01..2026-03, 3 seeds; 2026-12-05), locally identified; ABC-SMC history-abc.toml agrees (posterior median 1.80, 90% [0.80, 2.93]); SMM 90% interval [1.54, 1.72]; mechanism EVIDENCE.md §2.1 (Arthur/Polya increasing returns)";
        /// Weight of another open nation's users in a chooser's network (own nation's users weigh 1).
        network_foreign_weight: f64 = 0.1;
            unit "1", range [0, 1], source "assumption, after Bailey et al. (2018, J. Econ. Perspectives 32(3), doi:10.1257/jep.32.3.259): social ties are overwhelmingly domestic; national borders cut them sharply";
        /// Weight between a nation closed to foreign platforms and any other nation, both ways: its
        /// platforms run a separate domestic service (as Douyin and TikTok), so its captive users
        /// do not enlarge the network a foreigner sees, nor foreigners the one its citizens see.
        network_closed_weight: f64 = 0.0;
            unit "1", range [0, 1], source "assumption: captive markets' platforms serve foreigners through separate services (Douyin/TikTok, WeChat/Weixin); 1 restores the worldwide count";
        /// Base switching cost SC_0.
        switching_cost: f64 = 1.0;
            unit "utils", range [0, 100], source "EVIDENCE.md §2.5 (Klemperer)";
        /// Tenure growth of switching cost: SC = SC_0 + kappa ln(1 + tenure months).
        tenure_kappa: f64 = 0.4;
            unit "utils", range [0, 100], source "EVIDENCE.md §2.5: habit, memory, personalisation";
        /// One-off cost of a first adoption (trial, learning).
        adoption_cost: f64 = 1.0;
            unit "utils", range [0, 100], source "calibration: gradual adoption";
        /// Utility of using no AI platform (the outside option).
        outside_utility: f64 = 5.5;
            unit "utils", range [-100, 100], source "calibration: ~35% consumer adoption at month 0, rising";
        /// Share of consumers on some platform at month 0.
        initial_adoption_consumer: f64 = 0.3;
            unit "share", range [0, 1], source "EVIDENCE.md §1.5: ~900M WAU of ~5.5B internet users";
        /// Share of enterprise agents on some platform at month 0.
        initial_adoption_enterprise: f64 = 0.5;
            unit "share", range [0, 1], source "EVIDENCE.md §1.5: broad enterprise adoption";
        /// Net value of the paid tier's extras over the free tier (Delta V): a consumer of sensitivity
        /// s g converts with probability logistic(Delta V - theta_P s g P).
        paid_tier_value: f64 = -1.1;
            unit "utils", range [-100, 100], source "calibration (2026-12-05): history backtest of paid_conversion_2026 (ChatGPT subscribers / WAU ~5.6%, data/assistant_market_share.csv; EVIDENCE.md §1.5)";
        /// Share of citizens a deal bidder expects to pay, used only to value deals; the model's
        /// conversion itself emerges from the paid-tier decision (metric paid_conversion).
        paid_conversion: f64 = 0.055;
            unit "share", range [0, 1], source "EVIDENCE.md §1.5: ~50M subs / ~900M WAU";
        /// Upper bound of a person's consumer surplus: the saturation level W of
        /// CS = W (1 - exp(-x / W)), x the inclusive value in dollars.
        surplus_max_usd: f64 = 200.0;
            unit "USD/person/month", range [0, 1e6], source "assumption: ten times the $20 paid price, above the mean US willingness to accept to forgo generative AI for a month ($98 in Jul 2025, $124.50 in Mar 2026; Brynjolfsson, Collis, Eggers, Kazinnik & Nguyen 2026, What is Generative AI Worth?, Stanford Digital Economy Lab)";
        /// Log-scale spread of individual price sensitivity.
        price_sensitivity_sigma: f64 = 0.5;
            unit "1", range [0, 5], source "assumption: heterogeneous consumers";
        /// Elasticity of price sensitivity to income: s = (gdp_ref / gdp)^e.
        income_elasticity: f64 = 0.5;
            unit "1", range [0, 5], source "assumption";
        /// Reference GDP per capita of the income elasticity.
        gdp_reference_usd: f64 = 60_000.0;
            unit "USD/person/yr", range [100, 1e6], source "normalisation";
        /// Platforms in an enterprise's portfolio (enterprises multi-home; consumers single-home).
        portfolio_size: u32 = 3;
            unit "platforms", range [1, 3], source "EVIDENCE.md §1.5: 81% of enterprises run >=3 model families";
        /// Workload share ratio between consecutive portfolio ranks (shares 1, r, r^2, normalised).
        portfolio_decay: f64 = 0.4;
            unit "1", range [0, 1], source "EVIDENCE.md §1.5: primary vendor dominant";
        /// Serving compute per million consumers.
        gpus_per_million_consumers: f64 = 400.0;
            unit "H100e/M users", range [0, 1e7], source "assumption: ~900M WAU served with a few 100k H100e";
        /// Serving compute per million enterprise seats.
        gpus_per_million_seats: f64 = 3000.0;
            unit "H100e/M seats", range [0, 1e8], source "assumption: API workloads are heavier";
        /// Longest initial tenure (drawn uniformly) of month-0 users.
        initial_tenure_max_months: u32 = 24;
            unit "months", range [0, 600], source "ChatGPT launched Nov 2022";
    }
}

crate::section! {
    /// Interoperability and portability mandate (a policy lever on the user market).
    pub struct Interop {
        /// First month the mandate applies (at or beyond the horizon: never).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (EU Data Act: switching charges banned from Jan 2027)";
        /// Share of the base switching cost SC_0 the mandate removes (mu).
        switching_cost_reduction: f64 = 0.5;
            unit "share", range [0, 1], source "EVIDENCE.md §6: SC multiplier (1 - mu); egress at cost, then zero";
        /// Factor on the tenure growth kappa (memory and personalisation become portable).
        kappa_factor: f64 = 0.5;
            unit "x", range [0, 1], source "EVIDENCE.md §2.5: data-portability rules reduce kappa";
        /// Factor on the reconsideration rates (switching becomes easier to contemplate).
        reconsider_factor: f64 = 1.5;
            unit "x", range [0, 10], source "EVIDENCE.md §6: rho rises under portability";
        /// Factor on the network-effect strength theta_N (interoperable platforms share networks).
        network_factor: f64 = 0.8;
            unit "x", range [0, 1], source "EVIDENCE.md §6: effective network-effect exponent falls";
    }
}

//! This mechanism's scenario parameters: the `[pricing]` table of a scenario file (re-exported
//! from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// Pricing: frontier platforms set their subscription and seat prices.
    pub struct Pricing {
        /// Share of the gap to the target price closed each month (list prices are sticky; 0 keeps
        /// the scenario's prices fixed).
        adjustment_per_month: f64 = 0.1;
            unit "share/month", range [0, 1], source "assumption: list prices change rarely (ChatGPT Plus at $20/month since Feb 2023; Pro added at $200 in Dec 2024, https://openai.com/index/introducing-chatgpt-pro/); half-life ~6.6 months";
        /// Quality gap (points) at which a rival's or the open tier's closeness falls to 1/e.
        closeness_scale_points: f64 = 10.0;
            unit "points", range [0.01, 1000], source "assumption: a year of frontier progress (users.theta_quality: a year ~10 points); with it the history scenario keeps the frontier subscription price flat from Jan 2023 to Jan 2026 (ratio 1.06, 10-90% 0.93-1.28 over 20 seeds; ChatGPT Plus $20 throughout, EVIDENCE.md §1.3), at 5 points it rises 21%";
        /// Weight a of each rival platform's closeness in the markup divisor 1 + a R + b O.
        rival_weight: f64 = 0.15;
            unit "1", range [0, 100], source "assumption: Bertrand-logit markups fall with the number of close substitutes (Anderson, de Palma & Thisse 1992)";
        /// Weight b of the open tier's closeness in the markup divisor 1 + a R + b O.
        open_weight: f64 = 1.0;
            unit "1", range [0, 100], source "assumption: open weights at the frontier cap closed prices (EVIDENCE.md §2.10; DeepSeek-R1 at ~1/30 of o1's API price, Jan 2025, https://api-docs.deepseek.com/news/news250120)";
        /// Highest consumer (paid-tier) price a platform sets.
        consumer_price_cap_usd: f64 = 200.0;
            unit "USD/month", range [0, 10_000], source "ChatGPT Pro at $200/month (Dec 2024), the dearest mass-market tier";
        /// Highest enterprise seat price a platform sets.
        seat_price_cap_usd: f64 = 200.0;
            unit "USD/seat-month", range [0, 100_000], source "assumption: the consumer cap; enterprise seats list at $25-60";
    }
}

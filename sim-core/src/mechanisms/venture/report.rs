//! Venture's metrics: pure functions of sentiment, the cohorts and the month's counters.

use crate::metrics::Metrics;
use crate::state::MonthFlows;

use super::{Cohorts, Sentiment};

/// Sentiment, venture funding, and the startups' survival and first-year hazard in `month`.
pub fn report(sentiment: &Sentiment, cohorts: &Cohorts, flows: &MonthFlows, month: u32, m: &mut Metrics) {
    m.sentiment = sentiment.level;
    m.venture_funding_usd = flows.venture_funding;
    m.survival_12m = cohorts.survival(month, 12).unwrap_or(f64::NAN);
    m.survival_60m = cohorts.survival(month, 60).unwrap_or(f64::NAN);
    m.startup_hazard_year1 = cohorts.year1_hazard(month).unwrap_or(f64::NAN);
}

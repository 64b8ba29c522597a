//! This mechanism's scenario parameters: the `[venture]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

use crate::params::error::ParamError;

crate::section! {
    /// Venture finance: the market sentiment index, its effect on rounds and entry, and
    /// acqui-hires of startups in distress.
    pub struct Venture {
        /// Sentiment at month 0 (1 = neutral).
        initial_sentiment: f64 = 1.0;
            unit "index", range [0.01, 100], source "normalisation";
        /// Months of the exponential average of sector revenue growth (the momentum).
        momentum_months: f64 = 6.0;
            unit "months", range [1, 120], source "assumption: investors look at the last two quarters";
        /// Months of the slower exponential average of sector revenue growth (the trend): momentum
        /// above the trend lifts sentiment, below it depresses it.
        trend_months: f64 = 36.0;
            unit "months", range [1, 600], source "assumption: returns judged against the last few years (a moving-average crossover)";
        /// Pull of sentiment back to neutral each month (kappa).
        reversion_per_month: f64 = 0.1;
            unit "1/month", range [0, 1], source "assumption: VC cycles of a few years (EVIDENCE.md §2.14)";
        /// Sentiment change per unit of monthly log growth of momentum above trend (eta).
        momentum_weight: f64 = 4.0;
            unit "index/(1/month)", range [0, 100], source "assumption: hype follows returns (EVIDENCE.md §2.14: H_t a return-momentum index)";
        /// Standard deviation of the monthly sentiment shock (sigma).
        noise_sigma: f64 = 0.04;
            unit "index", range [0, 10], source "assumption: boom-bust swings of tens of percent a year";
        /// Lowest sentiment.
        sentiment_min: f64 = 0.3;
            unit "index", range [0.01, 1], source "guardrail";
        /// Highest sentiment.
        sentiment_max: f64 = 3.0;
            unit "index", range [1, 100], source "guardrail";
        /// Logit shift of a startup's round probability per unit of ln(sentiment).
        round_sentiment_weight: f64 = 1.0;
            unit "1", range [0, 100], source "ODD §7.17: rounds rise with sentiment";
        /// Elasticity of round size to sentiment (size x S^e).
        round_size_sentiment_elasticity: f64 = 0.5;
            unit "1", range [0, 10], source "assumption: valuations and round sizes rise in booms";
        /// Elasticity of the startup entry rate to sentiment (lambda x S^e).
        entry_sentiment_elasticity: f64 = 1.0;
            unit "1", range [0, 10], source "EVIDENCE.md §2.14: VC arrivals Poisson(lambda_VC H_t)";
        /// Probability that a startup in distress (out of cash, no round) of average quality and
        /// reference team size is acqui-hired instead of shutting down.
        acquihire_probability: f64 = 0.12;
            unit "1", range [0, 1], source "assumption: a minority of failing startups are sold for their team (about 30% of startup exits in the baseline)";
        /// Logit weight of quality above the startups' mean on the acqui-hire probability.
        acquihire_quality_weight: f64 = 0.3;
            unit "1/point", range [0, 100], source "ODD §7.10: acqui-hires move a failed startup's team";
        /// Logit weight of ln(team / acquihire_team_reference) on the acqui-hire probability.
        acquihire_team_weight: f64 = 1.0;
            unit "1", range [0, 100], source "assumption: bigger teams are worth buying";
        /// Team size of the acqui-hire probability's reference.
        acquihire_team_reference: f64 = 6.0;
            unit "people", range [1, 10_000], source "assumption: a typical founding team";
        /// Price paid per employee of an acqui-hired startup, at neutral sentiment (x S).
        acquihire_price_usd_per_employee: f64 = 1.0e6;
            unit "USD/person", range [0, 1e10], source "assumption: acqui-hires priced at ~$0.5-2M per engineer";
        /// Cash an acquirer must hold, as a multiple of the price.
        acquirer_cash_multiple: f64 = 3.0;
            unit "x price", range [1, 1e6], source "guardrail: only firms with cash to spare buy";
    }
}

impl Venture {
    /// Rules within `[venture]`: the initial sentiment lies within its clamp.
    pub(crate) fn check_rules(&self, errs: &mut Vec<ParamError>) {
        if self.initial_sentiment < self.sentiment_min || self.initial_sentiment > self.sentiment_max {
            errs.push(ParamError::rule(
                "venture.initial_sentiment",
                format!(
                    "must lie within [venture.sentiment_min, venture.sentiment_max] ({} not in [{}, {}])",
                    self.initial_sentiment, self.sentiment_min, self.sentiment_max
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_sentiment_outside_its_clamp_is_rejected() {
        let mut v = Venture::default();
        let mut errs = Vec::new();
        v.check_rules(&mut errs);
        assert!(errs.is_empty(), "the defaults pass: {errs:?}");
        v.sentiment_min = 0.8;
        v.initial_sentiment = 0.5;
        v.check_rules(&mut errs);
        assert!(
            errs.iter().any(|e| e.path == "venture.initial_sentiment"),
            "an initial sentiment below sentiment_min must be named: {errs:?}"
        );
    }
}

//! Venture's share of the state hash: sentiment and the startups' cohorts.

use super::{Cohorts, Sentiment};
use crate::hash::{StateHash, StateHasher};

impl StateHash for Sentiment {
    fn hash(&self, h: &mut StateHasher) {
        for x in [self.level, self.momentum, self.trend, self.sector_revenue] {
            h.f64(x);
        }
        h.u64(u64::from(self.observed));
    }
}

impl StateHash for Cohorts {
    fn hash(&self, h: &mut StateHasher) {
        for (id, c) in &self.0 {
            h.u64(id.0);
            h.u64(c.founded as i64 as u64);
            match c.exit {
                Some((m, cause)) => {
                    h.u64(u64::from(m));
                    h.u64(cause.index() as u64);
                }
                None => h.u64(u64::MAX),
            }
        }
    }
}

//! Platform entry's share of the state hash: the niches and the startups' niche and owner.

use super::Niches;
use crate::hash::{StateHash, StateHasher};
use crate::state::{AppNiche, OwnedBy};

impl StateHash for Niches {
    fn hash(&self, h: &mut StateHasher) {
        for n in &self.niches {
            for x in [n.revenue, n.customers, n.quality] {
                h.f64(x);
            }
            h.u64(u64::from(n.startups));
            for e in &n.entries {
                h.u64(e.platform.0);
                h.u64(u64::from(e.slot) | (u64::from(e.month) << 8));
                h.f64(e.customers);
                h.u64(e.ended.map_or(u64::MAX, u64::from));
            }
        }
        for window in [&self.wrappers, &self.exposed_wrappers, &self.nonwrappers] {
            for (at_risk, exits) in &window.months {
                h.u64(u64::from(*at_risk) | (u64::from(*exits) << 32));
            }
        }
    }
}

impl StateHash for AppNiche {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(u64::from(self.0) | (1 << 20));
    }
}

impl StateHash for OwnedBy {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(self.0.0);
    }
}

//! User choice's share of the state hash: the platform table, the user columns and the
//! platforms' components.

use super::Users;
use crate::hash::{StateHash, StateHasher};
use crate::state::{Platform, PlatformTable};

impl StateHash for PlatformTable {
    fn hash(&self, h: &mut StateHasher) {
        for s in &self.slots {
            h.u64(u64::from(s.alive));
            h.f64(s.quality);
            h.f64(s.people);
            h.f64(s.api_fee);
        }
    }
}

impl StateHash for Users {
    fn hash(&self, h: &mut StateHasher) {
        for (i, &p) in self.platform.iter().enumerate() {
            h.u64(u64::from(p) | (u64::from(self.class[i]) << 8) | ((self.joined[i] as u32 as u64) << 16));
        }
        for e in &self.extra {
            h.u64(u64::from(e[0]) | (u64::from(e[1]) << 8));
        }
        for c in &self.counts {
            h.f64(*c);
        }
    }
}

impl StateHash for Platform {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(u64::from(self.slot));
        for x in [self.consumer_price, self.enterprise_price, self.consumers, self.seats] {
            h.f64(x);
        }
    }
}

//! The startups' share of the state hash: their components.

use crate::hash::{StateHash, StateHasher};
use crate::state::{Base, Startup};

impl StateHash for Startup {
    fn hash(&self, h: &mut StateHasher) {
        match self.base {
            Base::Platform(slot) => h.u64(u64::from(slot)),
            Base::Open(r) => {
                h.u64(1 << 16);
                h.u64(r.0);
            }
        }
        for x in [self.customers, self.team, self.finetune_flop, self.quality] {
            h.f64(x);
        }
        h.u64(self.cohort as i64 as u64);
    }
}

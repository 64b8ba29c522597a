//! Research's share of the state hash: the frontier history and the labs' components.

use crate::hash::{StateHash, StateHasher};
use crate::state::{FrontierHistory, Lab};

impl StateHash for FrontierHistory {
    /// The best quality by month (`initial` is set at month 0 from the labs, which are hashed).
    fn hash(&self, h: &mut StateHasher) {
        for x in &self.best {
            h.f64(*x);
        }
    }
}

impl StateHash for Lab {
    fn hash(&self, h: &mut StateHasher) {
        for x in [self.cumulative_flop, self.quality, self.talent, self.served_quality] {
            h.f64(x);
        }
        h.u64(u64::from(self.open_lag));
    }
}

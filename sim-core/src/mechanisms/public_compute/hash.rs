//! The public compute pool's share of the state hash.

use super::PublicPool;
use crate::hash::{StateHash, StateHasher};

impl StateHash for PublicPool {
    fn hash(&self, h: &mut StateHasher) {
        for x in [self.gpus, self.bought, self.lent, self.spending] {
            h.f64(x);
        }
    }
}

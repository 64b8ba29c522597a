//! The spot market's share of the state hash: the lessors' components.

use crate::hash::{StateHash, StateHasher};
use crate::state::Lessor;

impl StateHash for Lessor {
    fn hash(&self, h: &mut StateHasher) {
        h.f64(self.break_even);
        h.f64(self.realised_price);
        h.u64(u64::from(self.months_below));
    }
}

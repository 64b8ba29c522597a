//! The contract book's share of the state hash.

use crate::hash::{StateHash, StateHasher};
use crate::state::ContractBook;

impl StateHash for ContractBook {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(self.next_id);
        for c in &self.contracts {
            h.u64(c.id);
            h.u64(c.buyer.0);
            h.u64(c.seller.0);
            h.f64(c.gpus);
            h.f64(c.price);
            h.u64(u64::from(c.start));
            h.u64(u64::from(c.end));
        }
    }
}

//! Pricing's share of the state hash: each frontier platform's [`PriceSetting`].

use super::state::PriceSetting;
use crate::hash::{StateHash, StateHasher};

impl StateHash for PriceSetting {
    fn hash(&self, h: &mut StateHasher) {
        for x in [
            self.consumer_scale,
            self.seat_scale,
            self.consumer_cost,
            self.seat_cost,
            self.divisor,
        ] {
            h.f64(x);
        }
    }
}

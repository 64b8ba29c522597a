//! The risk ledger's share of the state hash.

use crate::hash::{StateHash, StateHasher};
use crate::state::RiskLedger;

impl StateHash for RiskLedger {
    fn hash(&self, h: &mut StateHasher) {
        for (id, r) in &self.firms {
            h.u64(id.0);
            h.u64(u64::from(r.large) | (u64::from(r.regulated) << 1) | (u64::from(r.incidents) << 2));
            for x in [r.revenue, r.hygiene, r.hygiene_cost, r.loss, r.fines, r.compliance] {
                h.f64(x);
            }
        }
    }
}

//! The talent market's share of the state hash: teams in transit, the researchers' columns and
//! the labs' reference productivity (the roster's other fields are recounted every month).

use super::{Researchers, Roster};
use crate::hash::{StateHash, StateHasher};
use crate::state::TeamTransfers;

impl StateHash for TeamTransfers {
    fn hash(&self, h: &mut StateHasher) {
        for (gone, buyer) in &self.0 {
            h.u64(gone.0);
            h.u64(buyer.0);
        }
    }
}

impl StateHash for Researchers {
    fn hash(&self, h: &mut StateHasher) {
        h.f64(self.weight);
        h.f64(self.superstar_skill);
        h.u64(self.left);
        h.u64(self.entered);
        for i in 0..self.len() {
            h.f64(self.skill[i]);
            h.f64(self.wage[i]);
            h.u64(self.employer[i].0);
            h.u64(
                u64::from(self.origin[i])
                    | (u64::from(self.hub[i]) << 16)
                    | ((self.status[i] as u64) << 32)
                    | ((self.joined[i] as u32 as u64) << 40),
            );
        }
    }
}

impl StateHash for Roster {
    fn hash(&self, h: &mut StateHasher) {
        for (id, r) in &self.reference {
            h.u64(id.0);
            h.f64(r.talent);
            h.f64(r.productivity);
            h.f64(r.budget_share);
        }
    }
}

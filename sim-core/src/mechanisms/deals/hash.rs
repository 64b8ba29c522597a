//! The national deals' share of the state hash.

use super::Partnerships;
use crate::hash::{StateHash, StateHasher};

impl StateHash for Partnerships {
    fn hash(&self, h: &mut StateHasher) {
        for nd in &self.nations {
            h.u64(u64::from(nd.next_tender));
            h.u64(nd.ended.map_or(u64::MAX, u64::from));
            h.u64(nd.latest.len() as u64);
            for &p in &nd.latest {
                h.u64(u64::from(p));
            }
            h.u64(nd.history.len() as u64);
            for (m, ps) in &nd.history {
                h.u64(u64::from(*m));
                for &p in ps {
                    h.u64(u64::from(p));
                }
            }
            match &nd.current {
                Some(d) => {
                    h.u64(d.partners.len() as u64);
                    for &p in &d.partners {
                        h.u64(u64::from(p));
                    }
                    for x in [d.start, d.signed, d.months_left, d.free_until, d.renewals] {
                        h.u64(u64::from(x));
                    }
                    h.u64(u64::from(d.exclusive));
                }
                None => h.u64(u64::MAX),
            }
            h.f64(nd.hosted_gpus);
        }
        h.u64(self.builds.len() as u64);
        for b in &self.builds {
            h.u64(b.firm.0);
            h.u64(u64::from(b.nation));
            h.f64(b.gpus);
            h.u64(u64::from(b.ready));
        }
    }
}

//! The open ecosystem's share of the state hash.

use crate::hash::{StateHash, StateHasher};
use crate::state::OpenReleases;

impl StateHash for OpenReleases {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(u64::from(self.published));
        h.u64(u64::from(self.published_month));
        for x in [self.month_downloads, self.total_downloads, self.total_before] {
            h.f64(x);
        }
        for (id, r) in &self.releases {
            h.u64(id.0);
            h.u64(r.maker.0);
            h.u64(u64::from(r.month));
            h.u64(
                (r.licence as u64)
                    | (u64::from(r.backdoored) << 1)
                    | (u64::from(r.audited) << 2)
                    | (r.discovered.map_or(0, |m| u64::from(m) + 1) << 3),
            );
            for x in [
                r.quality,
                r.downloads,
                r.monthly_downloads,
                r.derivatives,
                r.deployments,
            ] {
                h.f64(x);
            }
        }
    }
}

//! The kernel's share of the state hash: the clock, the market, the id allocator and the
//! components every firm or nation has.

use crate::hash::{StateHash, StateHasher};
use crate::kernel::state::{Books, Clock, Directory, Firm, Fleet, Market, Nation, Staff};

impl StateHash for Clock {
    fn hash(&self, h: &mut StateHasher) {
        h.u64(u64::from(self.month));
    }
}

impl StateHash for Market {
    fn hash(&self, h: &mut StateHasher) {
        for x in [
            self.capacity,
            self.shock_factor,
            self.list_price,
            self.orders,
            self.shipments,
            self.depreciation,
            self.vendor_revenue,
            self.spot_price,
            self.spot_volume,
            self.spot_expected,
            self.contract_price,
            self.contract_volume,
            self.break_even,
            self.algo_efficiency,
            self.buyer_share_cap,
            self.cost_index,
            self.substitute_capacity,
            self.substitute_shipments,
            self.export_blocked,
            self.contract_unmet,
        ] {
            h.f64(x);
        }
    }
}

impl StateHash for Directory {
    /// The next id (the id → entity map is bevy's bookkeeping, rebuilt from the entities).
    fn hash(&self, h: &mut StateHasher) {
        h.u64(self.next_id);
    }
}

impl StateHash for Firm {
    /// Kind, nation and founding month (the name is the scenario's or derived from the id).
    fn hash(&self, h: &mut StateHasher) {
        h.u64(self.kind.code());
        h.u64(u64::from(self.nation));
        h.u64(self.founded as i64 as u64);
    }
}

impl StateHash for Books {
    fn hash(&self, h: &mut StateHasher) {
        for x in [
            self.cash,
            self.cash_start,
            self.revenue,
            self.costs,
            self.funding,
            self.last_burn,
            self.parent_funding,
        ] {
            h.f64(x);
        }
        for x in self.revenue_history {
            h.f64(x);
        }
    }
}

impl StateHash for Staff {
    fn hash(&self, h: &mut StateHasher) {
        h.f64(self.0);
    }
}

impl StateHash for Fleet {
    fn hash(&self, h: &mut StateHasher) {
        for x in [
            self.owned,
            self.reserved,
            self.reserved_price,
            self.committed,
            self.need,
            self.serving_need,
            self.training_base,
            self.ordered,
            self.delivered,
            self.spot_wanted,
            self.spot_bought,
            self.spot_sold,
            self.used,
            self.served_fraction,
            self.training_used,
            self.public,
            self.buy_share,
        ] {
            h.f64(x);
        }
        h.u64(u64::from(self.large));
    }
}

impl StateHash for Nation {
    /// The index (the rest is the scenario's `[[nations]]` entry, fixed for the run).
    fn hash(&self, h: &mut StateHasher) {
        h.u64(u64::from(self.index));
    }
}

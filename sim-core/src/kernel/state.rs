//! The kernel's state: agent identity, the components every firm or nation has, the scenario,
//! the clock, the id directory and the market. Every mechanism reads these; none owns them.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::params::{FirmKind, Scenario};

/// Our own stable identity of an agent: never reused, independent of bevy's `Entity`, and the
/// key of every random stream and every sorted iteration.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentId(pub u64);

/// Slot of a platform in the [`PlatformTable`]; users refer to platforms by slot.
pub type Slot = u8;
/// "No platform": a user who uses no AI platform (the outside option).
pub const NO_PLATFORM: Slot = u8::MAX;
/// Hours in a month (8760 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// A nation: home of users and firms.
#[derive(Component, Clone, Debug)]
pub struct Nation {
    /// Index in the scenario's `[[nations]]` list.
    pub index: u16,
    pub name: String,
    pub population_millions: f64,
    pub internet_users_millions: f64,
    pub enterprise_seats_millions: f64,
    pub gdp_per_capita_usd: f64,
    /// Export-control tier (1 open, 2 capped, 3 embargoed).
    pub tier: u32,
    pub foreign_platforms: bool,
}

impl Nation {
    /// The nation entity's component for `[[nations]]` entry `index`.
    pub fn from_spec(index: u16, n: &crate::params::NationSpec) -> Self {
        Self {
            index,
            name: n.name.clone(),
            population_millions: n.population_millions,
            internet_users_millions: n.internet_users_millions,
            enterprise_seats_millions: n.enterprise_seats_millions,
            gdp_per_capita_usd: n.gdp_per_capita_usd,
            tier: n.tier,
            foreign_platforms: n.foreign_platforms,
        }
    }
}

/// What every firm is.
#[derive(Component, Clone, Debug)]
pub struct Firm {
    pub kind: FirmKind,
    pub name: String,
    /// Index of the home nation.
    pub nation: u16,
    /// Month founded (negative: before the run started).
    pub founded: i32,
}

/// A firm's cash and this month's flows. Cash moves only through [`Books::earn`],
/// [`Books::spend`] and [`Books::fund`], so that `cash = cash_start + revenue - costs + funding`
/// holds every month (checked by the invariants).
#[derive(Component, Clone, Debug, Default)]
pub struct Books {
    pub cash: f64,
    /// Cash when the month opened.
    pub cash_start: f64,
    /// Revenue this month.
    pub revenue: f64,
    /// Costs this month (operating costs and capital spending).
    pub costs: f64,
    /// Funding received this month (parent, strategic, venture).
    pub funding: f64,
    /// Revenue of the last 7 months, most recent first (traction).
    pub revenue_history: [f64; 7],
    /// Net burn (costs - revenue) of the last completed month.
    pub last_burn: f64,
    /// Monthly funding from a parent's orthogonal business.
    pub parent_funding: f64,
}

impl Books {
    /// Books with opening cash.
    pub fn with_cash(cash: f64) -> Self {
        Self {
            cash,
            cash_start: cash,
            ..Default::default()
        }
    }
    /// Records revenue.
    #[inline]
    pub fn earn(&mut self, amount: f64) {
        debug_assert!(amount.is_finite() && amount >= 0.0, "revenue {amount}");
        self.revenue += amount;
        self.cash += amount;
    }
    /// Records a cost.
    #[inline]
    pub fn spend(&mut self, amount: f64) {
        debug_assert!(amount.is_finite() && amount >= 0.0, "cost {amount}");
        self.costs += amount;
        self.cash -= amount;
    }
    /// Records funding.
    #[inline]
    pub fn fund(&mut self, amount: f64) {
        debug_assert!(amount.is_finite() && amount >= 0.0, "funding {amount}");
        self.funding += amount;
        self.cash += amount;
    }
}

/// A firm's compute position this month, in H100e.
#[derive(Component, Clone, Debug, Default)]
pub struct Fleet {
    /// GPUs owned.
    pub owned: f64,
    /// GPUs reserved under contracts as buyer.
    pub reserved: f64,
    /// Average price of the reserved GPUs (USD/GPU-h).
    pub reserved_price: f64,
    /// GPUs committed under contracts as seller (lessors).
    pub committed: f64,
    /// Compute wanted this month (serving + training or fine-tuning).
    pub need: f64,
    /// Part of `need` that serves users.
    pub serving_need: f64,
    /// Training target at month 0 (labs); grows with `research.training_growth_per_year`.
    pub training_base: f64,
    /// GPUs ordered from the vendor this month.
    pub ordered: f64,
    /// GPUs delivered by the vendor this month.
    pub delivered: f64,
    /// Spot compute wanted at the clearing price (budget-limited demand) and obtained this month.
    pub spot_wanted: f64,
    pub spot_bought: f64,
    /// Idle capacity sold on spot this month.
    pub spot_sold: f64,
    /// Compute actually used this month (min of need and what was available).
    pub used: f64,
    /// Share of serving need that was met (1 = fully served).
    pub served_fraction: f64,
    /// Compute used for training this month.
    pub training_used: f64,
    /// GPUs lent by the public compute pool this month.
    pub public: f64,
    /// Among the five largest compute holders at the start of the month.
    pub large: bool,
    /// Labs: share of the compute need its contracts do not cover that the lab buys (the rest
    /// it rents); from the firm's spec (`buy_share`); unused by other kinds.
    pub buy_share: f64,
}

impl Fleet {
    /// Serving need recorded at month 0 (before the first planning step).
    pub fn need_ratio_serving(&self) -> f64 {
        self.serving_need
    }

    /// Compute at the firm's disposal before the spot market: owned + reserved − committed +
    /// lent by the public pool.
    pub fn available(&self) -> f64 {
        (self.owned + self.reserved - self.committed + self.public).max(0.0)
    }
}

/// Staff of labs and clouds.
#[derive(Component, Clone, Debug, Default)]
pub struct Staff(pub f64);

/// The run's validated parameters.
#[derive(Resource, Clone)]
pub struct Config(pub Arc<Scenario>);

/// The clock: the month being simulated (0-based).
#[derive(Resource, Clone, Debug, Default)]
pub struct Clock {
    pub month: u32,
}

/// Allocator of fresh agent ids and the id → entity directory.
#[derive(Resource, Clone, Debug, Default)]
pub struct Directory {
    pub next_id: u64,
    pub entities: BTreeMap<AgentId, Entity>,
}

impl Directory {
    /// A new, never used id.
    pub fn allocate(&mut self) -> AgentId {
        self.next_id += 1;
        AgentId(self.next_id)
    }
}

/// Market-wide state of the compute economy.
#[derive(Resource, Clone, Debug, Default)]
pub struct Market {
    /// Vendor capacity this month (H100e).
    pub capacity: f64,
    /// Supply-shock multiplier this month.
    pub shock_factor: f64,
    /// Vendor list price per H100e.
    pub list_price: f64,
    /// GPUs ordered and shipped this month.
    pub orders: f64,
    pub shipments: f64,
    /// GPUs retired by depreciation this month.
    pub depreciation: f64,
    /// Vendor revenue this month.
    pub vendor_revenue: f64,
    /// Substitute (domestic) chip capacity and shipments to export-controlled buyers (H100e).
    pub substitute_capacity: f64,
    pub substitute_shipments: f64,
    /// Orders the export controls kept from being filled this month (H100e).
    pub export_blocked: f64,
    /// Spot clearing price and volume (GPUs for the month).
    pub spot_price: f64,
    pub spot_volume: f64,
    /// Exponential average of spot: buyers' expectation.
    pub spot_expected: f64,
    /// Contract price index (clearing price, or the lowest posted ask when nothing traded).
    pub contract_price: f64,
    /// GPUs newly contracted this month.
    pub contract_volume: f64,
    /// Break-even price of a GPU lessor this month (falls with the cost index).
    pub break_even: f64,
    /// Cost of an H100e-hour relative to month 0: `price_factor_per_year^(t/12)`. Prices and
    /// costs per H100e-hour (willingness to pay, running costs, break-even) scale with it.
    pub cost_index: f64,
    /// Algorithmic efficiency A_t.
    pub algo_efficiency: f64,
    /// The buyer share cap in force (1 = none).
    pub buyer_share_cap: f64,
    /// Contract demand this month that would have paid the lessors' ask but found no capacity
    /// (H100e): lessors build for it next month (issue 12: build-to-suit).
    pub contract_unmet: f64,
}

impl Market {
    /// The market before the first month: initial prices and capacity (the lessors' break-even
    /// is spot's to set, in its `resources` hook).
    pub fn at_month_zero(sc: &Scenario) -> Self {
        Self {
            capacity: sc.supply.capacity_gpus_per_month,
            shock_factor: 1.0,
            list_price: sc.supply.list_price_usd,
            spot_price: sc.spot.initial_price_usd,
            spot_expected: sc.spot.initial_price_usd,
            contract_price: sc.contracts.initial_price_usd,
            cost_index: 1.0,
            algo_efficiency: 1.0,
            buyer_share_cap: 1.0,
            ..Default::default()
        }
    }
}

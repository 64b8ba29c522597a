//! The model's state: components of firm and nation entities, and the resources every
//! mechanism shares. Mechanisms communicate only through these types.

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
    /// Months of runway at last month's burn (infinite when not burning).
    pub fn runway_months(&self) -> f64 {
        if self.last_burn <= 0.0 {
            f64::INFINITY
        } else {
            self.cash.max(0.0) / self.last_burn
        }
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

/// A model-building lab (frontier or open-weights).
#[derive(Component, Clone, Debug, Default)]
pub struct Lab {
    /// Cumulative effective training FLOP.
    pub cumulative_flop: f64,
    /// Quality of the lab's own research.
    pub quality: f64,
    /// Research talent factor.
    pub talent: f64,
    /// Open-weights makers: months their releases trail the frontier.
    pub open_lag: u32,
    /// Quality of the model the lab serves (= `quality`, or the latest open release).
    pub served_quality: f64,
}

/// A firm that serves users: frontier labs and open-weights labs' assistants.
#[derive(Component, Clone, Debug)]
pub struct Platform {
    pub slot: Slot,
    pub consumer_price: f64,
    pub enterprise_price: f64,
    /// Consumers (people) using it as their platform.
    pub consumers: f64,
    /// Enterprise seats using it (weighted by portfolio share).
    pub seats: f64,
}

/// A GPU lessor's break-even and exit clock.
#[derive(Component, Clone, Debug, Default)]
pub struct Lessor {
    /// Break-even price (USD/GPU-h).
    pub break_even: f64,
    /// Consecutive months with realised price below break-even.
    pub months_below: u32,
    /// Realised revenue per owned GPU-hour this month.
    pub realised_price: f64,
}

/// What a startup builds on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// A platform's API (pays API fees; exposed to the platform).
    Platform(Slot),
    /// A specific open-weights release, by its id in [`OpenReleases`] (pays hosting compute;
    /// exposed to the release's hidden backdoor).
    Open(AgentId),
}

impl Base {
    /// Is this an open-weights base?
    pub fn is_open(self) -> bool {
        matches!(self, Base::Open(_))
    }
}

/// An app or agent startup.
#[derive(Component, Clone, Debug)]
pub struct Startup {
    pub base: Base,
    /// App customers.
    pub customers: f64,
    /// Employees.
    pub team: f64,
    /// Cumulative fine-tuning FLOP.
    pub finetune_flop: f64,
    /// Product quality = base quality + fine-tuning increment.
    pub quality: f64,
    /// Cohort: month founded.
    pub cohort: i32,
}

/// The app niche (index into the scenario's niches, [`Scenario::app_niches`](crate::params::Scenario::app_niches))
/// a startup serves; drawn at founding (see `mechanisms::platform_entry`).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppNiche(pub u16);

/// Marks a startup bought by a frontier lab in a strategic acquisition (it keeps operating;
/// see `mechanisms::platform_entry`). Cleared if the owner leaves the market.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedBy(pub AgentId);

/// Marks a startup acqui-hired this month by the firm with this id; it leaves the market in
/// `exit_firms` with cause [`ExitCause::AcquiHire`].
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcquiredBy(pub AgentId);

/// Teams in transit: firms acqui-hired this month, by id, with the id of the firm that bought
/// them. Written by `finance::exit_firms`, read and cleared by `talent::rehome_researchers` next
/// month, so a bought team joins the firm that paid for it.
#[derive(Resource, Clone, Debug, Default)]
pub struct TeamTransfers(pub BTreeMap<AgentId, AgentId>);

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

/// Monthly counters filled by mechanisms and read by the recorder.
#[derive(Resource, Clone, Debug, Default)]
pub struct MonthFlows {
    /// Compute requested and obtained by large (top-5) and small firms (vendor + spot).
    pub requested_large: f64,
    pub obtained_large: f64,
    pub requested_small: f64,
    pub obtained_small: f64,
    /// People who switched platform this month.
    pub switched_people: f64,
    pub entered: u32,
    /// Exits of firms of any kind this month, by cause (indexed by [`ExitCause::index`]).
    pub exits: [u32; ExitCause::COUNT],
    /// Exits of startups this month, their ages in months, and their causes.
    pub startup_exits: u32,
    pub startup_exit_ages: Vec<u32>,
    pub startup_exits_by_cause: [u32; ExitCause::COUNT],
    /// Venture funding (rounds, not seed) raised by startups this month.
    pub venture_funding: f64,
    /// Panel rows of the firms that left the market this month, taken just before they left
    /// (`alive = false`), in the order they exited.
    pub exited_rows: Vec<PanelRow>,
    /// GPUs delivered by the vendor this month, summed over deliveries as they were booked.
    pub delivered: f64,
    /// Spot GPUs bought and sold this month, summed over fills as they were booked.
    pub spot_bought: f64,
    pub spot_sold: f64,
    /// Nation-state deals: data-centre investment of new deals, renewal fees, and subscription
    /// revenue partners did not bill to citizens during free months (USD this month).
    pub deal_investment: f64,
    pub deal_fees: f64,
    pub deal_foregone: f64,
    /// Deals signed (not renewals) this month.
    pub deals_signed: u32,
    /// Citizens moved onto a partner by seeded adoption this month (people).
    pub deal_seeded_people: f64,
    /// Platform entries into app niches this month.
    pub platform_entries: u32,
    /// Strategic acquisitions of startups by frontier labs, and API cut-offs that followed.
    pub strategic_acquisitions: u32,
    pub api_cutoffs: u32,
    /// Startup exits this month by class: wrappers (API-based, small fine-tuning increment),
    /// wrappers in a niche a platform's own app is in ("exposed"), and the other startups.
    pub wrapper_exits: u32,
    pub exposed_wrapper_exits: u32,
    pub nonwrapper_exits: u32,
}

impl MonthFlows {
    /// Exits of firms of any kind this month for `cause`.
    pub fn exits_for(&self, cause: ExitCause) -> u32 {
        self.exits[cause.index()]
    }

    /// Records the exit of a firm of `kind`, aged `age` months, for `cause`.
    pub fn record_exit(&mut self, kind: FirmKind, age: u32, cause: ExitCause) {
        self.exits[cause.index()] += 1;
        if kind == FirmKind::Startup {
            self.startup_exits += 1;
            self.startup_exit_ages.push(age);
            self.startup_exits_by_cause[cause.index()] += 1;
        }
    }
}

/// Why a firm left the market. To add a cause, add a variant, list it in [`ExitCause::ALL`]
/// with its name, and record it with [`MonthFlows::record_exit`]: the counters are arrays
/// indexed by cause, so nothing else has to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCause {
    /// Cash ran out and no round came.
    Cash,
    /// A lessor after sustained prices below its break-even.
    BreakEven,
    /// A startup in distress bought for its team (see `mechanisms::venture`).
    AcquiHire,
    /// Cash ran out because of the month's incident losses and fines (see `mechanisms::security`).
    Incident,
    /// A startup's cash ran out within `platform_entry.attribution_months` after a platform
    /// entered its app niche (see `mechanisms::platform_entry`).
    PlatformEntry,
}

impl ExitCause {
    /// Every cause, in index order.
    pub const ALL: [ExitCause; 5] = [
        ExitCause::Cash,
        ExitCause::BreakEven,
        ExitCause::AcquiHire,
        ExitCause::Incident,
        ExitCause::PlatformEntry,
    ];
    /// Number of causes.
    pub const COUNT: usize = Self::ALL.len();

    /// Position in [`ExitCause::ALL`] and in the counters.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Name as written in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExitCause::Cash => "cash",
            ExitCause::BreakEven => "break_even",
            ExitCause::AcquiHire => "acqui_hire",
            ExitCause::Incident => "incident",
            ExitCause::PlatformEntry => "platform_entry",
        }
    }
}

/// One firm in one month: a row of the firm panel (`goldrush run --panel`). Alive firms are
/// taken at the end of the month; a firm that exits appears once more, in its exit month, with
/// `alive = false` and its state just before it left.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PanelRow {
    pub month: u32,
    pub id: u64,
    pub kind: &'static str,
    pub nation: u16,
    /// Month founded (negative: before the run started).
    pub founded: i32,
    /// Platform users (people) or app customers.
    pub users: f64,
    pub revenue: f64,
    pub cash: f64,
    /// Compute used this month (H100e).
    pub compute: f64,
    /// Employees: staff of labs and clouds, team of startups.
    pub employees: f64,
    /// Research talent factor of labs (0 for other firms).
    pub talent: f64,
    /// Served model quality (labs) or product quality (startups).
    pub quality: f64,
    pub alive: bool,
    /// Why it exited (`""` while alive).
    pub exit_cause: &'static str,
}

/// The columns of a [`PanelRow`], in order.
pub const PANEL_COLUMNS: &[&str] = &[
    "month",
    "id",
    "kind",
    "nation",
    "founded",
    "users",
    "revenue",
    "cash",
    "compute",
    "employees",
    "talent",
    "quality",
    "alive",
    "exit_cause",
];

impl PanelRow {
    /// The row of a firm from its components; `exit` is the cause if it is leaving now.
    #[allow(clippy::too_many_arguments)]
    pub fn of(
        month: u32,
        id: AgentId,
        firm: &Firm,
        books: &Books,
        fleet: &Fleet,
        lab: Option<&Lab>,
        platform: Option<&Platform>,
        startup: Option<&Startup>,
        staff: Option<&Staff>,
        exit: Option<ExitCause>,
    ) -> Self {
        Self {
            month,
            id: id.0,
            kind: firm.kind.as_str(),
            nation: firm.nation,
            founded: firm.founded,
            users: platform
                .map(|p| p.consumers + p.seats)
                .or(startup.map(|s| s.customers))
                .unwrap_or(0.0),
            revenue: books.revenue,
            cash: books.cash,
            compute: fleet.used,
            employees: startup.map(|s| s.team).or(staff.map(|s| s.0)).unwrap_or(0.0),
            talent: lab.map_or(0.0, |l| l.talent),
            quality: lab
                .map(|l| l.served_quality)
                .or(startup.map(|s| s.quality))
                .unwrap_or(0.0),
            alive: exit.is_none(),
            exit_cause: exit.map_or("", ExitCause::as_str),
        }
    }

    /// The row as CSV fields (floats in Rust's shortest round-trip form).
    pub fn csv_line(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            self.month,
            self.id,
            self.kind,
            self.nation,
            self.founded,
            self.users,
            self.revenue,
            self.cash,
            self.compute,
            self.employees,
            self.talent,
            self.quality,
            self.alive,
            self.exit_cause
        )
    }
}

/// A reserved, take-or-pay GPU contract.
#[derive(Clone, Debug, PartialEq)]
pub struct Contract {
    pub id: u64,
    pub buyer: AgentId,
    pub seller: AgentId,
    pub gpus: f64,
    /// USD per GPU-hour.
    pub price: f64,
    pub start: u32,
    /// First month no longer covered.
    pub end: u32,
}

/// All active contracts, in id order.
#[derive(Resource, Clone, Debug, Default)]
pub struct ContractBook {
    pub next_id: u64,
    pub contracts: Vec<Contract>,
}

/// What users see of a platform this month.
#[derive(Clone, Debug, Default)]
pub struct SlotInfo {
    pub id: Option<AgentId>,
    pub alive: bool,
    pub nation: u16,
    pub quality: f64,
    pub consumer_price: f64,
    pub enterprise_price: f64,
    /// People using it (consumers + seats), last month.
    pub people: f64,
    /// API fee per app customer it charges startups this month, capped by the open tier.
    pub api_fee: f64,
    pub name: String,
    pub kind: Option<FirmKind>,
}

/// The platforms users choose among, indexed by slot.
#[derive(Resource, Clone, Debug, Default)]
pub struct PlatformTable {
    pub slots: Vec<SlotInfo>,
}

/// Best frontier quality by month (index = month), for open-weights lags.
#[derive(Resource, Clone, Debug, Default)]
pub struct FrontierHistory {
    /// Best frontier quality at month 0 (before the first step).
    pub initial: f64,
    pub best: Vec<f64>,
}

impl FrontierHistory {
    /// Best frontier quality `lag` months before `month` (clamped at the start).
    pub fn lagged(&self, month: u32, lag: u32) -> f64 {
        if month < lag || self.best.is_empty() {
            return self.initial;
        }
        let i = (month - lag) as usize;
        self.best.get(i).copied().unwrap_or(self.initial)
    }
}

/// One firm's security and compliance position this month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FirmRisk {
    /// Annual revenue at or above `security.large_revenue_usd` (size split of the metrics).
    pub large: bool,
    /// Revenue basis of the month (last month's revenue), for cost and loss shares.
    pub revenue: f64,
    /// Hygiene bought this month (share of incidents prevented).
    pub hygiene: f64,
    /// Cost of that hygiene.
    pub hygiene_cost: f64,
    /// Incidents suffered this month.
    pub incidents: u32,
    /// Incident losses booked this month.
    pub loss: f64,
    /// Fines paid on this month's incidents.
    pub fines: f64,
    /// Compliance cost paid this month.
    pub compliance: f64,
    /// In scope of a regime in force this month (sandboxed startups included).
    pub regulated: bool,
}

/// This month's security incidents and compliance costs by firm. Cleared when the Security
/// phase opens; exited firms' rows stay until then (the recorder counts their incidents).
#[derive(Resource, Clone, Debug, Default)]
pub struct RiskLedger {
    pub firms: BTreeMap<AgentId, FirmRisk>,
}

impl RiskLedger {
    /// Incident losses and fines of a firm this month.
    pub fn incident_cost(&self, id: AgentId) -> f64 {
        self.firms.get(&id).map_or(0.0, |r| r.loss + r.fines)
    }
}

/// The licence of an open-weights release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Licence {
    /// Apache/MIT-style: anyone may fine-tune, redistribute and deploy.
    Permissive,
    /// Custom licence with use restrictions (acceptable-use policies, user caps).
    Restricted,
}

/// One open-weights model release (MODEL.md entity "Open model release"): a model entity with
/// our own id, kept in [`OpenReleases`] (it has no behaviour of its own; the open-source
/// mechanism moves its downloads, derivatives and deployments).
#[derive(Clone, Debug, PartialEq)]
pub struct OpenRelease {
    /// The open-weights lab that published it.
    pub maker: AgentId,
    /// Model quality (the lagged frontier or the maker's own research, whichever is better).
    pub quality: f64,
    /// Month of release.
    pub month: u32,
    pub licence: Licence,
    /// Cumulative downloads.
    pub downloads: f64,
    /// Downloads this month.
    pub monthly_downloads: f64,
    /// Derivative models (fine-tunes, quantisations) built on it, cumulative.
    pub derivatives: f64,
    /// Production deployments running it (pulled when a backdoor is discovered).
    pub deployments: f64,
    /// Hidden truth: the weights carry a backdoor (only the researcher's view sees it).
    pub backdoored: bool,
    /// A security audit was funded for this release.
    pub audited: bool,
    /// Month the backdoor was discovered (None while undiscovered or clean).
    pub discovered: Option<u32>,
}

impl OpenRelease {
    /// A backdoored release nobody has caught yet: it exposes its users.
    pub fn live_backdoor(&self) -> bool {
        self.backdoored && self.discovered.is_none()
    }

    /// May a startup build on it? Everything except a release with a discovered backdoor.
    pub fn usable(&self) -> bool {
        self.discovered.is_none()
    }
}

/// Every open-weights release so far, by id (never removed: published weights stay out), and
/// the month's download counters.
#[derive(Resource, Clone, Debug, Default)]
pub struct OpenReleases {
    pub releases: BTreeMap<AgentId, OpenRelease>,
    /// Releases published so far (= `releases.len()`).
    pub published: u32,
    /// Releases published this month.
    pub published_month: u32,
    /// Downloads this month over all releases.
    pub month_downloads: f64,
    /// Cumulative downloads over all releases, and before this month's downloads.
    pub total_downloads: f64,
    pub total_before: f64,
}

impl OpenReleases {
    /// The release a startup's base points to, if any.
    pub fn base_release(&self, base: Base) -> Option<&OpenRelease> {
        match base {
            Base::Open(id) => self.releases.get(&id),
            Base::Platform(_) => None,
        }
    }

    /// Is the release under this base backdoored and undiscovered?
    pub fn exposes(&self, base: Base) -> bool {
        self.base_release(base).is_some_and(OpenRelease::live_backdoor)
    }

    /// The best usable release (highest quality, then the earliest id), if any.
    pub fn best_usable(&self) -> Option<(AgentId, f64)> {
        self.releases.iter().filter(|(_, r)| r.usable()).fold(
            None,
            |best: Option<(AgentId, f64)>, (id, r)| match best {
                Some((_, q)) if q >= r.quality => best,
                _ => Some((*id, r.quality)),
            },
        )
    }

    /// The latest release of `maker` (the one it serves), if any.
    pub fn latest_of(&self, maker: AgentId) -> Option<(AgentId, &OpenRelease)> {
        self.releases
            .iter()
            .filter(|(_, r)| r.maker == maker)
            .max_by_key(|(id, r)| (r.month, **id))
            .map(|(id, r)| (*id, r))
    }
}
